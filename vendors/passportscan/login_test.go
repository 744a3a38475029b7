package passportscan_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guestflow/guestflow/vendors/passportscan"
	"github.com/guestflow/guestflow/vendors/vendorhttp"
)

// fakeAPI serves a login that always succeeds and the given reservations
// handler; it returns the base URL.
func fakeAPI(t *testing.T, reservations http.HandlerFunc) string {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/service/login", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"token":"opaque-token"}`))
	})
	mux.HandleFunc("GET /v1/reservations", reservations)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL
}

func signed(t *testing.T, exp time.Time) string {
	t.Helper()
	claims := jwt.MapClaims{"username": "SERVICE_ACCOUNT"}
	if !exp.IsZero() {
		claims["exp"] = exp.Unix()
	}
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte("k"))
	require.NoError(t, err)
	return tok
}

// The login answer's shape is undocumented; each plausible one must work.
func TestLoginAnswerShapes(t *testing.T) {
	tok := signed(t, time.Now().Add(time.Hour))
	tests := []struct {
		name        string
		contentType string
		header      string
		body        string
	}{
		{"token", "application/json", "", `{"token":"` + tok + `"}`},
		{"access_token", "application/json", "", `{"access_token":"` + tok + `","token_type":"Bearer","expires_in":3600}`},
		{"jwt", "application/json", "", `{"jwt":"` + tok + `"}`},
		{"wrapped in data", "application/json", "", `{"success":true,"data":{"token":"` + tok + `"}}`},
		{"bare JSON string", "application/json", "", `"` + tok + `"`},
		{"Bearer prefix", "application/json", "", `{"token":"Bearer ` + tok + `"}`},
		{"bare string with prefix", "application/json", "", `"bearer ` + tok + `"`},
		{"plain text", "text/plain", "", tok + "\n"},
		{"Authorization header", "application/json", "Bearer " + tok, `{"success":true}`},
		// "The response will include a Bearer token" names no key; these are
		// the other names and spellings an implementation may choose.
		{"bearer_token", "application/json", "", `{"bearer_token":"` + tok + `"}`},
		{"bearerToken", "application/json", "", `{"bearerToken":"` + tok + `"}`},
		{"Token capitalised", "application/json", "", `{"Token":"` + tok + `"}`},
		{"AccessToken", "application/json", "", `{"AccessToken":"` + tok + `","TokenType":"Bearer"}`},
		{"Bearer as key", "application/json", "", `{"Bearer":"` + tok + `"}`},
		{"unlisted key holding the JWT", "application/json", "", `{"status":"ok","service_token":"` + tok + `"}`},
		{"refresh token beside it", "application/json", "", `{"refresh_token":"` + signed(t, time.Now().Add(30*24*time.Hour)) + `","service_token":"` + tok + `"}`},
		{"nested under an unlisted wrapper", "application/json", "", `{"login":{"token_type":"Bearer","value":"` + tok + `"}}`},
		{"plain text with Bearer prefix", "text/plain", "", "Bearer " + tok + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var sawService, sawBearer atomic.Value
			mux := http.NewServeMux()
			mux.HandleFunc("POST /v1/service/login", func(w http.ResponseWriter, r *http.Request) {
				sawService.Store(r.Header.Get("X-Service"))
				w.Header().Set("Content-Type", tt.contentType)
				if tt.header != "" {
					w.Header().Set("Authorization", tt.header)
				}
				w.Write([]byte(tt.body))
			})
			mux.HandleFunc("GET /v1/reservations", func(w http.ResponseWriter, r *http.Request) {
				sawBearer.Store(r.Header.Get("Authorization"))
				w.Write([]byte(`{"total":0,"count":0,"items":[]}`))
			})
			srv := httptest.NewServer(mux)
			defer srv.Close()

			cl := passportscan.New(passportscan.Options{APIKey: apiKey, AccountID: accountID, BaseURL: srv.URL})
			_, err := cl.Reservations(context.Background(), passportscan.ReservationsQuery{ArrivalDate: arrival})
			require.NoError(t, err)
			assert.Equal(t, "Identity", sawService.Load())
			assert.Equal(t, "Bearer "+tok, sawBearer.Load())
		})
	}
}

// A login answer without a token is undocumented: not retried, with the
// vendor's request id.
func TestLoginAnswerWithoutToken(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "req-login")
		w.Write([]byte(`{"success": true}`))
	}))
	defer srv.Close()
	_, err := passportscan.New(passportscan.Options{BaseURL: srv.URL}).
		Reservations(context.Background(), passportscan.ReservationsQuery{ArrivalDate: arrival})
	var ae *vendorhttp.AnswerError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "req-login", ae.RequestID)
	assert.Contains(t, ae.Reason, "no token")
}

// A token without exp is kept until the API refuses it; after the re-login
// the call is repeated once and a second 401 is returned, not retried again.
func TestTokenWithoutExpiryAndPersistent401(t *testing.T) {
	var logins, gets atomic.Int32
	var refuse atomic.Bool
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/service/login", func(w http.ResponseWriter, r *http.Request) {
		logins.Add(1)
		w.Write([]byte(`{"token":"` + signed(t, time.Time{}) + `"}`))
	})
	mux.HandleFunc("GET /v1/reservations", func(w http.ResponseWriter, r *http.Request) {
		gets.Add(1)
		if refuse.Load() {
			w.Header().Set("X-Request-Id", "req-401")
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(`{"error":{"message":"Invalid JWT Token"}}`))
			return
		}
		w.Write([]byte(`{"items":[]}`))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	clk := newClock()
	cl := passportscan.New(passportscan.Options{BaseURL: srv.URL, Now: clk.Now})
	q := passportscan.ReservationsQuery{ArrivalDate: arrival}
	for range 3 {
		_, err := cl.Reservations(context.Background(), q)
		require.NoError(t, err)
		clk.Add(24 * time.Hour)
	}
	assert.EqualValues(t, 1, logins.Load(), "no exp: kept until a 401")

	refuse.Store(true)
	_, err := cl.Reservations(context.Background(), q)
	var ve *vendorhttp.Error
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, http.StatusUnauthorized, ve.Status)
	assert.False(t, ve.Retryable())
	assert.Equal(t, "Invalid JWT Token", ve.Message)
	assert.Equal(t, "req-401", ve.RequestID)
	assert.EqualValues(t, 2, logins.Load())
	assert.EqualValues(t, 5, gets.Load(), "three reads, then the refused call and its one repetition")
}

func TestDecodeError(t *testing.T) {
	tests := []struct {
		name, body, header, message, requestID string
	}{
		{"message", `{"code":400,"message":"arrival_date is required"}`, "r-1", "arrival_date is required", "r-1"},
		{"error string", `{"error":"invalid_grant"}`, "", "invalid_grant", ""},
		{"error_description wins over error code", `{"error":"invalid_request","error_description":"bad date"}`, "", "bad date", ""},
		{"detail", `{"title":"Bad Request","detail":"limit too high"}`, "", "limit too high", ""},
		{"nested error object", `{"error":{"code":401,"message":"Expired JWT Token"}}`, "", "Expired JWT Token", ""},
		{"request id in body", `{"message":"x","request_id":"b-9"}`, "", "x", "b-9"},
		{"bare string", `"Unauthorized"`, "", "Unauthorized", ""},
		{"HTML", `<html>502 Bad Gateway</html>`, "r-2", "", "r-2"},
		{"empty", ``, "", "", ""},
		{"errors list", `{"errors":["arrival_date is required"]}`, "", "arrival_date is required", ""},
		{"errors by field", `{"errors":{"arrival_date":["not a date"]}}`, "", "arrival_date: not a date", ""},
		{"title alone", `{"type":"about:blank","title":"Bad Request","status":400}`, "", "Bad Request", ""},
		// Keys no standard and no PassportScan answer uses are not read.
		{"msg", `{"status":400,"msg":"limit too high"}`, "", "", ""},
		{"Message", `{"Message":"Authorization has been denied"}`, "", "", ""},
		{"error_message", `{"error_message":"limit too high"}`, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.header != "" {
				h.Set("X-Request-Id", tt.header)
			}
			msg, id := passportscan.DecodeError([]byte(tt.body), h)
			assert.Equal(t, tt.message, msg)
			assert.Equal(t, tt.requestID, id)
		})
	}
}

func TestEmptyArrivalDateIsRefusedLocally(t *testing.T) {
	cl := passportscan.New(passportscan.Options{BaseURL: "http://127.0.0.1:1"})
	_, err := cl.Reservations(context.Background(), passportscan.ReservationsQuery{})
	require.Error(t, err)
	assert.True(t, strings.Contains(err.Error(), "arrival date"))
}
