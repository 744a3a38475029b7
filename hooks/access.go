package hooks

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"net/netip"
	"strings"

	"github.com/gin-gonic/gin"
)

// allowIP lets through only the configured addresses (Passquare calls from
// 164.90.200.81). The caller is gin's ClientIP: the peer address, or what a
// configured trusted proxy forwarded, never a header an untrusted peer set.
func (s *server) allowIP(c *gin.Context) {
	if len(s.allowed) == 0 {
		return
	}
	ip, err := netip.ParseAddr(c.ClientIP())
	if err == nil {
		ip = ip.Unmap()
		for _, p := range s.allowed {
			if p.Contains(ip) {
				return
			}
		}
	}
	s.Logger.WarnContext(c.Request.Context(), "hook from an address outside the allow-list refused", "client_ip", c.ClientIP())
	s.refuse(c, http.StatusForbidden, "forbidden")
}

// authorised accepts what Passquare's integration settings can send: HTTP
// Basic with our login and password, or crm_key, either in the body or as
// the Basic password with an empty login. A Basic password configured
// without a login is that crm_key, as the doc words the setting. Every
// comparison is constant time.
func (s *server) authorised(c *gin.Context, body []byte) bool {
	crmKey := s.hook.CRMKey.Value()
	if crmKey == "" && s.hook.BasicUser == "" {
		crmKey = s.hook.BasicPassword.Value()
	}
	user, password, hasBasic := c.Request.BasicAuth()
	if hasBasic {
		if s.hook.BasicUser != "" && equal(user, s.hook.BasicUser.Value()) && equal(password, s.hook.BasicPassword.Value()) {
			return true
		}
		if user == "" && crmKey != "" && equal(password, crmKey) {
			return true
		}
	}
	if crmKey == "" {
		return false
	}
	key, ok := bodyCRMKey(body)
	return ok && equal(key, crmKey)
}

// bodyCRMKey reads crm_key alone, so a body that fails later checks is
// still authenticated and answered with its real problem.
func bodyCRMKey(body []byte) (string, bool) {
	var env struct {
		CRMKey json.RawMessage `json:"crm_key"`
	}
	if json.Unmarshal(body, &env) != nil || len(env.CRMKey) == 0 {
		return "", false
	}
	var key string
	if json.Unmarshal(env.CRMKey, &key) == nil {
		return key, key != ""
	}
	var n json.Number
	if json.Unmarshal(env.CRMKey, &n) == nil {
		return n.String(), true
	}
	return "", false
}

// headersMatch compares X-organization-id, X-program-id and X-wallet-id with
// the configuration when both are there.
func (s *server) headersMatch(c *gin.Context) bool {
	for _, h := range []struct{ header, want string }{
		{"X-organization-id", s.hook.OrganizationID},
		{"X-program-id", s.hook.ProgramID},
		{"X-wallet-id", s.hook.WalletID},
	} {
		got := strings.TrimSpace(c.GetHeader(h.header))
		if h.want != "" && got != "" && !equal(got, h.want) {
			return false
		}
	}
	return true
}

// bearer checks "Authorization: Bearer <token>" in constant time.
func bearer(c *gin.Context, token string) bool {
	got, ok := strings.CutPrefix(c.GetHeader("Authorization"), "Bearer ")
	return ok && token != "" && equal(strings.TrimSpace(got), token)
}

// equal compares digests, so neither the content nor the length of a
// secret shows in the time a refusal takes.
func equal(got, want string) bool {
	g, w := sha256.Sum256([]byte(got)), sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(g[:], w[:]) == 1
}
