package passcreator_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guestflow/guestflow/vendors/passcreator"
	"github.com/guestflow/guestflow/vendors/passcreator/sandbox"
	"github.com/guestflow/guestflow/vendors/sandboxkit"
)

// Personal data a scan can carry: the card number and what staff typed.
const (
	guestCard = "GUEST-CARD-4929-1234"
	guestNote = "Maria Rossi, maria.rossi@example.it"
)

func TestErrorClasses(t *testing.T) {
	cases := []struct {
		name      string
		tweak     func(*sandbox.Options)
		key       string
		call      func(*env, *passcreator.Client) error
		status    int
		message   string
		retryable bool
	}{
		{
			name: "wrong key", key: "not-the-key", status: http.StatusUnauthorized,
			message: "invalid or missing API key",
			call: func(e *env, c *passcreator.Client) error {
				_, err := c.ListAppConfigurations(context.Background())
				return err
			},
		},
		{
			name: "bearer prefix", key: "Bearer " + apiKey, status: http.StatusUnauthorized,
			message: "invalid or missing API key",
			call: func(e *env, c *passcreator.Client) error {
				_, err := c.ListAppConfigurations(context.Background())
				return err
			},
		},
		{
			name: "missing field", status: http.StatusBadRequest, message: "scannedBarcodeValue is required",
			call: func(e *env, c *passcreator.Client) error {
				cfg := e.sb.AddAppConfiguration(sandbox.AppConfiguration{Name: "Bar"})
				_, err := c.CreateAppScan(context.Background(), passcreator.NewAppScan{
					AppConfigurationID: cfg.ConfigurationID, CreatedOn: passcreator.NewTimestamp(e.now, e.rome), DeviceName: "till",
				})
				return err
			},
		},
		{
			name: "bad property value", status: http.StatusBadRequest, message: "additional property 1 must be a number",
			call: func(e *env, c *passcreator.Client) error {
				cfg := e.sb.AddAppConfiguration(sandbox.AppConfiguration{Name: "Bar", AdditionalProperties: outletProps})
				_, err := c.CreateAppScan(context.Background(), passcreator.NewAppScan{
					AppConfigurationID: cfg.ConfigurationID, CreatedOn: passcreator.NewTimestamp(e.now, e.rome),
					ScannedBarcodeValue: guestCard, DeviceName: "till",
					AdditionalProperties: map[passcreator.PropertyID]passcreator.PropertyValue{"1": passcreator.TextValue(guestNote)},
				})
				return err
			},
		},
		{
			name: "unknown configuration", status: http.StatusNotFound, message: "app configuration not found",
			call: func(e *env, c *passcreator.Client) error {
				_, err := c.CreateAppScan(context.Background(), passcreator.NewAppScan{
					AppConfigurationID: "0e8a7c1e-0000-4000-8000-000000000000", CreatedOn: passcreator.NewTimestamp(e.now, e.rome),
					ScannedBarcodeValue: guestCard, DeviceName: "till",
				})
				return err
			},
		},
		{
			name: "unknown configuration listing", status: http.StatusNotFound, message: "app configuration not found",
			call: func(e *env, c *passcreator.Client) error {
				_, err := c.AllAppScans(context.Background(), "0e8a7c1e-0000-4000-8000-000000000000", time.Time{}, e.rome)
				return err
			},
		},
		{
			name: "server fault", status: http.StatusInternalServerError, message: "injected fault", retryable: true,
			tweak: func(o *sandbox.Options) { o.Faults = sandboxkit.Faults{ErrorRate: 1} },
			call: func(e *env, c *passcreator.Client) error {
				_, err := c.ListAppConfigurations(context.Background())
				return err
			},
		},
		{
			name: "dropped connection", status: 0, retryable: true,
			tweak: func(o *sandbox.Options) { o.Faults = sandboxkit.Faults{DropRate: 1} },
			call: func(e *env, c *passcreator.Client) error {
				_, err := c.CreateAppScan(context.Background(), passcreator.NewAppScan{ScannedBarcodeValue: guestCard})
				return err
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var tweaks []func(*sandbox.Options)
			if tc.tweak != nil {
				tweaks = append(tweaks, tc.tweak)
			}
			e := newEnv(t, tweaks...)
			c := e.client
			if tc.key != "" {
				c = e.otherKey(tc.key)
			}
			err := tc.call(e, c)
			ve := vendorError(t, err)
			assert.Equal(t, tc.status, ve.Status)
			assert.Equal(t, tc.message, ve.Message)
			assert.Equal(t, tc.retryable, ve.Retryable())
			assert.Equal(t, "passcreator", ve.Vendor)
			for _, secret := range []string{guestCard, guestNote, "maria", apiKey} {
				assert.NotContains(t, strings.ToLower(err.Error()), strings.ToLower(secret))
			}
		})
	}
}

func TestRateLimitSurfacesRetryAfter(t *testing.T) {
	e := newEnv(t, func(o *sandbox.Options) { o.RateLimit = 2; o.RatePeriod = time.Minute })
	ctx := context.Background()
	for range 2 {
		_, err := e.client.ListAppConfigurations(ctx)
		require.NoError(t, err)
	}
	e.advance(15 * time.Second)
	_, err := e.client.ListAppConfigurations(ctx)
	ve := vendorError(t, err)
	assert.Equal(t, http.StatusTooManyRequests, ve.Status)
	assert.Equal(t, 45*time.Second, ve.RetryAfter)
	assert.True(t, ve.Retryable())

	e.advance(45 * time.Second)
	_, err = e.client.ListAppConfigurations(ctx)
	require.NoError(t, err)
}

func TestInjected429BurstCarriesRetryAfter(t *testing.T) {
	e := newEnv(t, func(o *sandbox.Options) {
		o.Faults = sandboxkit.Faults{Burst429Every: 1, Burst429Len: 1, RetryAfter: 3 * time.Second}
	})
	_, err := e.client.ListAppConfigurations(context.Background())
	ve := vendorError(t, err)
	assert.Equal(t, http.StatusTooManyRequests, ve.Status)
	assert.Equal(t, 3*time.Second, ve.RetryAfter)
	assert.Equal(t, "rate limit exceeded", ve.Message)
}

func TestDecodeError(t *testing.T) {
	cases := []struct {
		body, header, message, requestID string
	}{
		{`{"success":false,"message":"invalid input"}`, "", "invalid input", ""},
		{`{"error":"Unauthorized"}`, "req-1", "Unauthorized", "req-1"},
		{`{"error":{"message":"nested","code":7}}`, "", "nested", ""},
		{`{"errorMessage":"em"}`, "", "em", ""},
		{`{"errors":["a","b"]}`, "", "a; b", ""},
		{`{"errors":{"name":["is required"]}}`, "", "name: is required", ""},
		{`{"detail":"d","requestId":"r-9"}`, "", "d", "r-9"},
		{`plain text failure`, "", "plain text failure", ""},
		{`<html><body>502</body></html>`, "", "", ""},
		{``, "", "", ""},
		{`{"success":false}`, "", "", ""},
	}
	for _, tc := range cases {
		h := http.Header{}
		if tc.header != "" {
			h.Set("X-Request-Id", tc.header)
		}
		msg, id := passcreator.DecodeError([]byte(tc.body), h)
		assert.Equal(t, tc.message, msg, tc.body)
		assert.Equal(t, tc.requestID, id, tc.body)
	}
}

// Passcreator documents no 403, but a proxy or a suspended account may send
// one: it must reach a human, not be retried.
func TestForbiddenIsPermanent(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "req-403")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`{"error":"account suspended"}`))
	}))
	t.Cleanup(srv.Close)
	_, err := passcreator.New(passcreator.Options{APIKey: apiKey, BaseURL: srv.URL}).GetAppConfiguration(context.Background(), "c")
	ve := vendorError(t, err)
	assert.Equal(t, http.StatusForbidden, ve.Status)
	assert.Equal(t, "account suspended", ve.Message)
	assert.Equal(t, "req-403", ve.RequestID)
	assert.False(t, ve.Retryable())
}
