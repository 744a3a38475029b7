package passportscan

import (
	"context"
	"net/http"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/guestflow/guestflow/vendors/vendorhttp"
)

// expirySkew renews a token a little before its exp, so a call started just
// before expiry does not arrive just after it.
const expirySkew = 30 * time.Second

// token is a Bearer JWT and the moment to stop using it (zero: until a 401).
type token struct {
	value   string
	renewAt time.Time
}

func (t token) usable(now time.Time) bool {
	return t.value != "" && (t.renewAt.IsZero() || now.Before(t.renewAt))
}

type loginRequest struct {
	PublicKey string `json:"public_key"`
	AccountID string `json:"account_id"`
}

// token returns a usable token, logging in when there is none. Concurrent
// callers wait for one login instead of each starting their own.
func (cl *Client) token(ctx context.Context) (string, error) {
	if t, ok := cl.cached(); ok {
		return t, nil
	}
	cl.loginMu.Lock()
	defer cl.loginMu.Unlock()
	if t, ok := cl.cached(); ok {
		return t, nil
	}
	t, err := cl.login(ctx)
	if err != nil {
		return "", err
	}
	cl.mu.Lock()
	cl.tok = t
	cl.mu.Unlock()
	return t.value, nil
}

func (cl *Client) cached() (string, bool) {
	cl.mu.Lock()
	defer cl.mu.Unlock()
	return cl.tok.value, cl.tok.usable(cl.now())
}

// forget drops tok unless another caller already replaced it, so a burst of
// 401s for one dead token causes one login, not one per call.
func (cl *Client) forget(tok string) {
	cl.mu.Lock()
	if cl.tok.value == tok {
		cl.tok = token{}
	}
	cl.mu.Unlock()
}

func (cl *Client) login(ctx context.Context) (token, error) {
	const endpoint = "POST /v1/service/login"
	var value string
	err := cl.http.Do(ctx, vendorhttp.Call{
		Method:   http.MethodPost,
		Endpoint: endpoint,
		Path:     "/v1/service/login",
		Header:   http.Header{"X-Service": {"Identity"}},
		// A second login only hands out another token.
		Idempotent: true,
		Body:       loginRequest{PublicKey: cl.apiKey, AccountID: cl.accountID},
		Inspect: func(h http.Header, body []byte) error {
			if value = tokenFromAnswer(h, body); value == "" {
				return &vendorhttp.AnswerError{Vendor: Vendor, Endpoint: endpoint, Reason: "login answer holds no token"}
			}
			return nil
		},
	})
	if err != nil {
		return token{}, err
	}
	t := token{value: value}
	if exp := expiryOf(value); !exp.IsZero() {
		t.renewAt = exp.Add(-expirySkew)
	}
	cl.logger.DebugContext(ctx, "passportscan login", "account_id", cl.accountID, "expires", t.renewAt)
	return t, nil
}

// expiryOf reads the exp claim without verifying the signature: the key is
// PassportScan's, and the claim only decides when to ask for a new token.
func expiryOf(value string) time.Time {
	claims := jwt.MapClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(value, claims); err != nil {
		return time.Time{}
	}
	exp, err := claims.GetExpirationTime()
	if err != nil || exp == nil {
		return time.Time{}
	}
	return exp.Time
}

// Login checks the account's API key and id by logging in (or finds a token
// still usable from an earlier login), so a program can learn at start that
// PassportScan refuses them.
func (cl *Client) Login(ctx context.Context) error {
	_, err := cl.token(ctx)
	return err
}
