package passquare

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
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
	// it never retries.
	MinInterval time.Duration
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
		},
	}
	switch {
	case o.MinInterval == 0:
		c.pace = newPacer(DefaultMinInterval)
	case o.MinInterval > 0:
		c.pace = newPacer(o.MinInterval)
	}
	return c
}

// post sends one documented method. endpoint is the route for metrics and
// errors ("POST /crm/read_customer"). A 2xx answer that says no in its body is
// returned as a refusal, never decoded as an empty success.
func (c *Client) post(ctx context.Context, endpoint string, body, out any) error {
	return c.send(ctx, endpoint, body, out, true)
}

// send is post with the in-body refusal check optional, for read_customer,
// whose "no" is an unknown customer rather than a refusal.
func (c *Client) send(ctx context.Context, endpoint string, body, out any, checkRefusal bool) error {
	var refusal error
	call := vendorhttp.Call{
		Method:   http.MethodPost,
		Endpoint: endpoint,
		Path:     strings.TrimPrefix(endpoint, "POST "),
		Body:     body,
		Out:      out,
	}
	if checkRefusal {
		call.Inspect = func(_ http.Header, raw []byte) error {
			if msg, no := refusalIn(raw); no {
				refusal = refused(endpoint, msg)
				return refusal
			}
			return nil
		}
	}
	if c.pace != nil {
		if err := c.pace.wait(ctx); err != nil {
			return &vendorhttp.Error{Vendor: Vendor, Endpoint: endpoint, Err: err}
		}
		defer c.pace.done()
	}
	err := c.http.Do(ctx, call)
	if refusal != nil {
		return refusal
	}
	return err
}

// refusalIn reads the ways a backend says no inside a 2xx answer: success
// explicitly false, or an error text while success is not explicitly true.
func refusalIn(raw []byte) (message string, refused bool) {
	var w struct {
		Success json.RawMessage `json:"success"`
	}
	if json.Unmarshal(raw, &w) != nil {
		return "", false
	}
	var success Outcome
	if len(w.Success) > 0 && success.UnmarshalJSON(w.Success) != nil {
		return "", false // a success of an unknown shape says nothing
	}
	errText, _ := vendorhttp.ErrorText(raw, nil, "error")
	switch {
	case success.Refused():
		message, _ = DecodeError(raw, nil)
		if message == "" {
			message = success.Message
		}
		return message, true
	case !success.OK && errText != "":
		return errText, true
	}
	return "", false
}

// refused turns a 2xx answer that says success false into the same typed
// error a 4xx would give, so activities have one way to see a refusal.
func refused(endpoint, message string) error {
	return &vendorhttp.Error{Vendor: Vendor, Endpoint: endpoint, Status: http.StatusOK, Message: message}
}

// pacer spaces calls from the end of the previous one. Passquare counts a
// request when it arrives, so spacing the sends is not enough: a first call
// slow on the way (a new TLS connection) and a fast second one would arrive
// closer together than they left.
type pacer struct {
	interval time.Duration
	turn     chan struct{} // one token, held from wait to done
	last     time.Time     // end of the previous call; guarded by turn
}

func newPacer(interval time.Duration) *pacer {
	p := &pacer{interval: interval, turn: make(chan struct{}, 1)}
	p.turn <- struct{}{}
	return p
}

// wait takes the turn once interval has passed since the previous call
// ended; a nil error obliges the caller to call done when its call ends.
func (p *pacer) wait(ctx context.Context) error {
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
