package vendorhttp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"sync/atomic"
	"time"
)

// DefaultTimeout bounds one vendor call when the caller's Client sets none.
// Activities set their own StartToCloseTimeout above it.
const DefaultTimeout = 30 * time.Second

// maxBody caps what is read from a vendor, so a misbehaving endpoint cannot
// exhaust a worker's memory.
const maxBody = 16 << 20

// ErrorDecoder extracts the vendor's own message and request id from an
// error response body. It must not fail: unknown shapes give empty strings.
type ErrorDecoder func(body []byte, h http.Header) (message, requestID string)

// Client performs JSON calls to one vendor. The zero value is not usable:
// set Vendor and BaseURL.
type Client struct {
	Vendor      string
	BaseURL     string        // no trailing slash; joined with each call's path
	HTTP        *http.Client  // nil means http.DefaultClient
	Timeout     time.Duration // per call; 0 means DefaultTimeout
	Metrics     *Metrics      // nil records nothing
	Logger      *slog.Logger  // nil means slog.Default()
	DecodeError ErrorDecoder  // nil keeps only status and headers
	// Retry, when set, tries a call again after a transient fault, inside
	// Do (see the package doc for which calls). nil sends each call once:
	// programs that retry around their calls themselves.
	Retry *Backoff
	// Turn, when set, is taken before every request, a first one or a
	// repeat, and released (done) when its answer is in: a vendor that
	// counts requests per second (Passquare) paces them all in one place.
	Turn func(ctx context.Context) (done func(), err error)
	// MayRepeat, when set, is asked before a failed call is sent again;
	// false leaves the failure to the caller: Passquare's queue counts a
	// fixed number of requests per activity, and repeats spend from them.
	MayRepeat func(ctx context.Context) bool
}

// Call is one request. Endpoint names the route for metrics, logs and
// errors ("GET /api/appscan/list/{id}"); Path is what is actually sent.
type Call struct {
	Method   string
	Endpoint string
	Path     string // including the query string
	Header   http.Header
	Body     any // marshalled as JSON when not nil
	Out      any // decoded from JSON on 2xx when not nil

	// NotReplayable marks a call that changes state at the vendor although
	// its method says it does not (PassportScan's change poll moves the
	// key's mark): it goes on a connection of its own, because Go's
	// transport silently sends a GET again when a reused connection dies
	// before the answer, and the answer of the first would be lost.
	NotReplayable bool

	// Idempotent: sending the call again has no effect beyond the first,
	// so a Client with Retry repeats it after any transient fault, even
	// one whose answer was lost. Reads are; a write only when the vendor
	// makes it so (a Mews update sets the same fields again). Other calls
	// are repeated only when the vendor cannot have acted (Error.Unseen).
	Idempotent bool

	// Inspect, when set, sees a 2xx answer's headers and raw body before Out
	// is decoded, for vendors that answer in headers or in plain text. An
	// error it returns fails the call; it must not carry personal data.
	Inspect func(h http.Header, body []byte) error
}

// Do sends the call and decodes a 2xx answer into c.Out. Every other outcome
// is an *Error. With cl.Retry set, a transient fault is tried again inside
// Do as far as the call allows (Idempotent, NotReplayable).
func (cl *Client) Do(ctx context.Context, c Call) error {
	if cl.Retry == nil || c.NotReplayable {
		return cl.send(ctx, c)
	}
	again := func(ve *Error) bool {
		return ve.transient() && (c.Idempotent || ve.Unseen()) && (cl.MayRepeat == nil || cl.MayRepeat(ctx))
	}
	return cl.Retry.run(ctx, func(ctx context.Context) error {
		return cl.send(ctx, c)
	}, again, func(err error, wait time.Duration) {
		reason := retryReason(err)
		cl.Metrics.retried(cl.Vendor, c.Endpoint, reason)
		cl.logger().InfoContext(ctx, "vendor call retried", "vendor", cl.Vendor, "endpoint", c.Endpoint,
			"reason", reason, "wait", wait)
	})
}

// retryReason is the metrics label of a retried failure: its status, or
// "timeout" or "error" (no answer).
func retryReason(err error) string {
	var ve *Error
	switch {
	case !errors.As(err, &ve):
		return "error"
	case ve.Status != 0:
		return strconv.Itoa(ve.Status)
	case transportReason(ve.Err) == "timeout":
		return "timeout"
	}
	return "error"
}

// send sends the call one time once it has its Turn.
func (cl *Client) send(ctx context.Context, c Call) error {
	heartbeat(ctx)
	if cl.Turn != nil {
		done, err := cl.Turn(ctx)
		if err != nil {
			return &Error{Vendor: cl.Vendor, Endpoint: c.Endpoint, Err: err} // not sent
		}
		defer done()
	}
	return cl.once(ctx, c)
}

// once sends the call one time.
func (cl *Client) once(ctx context.Context, c Call) error {
	timeout := cl.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	var body io.Reader
	if c.Body != nil {
		buf, err := json.Marshal(c.Body)
		if err != nil {
			return fmt.Errorf("%s %s: encode request: %w", cl.Vendor, c.Endpoint, err)
		}
		body = bytes.NewReader(buf)
	}
	req, err := http.NewRequestWithContext(ctx, c.Method, cl.BaseURL+c.Path, body)
	if err != nil {
		return fmt.Errorf("%s %s: build request: %w", cl.Vendor, c.Endpoint, err)
	}
	for k, vs := range c.Header {
		req.Header[k] = vs
	}
	req.Header.Set("Accept", "application/json")
	if c.Body != nil {
		req.Header.Set("Content-Type", "application/json")
	}

	httpClient := cl.HTTP
	if httpClient == nil {
		httpClient = http.DefaultClient
	}
	if c.NotReplayable {
		httpClient = singleUse(httpClient)
		defer httpClient.CloseIdleConnections()
	}
	var written atomic.Bool
	req = req.WithContext(httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteHeaders: func() { written.Store(true) },
	}))
	start := time.Now()
	resp, err := httpClient.Do(req)
	if err != nil {
		cl.Metrics.observe(cl.Vendor, c.Endpoint, "error", time.Since(start))
		cl.logger().WarnContext(ctx, "vendor call failed", "vendor", cl.Vendor, "endpoint", c.Endpoint, "reason", transportReason(err))
		return &Error{Vendor: cl.Vendor, Endpoint: c.Endpoint, Err: err, Written: written.Load()}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	cl.Metrics.observe(cl.Vendor, c.Endpoint, strconv.Itoa(resp.StatusCode), time.Since(start))
	if err != nil {
		return &Error{Vendor: cl.Vendor, Endpoint: c.Endpoint, Err: err, Written: true}
	}

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		ve := &Error{
			Vendor:     cl.Vendor,
			Endpoint:   c.Endpoint,
			Status:     resp.StatusCode,
			RetryAfter: ParseRetryAfter(resp.Header, time.Now()),
		}
		if cl.DecodeError != nil {
			ve.Message, ve.RequestID = cl.DecodeError(raw, resp.Header)
		}
		cl.logger().WarnContext(ctx, "vendor refused call", "vendor", cl.Vendor, "endpoint", c.Endpoint,
			"status", resp.StatusCode, "request_id", ve.RequestID)
		return ve
	}
	if c.Inspect != nil {
		err := c.Inspect(resp.Header, raw)
		var ae *AnswerError
		var ve *Error
		switch {
		case errors.As(err, &ae):
			return cl.withRequestID(ae, raw, resp.Header) // names vendor and endpoint already
		case errors.As(err, &ve):
			return err
		case err != nil:
			return fmt.Errorf("%s %s: %w", cl.Vendor, c.Endpoint, err)
		}
	}
	if c.Out == nil || len(bytes.TrimSpace(raw)) == 0 {
		return nil
	}
	if err := json.Unmarshal(raw, c.Out); err != nil {
		return cl.withRequestID(Unreadable(cl.Vendor, c.Endpoint, raw, err), raw, resp.Header)
	}
	return nil
}

// withRequestID adds the vendor's request id to an unreadable answer that
// has none yet.
func (cl *Client) withRequestID(ae *AnswerError, raw []byte, h http.Header) *AnswerError {
	if ae.RequestID == "" && cl.DecodeError != nil {
		_, ae.RequestID = cl.DecodeError(raw, h)
	}
	return ae
}

// singleUse is hc on a transport that never reuses a connection, so the
// transport has no dead connection to retry a request on. A RoundTripper
// other than *http.Transport (a test's, a proxy's) is used as given: it
// must not be bypassed, and only Go's transport is known to send again.
func singleUse(hc *http.Client) *http.Client {
	base, ok := hc.Transport.(*http.Transport)
	switch {
	case hc.Transport != nil && !ok:
		return hc
	case base == nil:
		base = http.DefaultTransport.(*http.Transport)
	}
	t := base.Clone()
	t.DisableKeepAlives = true
	c := *hc
	c.Transport = t
	return &c
}

func (cl *Client) logger() *slog.Logger {
	if cl.Logger != nil {
		return cl.Logger
	}
	return slog.Default()
}
