package passquare

import (
	"bytes"
	"encoding/json"
	"net/http"
	"sort"
	"strings"
)

// DecodeError reads Passquare's error answers. Their shape is undocumented,
// so every common form is read: {"error": "..."}, {"message": "..."},
// {"errors": ...} as a string, a list or a map of field to messages, and
// {"success": false, "message": "..."}. A request id is taken from the usual
// headers or body fields when present.
func DecodeError(body []byte, h http.Header) (message, requestID string) {
	for _, k := range []string{"X-Request-Id", "Request-Id", "X-Correlation-Id", "X-Trace-Id"} {
		if v := h.Get(k); v != "" {
			requestID = v
			break
		}
	}
	trimmed := bytes.TrimSpace(body)
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(trimmed, &fields); err != nil {
		// A proxy's plain-text page is still worth keeping; HTML is not.
		if len(trimmed) > 0 && trimmed[0] != '<' && trimmed[0] != '{' && trimmed[0] != '[' {
			message = truncate(string(trimmed), 200)
		}
		return message, requestID
	}
	for _, k := range []string{"error", "message", "errors", "error_description", "detail", "msg"} {
		if m := text(fields[k]); m != "" {
			message = m
			break
		}
	}
	if requestID == "" {
		for _, k := range []string{"request_id", "requestId", "RequestId"} {
			if id := text(fields[k]); id != "" {
				requestID = id
				break
			}
		}
	}
	return message, requestID
}

// text renders an error field of any shape as one line; booleans and
// numbers ({"error": true}) say nothing and give "".
func text(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return ""
	}
	switch raw[0] {
	case '"':
		var s string
		_ = json.Unmarshal(raw, &s)
		return strings.TrimSpace(s)
	case '[':
		var list []json.RawMessage
		_ = json.Unmarshal(raw, &list)
		var parts []string
		for _, item := range list {
			if s := text(item); s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, "; ")
	case '{':
		var obj map[string]json.RawMessage
		_ = json.Unmarshal(raw, &obj)
		for _, k := range []string{"message", "error", "description", "detail"} {
			if s := text(obj[k]); s != "" {
				return s
			}
		}
		// A validation map: field name to its messages.
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var parts []string
		for _, k := range keys {
			if s := text(obj[k]); s != "" {
				parts = append(parts, k+": "+s)
			}
		}
		return strings.Join(parts, "; ")
	}
	return ""
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
