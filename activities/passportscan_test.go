package activities

import (
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/vendors/passportscan"
	pssandbox "github.com/guestflow/guestflow/vendors/passportscan/sandbox"
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

// A change poll asks for one page large enough to serve; when the page says
// more remain (the document does not say page 2 reads the same change set),
// the date is read in full at once, so no change waits for the next
// reconciling poll.
func TestChangePollReadsInFullWhenOnePageDoesNotServe(t *testing.T) {
	for _, tt := range []struct {
		name         string
		reservations int
		wantChange   int // change calls (all_customers=0)
		wantFull     bool
	}{
		{"a few changes", 3, 1, false},
		{"more than a page", 130, 1, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sb := pssandbox.New(pssandbox.Options{RateLimit: -1})
			sb.AddBranch("rome-key", "101")
			for i := range tt.reservations {
				sb.PutReservation("101", pssandbox.Reservation{ID: int64(5000 + i), ArrivalDate: "2026-11-23",
					CustomerReservations: []pssandbox.CustomerReservation{{Customer: pssandbox.Customer{ID: int64(9000 + i)}}}})
			}
			srv := httptest.NewServer(sb)
			defer srv.Close()
			a := &PassportScan{
				Branches: map[string]*passportscan.Client{"rome": passportscan.New(passportscan.Options{APIKey: "rome-key", AccountID: "101", BaseURL: srv.URL})},
				Rules:    map[string]lifecycle.BranchRules{"rome": {}},
			}
			var env testsuite.WorkflowTestSuite
			ae := env.NewTestActivityEnvironment()
			ae.RegisterActivity(a)
			v, err := ae.ExecuteActivity(a.FetchArrivals, PollArrivalsInput{BranchID: "rome", Dates: []string{"2026-11-23"}})
			if err != nil {
				t.Fatal(err)
			}
			var res FetchArrivalsResult
			if err := v.Get(&res); err != nil {
				t.Fatal(err)
			}
			if len(res.Guests) != tt.reservations {
				t.Errorf("%d guests fetched, want %d", len(res.Guests), tt.reservations)
			}
			change, full := 0, false
			for _, c := range sb.Calls() {
				switch {
				case strings.Contains(c.Query, "all_customers=0"):
					change++
					if !strings.Contains(c.Query, "pagination[limit]=100") {
						t.Errorf("change poll asked %s, want one page of 100", c.Query)
					}
				case strings.Contains(c.Query, "all_customers=1"):
					full = true
				}
			}
			if change != tt.wantChange || full != tt.wantFull {
				t.Errorf("%d change calls, full read %v; want %d, %v", change, full, tt.wantChange, tt.wantFull)
			}
		})
	}
}
