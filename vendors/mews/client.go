package mews

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/guestflow/guestflow/vendors/vendorhttp"
)

// Platform addresses Mews publishes.
const (
	DemoURL       = "https://api.mews-demo.com"
	ProductionURL = "https://api.mews.com"
)

// DefaultClientName is sent as "Client" when Options.ClientName is empty.
const DefaultClientName = "guestflow"

const (
	vendorName = "mews"
	apiPrefix  = "/api/connector/v1/"
)

// Options configures a Client for one enterprise.
type Options struct {
	BaseURL     string        // platform address; empty means DemoURL
	HTTP        *http.Client  // nil means http.DefaultClient
	Timeout     time.Duration // per call; 0 means vendorhttp.DefaultTimeout
	Metrics     *vendorhttp.Metrics
	Logger      *slog.Logger
	ClientToken string // identifies guestflow's integration (one per hotel group)
	AccessToken string // identifies the enterprise (one per branch)
	ClientName  string // name and version, e.g. "guestflow 0.1.0"
	// Retry tries a call again after a transient fault, inside the call;
	// nil: never (see vendorhttp). Reads and updates are repeated after any
	// such fault, adds only when Mews cannot have acted (429, 503).
	Retry *vendorhttp.Backoff
}

// Client calls the Connector API on behalf of one enterprise.
type Client struct {
	opts Options
	http *vendorhttp.Client
}

// New returns a Client for the enterprise whose AccessToken opts carries.
func New(opts Options) *Client {
	if opts.BaseURL == "" {
		opts.BaseURL = DemoURL
	}
	opts.BaseURL = strings.TrimRight(opts.BaseURL, "/")
	if opts.ClientName == "" {
		opts.ClientName = DefaultClientName
	}
	return &Client{
		opts: opts,
		http: &vendorhttp.Client{
			Vendor:      vendorName,
			BaseURL:     opts.BaseURL,
			HTTP:        opts.HTTP,
			Timeout:     opts.Timeout,
			Metrics:     opts.Metrics,
			Logger:      opts.Logger,
			DecodeError: decodeError,
			Retry:       opts.Retry,
		},
	}
}

// ForEnterprise returns a Client with the same integration settings talking
// to another enterprise of the hotel group.
func (c *Client) ForEnterprise(accessToken string) *Client {
	opts := c.opts
	opts.AccessToken = accessToken
	return New(opts)
}

// call POSTs req to operation ("customers/getAll") with the credentials
// added to its body, and decodes the answer into out.
//
// An answer that is not in a form the document shows is a
// *vendorhttp.AnswerError naming the field or form, never a value: the same
// call would get the same answer, so it goes to staff instead of being
// retried. Mews documents no request id for a successful call.
func (c *Client) call(ctx context.Context, operation string, req, out any) error {
	body, err := c.withCredentials(req)
	if err != nil {
		return fmt.Errorf("%s POST %s: encode request: %w", vendorName, operation, err)
	}
	endpoint := "POST " + operation
	return c.http.Do(ctx, vendorhttp.Call{
		Method:   http.MethodPost,
		Endpoint: endpoint,
		Path:     apiPrefix + operation,
		Body:     body,
		Out:      out,
		// getAll reads and an update sets the same values again. An add
		// makes something new each time it arrives; a delete or clear sent
		// again after a lost answer would be refused for what is gone.
		Idempotent: strings.HasSuffix(operation, "/getAll") || strings.HasSuffix(operation, "/update"),
	})
}

// withCredentials merges the three fields every Mews body starts with into
// the request object, so request types stay free of credentials.
func (c *Client) withCredentials(req any) (json.RawMessage, error) {
	head, err := json.Marshal(struct {
		ClientToken string `json:"ClientToken"`
		AccessToken string `json:"AccessToken"`
		Client      string `json:"Client"`
	}{c.opts.ClientToken, c.opts.AccessToken, c.opts.ClientName})
	if err != nil {
		return nil, err
	}
	rest, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	rest = bytes.TrimSpace(rest)
	if len(rest) < 2 || rest[0] != '{' {
		return nil, fmt.Errorf("request is not a JSON object")
	}
	if string(rest) == "{}" {
		return head, nil
	}
	out := append(head[:len(head)-1:len(head)-1], ',')
	return append(out, rest[1:]...), nil
}
