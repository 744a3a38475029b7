package payloadcodec_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
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
