package e2e

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/shopspring/decimal"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/workflow"

	"github.com/guestflow/guestflow/activities"
	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/report"
	"github.com/guestflow/guestflow/rules"
	ps "github.com/guestflow/guestflow/vendors/passportscan/sandbox"
	"github.com/guestflow/guestflow/workflows"
)

// The report's stays: reservation 1 is a stay that completes at once with a
// summary, reservation 2 one that waits until it is terminated; the others
// are real stays.
const (
	completedReservation = 1
	hangingReservation   = 2
)

// reportStay stands in for the Stay of the reservations above, publishing
// the search attributes the real one does.
func reportStay(ctx workflow.Context, in lifecycle.StayInput) (lifecycle.StaySummary, error) {
	if in.Guest.ReservationID != completedReservation && in.Guest.ReservationID != hangingReservation {
		return workflows.Stay(ctx, in)
	}
	loc, err := time.LoadLocation(in.Rules.TimeZone)
	if err != nil {
		return lifecycle.StaySummary{}, err
	}
	stage := lifecycle.StageCompleted
	if in.Guest.ReservationID == hangingReservation {
		stage = lifecycle.StageMewsUpdated
	}
	if err := workflow.UpsertTypedSearchAttributes(ctx, lifecycle.BranchIDKey.ValueSet(in.Guest.BranchID),
		lifecycle.ArrivalDateKey.ValueSet(in.Guest.Arrival.At(loc, 0)), lifecycle.GuestStageKey.ValueSet(string(stage))); err != nil {
		return lifecycle.StaySummary{}, err
	}
	if stage != lifecycle.StageCompleted {
		return lifecycle.StaySummary{}, workflow.Await(ctx, func() bool { return false })
	}
	return lifecycle.StaySummary{FinalStage: stage, CardNumber: "4000123", Scans: 2, Credited: decimal.RequireFromString("3.50")}, nil
}

// The report counts a day's arrivals of a branch from visibility and each
// stay's status (running) or summary (closed); a stay it cannot read is
// counted as unread, a stay of another day not at all.
func TestReport(t *testing.T) {
	s := startStack(t, true, func(w *stackWiring) { w.stay = reportStay })
	rome, _ := time.LoadLocation("Europe/Rome")
	today := rules.Today(time.Now(), rome)
	departure := today.AddDays(2).String()
	s.passport.PutReservation("101", ps.Reservation{ID: 9101, ArrivalDate: today.String(), DepartureDate: &departure,
		CustomerReservations: []ps.CustomerReservation{
			guest(81, "Anna", "Russo", "+393401112233", nil),
			guest(82, "Bruno", "Russo", "+393401112234", func(c *ps.Customer) {
				c.LastDocument.ExpirationDate = ptr(today.AddDays(-30).String())
			}),
			guest(83, "Carla", "Russo", "", nil),
		}})
	var res activities.PollArrivalsResult
	s.run(lifecycle.PollArrivalsWorkflowName, "report-poll", lifecycle.PollArrivals{BranchID: "rome", TimeZone: "Europe/Rome", Full: true}, &res)
	issued, stuck, noPhone := lifecycle.StayWorkflowID("rome", 9101, 81), lifecycle.StayWorkflowID("rome", 9101, 82), lifecycle.StayWorkflowID("rome", 9101, 83)
	s.waitStage(issued, lifecycle.StageWalletIssued)
	s.waitStage(stuck, lifecycle.StageNeedsAttention)
	s.waitStage(noPhone, lifecycle.StageNoWallet)
	noWallet, err := s.status(noPhone)
	if err != nil || noWallet.NoWallet == "" {
		t.Fatalf("no-wallet guest: %+v, %v", noWallet, err)
	}

	fake := func(reservation int64, arrival rules.Date) lifecycle.StayInput {
		return lifecycle.StayInput{Guest: lifecycle.Guest{BranchID: "rome", ReservationID: reservation, CustomerID: 1, Arrival: arrival},
			Rules: lifecycle.BranchRules{TimeZone: "Europe/Rome"}}
	}
	var sum lifecycle.StaySummary
	s.run(lifecycle.StayWorkflowName, "report-completed", fake(completedReservation, today), &sum)
	s.run(lifecycle.StayWorkflowName, "report-completed-tomorrow", fake(completedReservation, today.AddDays(1)), &sum)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := s.client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: "report-hanging", TaskQueue: lifecycle.TaskQueue}, lifecycle.StayWorkflowName, fake(hangingReservation, today)); err != nil {
		t.Fatal(err)
	}
	s.eventually("the hanging stay publishes its stage", 15*time.Second, func() error {
		d, err := s.client.DescribeWorkflowExecution(ctx, "report-hanging", "")
		if err == nil && d.GetWorkflowExecutionInfo().GetSearchAttributes().GetIndexedFields()[lifecycle.GuestStageKey.GetName()] == nil {
			err = errors.New("no GuestStage yet")
		}
		return err
	})
	if err := s.client.TerminateWorkflow(ctx, "report-hanging", "", "the report test"); err != nil {
		t.Fatal(err)
	}

	var day report.Day
	s.eventually("visibility shows the day's five stays", 30*time.Second, func() error {
		days, err := report.Collect(ctx, s.client, []report.Branch{{ID: "rome", Location: rome}}, []rules.Date{today}, report.Options{Concurrency: 2})
		if err != nil {
			return err
		}
		if len(days) != 1 || days[0].Arrivals != 5 || days[0].Running != 3 || days[0].Stages[lifecycle.StageMewsUpdated] != 1 {
			return fmt.Errorf("%+v", days)
		}
		day = days[0]
		return nil
	})
	want := report.Day{BranchID: "rome", Arrival: today, Arrivals: 5, Running: 3,
		Stages: map[lifecycle.Stage]int{lifecycle.StageWalletIssued: 1, lifecycle.StageNeedsAttention: 1, lifecycle.StageNoWallet: 1,
			lifecycle.StageCompleted: 1, lifecycle.StageMewsUpdated: 1},
		Stuck:    map[string]int{string(rules.DocumentExpired): 1},
		NoWallet: map[rules.Reason]int{noWallet.NoWallet: 1},
		// The wallet guest's card and the completed stay's.
		CardsIssued: 2, Scans: 2, Credited: decimal.RequireFromString("3.5"), Unread: 1}

	// The worker's gauges count the running stays alone.
	gauges := report.NewGauges(prometheus.NewRegistry())
	if err := gauges.Refresh(ctx, s.client, []string{"rome"}); err != nil {
		t.Fatal(err)
	}
	for stage, n := range map[lifecycle.Stage]float64{lifecycle.StageWalletIssued: 1, lifecycle.StageNeedsAttention: 1,
		lifecycle.StageNoWallet: 1, lifecycle.StageMewsUpdated: 0, lifecycle.StageCompleted: 0, lifecycle.StageArrivalFetched: 0} {
		if got := testutil.ToFloat64(gauges.Stays.WithLabelValues("rome", string(stage))); got != n {
			t.Errorf("guestflow_stays{branch=rome,stage=%s} = %v, want %v", stage, got, n)
		}
	}
	if day.Credited.Equal(want.Credited) {
		day.Credited = want.Credited
	}
	if got, wantText := fmt.Sprintf("%+v", day), fmt.Sprintf("%+v", want); got != wantText {
		t.Errorf("report\n got %s\nwant %s", got, wantText)
	}
}
