package hooks_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"

	"github.com/guestflow/guestflow/hooks"
	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/telemetry"
	"github.com/guestflow/guestflow/vendors/passcreator"
)

// failingTemporal answers every call as a Temporal frontend that cannot be
// reached does.
type failingTemporal struct{}

var errDown = serviceerror.NewUnavailable("connection error: dial tcp 10.0.0.9:7233: connect: connection refused")

func (failingTemporal) UpdateAccount(context.Context, string, lifecycle.AccountHolder, string, string, any, any) error {
	return errDown
}
func (failingTemporal) QueryBalance(context.Context, string) (lifecycle.Balance, error) {
	return lifecycle.Balance{}, errDown
}
func (failingTemporal) DeliverScan(context.Context, lifecycle.Scan) error { return errDown }
func (failingTemporal) RecordDeviceScan(context.Context, string, lifecycle.DeviceScan) (lifecycle.DeviceScanResult, error) {
	return lifecycle.DeviceScanResult{}, errDown
}
func (failingTemporal) CheckHealth(context.Context) error { return errDown }

// hangingTemporal never answers, as a frontend behind a dead network.
type hangingTemporal struct{ failingTemporal }

func (hangingTemporal) QueryBalance(ctx context.Context, _ string) (lifecycle.Balance, error) {
	<-ctx.Done()
	return lifecycle.Balance{}, ctx.Err()
}

// panickingTemporal stands for a bug deep in a handler.
type panickingTemporal struct{ failingTemporal }

func (panickingTemporal) QueryBalance(context.Context, string) (lifecycle.Balance, error) {
	var b *lifecycle.Balance
	return *b, nil
}

type stubPasscreator struct{}

func (stubPasscreator) GetAppConfiguration(context.Context, string) (*passcreator.AppConfiguration, error) {
	return &passcreator.AppConfiguration{}, nil
}

// The 503 bodies: Passquare's route answers in its documented failure form.
const (
	retryLaterBody          = `{"error": "temporarily unavailable, retry later"}`
	passquareRetryLaterBody = `{"success": false, "error": "temporarily unavailable, retry later"}`
)

func requireRetryLater(t *testing.T, w *httptest.ResponseRecorder, body string) {
	t.Helper()
	require.Equal(t, http.StatusServiceUnavailable, w.Code, w.Body.String())
	require.Equal(t, "30", w.Header().Get("Retry-After"))
	require.JSONEq(t, body, w.Body.String())
}

// With Temporal down nothing is acknowledged: every route answers 503 with
// Retry-After, and the internal error never reaches the caller.
func TestTemporalDown(t *testing.T) {
	e := newEnv(t, func(o *hooks.Options) { o.Temporal = failingTemporal{} })
	g := newGuest()
	for name, r := range map[string]request{
		"createCustomer":      {body: g.createCustomer(t)},
		"readBalance":         {body: g.readBalance(t)},
		"addBalance":          {body: g.addBalance(t, "5", "tx-down")},
		"passcreator webhook": signedScanEvent(scanEvent{id: "scan-down", config: e.configID, barcode: g.card, status: 2, value: "10"}),
		"intake": {path: hooks.IntakePath, header: map[string]string{"Authorization": "Bearer " + intakeToken},
			body: fmt.Sprintf(`{"deviceScanId": "pos-down-1", "barcode": %q, "branchId": "rome", "value": "10.00"}`, g.card)},
	} {
		t.Run(name, func(t *testing.T) {
			w := e.do(r)
			body := passquareRetryLaterBody
			if r.path != "" {
				body = retryLaterBody
			}
			requireRetryLater(t, w, body)
			require.NotContains(t, w.Body.String(), "10.0.0.9")
		})
	}
	require.Equal(t, float64(1), e.counter("guestflow_webhook_requests_total", "route", "passquare", "method", "addBalance", "status", "503"))
}

func TestTemporalTimeoutIsA503(t *testing.T) {
	e := newEnv(t, func(o *hooks.Options) {
		o.Temporal = hangingTemporal{}
		o.TemporalTimeout = 100 * time.Millisecond
	})
	start := time.Now()
	requireRetryLater(t, e.hook(newGuest().readBalance(t)), passquareRetryLaterBody)
	require.Less(t, time.Since(start), 5*time.Second)
}

// The real client, pointed at an address where no Temporal listens.
func TestTemporalUnreachable(t *testing.T) {
	c, err := client.NewLazyClient(client.Options{
		HostPort: "127.0.0.1:1", Logger: sdklog.NewStructuredLogger(slog.New(slog.DiscardHandler)),
	})
	require.NoError(t, err)
	defer c.Close()
	e := newEnv(t, func(o *hooks.Options) {
		o.Temporal = hooks.NewTemporal(c)
		o.TemporalTimeout = 2 * time.Second
	})
	g := newGuest()
	requireRetryLater(t, e.hook(g.createCustomer(t)), passquareRetryLaterBody)
	requireRetryLater(t, e.hook(g.readBalance(t)), passquareRetryLaterBody)
}

func TestPanicIsAnInternalErrorWithoutDetails(t *testing.T) {
	e := newEnv(t, func(o *hooks.Options) { o.Temporal = panickingTemporal{} })
	w := e.hook(newGuest().readBalance(t))
	require.Equal(t, http.StatusInternalServerError, w.Code)
	require.JSONEq(t, `{"success": false, "error": "internal error"}`, w.Body.String())
	require.NotContains(t, e.logs.String(), "nil pointer")
	require.Equal(t, http.StatusUnauthorized, e.hook(`{}`).Code, "the server goes on serving")
}

func TestOpsServer(t *testing.T) {
	for name, tt := range map[string]struct {
		temporal hooks.Temporal
		ready    int
	}{
		"Temporal reachable": {hooks.NewTemporal(temporalClient), http.StatusOK},
		"Temporal down":      {failingTemporal{}, http.StatusServiceUnavailable},
	} {
		t.Run(name, func(t *testing.T) {
			reg := telemetry.NewRegistry()
			ops := hooks.Ops(&telemetry.Server{Registry: reg, Logger: slog.New(slog.DiscardHandler)}, tt.temporal,
				codec.Handler("http://ui.example", "codec-token"))
			get := func(path string) *httptest.ResponseRecorder {
				w := httptest.NewRecorder()
				ops.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
				return w
			}
			require.Equal(t, http.StatusOK, get("/healthz").Code)
			ready := get("/readyz")
			require.Equal(t, tt.ready, ready.Code, ready.Body.String())
			require.NotContains(t, ready.Body.String(), "connection refused")
			require.Equal(t, http.StatusOK, get("/metrics").Code)

			encode := func(token string) *httptest.ResponseRecorder {
				req := httptest.NewRequest(http.MethodPost, "/codec/encode", strings.NewReader(`{"payloads": [{"metadata": {"encoding": "anNvbi9wbGFpbg=="}, "data": "IjEi"}]}`))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+token)
				w := httptest.NewRecorder()
				ops.ServeHTTP(w, req)
				return w
			}
			w := encode("codec-token")
			require.Equal(t, http.StatusOK, w.Code, w.Body.String())
			var out struct {
				Payloads []struct {
					Metadata map[string]string `json:"metadata"`
				} `json:"payloads"`
			}
			require.NoError(t, json.Unmarshal(w.Body.Bytes(), &out))
			require.Len(t, out.Payloads, 1)
			require.Equal(t, http.StatusUnauthorized, encode("wrong").Code)
		})
	}
}

// slowTemporal answers each call after most of the webhook's Temporal
// budget, as a loaded frontend does.
type slowTemporal struct {
	failingTemporal
	delay time.Duration
	card  string
}

func (s slowTemporal) wait(ctx context.Context) error {
	select {
	case <-time.After(s.delay):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s slowTemporal) QueryBalance(ctx context.Context, _ string) (lifecycle.Balance, error) {
	return lifecycle.Balance{Cards: []string{s.card}}, s.wait(ctx)
}

func (s slowTemporal) UpdateAccount(ctx context.Context, _ string, _ lifecycle.AccountHolder, _, _ string, _, _ any) error {
	return s.wait(ctx)
}

// A hook is answered within the webhook's Temporal budget, whatever number
// of Temporal calls it makes: two slow calls in a row end in a 503 to send
// again, not in a late 200 the caller stopped waiting for.
func TestHookIsAnsweredWithinTheTemporalBudget(t *testing.T) {
	g := newGuest()
	e := newEnv(t, func(o *hooks.Options) {
		o.Temporal = slowTemporal{delay: 600 * time.Millisecond, card: g.card}
		o.TemporalTimeout = time.Second
	})
	requireRetryLater(t, e.hook(g.addBalance(t, "5", "tx-slow")), passquareRetryLaterBody)
}
