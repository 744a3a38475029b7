package activities

import (
	"errors"
	"testing"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/vendors/passportscan"
)

// A change poll over two dates would lose the second date's changes to the
// first call, which moves the key's mark: it is refused before any call.
func TestChangePollReadsOneDate(t *testing.T) {
	a := &PassportScan{
		Branches: map[string]*passportscan.Client{"rome": passportscan.New(passportscan.Options{BaseURL: "http://127.0.0.1:1"})},
		Rules:    map[string]lifecycle.BranchRules{"rome": {}},
	}
	var env testsuite.WorkflowTestSuite
	ae := env.NewTestActivityEnvironment()
	ae.RegisterActivity(a)
	_, err := ae.ExecuteActivity(a.PollArrivals, PollArrivalsInput{BranchID: "rome", Dates: []string{"2026-11-23", "2026-11-24"}})
	var app *temporal.ApplicationError
	if !errors.As(err, &app) || app.Type() != ErrInvalidInput || !app.NonRetryable() {
		t.Fatalf("error %v, want a non-retryable %s", err, ErrInvalidInput)
	}
}
