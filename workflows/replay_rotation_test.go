package workflows

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/guestflow/guestflow/payloadcodec"
)

// rotatedKey is a payload key rotated in after the fixtures were recorded
// under replayKey.
const rotatedKey = "bmV3LWtleS1yb3RhdGVkLWluLTIwMjYtMTItMDItMzI="

// TestReplayAfterKeyRotation shows that histories written under a key that
// has since been rotated out (payload_key = the new key, the old one in
// previous_payload_keys) still replay, and that the Web UI's codec server
// decodes every one of their payloads. Without the old key they do not.
func TestReplayAfterKeyRotation(t *testing.T) {
	current, earlier := recordedHistories(t)
	files := append(current, earlier...)
	if len(files) == 0 {
		t.Fatal("no recorded histories")
	}
	rotated, err := payloadcodec.New(rotatedKey, replayKey)
	if err != nil {
		t.Fatal(err)
	}
	dropped, err := payloadcodec.New(rotatedKey)
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		t.Run(strings.TrimPrefix(file, "testdata/histories/"), func(t *testing.T) {
			if err := replayWith(rotated, file); err != nil {
				t.Fatalf("replay after rotation: %v", err)
			}
			payloads := encryptedPayloads(t, file)
			if len(payloads) == 0 {
				t.Fatal("the history holds no encrypted payload")
			}
			code, got := decodeOverHTTP(t, rotated, payloads)
			if code != http.StatusOK || len(got) != len(payloads) {
				t.Fatalf("codec server answered %d, decoded %d of %d payloads", code, len(got), len(payloads))
			} else {
				for i, p := range got {
					if p.Metadata["encoding"] == "YmluYXJ5L2VuY3J5cHRlZA==" {
						t.Fatalf("payload %d is still encrypted", i)
					}
				}
			}
		})
	}
	// The check has teeth: a codec without the old key neither replays nor
	// decodes them.
	if err := replayWith(dropped, files[0]); err == nil {
		t.Errorf("%s replayed without the key it was written under", files[0])
	}
	if code, _ := decodeOverHTTP(t, dropped, encryptedPayloads(t, files[0])); code != http.StatusBadRequest {
		t.Errorf("codec server without the old key answered %d", code)
	}
}

// jsonPayload is a payload as the history JSON and the codec server's
// protocol spell it: base64 metadata values and data.
type jsonPayload struct {
	Metadata map[string]string `json:"metadata"`
	Data     string            `json:"data"`
}

// encryptedPayloads collects every encrypted payload anywhere in a history.
func encryptedPayloads(t *testing.T, file string) []jsonPayload {
	t.Helper()
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	var out []jsonPayload
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if meta, ok := v["metadata"].(map[string]any); ok && meta["encoding"] == "YmluYXJ5L2VuY3J5cHRlZA==" {
				p := jsonPayload{Metadata: map[string]string{}}
				for k, m := range meta {
					p.Metadata[k], _ = m.(string)
				}
				p.Data, _ = v["data"].(string)
				out = append(out, p)
				return
			}
			for _, e := range v {
				walk(e)
			}
		case []any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	walk(doc)
	return out
}

// decodeOverHTTP asks codec's Web UI codec server to decode payloads; it
// returns the status and, on 200, the decoded payloads.
func decodeOverHTTP(t *testing.T, codec *payloadcodec.Codec, payloads []jsonPayload) (int, []jsonPayload) {
	t.Helper()
	body, err := json.Marshal(map[string]any{"payloads": payloads})
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPost, "/decode", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	codec.Handler("", "").ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		return rec.Code, nil
	}
	var resp struct {
		Payloads []jsonPayload `json:"payloads"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
		t.Fatal(err)
	}
	return rec.Code, resp.Payloads
}
