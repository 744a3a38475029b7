package telemetry

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/guestflow/guestflow/vendors/vendorhttp"
)

// NotReady is a Check's verdict that /readyz shows as it is ("refused",
// "unknown"); any other error shows as "unavailable". It never holds a
// secret or a vendor's text.
type NotReady string

func (n NotReady) Error() string { return string(n) }

// The verdicts of a check made once at start.
const (
	Unknown NotReady = "unknown" // not answered yet, or failing for now: tried again
	Refused NotReady = "refused" // the vendor said no (401, 403, 404): fix and restart
	Failed  NotReady = "failed"  // an answer not in the documented form: not tried again
)

// StartCheckBackoff is how a start-up check waits between tries while the
// vendor fails for now. It tries until it has a verdict.
var StartCheckBackoff = vendorhttp.Backoff{First: time.Second, Max: time.Minute}

// StartCheck is a check made once at start, in the background: it runs
// the call until the vendor accepts or refuses it, trying again after
// transient failures (5xx, 429, no answer). Its Ready is the Check /readyz
// asks: Unknown until then, nil once accepted, Refused for good once
// refused (Failed for an answer in no documented form); the fix is the
// right secret and a restart. A refusal is logged as an error naming the
// check, never the secret.
type StartCheck struct {
	mu      sync.Mutex
	verdict error
	passed  chan struct{} // closed once accepted
}

// CheckAtStart starts checking; the check ends with ctx.
func CheckAtStart(ctx context.Context, name string, call func(context.Context) error, logger *slog.Logger) *StartCheck {
	s := &StartCheck{verdict: Unknown, passed: make(chan struct{})}
	go func() {
		err := vendorhttp.Retry(ctx, StartCheckBackoff, call, func(err error, wait time.Duration) {
			logger.WarnContext(ctx, "start-up check failed for now; trying again", "check", name, "error", err, "wait", wait)
		})
		if ctx.Err() != nil {
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		var refusal *vendorhttp.Error
		switch {
		case errors.As(err, &refusal):
			s.verdict = Refused
			logger.ErrorContext(ctx, "start-up check refused: fix the credential and restart", "check", name, "error", err)
		case err != nil:
			s.verdict = Failed
			logger.ErrorContext(ctx, "start-up check failed", "check", name, "error", err)
		default:
			s.verdict = nil
			close(s.passed)
			logger.InfoContext(ctx, "start-up check passed", "check", name)
		}
	}()
	return s
}

// Ready is the check's verdict so far, as a Check.
func (s *StartCheck) Ready(context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.verdict
}

// Passed is closed once the vendor accepted the call; never when refused.
func (s *StartCheck) Passed() <-chan struct{} { return s.passed }
