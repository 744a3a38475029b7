// Package passcreator is the client for Passcreator's pass validation API:
// the App Configurations that outlets scan guests' cards with, and the App
// Scans they record. guestflow lists scans to credit bonuses and records the
// scans its own point-of-sale intake receives.
//
// Every failed call is a *vendorhttp.Error; the client retries nothing.
package passcreator

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/guestflow/guestflow/vendors/vendorhttp"
)

// Vendor labels metrics, logs and errors.
const Vendor = "passcreator"

// DefaultBaseURL is Passcreator's production API.
const DefaultBaseURL = "https://app.passcreator.com"

// Options configures the client of one hotel group's Passcreator account.
type Options struct {
	APIKey  string // sent as the bare Authorization header, without "Bearer"
	BaseURL string // default DefaultBaseURL
	HTTP    *http.Client
	Timeout time.Duration // per call; 0 means vendorhttp.DefaultTimeout
	Metrics *vendorhttp.Metrics
	Logger  *slog.Logger
	Retry   *vendorhttp.Backoff // in-call retries of transient faults; nil: none (see vendorhttp)
}

// Client calls one Passcreator account. It is safe for concurrent use.
type Client struct {
	http   vendorhttp.Client
	apiKey string
}

// New returns a client for the account holding o.APIKey.
func New(o Options) *Client {
	base := strings.TrimRight(o.BaseURL, "/")
	if base == "" {
		base = DefaultBaseURL
	}
	return &Client{
		apiKey: o.APIKey,
		http: vendorhttp.Client{
			Vendor:      Vendor,
			BaseURL:     base,
			HTTP:        o.HTTP,
			Timeout:     o.Timeout,
			Metrics:     o.Metrics,
			Logger:      o.Logger,
			DecodeError: DecodeError,
			Retry:       o.Retry,
		},
	}
}

func (c *Client) do(ctx context.Context, method, endpoint, path string, body, out any) error {
	h := http.Header{}
	h.Set("Authorization", c.apiKey)
	return c.http.Do(ctx, vendorhttp.Call{
		Method:   method,
		Endpoint: endpoint,
		Path:     path,
		Header:   h,
		Body:     body,
		Out:      out,
		// GETs only read. POST /api/appscan records a scan each time: its
		// caller looks for the scan before it sends it again.
		Idempotent: method == http.MethodGet,
	})
}
