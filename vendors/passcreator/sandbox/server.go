// Package sandbox is an in-memory Passcreator pass validation API: App
// Configurations, a registry of passes and the App Scans made of them, with
// the real API's bare-key authentication, validation and paging, plus a
// configurable rate limit and injected faults.
package sandbox

import (
	"crypto/subtle"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"
	_ "time/tzdata" // the standalone sandbox may run where no zoneinfo is installed

	"github.com/gin-gonic/gin"

	"github.com/guestflow/guestflow/vendors/sandboxkit"
)

// Defaults for settings Passcreator does not document.
const (
	DefaultTimeZone   = "Europe/Berlin"
	DefaultRateLimit  = 300 // calls per key per DefaultRatePeriod
	DefaultRatePeriod = time.Minute
)

// Options configures one sandbox account.
type Options struct {
	APIKey     string        `toml:"api_key"`     // the only key accepted, bare in Authorization
	TimeZone   string        `toml:"time_zone"`   // the customer's zone for createdOn and createdSince; default Europe/Berlin
	RateLimit  int           `toml:"rate_limit"`  // calls per key per RatePeriod; 0 default, negative unlimited
	RatePeriod time.Duration `toml:"rate_period"` // default one minute
	// NewestFirst lists scans newest first, as the document's sample is
	// ordered; the default is oldest first, as "ordered by created on" reads.
	NewestFirst bool `toml:"newest_first"`
	// CreatedSinceUTC reads createdSince as UTC. The document gives it no
	// zone, so either reading is the vendor's right; the default is the
	// account's zone, like createdOn.
	CreatedSinceUTC bool              `toml:"created_since_utc"`
	Seed            uint64            `toml:"seed"` // non-zero makes generated ids repeatable
	Faults          sandboxkit.Faults `toml:"faults"`
	Now             func() time.Time  `toml:"-"` // nil means time.Now
}

// Server is the sandbox. It implements http.Handler.
type Server struct {
	opts   Options
	loc    *time.Location
	engine *gin.Engine
	rec    *sandboxkit.Recorder
	faults *sandboxkit.Injector
	limit  *sandboxkit.Window

	mu       sync.Mutex
	rnd      *rand.Rand
	configs  map[string]*AppConfiguration
	order    []string         // configuration ids in creation order
	passes   map[string]*Pass // by barcode
	passByID map[string]*Pass
	scans    []storedScan
}

type storedScan struct {
	scan     AppScan
	at       time.Time
	modified time.Time // zero until ModifyScan
	seq      int
}

// New builds a sandbox. It panics on a time zone Go does not know, since a
// sandbox in the wrong zone would silently shift every createdSince.
func New(o Options) *Server {
	if o.TimeZone == "" {
		o.TimeZone = DefaultTimeZone
	}
	loc, err := time.LoadLocation(o.TimeZone)
	if err != nil {
		panic(fmt.Sprintf("passcreator sandbox: unknown time zone %q", o.TimeZone))
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.RateLimit == 0 {
		o.RateLimit = DefaultRateLimit
	}
	if o.RatePeriod <= 0 {
		o.RatePeriod = DefaultRatePeriod
	}
	seed := o.Seed
	if seed == 0 {
		seed = rand.Uint64() // a restarted sandbox must not reissue ids guestflow already saw
	}
	s := &Server{
		opts:     o,
		loc:      loc,
		rec:      &sandboxkit.Recorder{},
		faults:   sandboxkit.NewInjector(o.Faults),
		rnd:      rand.New(rand.NewPCG(seed, seed^0x5eed)),
		configs:  map[string]*AppConfiguration{},
		passes:   map[string]*Pass{},
		passByID: map[string]*Pass{},
	}
	if o.RateLimit > 0 {
		s.limit = &sandboxkit.Window{Limit: o.RateLimit, Period: o.RatePeriod, Now: o.Now}
	}
	s.engine = s.routes()
	return s
}

func (s *Server) routes() *gin.Engine {
	r := gin.New()
	r.RedirectTrailingSlash = false
	r.Use(gin.Recovery(), s.rec.Middleware(), s.faults.Middleware(errorJSON), s.authenticate, s.rateLimit)
	r.GET("/api/appconfiguration", s.listConfigurations)
	r.GET("/api/appconfiguration/:id", s.getConfiguration)
	r.POST("/api/appconfiguration", s.createConfiguration)
	r.GET("/api/appscan/list", s.listScans)
	r.GET("/api/appscan/list/", s.listScans)
	r.GET("/api/appscan/list/:id", s.listScans)
	r.POST("/api/appscan", s.createScan)
	r.NoRoute(func(c *gin.Context) { fail(c, http.StatusNotFound, "not found") })
	return r
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.engine.ServeHTTP(w, r) }

// Recorder gives access to every call served.
func (s *Server) Recorder() *sandboxkit.Recorder { return s.rec }

// Calls returns the calls served so far, in order.
func (s *Server) Calls() []sandboxkit.Call { return s.rec.Calls() }

// SetFaults changes the injected faults while the sandbox runs.
func (s *Server) SetFaults(f sandboxkit.Faults) { s.faults.Set(f) }

// Faults lets a test or the standalone program change injected faults live.
func (s *Server) Faults() *sandboxkit.Injector { return s.faults }

// Location is the account's time zone.
func (s *Server) Location() *time.Location { return s.loc }

// authenticate accepts only the bare key: "Bearer <key>" is refused, as the
// real API reads the whole header as the key.
func (s *Server) authenticate(c *gin.Context) {
	got := c.GetHeader("Authorization")
	if s.opts.APIKey == "" || subtle.ConstantTimeCompare([]byte(got), []byte(s.opts.APIKey)) != 1 {
		fail(c, http.StatusUnauthorized, "invalid or missing API key")
	}
}

func (s *Server) rateLimit(c *gin.Context) {
	if s.limit == nil {
		return
	}
	if wait := s.limit.Allow(s.opts.APIKey); wait > 0 {
		sandboxkit.TooManyRequests(c, wait, errorJSON(http.StatusTooManyRequests, "rate limit exceeded"))
	}
}

func fail(c *gin.Context, status int, message string) {
	c.AbortWithStatusJSON(status, errorJSON(status, message))
}

func (s *Server) newID() string {
	var b [16]byte
	for i := 0; i < 16; i += 8 {
		v := s.rnd.Uint64()
		for j := range 8 {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func (s *Server) wallClock(t time.Time) string { return t.In(s.loc).Format("2006-01-02 15:04:05") }

func utcClock(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05") }
