// Package telemetry is what operators scrape and probe: one Prometheus
// registry per program carrying the Temporal SDK's own metrics and
// guestflow's, and the ops HTTP server with /metrics, /healthz and /readyz.
package telemetry

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/uber-go/tally/v4"
	tallyprom "github.com/uber-go/tally/v4/prometheus"
	"go.temporal.io/sdk/client"
	sdktally "go.temporal.io/sdk/contrib/tally"
)

// Registry holds a program's metrics.
type Registry struct {
	*prometheus.Registry
	scope tally.Scope
}

// NewRegistry returns a registry with the Go runtime and process collectors.
func NewRegistry() *Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return &Registry{Registry: reg}
}

// TemporalHandler is the SDK metrics handler (client.Options.MetricsHandler)
// reporting into this registry, so SDK metrics such as
// temporal_activity_schedule_to_start_latency share the program's /metrics.
func (r *Registry) TemporalHandler() client.MetricsHandler {
	if r.scope == nil {
		reporter := tallyprom.NewReporter(tallyprom.Options{Registerer: r.Registry})
		r.scope, _ = tally.NewRootScope(tally.ScopeOptions{
			CachedReporter:  reporter,
			Separator:       tallyprom.DefaultSeparator,
			SanitizeOptions: &sdktally.PrometheusSanitizeOptions,
		}, time.Second)
	}
	return sdktally.NewMetricsHandler(r.scope)
}

// Check reports whether a dependency is usable; a nil error means ready.
type Check func(ctx context.Context) error

// Server is the ops endpoint: /metrics for Prometheus, /healthz for liveness
// (the process answers), /readyz for readiness (every Check passes).
type Server struct {
	Addr     string
	Registry *Registry
	Ready    map[string]Check
	Logger   *slog.Logger
}

// Handler returns the ops routes, for embedding or tests.
func (s *Server) Handler() http.Handler {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(gin.Recovery())
	r.GET("/metrics", gin.WrapH(promhttp.HandlerFor(s.Registry, promhttp.HandlerOpts{Registry: s.Registry})))
	r.GET("/healthz", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) })
	r.GET("/readyz", s.readyz)
	return r
}

func (s *Server) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
	defer cancel()
	status, failing := http.StatusOK, gin.H{}
	for name, check := range s.Ready {
		if err := check(ctx); err != nil {
			status = http.StatusServiceUnavailable
			// The name tells operators what to look at; the error text goes
			// to the log only, as it may describe internals.
			var verdict NotReady
			if errors.As(err, &verdict) {
				failing[name] = string(verdict)
				continue // its own check logged why, once
			}
			failing[name] = "unavailable"
			s.Logger.WarnContext(ctx, "readiness check failed", "check", name, "error", err)
		}
	}
	if status != http.StatusOK {
		c.JSON(status, gin.H{"status": "unavailable", "checks": failing})
		return
	}
	c.JSON(status, gin.H{"status": "ready"})
}

// Run serves until ctx ends, then shuts down gracefully. An empty Addr
// disables the server.
func (s *Server) Run(ctx context.Context) error {
	if s.Addr == "" {
		<-ctx.Done()
		return nil
	}
	ln, err := net.Listen("tcp", s.Addr)
	if err != nil {
		return err
	}
	return Serve(ctx, ln, s.Handler())
}

// Serve runs h on ln until ctx ends and then drains in-flight requests for
// up to ten seconds. Every guestflow HTTP server stops this way.
func Serve(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// TemporalCheck is ready when the Temporal frontend answers its health check.
func TemporalCheck(c client.Client) Check {
	return func(ctx context.Context) error {
		_, err := c.CheckHealth(ctx, &client.CheckHealthRequest{})
		return err
	}
}
