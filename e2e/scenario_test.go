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
)

// TestScenarioDay plays a generated day with every awkward case (late and
// expired documents, bad recognitions, no phone, refused and unanswered
// consent, minors, returning guests, repeated outlet scans) into the
// sandboxes while the feeders run, and checks that guestflow ends where the
// rules say: guests per stage, Mews and Passquare records, credits, and the
// vendor calls each guest cost.
func TestScenarioDay(t *testing.T) {
	s := startStack(t, false)
	day := romeDay(11, 16)
	want := day.Expected()
	t.Logf("day: %d guests, stages %v", want.Guests, want.Stages)
	// A whole day in well under a minute, while the feeders run as their
	// Schedules would.
	s.playUntilSettled(day, 150*time.Second)
	s.nothingLostNorTwice(want)
	// Per guest written to Mews, at most three calls (one lookup, the
	// customer's add or update, the document's write), plus the extras
	// activities.UpdateMews names: the lookup by name of a guest without an
	// e-mail; for a returning guest without a PMS link, the e-mail lookup
	// after Mews refuses to add the e-mail a second time, and the update
	// filling what the hotel's profile lacks. More means an N+1.
	bound, written := 0, 0
	for _, g := range day.Guests() {
		if !g.Outcome.Mews {
			continue
		}
		written++
		bound += 3
		if g.Email == "" {
			bound++
		}
		if g.Case == scenario.Returning && g.PMSGuestID == "" {
			bound += 2
		}
	}
	if calls := s.mews.Recorder().Count("", ""); calls > bound {
		t.Errorf("Mews calls %d for %d guests: more than %d", calls, written, bound)
	} else {
		t.Logf("Mews calls %d for %d guests (bound %d)", calls, written, bound)
	}
	// Per card, at most the issue, a read-back after a lost answer, and one
	// balance push per coalesced credit; and never a 429.
	for _, c := range s.passquare.Calls() {
		if c.Status == 429 {
			t.Fatalf("Passquare answered 429 to %s", c.Path)
		}
	}
}

// stages counts the day's guests by the stage their stay reports, and sums
// what their scans credited.
func (s *stack) stages(day *scenario.Day) (map[lifecycle.Stage]int, decimal.Decimal, error) {
	got := map[lifecycle.Stage]int{}
	credited := decimal.Zero
	for _, g := range day.Guests() {
		st, err := s.status(lifecycle.StayWorkflowID(g.BranchID, g.ReservationID, g.CustomerID))
		if err != nil {
			return nil, credited, fmt.Errorf("guest %d/%d: %w", g.ReservationID, g.CustomerID, err)
		}
		got[st.Stage]++
		credited = credited.Add(st.Credited)
	}
	return got, credited, nil
}

// romeDay is a seeded day of arrivals at the stack's Rome branch.
func romeDay(seed int64, arrivals int) *scenario.Day {
	rome, _ := time.LoadLocation("Europe/Rome")
	return scenario.Generate(scenario.Options{
		Seed: seed, Day: rules.Today(time.Now(), rome), ArrivalsPerBranch: arrivals, InstallShare: -1,
		Branches: []scenario.Branch{{
			ID: "rome", PassportScanAccountID: "101", PassportScanAPIKey: "e2e-rome-key", Country: "IT", TimeZone: "Europe/Rome",
			MewsAccessToken: romeMews, PasscreatorAppConfigurationID: romeConfigID,
			AdultAge: 18, BonusPercent: decimal.RequireFromString("5"),
		}},
		Passquare: scenario.PassquareAccount{AppKey: passquareKey, Plan: "expert"},
	})
}

// playUntilSettled seeds day into the sandboxes and plays it at 4000 times
// its speed while the feeders run as their Schedules would, until every
// guest is where the rules say and the credits are made, within the time
// given. A feeder run that fails (under injected faults) is left to the
// next one, as a Schedule's would be.
func (s *stack) playUntilSettled(day *scenario.Day, within time.Duration) {
	s.t.Helper()
	sandboxes := scenario.Sandboxes{PassportScan: s.passport, Mews: s.mews, Passquare: s.passquare, Passcreator: s.passcreator}
	if err := day.Seed(sandboxes); err != nil {
		s.t.Fatal(err)
	}
	want := day.Expected()
	ctx, cancel := context.WithTimeout(context.Background(), within+time.Minute)
	defer cancel()
	played := make(chan error, 1)
	go func() { played <- day.Play(ctx, sandboxes, scenario.NewClock(day.Start, 4000), nil) }()
	poll := 0
	playing := true
	s.eventually("the day ends where the rules say", within, func() error {
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
		poll++
		var res any
		if err := s.tryRun(lifecycle.PollArrivalsWorkflowName, fmt.Sprintf("scenario-poll-%d", poll),
			lifecycle.PollArrivals{BranchID: "rome", TimeZone: "Europe/Rome", Full: poll%3 == 0}, &res); err != nil {
			s.t.Logf("poll %d: %v", poll, err)
		}
		if err := s.tryRun(lifecycle.SyncScansWorkflowName, fmt.Sprintf("scenario-scans-%d", poll),
			lifecycle.SyncScans{AppConfigurationID: romeConfigID, Lookback: 10 * time.Minute}, &res); err != nil {
			s.t.Logf("scan sync %d: %v", poll, err)
		}
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

// nothingLostNorTwice checks the vendors' records of a settled day: one
// Mews customer and document per guest who got there, one Passquare
// customer per card.
func (s *stack) nothingLostNorTwice(want scenario.Expected) {
	s.t.Helper()
	if n, w := len(s.mews.Customers(romeMews)), want.MewsCustomers["rome"]; n != w {
		s.t.Errorf("Mews customers %d, want %d", n, w)
	}
	if n, w := len(s.mews.Documents(romeMews)), want.MewsDocuments["rome"]; n != w {
		s.t.Errorf("Mews documents %d, want %d", n, w)
	}
	if n := len(s.passquare.Customers(passquareKey)); n != want.Cards {
		s.t.Errorf("Passquare customers %d, want %d", n, want.Cards)
	}
}
