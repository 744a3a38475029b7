package telemetry_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/guestflow/guestflow/telemetry"
)

func get(t *testing.T, h http.Handler, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	body, _ := io.ReadAll(rec.Body)
	return rec.Code, string(body)
}

func TestReadiness(t *testing.T) {
	down := errors.New("dial tcp 10.0.0.7:7233: connection refused")
	var temporalErr error
	s := &telemetry.Server{
		Registry: telemetry.NewRegistry(),
		Logger:   slog.New(slog.DiscardHandler),
		Ready:    map[string]telemetry.Check{"temporal": func(context.Context) error { return temporalErr }},
	}
	h := s.Handler()

	if code, _ := get(t, h, "/readyz"); code != http.StatusOK {
		t.Fatalf("ready with a healthy dependency: got %d", code)
	}
	temporalErr = down
	code, body := get(t, h, "/readyz")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "temporal") {
		t.Fatalf("with Temporal down: %d %s", code, body)
	}
	if strings.Contains(body, "10.0.0.7") {
		t.Errorf("readiness leaks internals: %s", body)
	}
	if code, _ := get(t, h, "/healthz"); code != http.StatusOK {
		t.Errorf("liveness must not depend on Temporal: got %d", code)
	}
}

func TestTemporalMetricsReachPrometheus(t *testing.T) {
	reg := telemetry.NewRegistry()
	reg.TemporalHandler().WithTags(map[string]string{"task_queue": "stays"}).Counter("temporal_request").Inc(3)
	h := (&telemetry.Server{Registry: reg, Logger: slog.New(slog.DiscardHandler)}).Handler()
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, body := get(t, h, "/metrics")
		if strings.Contains(body, `temporal_request{task_queue="stays"} 3`) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("SDK counter not exported:\n%s", body)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
