// Package sandbox is an in-memory PassportScan External API for tests and the
// dev stack: per-branch login with JWTs that expire, GET /v1/reservations
// with its change feed, the API's validation, a per-key rate limit, an IP
// whitelist and injected faults.
//
// Decisions where the documentation is silent:
//   - The mark behind all_customers=0 ("changed since your last query") is
//     kept per API key and moves on page 1 of every reservations call, with
//     all_customers 0 or 1 and whatever the arrival date: any call is "your
//     last query". An all_customers=1 call has just delivered everything, so
//     nothing is lost by it.
//   - Page 1 of an all_customers=0 query fixes its change window; later pages
//     of the same arrival date read that window, so walking every page loses
//     nothing. A later page with no window for its date opens one, as page 1.
//   - all_customers absent means 0; it accepts 1/0, true/false, yes/no.
//   - Errors are {"code": <status>, "message": "..."} with an X-Request-Id
//     header; login answers {"token": "<jwt>"}.
//   - A missing or wrong X-Service header on login is a 400; a body that is
//     not sent as application/json is a 415.
//   - Reservations need the Bearer scheme; the bare token is a 401. Only
//     pagination[page] and pagination[limit] page the answer.
package sandbox

import (
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/guestflow/guestflow/vendors/sandboxkit"
)

// Options configures a sandbox; the toml tags are for the standalone program.
type Options struct {
	Branches   []Branch      `toml:"branches"`
	TokenTTL   time.Duration `toml:"token_ttl"`   // lifetime of a login's JWT; 0 means 1h
	MaxLimit   int           `toml:"max_limit"`   // largest pagination[limit] accepted; 0 means 100
	RateLimit  int           `toml:"rate_limit"`  // requests per minute per key; 0 means 120, negative none
	AllowedIPs []string      `toml:"allowed_ips"` // when set, other client addresses get 403, as unlisted IPs do
	SigningKey string        `toml:"signing_key"` // HS256 key of the tokens; empty means a fixed sandbox key

	Faults sandboxkit.Faults `toml:"faults"`
	Now    func() time.Time  `toml:"-"` // nil means time.Now
}

// Branch is one branch's API credentials.
type Branch struct {
	APIKey    string `toml:"api_key"`
	AccountID string `toml:"account_id"`
}

const (
	defaultTokenTTL  = time.Hour
	defaultMaxLimit  = 100
	defaultRateLimit = 120
	defaultLimit     = 20
)

// Server is the sandbox; it is an http.Handler.
type Server struct {
	engine   *gin.Engine
	recorder *sandboxkit.Recorder
	injector *sandboxkit.Injector
	limiter  *sandboxkit.Window // nil: no rate limit
	opts     Options
	now      func() time.Time
	reqIDs   atomic.Uint64

	mu       sync.Mutex
	branches map[string]Branch // product key (in the token) -> branch
	keys     map[Branch]*keyState
	accounts map[string]*account
	seq      uint64
}

// New returns a sandbox configured by opts.
func New(opts Options) *Server {
	if opts.TokenTTL <= 0 {
		opts.TokenTTL = defaultTokenTTL
	}
	if opts.MaxLimit <= 0 {
		opts.MaxLimit = defaultMaxLimit
	}
	if opts.RateLimit == 0 {
		opts.RateLimit = defaultRateLimit
	}
	if opts.SigningKey == "" {
		opts.SigningKey = "passportscan-sandbox"
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	s := &Server{
		recorder: &sandboxkit.Recorder{},
		injector: sandboxkit.NewInjector(opts.Faults),
		opts:     opts,
		now:      now,
		branches: map[string]Branch{},
		keys:     map[Branch]*keyState{},
		accounts: map[string]*account{},
	}
	if opts.RateLimit > 0 {
		s.limiter = &sandboxkit.Window{Limit: opts.RateLimit, Period: time.Minute, Now: now}
	}
	for _, b := range opts.Branches {
		s.AddBranch(b.APIKey, b.AccountID)
	}

	e := gin.New()
	_ = e.SetTrustedProxies(nil) // the whitelist judges the peer, not a header it sends
	e.Use(s.recorder.Middleware(), s.requestID, s.ipWhitelist,
		s.injector.Middleware(func(status int, msg string) any { return errorBody{Code: status, Message: msg} }))
	e.POST("/v1/service/login", s.login)
	e.GET("/v1/reservations", s.authenticate, s.reservations)
	e.NoRoute(func(c *gin.Context) { fail(c, http.StatusNotFound, "No route found") })
	s.engine = e
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.engine.ServeHTTP(w, r) }

// AddBranch lets apiKey log in for accountID. Several keys may serve one
// account; each has its own change-feed mark.
func (s *Server) AddBranch(apiKey, accountID string) {
	b := Branch{APIKey: apiKey, AccountID: accountID}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.branches[productKey(b)] = b
	if s.keys[b] == nil {
		s.keys[b] = &keyState{}
	}
	s.accountLocked(accountID)
}

// Calls returns every call served so far.
func (s *Server) Calls() []sandboxkit.Call { return s.recorder.Calls() }

// Recorder exposes the call record, for counts and resets.
func (s *Server) Recorder() *sandboxkit.Recorder { return s.recorder }

// SetFaults replaces the injected faults while the sandbox runs.
func (s *Server) SetFaults(f sandboxkit.Faults) { s.injector.Set(f) }

func (s *Server) requestID(c *gin.Context) {
	c.Header("X-Request-Id", "ps-sandbox-"+strconv.FormatUint(s.reqIDs.Add(1), 10))
}

func (s *Server) ipWhitelist(c *gin.Context) {
	if len(s.opts.AllowedIPs) == 0 {
		return
	}
	ip := c.ClientIP()
	for _, allowed := range s.opts.AllowedIPs {
		if ip == allowed {
			return
		}
	}
	fail(c, http.StatusForbidden, "IP address not allowed")
}

// rateLimited answers 429 when the key has used up its window.
func (s *Server) rateLimited(c *gin.Context, b Branch) bool {
	if s.limiter == nil {
		return false
	}
	wait := s.limiter.Allow(b.AccountID + "\x00" + b.APIKey)
	if wait <= 0 {
		return false
	}
	sandboxkit.TooManyRequests(c, wait, errorBody{Code: http.StatusTooManyRequests, Message: "Too many requests"})
	return true
}

func fail(c *gin.Context, status int, message string) {
	c.AbortWithStatusJSON(status, errorBody{Code: status, Message: message})
}
