package passcreator

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"unicode/utf8"
)

// EventAppScanCreated is the webhook event Passcreator sends for each new scan.
const EventAppScanCreated = "app_scan_created"

// ParseScanEvent reads an app_scan_created delivery in the form
// Passcreator's App Scan Created page documents: one JSON object holding
// the scan's fields (scanStatus, appScanId, appConfigurationId, ...). No
// envelope is documented, so none is unwrapped: a body in another form, or
// a scan without an appScanId (it could not be deduplicated), is refused.
func ParseScanEvent(body []byte) (AppScan, error) {
	var scan AppScan
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '{' {
		return scan, errors.New("passcreator: webhook body is not a JSON object")
	}
	// JSON is UTF-8; the decoder would turn other bytes into U+FFFD, so two
	// scans' different ids could read as one and the second be lost.
	if !utf8.Valid(body) {
		return scan, errors.New("passcreator: webhook body is not UTF-8")
	}
	if err := json.Unmarshal(body, &scan); err != nil {
		return scan, errors.New("passcreator: webhook scan does not decode")
	}
	if scan.AppScanID == "" {
		return scan, errors.New("passcreator: webhook scan has no appScanId")
	}
	return scan, nil
}

// VerifySignature reports whether signatureHeader is the HMAC-SHA256 of
// body under key, written in hex, compared in constant time. No Passcreator
// document names the encoding of such a header: hex is the one read, and a
// signature in any other writing (base64, a "sha256=" prefix) does not
// verify. An empty key or header never verifies.
func VerifySignature(body []byte, signatureHeader string, key []byte) bool {
	got, err := hex.DecodeString(signatureHeader)
	if err != nil || len(got) == 0 || len(key) == 0 {
		return false
	}
	mac := hmac.New(sha256.New, key)
	mac.Write(body)
	return hmac.Equal(mac.Sum(nil), got)
}
