package passportscan

import (
	"encoding/json"
	"net/http"
	"strings"
)

// DecodeError reads PassportScan's error answer, whose shape is not
// documented: a message under any of the usual keys (a plain string or an
// object holding one), and the request id from X-Request-Id or the body.
func DecodeError(body []byte, h http.Header) (message, requestID string) {
	requestID = h.Get("X-Request-Id")
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil {
		var s string
		if json.Unmarshal(body, &s) == nil {
			message = s
		}
		return message, requestID
	}
	for _, k := range []string{"message", "error_description", "detail", "error", "title"} {
		if message = textIn(m[k]); message != "" {
			break
		}
	}
	if requestID == "" {
		for _, k := range []string{"request_id", "requestId", "RequestId"} {
			if requestID = textIn(m[k]); requestID != "" {
				break
			}
		}
	}
	return message, requestID
}

// textIn returns raw as text when it is a string or an object carrying a
// message ({"error": {"message": "..."}}).
func textIn(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return strings.TrimSpace(s)
	}
	var inner map[string]json.RawMessage
	if json.Unmarshal(raw, &inner) == nil {
		for _, k := range []string{"message", "description", "detail"} {
			if s := textIn(inner[k]); s != "" {
				return s
			}
		}
	}
	return ""
}
