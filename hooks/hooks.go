// Package hooks is the webhook's HTTP side: Passquare's hooks (createCustomer,
// readBalance, addBalance), Passcreator's app_scan_created webhook, and the
// scan intake for the hotels' own point-of-sale devices. Each turns into a
// call on the guest's loyalty account workflow; nothing is answered as done
// before Temporal has durably recorded it, and when Temporal cannot be
// reached the caller gets a 503 with Retry-After, so it retries and nothing
// is lost.
package hooks

import (
	"errors"
	"io"
	"log/slog"
	"net/netip"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/guestflow/guestflow/config"
	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/vendors/passcreator"
)

// Defaults for what Options may leave out.
const (
	DefaultMaxBody         = 64 << 10
	DefaultTemporalTimeout = 10 * time.Second
	DefaultRetryAfter      = 30 * time.Second
	PasscreatorWebhookPath = "/passcreator/webhook"
	IntakePath             = "/scans"
)

// Options is what the webhook needs.
type Options struct {
	Temporal Temporal
	// Passcreator is needed by the Passcreator webhook, to read the app
	// configurations' property ids.
	Passcreator Passcreator
	// TaskQueue is where device scans' workflows run; default
	// lifecycle.TaskQueue.
	TaskQueue string
	// Config is the hotel group: its [webhook] section, the account key
	// secret, the branches and the Passcreator account's time zone.
	Config *config.Group
	Logger *slog.Logger
	// Metrics receives the webhook's counters; nil keeps them unregistered.
	Metrics prometheus.Registerer

	MaxBody         int64         // bytes per request; default DefaultMaxBody
	TemporalTimeout time.Duration // per Temporal call; default DefaultTemporalTimeout
	RetryAfter      time.Duration // told to callers when Temporal is down
	Now             func() time.Time
}

type server struct {
	Options
	hook           config.Webhook
	allowed        []netip.Prefix
	outlets        map[string]*config.Branch // by app configuration id
	defaultRegion  string
	metrics        *metrics
	configurations *configurationCache
}

// New returns the webhook's routes. It fails on a configuration it cannot
// serve, such as an address that does not parse.
func New(o Options) (*gin.Engine, error) {
	if o.Temporal == nil || o.Config == nil {
		return nil, errors.New("hooks: Temporal and Config are required")
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.MaxBody <= 0 {
		o.MaxBody = DefaultMaxBody
	}
	if o.TemporalTimeout <= 0 {
		o.TemporalTimeout = DefaultTemporalTimeout
	}
	if o.RetryAfter <= 0 {
		o.RetryAfter = DefaultRetryAfter
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.TaskQueue == "" {
		o.TaskQueue = lifecycle.TaskQueue
	}
	s := &server{Options: o, hook: o.Config.Webhook, outlets: map[string]*config.Branch{}}
	if s.hook.Path == "" {
		s.hook.Path = config.DefaultWebhookPath
	}
	if s.hook.CRMKey == "" && s.hook.BasicPassword == "" {
		return nil, errors.New("hooks: [webhook] needs crm_key or basic_user and basic_password")
	}
	if s.hook.PasscreatorWebhookKey != "" && s.hook.PasscreatorSignatureHeader == "" {
		return nil, errors.New("hooks: [webhook] passcreator_webhook_key needs passcreator_signature_header")
	}
	var err error
	if s.allowed, err = config.ParsePrefixes(s.hook.AllowedIPs); err != nil {
		return nil, errors.New("hooks: [webhook] allowed_ips: " + err.Error())
	}
	for _, id := range o.Config.BranchIDs {
		b := o.Config.Branches[id]
		if s.defaultRegion == "" {
			s.defaultRegion = b.Country
		}
		if b.PasscreatorAppConfigurationID != "" {
			s.outlets[b.PasscreatorAppConfigurationID] = b
		}
	}
	s.metrics = newMetrics(o.Metrics)
	s.configurations = &configurationCache{client: o.Passcreator, byID: map[string]*passcreator.AppConfiguration{}}

	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	// Only the configured proxies may say who the caller is; with none,
	// X-Forwarded-For is ignored and the peer address counts.
	if err := r.SetTrustedProxies(s.hook.TrustedProxies); err != nil {
		return nil, errors.New("hooks: [webhook] trusted_proxies: " + err.Error())
	}
	// gin's own recovery log would print the panic value, which may hold
	// request data: it goes nowhere, and s.recovered logs the route.
	r.Use(gin.CustomRecoveryWithWriter(io.Discard, s.recovered))
	r.HandleMethodNotAllowed = true
	r.NoRoute(func(c *gin.Context) { c.JSON(404, errorBody{"not found"}) })
	r.NoMethod(func(c *gin.Context) { c.JSON(405, errorBody{"method not allowed"}) })

	r.POST(s.hook.Path, markPassquare, s.allowIP, s.passquareHook)
	if s.hook.PasscreatorWebhookKey != "" {
		if o.Passcreator == nil {
			return nil, errors.New("hooks: the Passcreator webhook needs a Passcreator client")
		}
		r.POST(PasscreatorWebhookPath, s.passcreatorWebhook)
	}
	if s.hook.IntakeToken != "" {
		// The worker records the scans (workflows.DeviceScan), not the webhook.
		r.POST(IntakePath, s.intake)
	}
	return r, nil
}

// recovered answers a panic as an internal error without its text, which
// may hold request data; the log has the route only.
func (s *server) recovered(c *gin.Context, _ any) {
	s.Logger.ErrorContext(c.Request.Context(), "webhook handler panicked", "route", c.FullPath())
	s.refuse(c, 500, "internal error")
}
