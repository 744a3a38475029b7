package passcreator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"
)

// maxMessage caps a vendor message kept for staff.
const maxMessage = 500

// DecodeError reads Passcreator's message from an error answer. The document
// lists status codes but no error body, so the usual fields are tried in
// turn: message, error (text or {message}), errorMessage, errors (a list or a
// map of texts), detail; a short plain-text body is taken as it is. The
// request id comes from an X-Request-Id style header or a requestId field.
func DecodeError(body []byte, h http.Header) (message, requestID string) {
	for _, k := range []string{"X-Request-Id", "X-Correlation-Id", "X-Amzn-Requestid", "Cf-Ray"} {
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
	if body[0] != '{' || json.Unmarshal(body, &fields) != nil {
		if body[0] != '<' && body[0] != '{' && body[0] != '[' {
			message = clip(string(body))
		}
		return message, requestID
	}
	if requestID == "" {
		requestID = firstText(fields["requestId"], fields["request_id"])
	}
	message = firstText(fields["message"], fields["error"], fields["errorMessage"], fields["errors"], fields["detail"])
	return clip(message), requestID
}

// firstText returns the first non-empty text found in the candidates, looking
// one level into objects ({"message": ...}) and lists.
func firstText(candidates ...json.RawMessage) string {
	for _, raw := range candidates {
		if s := text(raw, 2); s != "" {
			return s
		}
	}
	return ""
}

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
		var m map[string]json.RawMessage
		_ = json.Unmarshal(raw, &m)
		if s := firstTextAt(m, depth-1, "message", "error", "detail", "title"); s != "" {
			return s
		}
		var parts []string
		for _, v := range m {
			if s := text(v, depth-1); s != "" {
				parts = append(parts, s)
			}
		}
		slices.Sort(parts) // map order is random; keep the message stable
		return strings.Join(parts, "; ")
	}
	return ""
}

func firstTextAt(m map[string]json.RawMessage, depth int, keys ...string) string {
	for _, k := range keys {
		if s := text(m[k], depth); s != "" {
			return s
		}
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
