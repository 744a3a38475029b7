package passquare

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"golang.org/x/time/rate"

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
	// 429 to a second request within a second. 0 means DefaultMinInterval,
	// a negative value disables the spacing. It waits, it never retries.
	MinInterval time.Duration
}

// Client calls Passquare for one app_key. It is safe for concurrent use;
// share one per hotel group so the spacing covers all of its calls.
type Client struct {
	appKey string
	http   *vendorhttp.Client
	pace   *rate.Limiter // nil: no spacing
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
		c.pace = rate.NewLimiter(rate.Every(DefaultMinInterval), 1)
	case o.MinInterval > 0:
		c.pace = rate.NewLimiter(rate.Every(o.MinInterval), 1)
	}
	return c
}

// post sends one documented method. endpoint is the route for metrics and
// errors ("POST /crm/read_customer").
func (c *Client) post(ctx context.Context, endpoint string, body, out any) error {
	if c.pace != nil {
		if err := c.pace.Wait(ctx); err != nil {
			return &vendorhttp.Error{Vendor: Vendor, Endpoint: endpoint, Err: err}
		}
	}
	return c.http.Do(ctx, vendorhttp.Call{
		Method:   http.MethodPost,
		Endpoint: endpoint,
		Path:     strings.TrimPrefix(endpoint, "POST "),
		Body:     body,
		Out:      out,
	})
}

// refused turns a 2xx answer that says success false into the same typed
// error a 4xx would give, so activities have one way to see a refusal.
func refused(endpoint, message string) error {
	return &vendorhttp.Error{Vendor: Vendor, Endpoint: endpoint, Status: http.StatusOK, Message: message}
}
