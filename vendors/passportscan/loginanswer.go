package passportscan

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
)

// tokenKeys are the names under which login answers commonly carry a token;
// the documentation only says "the response will include a Bearer token".
var tokenKeys = []string{"token", "access_token", "accessToken", "jwt", "id_token", "bearer", "auth_token", "authorization", "Authorization"}

// wrapperKeys hold the token one level down ({"data": {"token": ...}}).
var wrapperKeys = []string{"data", "result", "response", "payload"}

// tokenFromAnswer finds the token in a login answer: a JSON object (possibly
// wrapped), a JSON string, a plain-text body, or an Authorization header.
func tokenFromAnswer(h http.Header, body []byte) string {
	body = bytes.TrimSpace(body)
	if t := tokenFromJSON(body, 0); t != "" {
		return t
	}
	if len(body) > 0 && !json.Valid(body) && !bytes.ContainsAny(body, " \t\r\n<{") {
		return bareToken(string(body))
	}
	for _, k := range []string{"Authorization", "X-Auth-Token", "Token"} {
		if t := bareToken(h.Get(k)); t != "" {
			return t
		}
	}
	return ""
}

func tokenFromJSON(raw []byte, depth int) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return bareToken(s)
	}
	var m map[string]json.RawMessage
	if depth > 2 || json.Unmarshal(raw, &m) != nil {
		return ""
	}
	for _, k := range tokenKeys {
		if v, ok := m[k]; ok {
			if json.Unmarshal(v, &s) == nil {
				if t := bareToken(s); t != "" {
					return t
				}
			}
		}
	}
	for _, k := range append(wrapperKeys, tokenKeys...) {
		if v, ok := m[k]; ok && bytes.HasPrefix(bytes.TrimSpace(v), []byte("{")) {
			if t := tokenFromJSON(v, depth+1); t != "" {
				return t
			}
		}
	}
	return ""
}

// bareToken drops a "Bearer " prefix, whatever its case.
func bareToken(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 7 && strings.EqualFold(s[:7], "bearer ") {
		s = strings.TrimSpace(s[7:])
	}
	return s
}
