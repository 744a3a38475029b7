package vendorhttp

import (
	"bytes"
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"
)

// maxMessage caps a vendor message kept for staff.
const maxMessage = 500

// requestIDHeaders are the headers a request id is read from, first found
// wins. No vendor document names one; these are the common names
// (X-Request-Id, its unprefixed form Request-Id, X-Correlation-Id). A
// proxy's or CDN's own trace id (X-Amzn-Requestid, Cf-Ray, X-Trace-Id) is
// not the vendor's id for the request and is not read.
var requestIDHeaders = []string{"X-Request-Id", "Request-Id", "X-Correlation-Id"}

// ErrorText reads a vendor's message and request id from an error answer
// whose shape the vendor documents loosely or not at all. The message is
// the first of keys that holds text: a string, a list of texts, an object
// with a message, or a validation map of field to messages. A body that is
// not JSON is kept when it is short plain text (a proxy's page), never HTML.
// The request id comes from requestIDHeaders or the body's request_id,
// requestId or RequestId.
func ErrorText(body []byte, h http.Header, keys ...string) (message, requestID string) {
	for _, k := range requestIDHeaders {
		if v := h.Get(k); v != "" {
			requestID = v
			break
		}
	}
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return "", requestID
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal(body, &fields) != nil {
		var s string
		switch {
		case json.Unmarshal(body, &s) == nil:
			message = s
		case body[0] != '<' && body[0] != '{' && body[0] != '[':
			message = string(body)
		}
		return clip(message), requestID
	}
	for _, k := range keys {
		if message = text(fields[k], 3); message != "" {
			break
		}
	}
	if requestID == "" {
		for _, k := range []string{"request_id", "requestId", "RequestId"} {
			if requestID = text(fields[k], 0); requestID != "" {
				break
			}
		}
	}
	return clip(message), requestID
}

// text renders one error field of any shape as a line; booleans and numbers
// ({"error": true}) say nothing and give "".
func text(raw json.RawMessage, depth int) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || depth < 0 {
		return ""
	}
	switch raw[0] {
	case '"':
		var s string
		_ = json.Unmarshal(raw, &s)
		return strings.TrimSpace(s)
	case '[':
		var items []json.RawMessage
		_ = json.Unmarshal(raw, &items)
		var parts []string
		for _, it := range items {
			if s := text(it, depth-1); s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, "; ")
	case '{':
		var obj map[string]json.RawMessage
		_ = json.Unmarshal(raw, &obj)
		for _, k := range []string{"message", "Message", "error", "description", "detail", "title"} {
			if s := text(obj[k], depth-1); s != "" {
				return s
			}
		}
		// A validation map: field name to its messages, in a stable order.
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(obj)) {
			if s := text(obj[k], depth-1); s != "" {
				parts = append(parts, k+": "+s)
			}
		}
		return strings.Join(parts, "; ")
	}
	return ""
}

func clip(s string) string {
	s = strings.TrimSpace(s)
	if len(s) <= maxMessage {
		return s
	}
	cut := maxMessage
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}
