// Package sandboxkit holds what the four vendor sandboxes share: a record of
// every call served (so tests can assert exact call counts per guest), fault
// injection driven by configuration, and a sliding-window rate limiter that
// answers with the Retry-After a real vendor would send.
//
// The vendor-specific behaviour (endpoints, validation, error shapes) lives
// in each vendor's own sandbox package.
package sandboxkit

import (
	"bytes"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

// Call is one request a sandbox served.
type Call struct {
	Method   string
	Path     string // URL path without the query
	Query    string
	Body     []byte
	Status   int
	Injected bool // the answer came from fault injection, not the vendor logic
	At       time.Time
}

// Recorder keeps every call a sandbox served, in order.
type Recorder struct {
	mu    sync.Mutex
	calls []Call
}

// Calls returns a copy of the calls served so far.
func (r *Recorder) Calls() []Call {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Call(nil), r.calls...)
}

// Count returns how many calls matched method and path (either may be "" for any).
func (r *Recorder) Count(method, path string) int {
	n := 0
	for _, c := range r.Calls() {
		if (method == "" || c.Method == method) && (path == "" || c.Path == path) {
			n++
		}
	}
	return n
}

// Reset forgets the calls recorded so far.
func (r *Recorder) Reset() {
	r.mu.Lock()
	r.calls = nil
	r.mu.Unlock()
}

// Middleware records each call, including the body the handler will read.
func (r *Recorder) Middleware() gin.HandlerFunc {
	return func(c *gin.Context) {
		var body []byte
		if c.Request.Body != nil {
			body, _ = io.ReadAll(io.LimitReader(c.Request.Body, 8<<20))
			c.Request.Body = io.NopCloser(bytes.NewReader(body))
		}
		c.Next()
		r.mu.Lock()
		r.calls = append(r.calls, Call{
			Method:   c.Request.Method,
			Path:     c.Request.URL.Path,
			Query:    c.Request.URL.RawQuery,
			Body:     body,
			Status:   c.Writer.Status(),
			Injected: c.GetBool(injectedKey),
			At:       time.Now(),
		})
		r.mu.Unlock()
	}
}

// Faults configures trouble a sandbox injects before its vendor logic runs.
// The zero value injects nothing.
type Faults struct {
	ErrorRate     float64       `toml:"error_rate"`      // share of calls answered 500
	DropRate      float64       `toml:"drop_rate"`       // share of calls whose connection is closed without an answer
	Latency       time.Duration `toml:"latency"`         // added to every call
	Burst429Every int           `toml:"burst_429_every"` // every Nth call starts a burst of 429s (0: never)
	Burst429Len   int           `toml:"burst_429_len"`   // calls in each burst
	RetryAfter    time.Duration `toml:"retry_after"`     // Retry-After sent with injected 429s
	Unavailable   int           `toml:"unavailable"`     // the first N calls answered 503 (a vendor starting up)
	Seed          uint64        `toml:"seed"`            // makes the injected faults repeatable
}

const injectedKey = "sandboxkit.injected"

// Injector applies Faults. It is safe for concurrent use and can be
// reconfigured while the sandbox runs.
type Injector struct {
	mu        sync.Mutex
	f         Faults
	rnd       *rand.Rand
	n         int
	burstLeft int
}

// NewInjector returns an Injector applying f.
func NewInjector(f Faults) *Injector {
	in := &Injector{}
	in.Set(f)
	return in
}

// Set replaces the faults injected from now on.
func (in *Injector) Set(f Faults) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.f = f
	in.rnd = rand.New(rand.NewPCG(f.Seed, f.Seed^0x9e3779b97f4a7c15))
	in.n, in.burstLeft = 0, 0
}

type verdict int

const (
	pass verdict = iota
	fail500
	fail503
	drop
	tooMany
)

func (in *Injector) next() (verdict, time.Duration, time.Duration) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.n++
	f := in.f
	if in.n <= f.Unavailable {
		return fail503, f.Latency, 0
	}
	if f.Burst429Every > 0 && in.n%f.Burst429Every == 0 {
		in.burstLeft = max(f.Burst429Len, 1)
	}
	if in.burstLeft > 0 {
		in.burstLeft--
		return tooMany, f.Latency, f.RetryAfter
	}
	switch r := in.rnd.Float64(); {
	case r < f.DropRate:
		return drop, f.Latency, 0
	case r < f.DropRate+f.ErrorRate:
		return fail500, f.Latency, 0
	}
	return pass, f.Latency, 0
}

// Middleware injects the configured faults. errorBody renders the vendor's
// own error shape for a status and message.
func (in *Injector) Middleware(errorBody func(status int, message string) any) gin.HandlerFunc {
	return func(c *gin.Context) {
		v, latency, retryAfter := in.next()
		if latency > 0 {
			select {
			case <-time.After(latency):
			case <-c.Request.Context().Done():
				c.Abort()
				return
			}
		}
		switch v {
		case drop:
			c.Set(injectedKey, true)
			if hj, ok := c.Writer.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					conn.Close()
					c.Abort()
					return
				}
			}
			c.AbortWithStatus(http.StatusBadGateway)
		case fail500:
			c.Set(injectedKey, true)
			c.AbortWithStatusJSON(http.StatusInternalServerError, errorBody(http.StatusInternalServerError, "injected fault"))
		case fail503:
			c.Set(injectedKey, true)
			c.AbortWithStatusJSON(http.StatusServiceUnavailable, errorBody(http.StatusServiceUnavailable, "injected fault"))
		case tooMany:
			c.Set(injectedKey, true)
			TooManyRequests(c, retryAfter, errorBody(http.StatusTooManyRequests, "rate limit exceeded"))
		}
	}
}

// TooManyRequests answers 429 with a Retry-After in whole seconds (at least 1).
func TooManyRequests(c *gin.Context, retryAfter time.Duration, body any) {
	secs := int((retryAfter + time.Second - 1) / time.Second)
	c.Header("Retry-After", strconv.Itoa(max(secs, 1)))
	c.AbortWithStatusJSON(http.StatusTooManyRequests, body)
}

// Window is a sliding-window rate limit: at most Limit calls per key within
// any Period. Allow returns 0 when the call may go ahead, else how long until
// the oldest call in the window leaves it.
type Window struct {
	Limit  int
	Period time.Duration
	Now    func() time.Time // nil means time.Now

	mu   sync.Mutex
	seen map[string][]time.Time
}

// Allow records a call for key when there is room and reports the wait otherwise.
func (w *Window) Allow(key string) time.Duration {
	now := time.Now()
	if w.Now != nil {
		now = w.Now()
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.seen == nil {
		w.seen = map[string][]time.Time{}
	}
	kept := w.seen[key][:0]
	for _, t := range w.seen[key] {
		if now.Sub(t) < w.Period {
			kept = append(kept, t)
		}
	}
	w.seen[key] = kept
	if len(kept) >= w.Limit {
		return w.Period - now.Sub(kept[0])
	}
	w.seen[key] = append(kept, now)
	return 0
}

// LoseAnswersOn serves h but drops the connection after the vendor has
// answered the first times calls whose path ends in path: the lost answer
// of a call the vendor acted on, which its caller must not take for a call
// that never arrived.
func LoseAnswersOn(h http.Handler, path string, times int) http.Handler {
	l := &LoseAnswers{IsWrite: func(r *http.Request) bool { return strings.HasSuffix(r.URL.Path, path) }, Max: times}
	return l.Wrap(h)
}
