// Package sandbox is an in-memory Mews Connector API for tests and the dev
// stack: several enterprises at once, each behind its AccessToken, with
// Mews' validation, error shape and 200-per-30-seconds rate limit.
package sandbox

import (
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/guestflow/guestflow/vendors/sandboxkit"
)

// DefaultClientToken is the ClientToken of Mews' documentation samples,
// accepted when Options.ClientToken is empty.
const DefaultClientToken = "E0D439EE522F44368DC78E1BFB03710C-D24FB11DBE31D4621C4817E028D9E1D"

// Options configures a sandbox.
type Options struct {
	ClientToken       string            `toml:"client_token"`        // the one integration token accepted
	AccessTokens      []string          `toml:"access_tokens"`       // enterprises registered at start
	RequestsPerWindow int               `toml:"requests_per_window"` // per AccessToken; 0 means 200
	Window            time.Duration     `toml:"window"`              // sliding; 0 means 30s
	Faults            sandboxkit.Faults `toml:"faults"`
	Now               func() time.Time  `toml:"-"` // nil means time.Now

	// IgnoredFilters are customers/getAll filters the sandbox checks but
	// does not apply, as a server that ignores or widens them would:
	// "CustomerIds", "LoyaltyCodes", "Emails", "FirstNames", "LastNames",
	// "ActivityStates".
	// For tests of the client's own checks of what it is given.
	IgnoredFilters []string `toml:"ignored_filters"`
	// MergedInactive makes a customer merged into another (MergeTargetId
	// set) inactive too. The document says only that MergeTargetId links
	// the customer to the account it was merged into, not whether the
	// merged customer stays active, so the sandbox offers both readings.
	MergedInactive bool `toml:"merged_inactive"`
}

// Server is the sandbox; it is an http.Handler.
type Server struct {
	opts     Options
	engine   *gin.Engine
	recorder *sandboxkit.Recorder
	faults   *sandboxkit.Injector
	limit    *sandboxkit.Window

	mu          sync.Mutex
	enterprises map[string]*enterprise // by AccessToken
}

// New returns a sandbox with the enterprises of opts.AccessTokens.
func New(opts Options) *Server {
	if opts.ClientToken == "" {
		opts.ClientToken = DefaultClientToken
	}
	if opts.RequestsPerWindow <= 0 {
		opts.RequestsPerWindow = 200
	}
	if opts.Window <= 0 {
		opts.Window = 30 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Server{
		opts:        opts,
		recorder:    &sandboxkit.Recorder{},
		faults:      sandboxkit.NewInjector(opts.Faults),
		limit:       &sandboxkit.Window{Limit: opts.RequestsPerWindow, Period: opts.Window, Now: opts.Now},
		enterprises: map[string]*enterprise{},
	}
	for _, token := range opts.AccessTokens {
		s.AddEnterprise(token)
	}
	s.engine = s.routes()
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.engine.ServeHTTP(w, r) }

// Calls returns every call served so far.
func (s *Server) Calls() []sandboxkit.Call { return s.recorder.Calls() }

// Recorder gives tests the call record (Count, Reset).
func (s *Server) Recorder() *sandboxkit.Recorder { return s.recorder }

// SetFaults changes the injected faults while the sandbox runs.
func (s *Server) SetFaults(f sandboxkit.Faults) { s.faults.Set(f) }

func (s *Server) routes() *gin.Engine {
	r := gin.New()
	r.Use(gin.Recovery(), s.recorder.Middleware(), s.faults.Middleware(func(status int, message string) any {
		return newError(message)
	}))
	api := r.Group("/api/connector/v1")
	api.POST("/customers/getAll", s.operation(s.getCustomers))
	api.POST("/customers/add", s.operation(s.addCustomer))
	api.POST("/customers/update", s.operation(s.updateCustomer))
	api.POST("/identityDocuments/getAll", s.operation(s.getDocuments))
	api.POST("/identityDocuments/add", s.operation(s.addDocuments))
	api.POST("/identityDocuments/update", s.operation(s.updateDocuments))
	api.POST("/identityDocuments/delete", s.operation(s.deleteDocuments))
	api.POST("/identityDocuments/clear", s.operation(s.clearDocuments))
	// Mews answers 404 only for a URL it does not know.
	r.NoRoute(func(c *gin.Context) { fail(c, http.StatusNotFound, "Not found.") })
	return r
}

// handler runs one operation for an authenticated enterprise, under the
// sandbox lock. It returns the 200 answer, or the Mews error to send.
type handler func(e *enterprise, body []byte) (any, *failure)

type failure struct {
	status  int
	message string
}

func badRequest(message string) *failure { return &failure{http.StatusBadRequest, message} }

// operation checks what every Mews operation checks, in Mews' order:
// credentials (401), the AccessToken's rate limit (429), the client name
// (400); then runs h.
func (s *Server) operation(h handler) gin.HandlerFunc {
	return func(c *gin.Context) {
		body, err := c.GetRawData()
		if err != nil {
			fail(c, http.StatusBadRequest, "Invalid request body.")
			return
		}
		var creds struct {
			ClientToken *string `json:"ClientToken"`
			AccessToken *string `json:"AccessToken"`
			Client      *string `json:"Client"`
		}
		if err := json.Unmarshal(body, &creds); err != nil {
			fail(c, http.StatusBadRequest, "Invalid request body: "+decodeProblem(err))
			return
		}
		if creds.ClientToken == nil || *creds.ClientToken != s.opts.ClientToken {
			fail(c, http.StatusUnauthorized, "Invalid ClientToken.")
			return
		}
		if creds.AccessToken == nil {
			fail(c, http.StatusUnauthorized, "Invalid AccessToken.")
			return
		}
		s.mu.Lock()
		e := s.enterprises[*creds.AccessToken]
		s.mu.Unlock()
		if e == nil {
			fail(c, http.StatusUnauthorized, "Invalid AccessToken.")
			return
		}
		if wait := s.limit.Allow(*creds.AccessToken); wait > 0 {
			sandboxkit.TooManyRequests(c, wait, newError("Too many requests."))
			return
		}
		if creds.Client == nil || *creds.Client == "" {
			fail(c, http.StatusBadRequest, "Client is required.")
			return
		}
		s.mu.Lock()
		out, f := h(e, body)
		s.mu.Unlock()
		if f != nil {
			fail(c, f.status, f.message)
			return
		}
		c.JSON(http.StatusOK, out)
	}
}

func newError(message string) errorBody {
	return errorBody{Message: message, RequestID: uuid.NewString()}
}

func fail(c *gin.Context, status int, message string) {
	c.AbortWithStatusJSON(status, newError(message))
}
