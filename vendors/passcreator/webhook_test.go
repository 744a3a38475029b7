package passcreator

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
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
		// No document names another writing: none is read.
		{"sha256= prefix", body, "sha256=" + good, key, false},
		{"base64", body, base64.StdEncoding.EncodeToString(mac.Sum(nil)), key, false},
		{"base64 URL alphabet unpadded", body, base64.RawURLEncoding.EncodeToString(mac.Sum(nil)), key, false},
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

// The body is read in the one form Passcreator's App Scan Created page
// shows, a JSON object of the scan's fields; no envelope is unwrapped.
func TestParseScanEvent(t *testing.T) {
	ev, err := ParseScanEvent([]byte(`{"appScanId":"a1","scanStatus":2,"scannedBarcodeValue":"CARD"}`))
	require.NoError(t, err)
	assert.Equal(t, "a1", ev.AppScanID)
	assert.Equal(t, "CARD", ev.ScannedBarcodeValue)

	for _, bad := range []string{
		`{"event":"app_scan_created","data":{"appScanId":"a1","scanStatus":"0"}}`,
		`{"type":"app_scan_created","payload":{"appScanId":"a1"}}`,
		`{"event":"app_scan_created","data":[{"appScanId":"a1"},{"appScanId":"a2"}]}`,
		`[{"appScanId":"a1"},{"appScanId":"a2"}]`,
		`{"signature":"c2ln","data":"{\"appScanId\":\"a1\",\"scanStatus\":2}"}`,
		`{"appScan":{"appScanId":"a1"}}`,
		`{"appScanId":158,"scanStatus":2}`, // an id is a string
		`[]`, `{"event":"app_scan_created"}`, `{"scanStatus":1}`, `"x"`, `not json`, ``,
	} {
		_, err := ParseScanEvent([]byte(bad))
		assert.Error(t, err, bad)
	}
}

// The scan as Passcreator's app_scan_created page lists it: a bare object,
// passVoided typed string, passId null when no pass was found, and
// additionalPropertiesScan "key-value pairs" whose key "is the name of the
// property".
func TestParseScanEventAsPasscreatorSendsIt(t *testing.T) {
	body := `{"scanStatus":2,"createdOn":"2025-10-17 03:38:43","createdOnUtc":"2025-10-17 07:38:43","passId":null,
		"passGeneratedId":"swvc","passSearchString":"","passVoided":"false","passUserProvidedId":"","passTemplateGuid":"a579",
		"passTemplateName":"Guest card","appConfigurationId":"7401","scannedBarcodeValue":"CARD-1","appScanId":"0158",
		"deviceName":"iPhone","additionalPropertiesScan":{"Transaction value":"12,50"}}`
	s, err := ParseScanEvent([]byte(body))
	require.NoError(t, err)
	assert.Equal(t, "0158", s.AppScanID)
	assert.Equal(t, "7401", s.AppConfigurationID)
	assert.Empty(t, s.PassID)
	assert.False(t, bool(s.PassVoided))
	d, ok, err := s.DecimalProperty(outletProps, "Transaction value")
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, "12.5", d.String())
}
