package sandboxkit_test

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/guestflow/guestflow/vendors/sandboxkit"
)

func TestWindowSlides(t *testing.T) {
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	w := &sandboxkit.Window{Limit: 2, Period: 30 * time.Second, Now: func() time.Time { return now }}
	steps := []struct {
		advance time.Duration
		key     string
		want    time.Duration
	}{
		{0, "a", 0},
		{10 * time.Second, "a", 0},
		{5 * time.Second, "a", 15 * time.Second}, // full: the first call leaves the window at 30 s
		{0, "b", 0},                              // keys are counted apart
		{15 * time.Second, "a", 0},               // the first call left
		{0, "a", 10 * time.Second},
	}
	for i, s := range steps {
		now = now.Add(s.advance)
		if got := w.Allow(s.key); got != s.want {
			t.Errorf("step %d (%s): wait %v, want %v", i, s.key, got, s.want)
		}
	}
}

func TestInjectorFaultsAreRepeatable(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	f := sandboxkit.Faults{Burst429Every: 3, Burst429Len: 2, RetryAfter: 2 * time.Second, Seed: 7, ErrorRate: 0.2}
	run := func() []int {
		r := gin.New()
		r.Use(sandboxkit.NewInjector(f).Middleware(func(status int, msg string) any { return gin.H{"message": msg} }))
		r.GET("/", func(c *gin.Context) { c.Status(http.StatusOK) })
		var codes []int
		for range 20 {
			rec := httptest.NewRecorder()
			r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
			codes = append(codes, rec.Code)
			if rec.Code == http.StatusTooManyRequests && rec.Header().Get("Retry-After") != "2" {
				t.Errorf("429 without Retry-After 2: %q", rec.Header().Get("Retry-After"))
			}
		}
		return codes
	}
	a, b := run(), run()
	if !slices.Equal(a, b) {
		t.Fatalf("the same seed gave different faults:\n%v\n%v", a, b)
	}
	if a[2] != 429 || a[3] != 429 {
		t.Errorf("every third call starts a burst of two 429s: %v", a)
	}
	if !slices.Contains(a, 500) || !slices.Contains(a, 200) {
		t.Errorf("an error rate of 0.2 over 20 calls should show both 500 and 200: %v", a)
	}
}

// Unavailable answers the first calls 503, then lets the vendor answer.
func TestInjectorUnavailableThenServes(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(sandboxkit.NewInjector(sandboxkit.Faults{Unavailable: 2}).Middleware(func(status int, msg string) any { return gin.H{"message": msg} }))
	r.GET("/", func(c *gin.Context) { c.Status(http.StatusOK) })
	var codes []int
	for range 4 {
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
		codes = append(codes, rec.Code)
	}
	if want := []int{503, 503, 200, 200}; !slices.Equal(codes, want) {
		t.Errorf("codes %v, want %v", codes, want)
	}
}
