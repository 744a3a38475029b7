package payloadcodec_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"

	"github.com/guestflow/guestflow/payloadcodec"
)

const (
	key      = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=" // base64 of 32 bytes
	otherKey = "6162636465666768696a6b6c6d6e6f707172737475767778797a303132333435"
)

func TestRoundTripHidesPersonalData(t *testing.T) {
	c, err := payloadcodec.New(key)
	if err != nil {
		t.Fatal(err)
	}
	dc := c.DataConverter()
	in := map[string]string{"lastName": "Soprano", "documentNumber": "787667789"}
	p, err := dc.ToPayload(in)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(p.Data, []byte("Soprano")) || bytes.Contains(p.Data, []byte("787667789")) {
		t.Fatal("payload carries plaintext")
	}
	var out map[string]string
	if err := dc.FromPayload(p, &out); err != nil {
		t.Fatal(err)
	}
	if out["lastName"] != "Soprano" {
		t.Errorf("round trip gave %v", out)
	}

	other, _ := payloadcodec.New(otherKey)
	if err := other.DataConverter().FromPayload(p, &out); err == nil {
		t.Error("another key decrypted the payload")
	}
	plain, _ := converter.GetDefaultDataConverter().ToPayload("not encrypted")
	var s string
	if err := dc.FromPayload(plain, &s); err != nil || s != "not encrypted" {
		t.Errorf("plain payloads written before encryption must still read: %q %v", s, err)
	}
}

func TestNewRefusesBadKeys(t *testing.T) {
	for _, k := range []string{"", "short", "MDEyMzQ1Njc4OWFiY2RlZg=="} {
		if _, err := payloadcodec.New(k); err == nil {
			t.Errorf("key %q accepted", k)
		} else if k != "" && strings.Contains(err.Error(), k) {
			t.Errorf("error echoes the key: %v", err)
		}
	}
}

func TestCodecServer(t *testing.T) {
	c, _ := payloadcodec.New(key)
	h := c.Handler("http://localhost:8233", "staff-token")
	enc, _ := c.Encode([]*commonpb.Payload{{Metadata: map[string][]byte{"encoding": []byte("json/plain")}, Data: []byte(`"Soprano"`)}})
	body, _ := json.Marshal(map[string]any{"payloads": []any{map[string]any{"metadata": map[string]string{
		"encoding": "YmluYXJ5L2VuY3J5cHRlZA==", "encryption-key-id": b64(enc[0].Metadata["encryption-key-id"]),
	}, "data": b64(enc[0].Data)}}})

	pre := httptest.NewRequest(http.MethodOptions, "/decode", nil)
	pre.Header.Set("Origin", "http://localhost:8233")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, pre)
	if rec.Code != http.StatusNoContent || rec.Header().Get("Access-Control-Allow-Origin") != "http://localhost:8233" {
		t.Fatalf("preflight: %d %v", rec.Code, rec.Header())
	}

	for _, tt := range []struct {
		auth string
		want int
	}{{"", http.StatusUnauthorized}, {"Bearer wrong", http.StatusUnauthorized}, {"Bearer staff-token", http.StatusOK}} {
		req := httptest.NewRequest(http.MethodPost, "/decode", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Origin", "http://localhost:8233")
		if tt.auth != "" {
			req.Header.Set("Authorization", tt.auth)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != tt.want {
			t.Fatalf("auth %q: got %d %s", tt.auth, rec.Code, rec.Body)
		}
		if tt.want == http.StatusOK && !strings.Contains(rec.Body.String(), b64([]byte(`"Soprano"`))) {
			t.Errorf("decode answered %s", rec.Body)
		}
	}
}

func b64(b []byte) string {
	out, _ := json.Marshal(b)
	return strings.Trim(string(out), `"`)
}

// newKey is the key rotated in; key (above) is the one rotated out.
const newKey = "bmV3LWtleS1yb3RhdGVkLWluLTIwMjYtMTItMDItMzI="

func TestRotationKeepsOldPayloadsReadable(t *testing.T) {
	old, err := payloadcodec.New(key)
	if err != nil {
		t.Fatal(err)
	}
	written, err := old.DataConverter().ToPayload("Soprano")
	if err != nil {
		t.Fatal(err)
	}

	rotated, err := payloadcodec.New(newKey, key)
	if err != nil {
		t.Fatal(err)
	}
	if rotated.KeyID() == old.KeyID() || !slices.Equal(rotated.DecryptKeyIDs(), []string{rotated.KeyID(), old.KeyID()}) {
		t.Fatalf("key ids: encrypting %s, decrypting %v, old %s", rotated.KeyID(), rotated.DecryptKeyIDs(), old.KeyID())
	}
	fresh, err := rotated.DataConverter().ToPayload("Soprano")
	if err != nil {
		t.Fatal(err)
	}
	if got := string(fresh.Metadata["encryption-key-id"]); got != rotated.KeyID() {
		t.Errorf("new payload names key %q, want the new key %s", got, rotated.KeyID())
	}
	for name, p := range map[string]*commonpb.Payload{"old": written, "new": fresh} {
		var s string
		if err := rotated.DataConverter().FromPayload(p, &s); err != nil || s != "Soprano" {
			t.Errorf("%s payload after rotation: %q %v", name, s, err)
		}
	}

	// A process that dropped the old key too early names the key it lacks.
	dropped, _ := payloadcodec.New(newKey)
	var s string
	err = dropped.DataConverter().FromPayload(written, &s)
	if err == nil || !strings.Contains(err.Error(), old.KeyID()) || !strings.Contains(err.Error(), "previous_payload_keys") {
		t.Errorf("decoding without the old key: %v", err)
	}
	for _, k := range []string{key, newKey} {
		if err != nil && strings.Contains(err.Error(), k) {
			t.Errorf("error carries a key: %v", err)
		}
	}
	// A process that has not yet got the new key cannot read the new payload
	// either: hence the README's two-step rollout.
	if err := old.DataConverter().FromPayload(fresh, &s); err == nil || !strings.Contains(err.Error(), rotated.KeyID()) {
		t.Errorf("old-only codec on a new payload: %v", err)
	}
}

func TestDecodeWithoutKeyIDTriesEachKey(t *testing.T) {
	old, _ := payloadcodec.New(key)
	enc, err := old.Encode([]*commonpb.Payload{{Metadata: map[string][]byte{"encoding": []byte("json/plain")}, Data: []byte(`"Soprano"`)}})
	if err != nil {
		t.Fatal(err)
	}
	delete(enc[0].Metadata, "encryption-key-id")
	rotated, _ := payloadcodec.New(newKey, key)
	dec, err := rotated.Decode(enc)
	if err != nil || string(dec[0].Data) != `"Soprano"` {
		t.Errorf("payload without key id: %v %v", dec, err)
	}
	other, _ := payloadcodec.New(otherKey, newKey)
	if _, err := other.Decode(enc); err == nil || !strings.Contains(err.Error(), "without a key id") {
		t.Errorf("payload without key id and no matching key: %v", err)
	}
}

func TestNewRefusesBadPreviousKeys(t *testing.T) {
	for _, prev := range [][]string{{"short"}, {otherKey, "MDEyMzQ1Njc4OWFiY2RlZg=="}, {key}, {otherKey, otherKey}} {
		_, err := payloadcodec.New(key, prev...)
		if err == nil {
			t.Errorf("previous keys %q accepted", prev)
			continue
		}
		if !strings.Contains(err.Error(), "previous key") {
			t.Errorf("error does not say which key: %v", err)
		}
		for _, k := range prev {
			if strings.Contains(err.Error(), k) {
				t.Errorf("error echoes a key: %v", err)
			}
		}
	}
}

func TestCodecServerDecodesOldKeyAfterRotation(t *testing.T) {
	old, _ := payloadcodec.New(key)
	enc, err := old.Encode([]*commonpb.Payload{{Metadata: map[string][]byte{"encoding": []byte("json/plain")}, Data: []byte(`"Soprano"`)}})
	if err != nil {
		t.Fatal(err)
	}
	rotated, _ := payloadcodec.New(newKey, key)
	dropped, _ := payloadcodec.New(newKey)
	for _, tt := range []struct {
		name  string
		codec *payloadcodec.Codec
		want  int
	}{{"rotated", rotated, http.StatusOK}, {"old key dropped", dropped, http.StatusBadRequest}} {
		rec := httptest.NewRecorder()
		tt.codec.Handler("", "").ServeHTTP(rec, decodeRequest(enc[0]))
		if rec.Code != tt.want {
			t.Fatalf("%s: got %d %s", tt.name, rec.Code, rec.Body)
		}
		if tt.want == http.StatusOK && !strings.Contains(rec.Body.String(), b64([]byte(`"Soprano"`))) {
			t.Errorf("%s: decode answered %s", tt.name, rec.Body)
		}
		if tt.want != http.StatusOK && !strings.Contains(rec.Body.String(), old.KeyID()) {
			t.Errorf("%s: the answer does not name the missing key id: %s", tt.name, rec.Body)
		}
	}
}

// decodeRequest is the Web UI's POST /decode of one payload.
func decodeRequest(p *commonpb.Payload) *http.Request {
	meta := map[string]string{}
	for k, v := range p.Metadata {
		meta[k] = b64(v)
	}
	body, _ := json.Marshal(map[string]any{"payloads": []any{map[string]any{"metadata": meta, "data": b64(p.Data)}}})
	req := httptest.NewRequest(http.MethodPost, "/decode", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	return req
}
