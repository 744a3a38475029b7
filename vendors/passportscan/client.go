package passportscan

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/guestflow/guestflow/vendors/vendorhttp"
)

// DefaultBaseURL is PassportScan's production API.
const DefaultBaseURL = "https://api.passportscan.net"

// Vendor names PassportScan in metrics, logs and errors.
const Vendor = "passportscan"

// Options configures the client of one branch.
type Options struct {
	APIKey    string // the branch's public key, created in PassportScan Workspace
	AccountID string // the account id given with that key

	BaseURL string        // DefaultBaseURL when empty
	HTTP    *http.Client  // nil means http.DefaultClient
	Timeout time.Duration // per call; 0 means vendorhttp.DefaultTimeout
	Metrics *vendorhttp.Metrics
	Logger  *slog.Logger
	Now     func() time.Time    // judges token expiry; nil means time.Now
	Retry   *vendorhttp.Backoff // in-call retries of transient faults; nil: none (see vendorhttp)
}

// Client reads one branch's reservations. It is safe for concurrent use.
type Client struct {
	http      vendorhttp.Client
	apiKey    string
	accountID string
	now       func() time.Time
	logger    *slog.Logger

	loginMu sync.Mutex // one login at a time
	mu      sync.Mutex // guards tok
	tok     token
}

// New returns the client of the branch whose credentials opts carries.
func New(opts Options) *Client {
	base := strings.TrimRight(opts.BaseURL, "/")
	if base == "" {
		base = DefaultBaseURL
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.Default()
	}
	return &Client{
		http: vendorhttp.Client{
			Vendor:      Vendor,
			BaseURL:     base,
			HTTP:        opts.HTTP,
			Timeout:     opts.Timeout,
			Metrics:     opts.Metrics,
			Logger:      opts.Logger,
			DecodeError: DecodeError,
			Retry:       opts.Retry,
		},
		apiKey:    opts.APIKey,
		accountID: opts.AccountID,
		now:       now,
		logger:    logger,
	}
}

// authorized sends c with the branch's token. A 401 means the token died
// before its exp said (revoked, clock skew, no exp at all): log in again once
// and repeat the call once.
func (cl *Client) authorized(ctx context.Context, c vendorhttp.Call) error {
	tok, err := cl.token(ctx)
	if err != nil {
		return err
	}
	err = cl.http.Do(ctx, withBearer(c, tok))
	if !vendorhttp.IsStatus(err, http.StatusUnauthorized) {
		return err
	}
	cl.forget(tok)
	if tok, err = cl.token(ctx); err != nil {
		return err
	}
	return cl.http.Do(ctx, withBearer(c, tok))
}

func withBearer(c vendorhttp.Call, tok string) vendorhttp.Call {
	h := c.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	h.Set("Authorization", "Bearer "+tok)
	c.Header = h
	return c
}
