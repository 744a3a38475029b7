package passquare

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/guestflow/guestflow/vendors/vendorhttp"
)

// Vendor is the name used in metrics, logs and errors.
const Vendor = "passquare"

// DefaultBaseURL is Passquare's production API.
const DefaultBaseURL = "https://core.passquare.com/api/v2"

// DefaultMinInterval is Passquare's limit for every plan: one request per
// second per app_key.
const DefaultMinInterval = time.Second

// Options configures the client of one hotel group's Passquare account.
type Options struct {
	AppKey  string // the account's private key, sent as app_key in every body
	BaseURL string // default DefaultBaseURL
	HTTP    *http.Client
	Timeout time.Duration
	Metrics *vendorhttp.Metrics
	Logger  *slog.Logger
	// MinInterval spaces this client's requests, because Passquare answers
	// 429 to a second request within a second. It counts from the end of
	// the previous call, so calls run one at a time. 0 means
	// DefaultMinInterval, a negative value disables the spacing. It waits,
	// it never retries; a call retried (Retry) waits in it again.
	MinInterval time.Duration
	// Retry, when set, sends a call again after a transient fault inside
	// the call (vendorhttp.InActivity for activities): every repeat waits
	// its turn in the spacing like a first request, a 429's Retry-After is
	// honoured, reads are repeated after any transient fault and writes
	// only when Passquare cannot have acted (429, 503, never sent). Under
	// a ctx from WithRequestBudget, repeats only spend what is left of it.
	Retry *vendorhttp.Backoff
	// PacerWait, when set, hears how long each request waited for its turn
	// (guestflow_passquare_pacer_wait_seconds): a wait longer than
	// MinInterval means requests queue inside the process.
	PacerWait func(time.Duration)
}

// Client calls Passquare for one app_key. It is safe for concurrent use;
// share one per hotel group so the spacing covers all of its calls.
type Client struct {
	appKey string
	http   *vendorhttp.Client
	pace   *pacer // nil: no spacing
}

// New returns a client for one Passquare account.
func New(o Options) *Client {
	base := strings.TrimRight(o.BaseURL, "/")
	if base == "" {
		base = DefaultBaseURL
	}
	c := &Client{
		appKey: o.AppKey,
		http: &vendorhttp.Client{
			Vendor:      Vendor,
			BaseURL:     base,
			HTTP:        o.HTTP,
			Timeout:     o.Timeout,
			Metrics:     o.Metrics,
			Logger:      o.Logger,
			DecodeError: DecodeError,
			Retry:       o.Retry,
			MayRepeat:   BudgetLeft,
		},
	}
	switch {
	case o.MinInterval == 0:
		c.pace = newPacer(DefaultMinInterval, o.PacerWait)
	case o.MinInterval > 0:
		c.pace = newPacer(o.MinInterval, o.PacerWait)
	}
	c.http.Turn = c.turn
	return c
}

// turn is every request's place in the spacing, a repeat's as a first
// one's, and spends one request of ctx's budget.
func (c *Client) turn(ctx context.Context) (func(), error) {
	if b, ok := ctx.Value(budgetKey{}).(*atomic.Int32); ok {
		b.Add(-1)
	}
	if c.pace == nil {
		return func() {}, nil
	}
	if err := c.pace.wait(ctx); err != nil {
		return nil, err
	}
	return c.pace.done, nil
}

type budgetKey struct{}

// WithRequestBudget returns ctx under which the client's calls send n
// requests in all, first ones included, before a failed call is no longer
// repeated: an activity on the Passquare queue passes what the queue's rate
// counts for it, so repeats never make the group send more than the queue
// allows. A first request is always sent; the budget only stops repeats.
func WithRequestBudget(ctx context.Context, n int) context.Context {
	b := &atomic.Int32{}
	b.Store(int32(n))
	return context.WithValue(ctx, budgetKey{}, b)
}

// BudgetLeft reports whether ctx's request budget, if any, allows one more
// request.
func BudgetLeft(ctx context.Context) bool {
	b, ok := ctx.Value(budgetKey{}).(*atomic.Int32)
	return !ok || b.Load() > 0
}

// post sends one documented method. endpoint is the route for metrics and
// errors ("POST /crm/read_customer"). A 2xx answer that says no in its body is
// returned as a refusal, never decoded as an empty success.
func (c *Client) post(ctx context.Context, endpoint string, body, out any) error {
	return c.send(ctx, endpoint, body, out, true, false)
}

// read is post for a method that changes nothing at Passquare, so it is
// repeated after any transient fault, even one whose answer was lost.
func (c *Client) read(ctx context.Context, endpoint string, body, out any) error {
	return c.send(ctx, endpoint, body, out, true, true)
}

// send is post with the in-body refusal check optional, for read_customer,
// whose "no" is an unknown customer rather than a refusal. A documented
// refusal in a 2xx answer is a *vendorhttp.Error with status 200 (not
// retryable, the vendor's message for staff); an answer not in the
// documented form is a *vendorhttp.AnswerError naming what could not be
// read. Both carry the request id.
func (c *Client) send(ctx context.Context, endpoint string, body, out any, checkRefusal, idempotent bool) error {
	call := vendorhttp.Call{
		Method:     http.MethodPost,
		Endpoint:   endpoint,
		Path:       strings.TrimPrefix(endpoint, "POST "),
		Body:       body,
		Out:        out,
		Idempotent: idempotent,
	}
	if checkRefusal {
		call.Inspect = func(h http.Header, raw []byte) error {
			if msg, no := refusalIn(raw); no {
				_, requestID := DecodeError(raw, h)
				return &vendorhttp.Error{Vendor: Vendor, Endpoint: endpoint, Status: http.StatusOK, Message: msg, RequestID: requestID}
			}
			return nil
		}
	}
	return c.http.Do(ctx, call)
}

// refusalIn reads the documented ways a backend says no inside a 2xx answer:
// success false, or an error text while success is not true.
func refusalIn(raw []byte) (message string, refused bool) {
	var w struct {
		Success json.RawMessage `json:"success"`
	}
	if json.Unmarshal(raw, &w) != nil {
		return "", false
	}
	var success Outcome
	if len(w.Success) > 0 && success.UnmarshalJSON(w.Success) != nil {
		return "", false // decoding the answer names the undocumented field
	}
	errText, _ := DecodeError(raw, nil)
	switch {
	case success.Refused():
		return errText, true
	case !success.OK && errText != "":
		return errText, true
	}
	return "", false
}

// pacer spaces calls from the end of the previous one. Passquare counts a
// request when it arrives, so spacing the sends is not enough: a first call
// slow on the way (a new TLS connection) and a fast second one would arrive
// closer together than they left.
type pacer struct {
	interval time.Duration
	waited   func(time.Duration) // nil: not measured
	turn     chan struct{}       // one token, held from wait to done
	last     time.Time           // end of the previous call; guarded by turn
}

func newPacer(interval time.Duration, waited func(time.Duration)) *pacer {
	p := &pacer{interval: interval, waited: waited, turn: make(chan struct{}, 1)}
	p.turn <- struct{}{}
	return p
}

// wait takes the turn once interval has passed since the previous call
// ended; a nil error obliges the caller to call done when its call ends.
func (p *pacer) wait(ctx context.Context) error {
	if p.waited != nil {
		defer func(start time.Time) { p.waited(time.Since(start)) }(time.Now())
	}
	select {
	case <-p.turn:
	case <-ctx.Done():
		return ctx.Err()
	}
	if d := time.Until(p.last.Add(p.interval)); d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			p.turn <- struct{}{}
			return ctx.Err()
		}
	}
	return nil
}

func (p *pacer) done() {
	p.last = time.Now()
	p.turn <- struct{}{}
}
