package passcreator

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVerifySignature(t *testing.T) {
	key := []byte("passcreator-webhook-key")
	body := []byte(`{"event":"app_scan_created","data":{"appScanId":"a1"}}`)
	mac := hmac.New(sha256.New, key)
	mac.Write(body)
	good := hex.EncodeToString(mac.Sum(nil))

	cases := []struct {
		name   string
		body   []byte
		header string
		key    []byte
		want   bool
	}{
		{"hex", body, good, key, true},
		{"upper-case hex", body, strings.ToUpper(good), key, true},
		{"sha256= prefix", body, "sha256=" + good, key, true},
		{"surrounding spaces", body, " " + good + " ", key, true},
		{"wrong key", body, good, []byte("other"), false},
		{"tampered body", []byte(strings.Replace(string(body), "a1", "a2", 1)), good, key, false},
		{"truncated signature", body, good[:20], key, false},
		{"not hex", body, "zz" + good[2:], key, false},
		{"empty header", body, "", key, false},
		{"empty key", body, good, nil, false},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, VerifySignature(tc.body, tc.header, tc.key), tc.name)
	}
}

func TestParseScanEvent(t *testing.T) {
	cases := []struct {
		name  string
		body  string
		event string
		ids   []string
	}{
		{"bare scan", `{"appScanId":"a1","scanStatus":2,"scannedBarcodeValue":"CARD"}`, "", []string{"a1"}},
		{"wrapped in data", `{"event":"app_scan_created","data":{"appScanId":"a1","scanStatus":"0"}}`, EventAppScanCreated, []string{"a1"}},
		{"wrapped in payload", `{"type":"app_scan_created","payload":{"appScanId":"a1"}}`, EventAppScanCreated, []string{"a1"}},
		{"list of scans", `{"event":"app_scan_created","data":[{"appScanId":"a1"},{"appScanId":"a2"}],"extra":1}`, EventAppScanCreated, []string{"a1", "a2"}},
	}
	for _, tc := range cases {
		ev, err := ParseScanEvent([]byte(tc.body))
		require.NoError(t, err, tc.name)
		assert.Equal(t, tc.event, ev.Event, tc.name)
		var ids []string
		for _, s := range ev.Scans {
			ids = append(ids, s.AppScanID)
		}
		assert.Equal(t, tc.ids, ids, tc.name)
	}

	for _, bad := range []string{`[]`, `{"event":"app_scan_created"}`, `{"data":{"scanStatus":1}}`, `{"data":"x"}`, `not json`} {
		_, err := ParseScanEvent([]byte(bad))
		assert.Error(t, err, bad)
	}
}
