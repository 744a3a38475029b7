package e2e

import (
	"context"
	"fmt"
	"maps"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"go.temporal.io/sdk/client"

	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/rules"
	"github.com/guestflow/guestflow/scenario"
	"github.com/guestflow/guestflow/vendors/sandboxkit"
)

// issue15Faults are the fault rates of issue 15: every sandbox answers a
// fifth of the calls 500, drops one in twenty connections, adds 300 ms to
// each call and now and then refuses a short burst with 429 (Retry-After 3 s).
var issue15Faults = sandboxkit.Faults{ErrorRate: 0.2, DropRate: 0.05, Latency: 300 * time.Millisecond,
	Burst429Every: 40, Burst429Len: 3, RetryAfter: 3 * time.Second, Seed: 15}

// TestScenarioDayUnderFaults plays a smaller seeded day twice, without and
// with issue15Faults at every sandbox: with faults it ends where the rules
// say, with no guest lost and nothing written twice, in at most twice the
// time.
func TestScenarioDayUnderFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("plays a day twice")
	}
	clean := playDay(t, sandboxkit.Faults{})
	faulty := playDay(t, issue15Faults)
	t.Logf("settled in %v without faults, %v with them: ratio %.2f", clean.Round(time.Second), faulty.Round(time.Second), faulty.Seconds()/clean.Seconds())
	if faulty > 2*clean {
		t.Errorf("with faults the day took %v, more than twice %v", faulty, clean)
	}
}

// playDay plays a seeded day of 12 arrivals with the sandboxes at faults and
// returns how long it took to settle where the rules say.
func playDay(t *testing.T, faults sandboxkit.Faults) time.Duration {
	s := startStack(t, false)
	rome, _ := time.LoadLocation("Europe/Rome")
	day := scenario.Generate(scenario.Options{
		Seed: 15, Day: rules.Today(time.Now(), rome), ArrivalsPerBranch: 12, InstallShare: -1,
		Branches: []scenario.Branch{{
			ID: "rome", PassportScanAccountID: "101", PassportScanAPIKey: "e2e-rome-key", Country: "IT", TimeZone: "Europe/Rome",
			MewsAccessToken: romeMews, PasscreatorAppConfigurationID: romeConfigID,
			AdultAge: 18, BonusPercent: decimal.RequireFromString("5"),
		}},
		Passquare: scenario.PassquareAccount{AppKey: passquareKey, Plan: "expert"},
	})
	sandboxes := scenario.Sandboxes{PassportScan: s.passport, Mews: s.mews, Passquare: s.passquare, Passcreator: s.passcreator}
	if err := day.Seed(sandboxes); err != nil {
		t.Fatal(err)
	}
	s.passport.SetFaults(faults)
	s.mews.SetFaults(faults)
	s.passquare.SetFaults(faults)
	s.passcreator.SetFaults(faults)
	want := day.Expected()

	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	played := make(chan error, 1)
	go func() { played <- day.Play(ctx, sandboxes, scenario.NewClock(day.Start, 4000), nil) }()
	poll := 0
	playing := true
	s.eventually("the day ends where the rules say", 4*time.Minute, func() error {
		if playing {
			select {
			case err := <-played:
				if err != nil {
					return fmt.Errorf("play: %w", err)
				}
				playing = false
			default:
			}
		}
		// The feeders as their Schedules run them; a run that fails under
		// the faults is the next run's to make up, as in production.
		poll++
		var res any
		_ = s.tryRun(lifecycle.PollArrivalsWorkflowName, fmt.Sprintf("faults-poll-%d", poll),
			lifecycle.PollArrivals{BranchID: "rome", TimeZone: "Europe/Rome", Full: poll%3 == 0}, &res)
		_ = s.tryRun(lifecycle.SyncScansWorkflowName, fmt.Sprintf("faults-scans-%d", poll),
			lifecycle.SyncScans{AppConfigurationID: romeConfigID, Lookback: 10 * time.Minute}, &res)
		got, credited, err := s.stages(day)
		switch {
		case err != nil:
			return err
		case playing:
			return fmt.Errorf("still playing; stages %v", got)
		case !maps.Equal(got, want.Stages):
			return fmt.Errorf("stages %v, want %v", got, want.Stages)
		case !credited.Equal(want.Credits):
			return fmt.Errorf("credited %s, want %s", credited, want.Credits)
		}
		return nil
	})
	took := time.Since(start)
	// Nothing lost, nothing twice.
	if n, w := len(s.mews.Customers(romeMews)), want.MewsCustomers["rome"]; n != w {
		t.Errorf("Mews customers %d, want %d", n, w)
	}
	if n, w := len(s.mews.Documents(romeMews)), want.MewsDocuments["rome"]; n != w {
		t.Errorf("Mews documents %d, want %d", n, w)
	}
	if n := len(s.passquare.Customers(passquareKey)); n != want.Cards {
		t.Errorf("Passquare customers %d, want %d", n, want.Cards)
	}
	return took
}

// tryRun is run for a workflow that may fail, as a Schedule's run may.
func (s *stack) tryRun(workflow string, id string, arg any, result any) error {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	r, err := s.client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: lifecycle.TaskQueue}, workflow, arg)
	if err != nil {
		return err
	}
	return r.Get(ctx, result)
}
