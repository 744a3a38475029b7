package passcreator

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
)

// EventAppScanCreated is the webhook event Passcreator sends for each new scan.
const EventAppScanCreated = "app_scan_created"

// SignatureHeader is where we expect the webhook signature. Passcreator only
// says its webhooks are signed with its key; the header name, the algorithm
// (HMAC-SHA256 of the raw body, hex) and the "sha256=" prefix are our
// reading, so the webhook takes the header name from configuration and this
// is only the default.
const SignatureHeader = "X-Passcreator-Signature"

// ScanEvent is an app_scan_created delivery. Its payload is not documented:
// it is read as App Scan objects, either bare or wrapped under data, payload,
// appScan, scan or object (one or a list), with the event name from event or
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
	} else {
		for _, k := range wrapperKeys {
			raw := bytes.TrimSpace(top[k])
			if len(raw) == 0 {
				continue
			}
			var err error
			if raw[0] == '[' {
				err = json.Unmarshal(raw, &ev.Scans)
			} else {
				var s AppScan
				err = json.Unmarshal(raw, &s)
				ev.Scans = []AppScan{s}
			}
			if err != nil {
				return ev, errors.New("passcreator: webhook scan does not decode")
			}
			break
		}
	}
	for _, s := range ev.Scans {
		if s.AppScanID == "" {
			return ev, errors.New("passcreator: webhook scan has no appScanId")
		}
	}
	if len(ev.Scans) == 0 {
		return ev, errors.New("passcreator: webhook carries no scan")
	}
	return ev, nil
}

// VerifySignature reports whether signatureHeader is the HMAC-SHA256 of body
// under key, in hex (either case, optionally prefixed "sha256="), compared in
// constant time. An empty key or header never verifies.
func VerifySignature(body []byte, signatureHeader string, key []byte) bool {
	sig := strings.TrimSpace(signatureHeader)
	if len(sig) > 7 && strings.EqualFold(sig[:7], "sha256=") {
		sig = sig[7:]
	}
	got, err := hex.DecodeString(strings.ToLower(sig))
	if err != nil || len(got) == 0 || len(key) == 0 {
		return false
	}
	mac := hmac.New(sha256.New, key)
	mac.Write(body)
	return hmac.Equal(mac.Sum(nil), got)
}
