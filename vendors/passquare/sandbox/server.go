// Package sandbox is an in-memory Passquare for tests and the dev stack: the
// CRM methods under /api/v2 with Passquare's app_key check, validation and
// plan rate limits, and the other direction too, Passquare calling the
// integrator's hook when a guest installs a card or a balance is asked for.
//
// It shares no types with the client package, so a misreading of the
// documentation cannot hide in a type both sides use.
package sandbox

import (
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/guestflow/guestflow/vendors/sandboxkit"
)

// Options configures a sandbox. The toml tags are for the standalone program.
type Options struct {
	Accounts []AccountConfig `toml:"accounts"`
	// FirstCardNumber is the start of the free card range set in Passquare's
	// integration settings; new customers get the following numbers.
	FirstCardNumber int `toml:"first_card_number"` // default 1000
	// PerSecond is the per-app_key limit Passquare documents for every plan.
	PerSecond int `toml:"per_second"` // default 1
	// HourlyQuota overrides or adds plans: plan name to requests per hour.
	// The documented ones are base 60, advanced 600, expert and exclusive 3600.
	HourlyQuota map[string]int `toml:"hourly_quota"`
	// PublicURL is the base of the card_url and card_gpay_url links.
	PublicURL string `toml:"public_url"` // default https://core.passquare.com
	// CardsAtInstall creates customers in user_create_or_update without a
	// card: the card number is assigned when the guest installs the card from
	// the form (InstallCard), and the createCustomer hook brings it. The
	// answer then has no card_number, which the document allows ("created
	// card number": only a call that created a card has one).
	CardsAtInstall bool `toml:"cards_at_install"`
	// FlagsAsMessages answers success/sms_send/card as sentences instead of
	// booleans, the other reading of the documentation.
	FlagsAsMessages bool `toml:"flags_as_messages"`
	// AmountsAsNumbers writes amounts as JSON numbers instead of strings.
	AmountsAsNumbers bool `toml:"amounts_as_numbers"`
	// NotificationVariables are the variables the card design template
	// binds notifications to. When user_create_or_update changes one of them
	// on an existing customer, Passquare sends its own "card modified"
	// notification (SentPush.System), and a push sent in the same call is
	// replaced by it, as the document warns. Default balance, bonus and
	// discount; custom template variables may be named too.
	NotificationVariables []string `toml:"notification_variables"`

	// The integrator's hook, as configured in Passquare's integration settings.
	HookURL      string            `toml:"hook_url"`
	HookCRMKey   string            `toml:"hook_crm_key"`  // sent as crm_key in the body
	HookUser     string            `toml:"hook_user"`     // HTTP Basic login
	HookPassword string            `toml:"hook_password"` // HTTP Basic password; without a login it is the crm_key, sent both as Basic and in the body
	HookHeaders  map[string]string `toml:"hook_headers"`  // X-organization-id, X-program-id, X-wallet-id
	HookClient   *http.Client      `toml:"-"`             // nil: a client with a 10 s timeout

	Faults sandboxkit.Faults `toml:"faults"`
	Now    func() time.Time  `toml:"-"` // nil: time.Now
}

// AccountConfig seeds one Passquare account.
type AccountConfig struct {
	AppKey  string `toml:"app_key"`
	Plan    string `toml:"plan"`    // base, advanced, expert, exclusive or a HourlyQuota key
	Name    string `toml:"name"`    // status "app"; default "sandbox"
	Balance string `toml:"balance"` // status "balance"; default "1000.00"
}

// Server is the sandbox; it implements http.Handler.
type Server struct {
	opts     Options
	engine   *gin.Engine
	recorder *sandboxkit.Recorder
	faults   *sandboxkit.Injector

	mu        sync.Mutex
	accounts  map[string]*account
	order     []string // app keys in the order added, for hook lookups
	sms       []SentSMS
	pushes    []SentPush
	hooksSent []SentHook
}

// New builds a sandbox with the accounts in o.
func New(o Options) *Server {
	if o.FirstCardNumber == 0 {
		o.FirstCardNumber = 1000
	}
	if o.PerSecond == 0 {
		o.PerSecond = 1
	}
	if o.PublicURL == "" {
		o.PublicURL = "https://core.passquare.com"
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.NotificationVariables == nil {
		o.NotificationVariables = []string{"balance", "bonus", "discount"}
	}
	s := &Server{
		opts:     o,
		recorder: &sandboxkit.Recorder{},
		faults:   sandboxkit.NewInjector(o.Faults),
		accounts: map[string]*account{},
	}
	for _, a := range o.Accounts {
		s.addAccount(a)
	}
	s.engine = s.routes()
	return s
}

func (s *Server) routes() *gin.Engine {
	r := gin.New()
	r.Use(gin.Recovery(), s.recorder.Middleware(), s.faults.Middleware(errorBody))
	api := r.Group("/api/v2")
	api.POST("/status", s.status)
	api.POST("/crm/user_create_or_update", s.userCreateOrUpdate)
	api.POST("/crm/read_customer", s.readCustomer)
	api.POST("/crm/read_customers", s.readCustomers)
	api.POST("/crm/push/create", s.pushCreate)
	api.POST("/crm/push/send", s.pushSend)
	r.NoRoute(func(c *gin.Context) { fail(c, http.StatusNotFound, "method not found") })
	return r
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.engine.ServeHTTP(w, r) }

// Calls returns every request served so far.
func (s *Server) Calls() []sandboxkit.Call { return s.recorder.Calls() }

// Recorder gives tests the call record (counts per path, reset).
func (s *Server) Recorder() *sandboxkit.Recorder { return s.recorder }

// SetFaults replaces the injected faults while the sandbox runs.
func (s *Server) SetFaults(f sandboxkit.Faults) { s.faults.Set(f) }

// errorBody is the error shape the sandbox answers with. The document shows
// one failure form, {"error": "..."}, beside "success" in the answers that
// carry it; the sandbox writes both.
func errorBody(_ int, message string) any {
	return gin.H{"success": false, "error": message}
}

func fail(c *gin.Context, status int, message string) {
	c.AbortWithStatusJSON(status, errorBody(status, message))
}
