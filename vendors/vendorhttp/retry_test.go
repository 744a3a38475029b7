package vendorhttp_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/guestflow/guestflow/vendors/vendorhttp"
)

// fast is InActivity's shape with waits short enough for a test.
var fast = vendorhttp.Backoff{First: 10 * time.Millisecond, Max: 40 * time.Millisecond, Attempts: 4, Within: 5 * time.Second}

// faulty serves fault(n) for the nth request (from 1) and 200 {} once
// fault returns nil; it counts the requests it served.
func faulty(t *testing.T, fault func(n int32, w http.ResponseWriter) bool) (*vendorhttp.Client, *atomic.Int32, *prometheus.Registry) {
	var served atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if fault(served.Add(1), w) {
			return
		}
		_, _ = w.Write([]byte(`{"ok":true}`))
	}))
	t.Cleanup(srv.Close)
	reg := prometheus.NewRegistry()
	return &vendorhttp.Client{Vendor: "mews", BaseURL: srv.URL, HTTP: srv.Client(), Metrics: vendorhttp.NewMetrics(reg), Retry: &fast}, &served, reg
}

func drop(w http.ResponseWriter) {
	if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
		_ = conn.Close()
	}
}

func retries(reg *prometheus.Registry, reason string) float64 {
	mfs, _ := reg.Gather()
	total := 0.0
	for _, mf := range mfs {
		if mf.GetName() != "guestflow_vendor_call_retries_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "reason" && l.GetValue() == reason {
					total += m.GetCounter().GetValue()
				}
			}
		}
	}
	return total
}

var read = vendorhttp.Call{Method: http.MethodPost, Endpoint: "POST customers/getAll", Path: "/getAll", Body: map[string]any{}, Idempotent: true}
var write = vendorhttp.Call{Method: http.MethodPost, Endpoint: "POST customers/add", Path: "/add", Body: map[string]any{}}

func TestCallRetriedAfter503(t *testing.T) {
	cl, served, reg := faulty(t, func(n int32, w http.ResponseWriter) bool {
		if n <= 2 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return true
		}
		return false
	})
	// A 503 is answered before the vendor does anything: even a write goes again.
	if err := cl.Do(context.Background(), write); err != nil {
		t.Fatal(err)
	}
	if served.Load() != 3 || retries(reg, "503") != 2 {
		t.Errorf("served %d, retries counted %v; want 3 and 2", served.Load(), retries(reg, "503"))
	}
}

func TestReadRetriedAfterDroppedConnection(t *testing.T) {
	cl, served, reg := faulty(t, func(n int32, w http.ResponseWriter) bool {
		if n == 1 {
			drop(w)
			return true
		}
		return false
	})
	if err := cl.Do(context.Background(), read); err != nil {
		t.Fatal(err)
	}
	if served.Load() != 2 || retries(reg, "error") != 1 {
		t.Errorf("served %d, retries counted %v; want 2 and 1", served.Load(), retries(reg, "error"))
	}
}

func TestCallRetriedAfter429WithRetryAfter(t *testing.T) {
	var first time.Time
	var second time.Duration
	cl, served, reg := faulty(t, func(n int32, w http.ResponseWriter) bool {
		if n == 1 {
			first = time.Now()
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return true
		}
		second = time.Since(first)
		return false
	})
	if err := cl.Do(context.Background(), write); err != nil {
		t.Fatal(err)
	}
	if served.Load() != 2 || second < time.Second || retries(reg, "429") != 1 {
		t.Errorf("served %d, second call after %v, retries %v; want 2, at least the Retry-After of 1 s, 1", served.Load(), second, retries(reg, "429"))
	}
}

// A Retry-After longer than the call's bound is left to the caller's own
// retry (Temporal's), with the delay in the error.
func TestRetryAfterBeyondTheBoundGoesToTheCaller(t *testing.T) {
	cl, served, _ := faulty(t, func(n int32, w http.ResponseWriter) bool {
		w.Header().Set("Retry-After", "60")
		w.WriteHeader(http.StatusTooManyRequests)
		return true
	})
	err := cl.Do(context.Background(), read)
	var ve *vendorhttp.Error
	if !asError(err, &ve) || ve.RetryAfter != time.Minute || served.Load() != 1 {
		t.Errorf("err %v after %d calls; want the 429 with its Retry-After, after one call", err, served.Load())
	}
}

// The vendor read a write and its answer was lost: Do does not send it
// again, and tells the caller the outcome is unknown, so that it looks.
func TestLostWriteAnswerIsNotRepeated(t *testing.T) {
	cl, served, _ := faulty(t, func(n int32, w http.ResponseWriter) bool {
		drop(w)
		return true
	})
	err := cl.Do(context.Background(), write)
	if err == nil || served.Load() != 1 || !vendorhttp.OutcomeUnknown(err) {
		t.Errorf("err %v, served %d; want one send and an unknown outcome", err, served.Load())
	}
	for status, unknown := range map[int]bool{500: true, 502: true, 408: true, 503: false, 429: false, 400: false} {
		if got := vendorhttp.OutcomeUnknown(&vendorhttp.Error{Status: status}); got != unknown {
			t.Errorf("OutcomeUnknown(%d) = %v", status, got)
		}
	}
	// A request that never left (nothing listening) may go again.
	if !(&vendorhttp.Error{Status: 0, Written: false}).Unseen() {
		t.Error("an unsent request must count as unseen")
	}
}

// PassportScan's change poll moves a mark at the vendor: never repeated.
func TestNotReplayableCallIsNeverRetried(t *testing.T) {
	cl, served, _ := faulty(t, func(n int32, w http.ResponseWriter) bool {
		w.WriteHeader(http.StatusServiceUnavailable)
		return true
	})
	c := read
	c.NotReplayable = true
	if err := cl.Do(context.Background(), c); err == nil || served.Load() != 1 {
		t.Errorf("err %v, served %d; want the 503 after one call", err, served.Load())
	}
}

func TestRefusalIsNotRetried(t *testing.T) {
	cl, served, _ := faulty(t, func(n int32, w http.ResponseWriter) bool {
		w.WriteHeader(http.StatusForbidden)
		return true
	})
	if err := cl.Do(context.Background(), read); !vendorhttp.IsStatus(err, 403) || served.Load() != 1 {
		t.Errorf("err %v, served %d", err, served.Load())
	}
}

// A waiting call beats its activity's heartbeat; the bound of attempts holds.
func TestWaitingCallHeartbeats(t *testing.T) {
	cl, served, _ := faulty(t, func(n int32, w http.ResponseWriter) bool {
		w.WriteHeader(http.StatusBadGateway)
		return true
	})
	var beats atomic.Int32
	ctx := vendorhttp.WithHeartbeat(context.Background(), func() { beats.Add(1) })
	err := cl.Do(ctx, read)
	if !vendorhttp.IsStatus(err, 502) || served.Load() != int32(fast.Attempts) {
		t.Errorf("err %v after %d calls, want the 502 after %d", err, served.Load(), fast.Attempts)
	}
	if beats.Load() < int32(fast.Attempts) {
		t.Errorf("%d heartbeats, want one per call and wait at least", beats.Load())
	}
}

func asError(err error, target **vendorhttp.Error) bool { return errors.As(err, target) }

// Mews' window is 30 s, so its Retry-After can ask for the whole bound of
// the call's retries: that one is still waited out inside the call.
func TestRetryAfterOfTheWholeBoundIsWaitedOut(t *testing.T) {
	cl, served, _ := faulty(t, func(n int32, w http.ResponseWriter) bool {
		if n == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return true
		}
		return false
	})
	b := fast
	b.Within = time.Second
	cl.Retry = &b
	if err := cl.Do(context.Background(), read); err != nil || served.Load() != 2 {
		t.Errorf("err %v after %d calls; want the call retried after its Retry-After", err, served.Load())
	}
}
