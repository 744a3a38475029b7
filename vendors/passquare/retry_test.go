package passquare_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guestflow/guestflow/vendors/passquare"
	"github.com/guestflow/guestflow/vendors/passquare/sandbox"
	"github.com/guestflow/guestflow/vendors/sandboxkit"
	"github.com/guestflow/guestflow/vendors/vendorhttp"
)

// fastRetries is vendorhttp.InActivity's shape with backoff waits short
// enough for a test; a Retry-After is still honoured in full.
var fastRetries = vendorhttp.Backoff{First: time.Millisecond, Max: 4 * time.Millisecond, Attempts: 4, Within: 5 * time.Second}

// spacing is the test client's pacer: a repeat that did not wait its turn
// would arrive a millisecond after the failure.
const spacing = 300 * time.Millisecond

// retrying is a client with in-call retries and its pacer, against h
// (the sandbox, maybe wrapped), with its retries counted in reg.
func retrying(t *testing.T, h http.Handler) (*passquare.Client, *prometheus.Registry) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	reg := prometheus.NewRegistry()
	return passquare.New(passquare.Options{AppKey: appKey, BaseURL: srv.URL + "/api/v2", Timeout: 5 * time.Second,
		MinInterval: spacing, Retry: &fastRetries, Metrics: vendorhttp.NewMetrics(reg)}), reg
}

// retried is guestflow_vendor_call_retries_total for Passquare's endpoint.
func retried(t *testing.T, reg *prometheus.Registry, endpoint, reason string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	require.NoError(t, err)
	for _, mf := range mfs {
		if mf.GetName() != "guestflow_vendor_call_retries_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			if labels["vendor"] == passquare.Vendor && labels["endpoint"] == endpoint && labels["reason"] == reason {
				return m.GetCounter().GetValue()
			}
		}
	}
	return 0
}

// apart asserts that each call arrived at least d after the one before.
func apart(t *testing.T, calls []sandboxkit.Call, d time.Duration) {
	t.Helper()
	for i := 1; i < len(calls); i++ {
		assert.GreaterOrEqual(t, calls[i].At.Sub(calls[i-1].At), d, "call %d came too soon after call %d", i+1, i)
	}
}

// A 503 (Passquare did nothing) is retried inside the call, a write
// too, after the repeat has waited its turn in the pacer; the retry is
// counted.
func TestA503IsRetriedInTheCallAfterItsTurn(t *testing.T) {
	e := newEnv(t, sandbox.Options{Faults: sandboxkit.Faults{Unavailable: 1}}, "expert")
	c, reg := retrying(t, e.sb)

	res, err := c.UserCreateOrUpdate(context.Background(), ludmila())
	require.NoError(t, err)
	assert.NotEmpty(t, res.CardNumber)

	calls := e.sb.Calls()
	require.Len(t, calls, 2)
	assert.Equal(t, http.StatusServiceUnavailable, calls[0].Status)
	assert.Equal(t, http.StatusOK, calls[1].Status)
	apart(t, calls, spacing)
	assert.Equal(t, 1.0, retried(t, reg, "POST /crm/user_create_or_update", "503"))
}

// A read whose connection dropped after Passquare answered is read again.
func TestADroppedReadIsRetried(t *testing.T) {
	e := newEnv(t, sandbox.Options{}, "expert")
	_, err := e.client.UserCreateOrUpdate(context.Background(), ludmila())
	require.NoError(t, err)
	e.sb.Recorder().Reset()
	c, reg := retrying(t, sandboxkit.LoseAnswersOn(e.sb, "/crm/read_customer", 1))

	got, err := c.ReadCustomer(context.Background(), ludmila().Phone, passquare.ReadOptions{})
	require.NoError(t, err)
	assert.Equal(t, ludmila().Phone, got.Phone)
	calls := e.sb.Calls()
	assert.Len(t, calls, 2)
	apart(t, calls, spacing)
	assert.Equal(t, 1.0, retried(t, reg, "POST /crm/read_customer", "error"))
}

// A 429 is sent again once its Retry-After has passed, not before.
func TestA429IsRetriedAfterItsRetryAfter(t *testing.T) {
	e := newEnv(t, sandbox.Options{Faults: sandboxkit.Faults{Burst429Every: 2, Burst429Len: 1, RetryAfter: time.Second}}, "expert")
	c, reg := retrying(t, e.sb)

	for range 2 {
		_, err := c.Status(context.Background())
		require.NoError(t, err)
	}
	calls := e.sb.Calls()
	require.Len(t, calls, 3)
	assert.Equal(t, http.StatusTooManyRequests, calls[1].Status)
	assert.GreaterOrEqual(t, calls[2].At.Sub(calls[1].At), time.Second)
	assert.Equal(t, 1.0, retried(t, reg, "POST /status", "429"))
}

// A write whose answer was lost after Passquare acted is not sent again:
// the caller learns the outcome is unknown and looks before writing.
func TestALostWriteAnswerIsNotRepeated(t *testing.T) {
	e := newEnv(t, sandbox.Options{}, "expert")
	c, reg := retrying(t, sandboxkit.LoseAnswersOn(e.sb, "/crm/user_create_or_update", 1))

	_, err := c.UserCreateOrUpdate(context.Background(), ludmila())
	require.Error(t, err)
	assert.True(t, vendorhttp.OutcomeUnknown(err))
	assert.Len(t, e.sb.Calls(), 1)
	assert.Len(t, e.sb.SMS(), 1, "the customer was created and texted once")
	assert.Zero(t, retried(t, reg, "POST /crm/user_create_or_update", "error"))
}

// Under an activity's request budget, a failed call is repeated only while
// the budget lasts: the queue counts no more requests for the activity.
func TestRepeatsStayWithinTheRequestBudget(t *testing.T) {
	e := newEnv(t, sandbox.Options{Faults: sandboxkit.Faults{Unavailable: 2}}, "expert")
	c, _ := retrying(t, e.sb)

	ctx := passquare.WithRequestBudget(context.Background(), 2)
	_, err := c.Status(ctx)
	assert.Equal(t, http.StatusServiceUnavailable, vendorErr(t, err).Status)
	assert.Len(t, e.sb.Calls(), 2, "the first request and one repeat")
}
