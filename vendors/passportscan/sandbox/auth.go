package sandbox

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/golang-jwt/jwt/v5"
)

const branchKey = "passportscan.branch"

// login is POST /v1/service/login: a branch's public key and account id buy
// a JWT for its calls.
func (s *Server) login(c *gin.Context) {
	if strings.TrimSpace(c.GetHeader("X-Service")) != "Identity" {
		fail(c, http.StatusBadRequest, "X-Service header must be Identity")
		return
	}
	if c.ContentType() != "application/json" {
		fail(c, http.StatusUnsupportedMediaType, "Content-Type must be application/json")
		return
	}
	publicKey, accountID, ok := loginFields(c)
	if !ok {
		fail(c, http.StatusBadRequest, "public_key and account_id are required")
		return
	}
	b := Branch{APIKey: publicKey, AccountID: accountID}
	s.mu.Lock()
	_, known := s.keys[b]
	s.mu.Unlock()
	if !known {
		fail(c, http.StatusUnauthorized, "Invalid credentials")
		return
	}
	if s.rateLimited(c, b) {
		return
	}
	tok, err := s.sign(b)
	if err != nil {
		fail(c, http.StatusInternalServerError, "Token could not be created")
		return
	}
	c.JSON(http.StatusOK, gin.H{"token": tok})
}

// loginFields reads the credentials from the JSON body, account_id as the
// documented string or as the number the sample token carries.
func loginFields(c *gin.Context) (publicKey, accountID string, ok bool) {
	var body struct {
		PublicKey string          `json:"public_key"`
		AccountID json.RawMessage `json:"account_id"`
	}
	if err := json.NewDecoder(c.Request.Body).Decode(&body); err != nil {
		return "", "", false
	}
	raw := bytes.TrimSpace(body.AccountID)
	if err := json.Unmarshal(raw, &accountID); err != nil {
		var n json.Number
		if json.Unmarshal(raw, &n) != nil {
			return "", "", false
		}
		accountID = n.String()
	}
	return body.PublicKey, accountID, body.PublicKey != "" && accountID != ""
}

// productKey names a branch's key inside its tokens without carrying the
// key itself (tokens are only signed, anyone can read them).
func productKey(b Branch) string {
	h := sha256.Sum256([]byte(b.APIKey + "\x00" + b.AccountID))
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

// sign issues a token with the claims of the documented sample token.
func (s *Server) sign(b Branch) (string, error) {
	now := s.now()
	var account any = b.AccountID
	if n, err := strconv.ParseInt(b.AccountID, 10, 64); err == nil {
		account = n
	}
	claims := jwt.MapClaims{
		"iss":         "http://identity",
		"aud":         "http://identity",
		"iat":         now.Unix(),
		"nbf":         now.Unix(),
		"exp":         now.Add(s.opts.TokenTTL).Unix(),
		"jti":         0,
		"user_id":     0,
		"username":    "SERVICE_ACCOUNT",
		"account_id":  account,
		"roles":       []string{"ROLE_USER", "ROLE_LINKED_BRANCH", "ROLE_SERVICE"},
		"product_key": productKey(b),
	}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte(s.opts.SigningKey))
}

// authenticate checks the Bearer token and the key's rate limit.
func (s *Server) authenticate(c *gin.Context) {
	raw := strings.TrimSpace(c.GetHeader("Authorization"))
	if raw == "" {
		fail(c, http.StatusUnauthorized, "JWT Token not found")
		return
	}
	// The scheme is documented ("Authorization: Bearer <YOUR_TOKEN>") and,
	// as every auth scheme, matched without case.
	if len(raw) <= 7 || !strings.EqualFold(raw[:7], "bearer ") {
		fail(c, http.StatusUnauthorized, "Authorization must be Bearer <token>")
		return
	}
	raw = strings.TrimSpace(raw[7:])
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(raw, claims, func(*jwt.Token) (any, error) { return []byte(s.opts.SigningKey), nil },
		jwt.WithValidMethods([]string{"HS256"}), jwt.WithTimeFunc(s.now), jwt.WithExpirationRequired())
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		fail(c, http.StatusUnauthorized, "Expired JWT Token")
		return
	case err != nil:
		fail(c, http.StatusUnauthorized, "Invalid JWT Token")
		return
	}
	pk, _ := claims["product_key"].(string)
	s.mu.Lock()
	b, ok := s.branches[pk]
	s.mu.Unlock()
	if !ok {
		fail(c, http.StatusUnauthorized, "Invalid JWT Token")
		return
	}
	if s.rateLimited(c, b) {
		return
	}
	c.Set(branchKey, b)
}
