package passportscan

import (
	"bytes"
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/golang-jwt/jwt/v5"
)

// tokenKeys are the names under which login answers commonly carry a token;
// the documentation only says "the response will include a Bearer token".
// They are compared as normalised by keyName.
var tokenKeys = []string{"token", "accesstoken", "bearertoken", "bearer", "jwt", "idtoken", "authtoken", "authorization", "apitoken"}

// wrapperKeys hold the token one level down ({"data": {"token": ...}}).
var wrapperKeys = []string{"data", "result", "response", "payload"}

// maxDepth bounds how far into nested objects a token is looked for.
const maxDepth = 2

// tokenFromAnswer finds the token in a login answer: a JSON object (possibly
// wrapped), a JSON string, a plain-text body, or an Authorization header.
func tokenFromAnswer(h http.Header, body []byte) string {
	body = bytes.TrimSpace(body)
	if t := tokenFromJSON(body, 0); t != "" {
		return t
	}
	if t := bareToken(string(body)); t != "" && !json.Valid(body) && !strings.ContainsAny(t, " \t\r\n<{") {
		return t
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
	var obj map[string]json.RawMessage
	if depth > maxDepth || json.Unmarshal(raw, &obj) != nil {
		return ""
	}
	m := make(map[string]json.RawMessage, len(obj))
	for _, k := range slices.Sorted(maps.Keys(obj)) {
		if n := keyName(k); m[n] == nil {
			m[n] = obj[k]
		}
	}
	for _, k := range tokenKeys {
		if json.Unmarshal(m[k], &s) == nil {
			if t := bareToken(s); t != "" {
				return t
			}
		}
	}
	for _, k := range append(wrapperKeys, tokenKeys...) {
		if isObject(m[k]) {
			if t := tokenFromJSON(m[k], depth+1); t != "" {
				return t
			}
		}
	}
	return jwtUnderAnyKey(m, depth)
}

// jwtUnderAnyKey is the last resort for a key nobody would guess: the token
// is a JWT, so a JWT found anywhere else in the answer is it, unless it is a
// refresh token.
func jwtUnderAnyKey(m map[string]json.RawMessage, depth int) string {
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if strings.Contains(k, "refresh") {
			continue
		}
		var s string
		switch {
		case json.Unmarshal(m[k], &s) == nil:
			if t := bareToken(s); isJWT(t) {
				return t
			}
		case isObject(m[k]):
			if t := tokenFromJSON(m[k], depth+1); isJWT(t) {
				return t
			}
		}
	}
	return ""
}

// keyName folds the spellings of one name together: access_token,
// accessToken, Access-Token and AccessToken.
func keyName(k string) string {
	return strings.NewReplacer("_", "", "-", "").Replace(strings.ToLower(k))
}

func isObject(raw json.RawMessage) bool {
	return bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{"))
}

func isJWT(s string) bool {
	if strings.Count(s, ".") != 2 {
		return false
	}
	_, _, err := jwt.NewParser().ParseUnverified(s, jwt.MapClaims{})
	return err == nil
}

// bareToken drops a "Bearer " prefix, whatever its case.
func bareToken(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 7 && strings.EqualFold(s[:7], "bearer ") {
		s = strings.TrimSpace(s[7:])
	}
	return s
}
