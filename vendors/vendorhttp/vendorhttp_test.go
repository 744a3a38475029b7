package vendorhttp_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/guestflow/guestflow/vendors/vendorhttp"
)

func TestRetryable(t *testing.T) {
	for status, want := range map[int]bool{
		0: true, 400: false, 401: false, 403: false, 404: false, 408: true, 409: true, 429: true, 500: true, 503: true,
	} {
		e := &vendorhttp.Error{Vendor: "mews", Endpoint: "POST customers/add", Status: status}
		if got := e.Retryable(); got != want {
			t.Errorf("status %d: Retryable %v, want %v", status, got, want)
		}
	}
}

func TestErrorStringLeavesTheVendorMessageOut(t *testing.T) {
	e := &vendorhttp.Error{Vendor: "mews", Endpoint: "POST customers/add", Status: 403,
		Message: "A customer with e-mail anna@example.com exists.", RequestID: "r-1"}
	if s := e.Error(); strings.Contains(s, "anna@example.com") || !strings.Contains(s, "HTTP 403") || !strings.Contains(s, "r-1") {
		t.Errorf("Error() = %q", s)
	}
	down := &vendorhttp.Error{Vendor: "passquare", Endpoint: "POST /status", Err: errors.New("dial tcp 10.1.2.3:443: connection refused")}
	if !strings.Contains(down.Error(), "no response") {
		t.Errorf("transport error: %q", down.Error())
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		header string
		want   time.Duration
	}{
		{"", 0}, {"7", 7 * time.Second}, {"-3", 0}, {"soon", 0},
		{"Mon, 23 Nov 2026 10:00:30 GMT", 30 * time.Second}, {"Mon, 23 Nov 2026 09:00:00 GMT", 0},
	} {
		h := http.Header{}
		if tt.header != "" {
			h.Set("Retry-After", tt.header)
		}
		if got := vendorhttp.ParseRetryAfter(h, now); got != tt.want {
			t.Errorf("Retry-After %q: %v, want %v", tt.header, got, tt.want)
		}
	}
}

func TestErrorText(t *testing.T) {
	keys := []string{"message", "error", "errors"}
	for _, tt := range []struct {
		body, header, message, requestID string
	}{
		{`{"message":"bad phone","requestId":"b-1"}`, "", "bad phone", "b-1"},
		{`{"error":{"message":"nested"}}`, "h-1", "nested", "h-1"},
		{`{"errors":{"phone":["not E.164"],"birthday":"not dd.mm.yyyy"}}`, "", "birthday: not dd.mm.yyyy; phone: not E.164", ""},
		{`{"errors":["one","two"]}`, "", "one; two", ""},
		{`{"error":true,"message":"refused"}`, "", "refused", ""},
		{`"plain string"`, "", "plain string", ""},
		{`Service Unavailable`, "", "Service Unavailable", ""},
		{`<html><body>502</body></html>`, "", "", ""},
		{``, "", "", ""},
	} {
		h := http.Header{}
		if tt.header != "" {
			h.Set("X-Request-Id", tt.header)
		}
		msg, id := vendorhttp.ErrorText([]byte(tt.body), h, keys...)
		if msg != tt.message || id != tt.requestID {
			t.Errorf("%s: got %q %q, want %q %q", tt.body, msg, id, tt.message, tt.requestID)
		}
	}
	// The request id is read from the common headers, first found wins;
	// a proxy's or CDN's trace id is not the vendor's request id.
	for _, tt := range []struct {
		headers map[string]string
		want    string
	}{
		{map[string]string{"X-Request-Id": "a", "Request-Id": "b", "X-Correlation-Id": "c"}, "a"},
		{map[string]string{"Request-Id": "b", "X-Correlation-Id": "c"}, "b"},
		{map[string]string{"X-Correlation-Id": "c", "X-Amzn-Requestid": "amzn"}, "c"},
		{map[string]string{"X-Amzn-Requestid": "amzn", "Cf-Ray": "ray", "X-Trace-Id": "trace"}, ""},
	} {
		h := http.Header{}
		for k, v := range tt.headers {
			h.Set(k, v)
		}
		if _, id := vendorhttp.ErrorText([]byte(`{}`), h); id != tt.want {
			t.Errorf("%v: request id %q, want %q", tt.headers, id, tt.want)
		}
	}
	long := `{"message":"` + strings.Repeat("é", 400) + `"}`
	if msg, _ := vendorhttp.ErrorText([]byte(long), nil, "message"); len(msg) > 500 || !strings.HasPrefix(msg, "é") {
		t.Errorf("a long message is clipped on a rune boundary, got %d bytes", len(msg))
	}
}

// A call that changes state at the vendor (NotReplayable) is sent once:
// when the vendor served it and the answer was lost on a reused
// connection, Go's transport would send a GET again on its own, and the
// second answer would hide what the first one carried.
func TestNotReplayableCallIsSentOnce(t *testing.T) {
	for _, notReplayable := range []bool{false, true} {
		var served atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if served.Add(1) == 2 { // served, then the answer is lost
				conn, _, err := w.(http.Hijacker).Hijack()
				if err == nil {
					_ = conn.Close()
				}
				return
			}
			_, _ = w.Write([]byte(`{}`))
		}))
		cl := &vendorhttp.Client{Vendor: "passportscan", BaseURL: srv.URL, HTTP: srv.Client()}
		call := vendorhttp.Call{Method: http.MethodGet, Endpoint: "GET /v1/reservations", Path: "/v1/reservations", NotReplayable: notReplayable}
		if err := cl.Do(context.Background(), call); err != nil {
			t.Fatal(err)
		}
		err := cl.Do(context.Background(), call)
		srv.Close()
		switch {
		case notReplayable && (err == nil || served.Load() != 2):
			t.Errorf("not replayable: error %v after %d requests served, want the lost answer reported and no second send", err, served.Load())
		case !notReplayable && served.Load() != 3:
			t.Errorf("replayable: %d requests served, want the transport to send it again (3)", served.Load())
		}
	}
}

// A not replayable call goes through the client's own RoundTripper when it
// is not Go's transport, never around it to the network.
func TestNotReplayableCallKeepsTheClientsRoundTripper(t *testing.T) {
	var seen atomic.Int32
	hc := &http.Client{Transport: roundTripper(func(r *http.Request) (*http.Response, error) {
		seen.Add(1)
		return &http.Response{StatusCode: 200, Body: io.NopCloser(strings.NewReader(`{}`)), Request: r}, nil
	})}
	cl := &vendorhttp.Client{Vendor: "passportscan", BaseURL: "http://vendor.invalid", HTTP: hc}
	err := cl.Do(context.Background(), vendorhttp.Call{Method: http.MethodGet, Endpoint: "GET /v1/reservations", Path: "/v1/reservations", NotReplayable: true})
	if err != nil || seen.Load() != 1 {
		t.Fatalf("error %v, %d requests through the client's RoundTripper, want 1", err, seen.Load())
	}
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

type formErr string

func (e formErr) Error() string        { return "vendor: " + string(e) }
func (e formErr) AnswerReason() string { return string(e) }

// An answer an Inspect callback finds undocumented comes back as the
// callback's *AnswerError, once named, with the vendor's request id added;
// a decode error names the field or form and never a value.
func TestUnreadableAnswer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "req-9")
		_, _ = w.Write([]byte(`{"name": "Ludmila", "flag": "yes"}`))
	}))
	defer srv.Close()
	cl := &vendorhttp.Client{Vendor: "v", BaseURL: srv.URL, DecodeError: func(b []byte, h http.Header) (string, string) {
		return vendorhttp.ErrorText(b, h)
	}}
	err := cl.Do(context.Background(), vendorhttp.Call{Method: http.MethodGet, Endpoint: "GET /x", Path: "/x",
		Inspect: func(http.Header, []byte) error {
			return &vendorhttp.AnswerError{Vendor: "v", Endpoint: "GET /x", Reason: "answer holds no token"}
		}})
	var ae *vendorhttp.AnswerError
	if !errors.As(err, &ae) || ae.RequestID != "req-9" || err.Error() != "v GET /x: answer holds no token (request id req-9)" {
		t.Errorf("Inspect's answer error: %v", err)
	}

	var out struct {
		Flag bool `json:"flag"`
	}
	err = cl.Do(context.Background(), vendorhttp.Call{Method: http.MethodGet, Endpoint: "GET /x", Path: "/x", Out: &out})
	if !errors.As(err, &ae) || ae.RequestID != "req-9" || !strings.Contains(ae.Reason, `"flag"`) || strings.Contains(err.Error(), "yes") {
		t.Errorf("decode error: %v", err)
	}

	for _, tc := range []struct {
		err  error
		want string
	}{
		{formErr("date is not ISO 8601"), "answer date is not ISO 8601"},
		{fmt.Errorf("wrapped: %w", formErr("x: not a flag")), "answer x: not a flag"},
		{errors.New("Ludmila is not a number"), "answer in an undocumented form (4 bytes)"},
	} {
		if got := vendorhttp.Unreadable("v", "GET /x", []byte("1234"), tc.err).Reason; got != tc.want {
			t.Errorf("Unreadable(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
}
