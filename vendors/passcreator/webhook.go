package passcreator

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
)

// EventAppScanCreated is the webhook event Passcreator sends for each new scan.
const EventAppScanCreated = "app_scan_created"

// ScanEvent is an app_scan_created delivery. Its payload is not documented
// here; Passcreator's webhook pages describe the scan's fields as a "JSON
// object" (or "JSON-Array") that also carries a signature and "a string
// representation of the data". It is read as App Scan objects, bare or in
// a list, or wrapped under data, payload, appScan, scan or object (one or
// a list, or such JSON as a string), with the event name from event or
// type when present.
type ScanEvent struct {
	Event string
	Scans []AppScan
}

var wrapperKeys = []string{"data", "payload", "appScan", "scan", "object"}

// ParseScanEvent decodes a webhook body. It fails when no scan with an
// appScanId is found, since such a delivery cannot be deduplicated.
func ParseScanEvent(body []byte) (ScanEvent, error) {
	var ev ScanEvent
	body = bytes.TrimSpace(body)
	if len(body) > 0 && body[0] == '[' {
		if json.Unmarshal(body, &ev.Scans) != nil {
			return ev, errors.New("passcreator: webhook scan does not decode")
		}
		return ev, checkScans(ev.Scans)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		return ev, errors.New("passcreator: webhook body is not a JSON object")
	}
	for _, k := range []string{"event", "type", "eventType"} {
		var s string
		if json.Unmarshal(top[k], &s) == nil && s != "" {
			ev.Event = s
			break
		}
	}
	if _, bare := top["appScanId"]; bare {
		var s AppScan
		if err := json.Unmarshal(body, &s); err != nil {
			return ev, errors.New("passcreator: webhook scan does not decode")
		}
		ev.Scans = []AppScan{s}
		return ev, checkScans(ev.Scans)
	}
	for _, k := range wrapperKeys {
		if raw := unwrapString(top[k]); len(raw) > 0 {
			scans, err := scansIn(raw)
			if err != nil {
				return ev, err
			}
			ev.Scans = scans
			break
		}
	}
	return ev, checkScans(ev.Scans)
}

// unwrapString returns the JSON a string holds, or raw as it is.
func unwrapString(raw json.RawMessage) json.RawMessage {
	raw = bytes.TrimSpace(raw)
	var s string
	if len(raw) > 0 && raw[0] == '"' && json.Unmarshal(raw, &s) == nil {
		return bytes.TrimSpace([]byte(s))
	}
	return raw
}

// scansIn decodes one scan or a list of them.
func scansIn(raw json.RawMessage) ([]AppScan, error) {
	var scans []AppScan
	var err error
	if raw[0] == '[' {
		err = json.Unmarshal(raw, &scans)
	} else {
		var s AppScan
		err = json.Unmarshal(raw, &s)
		scans = []AppScan{s}
	}
	if err != nil {
		return nil, errors.New("passcreator: webhook scan does not decode")
	}
	return scans, nil
}

func checkScans(scans []AppScan) error {
	for _, s := range scans {
		if s.AppScanID == "" {
			return errors.New("passcreator: webhook scan has no appScanId")
		}
	}
	if len(scans) == 0 {
		return errors.New("passcreator: webhook carries no scan")
	}
	return nil
}

// VerifySignature reports whether signatureHeader is the HMAC-SHA256 of body
// under key, in hex (either case) or base64 (standard or URL alphabet,
// padded or not), optionally prefixed "sha256=", compared in constant time:
// the signature's encoding is not documented, and these are the ones in
// use. An empty key or header never verifies.
func VerifySignature(body []byte, signatureHeader string, key []byte) bool {
	sig := strings.TrimSpace(signatureHeader)
	if len(sig) > 7 && strings.EqualFold(sig[:7], "sha256=") {
		sig = sig[7:]
	}
	if sig == "" || len(key) == 0 {
		return false
	}
	mac := hmac.New(sha256.New, key)
	mac.Write(body)
	want := mac.Sum(nil)
	for _, decode := range []func(string) ([]byte, error){
		func(s string) ([]byte, error) { return hex.DecodeString(strings.ToLower(s)) },
		base64.StdEncoding.DecodeString, base64.RawStdEncoding.DecodeString,
		base64.URLEncoding.DecodeString, base64.RawURLEncoding.DecodeString,
	} {
		if got, err := decode(sig); err == nil && hmac.Equal(want, got) {
			return true
		}
	}
	return false
}
