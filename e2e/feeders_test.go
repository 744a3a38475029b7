package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/workflow"

	"github.com/guestflow/guestflow/activities"
	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/rules"
	ps "github.com/guestflow/guestflow/vendors/passportscan/sandbox"
	"github.com/guestflow/guestflow/workflows"
)

func (s *stack) waitStage(id string, want lifecycle.Stage) {
	s.t.Helper()
	s.eventually(id+" reaches "+string(want), 30*time.Second, func() error {
		st, err := s.status(id)
		if err == nil && st.Stage != want {
			err = fmt.Errorf("stage %s (%s)", st.Stage, st.Reason)
		}
		return err
	})
}

// A poll of changes that PassportScan answered but whose answer was lost
// has moved the key's mark: the change never comes back in the change feed.
// The reconciling poll brings it anyway.
func TestLostChangesArriveWithTheRetriedPoll(t *testing.T) {
	s := newStack(t)
	rome, _ := time.LoadLocation("Europe/Rome")
	today := rules.Today(time.Now(), rome)
	departure := today.AddDays(1).String()
	noDocument := guest(71, "Ines", "Ribeiro", "", func(c *ps.Customer) { c.LastDocument = ps.Document{DocumentType: ptr("EXT")} })
	s.passport.PutReservation("101", ps.Reservation{ID: 7001, ArrivalDate: today.String(), DepartureDate: &departure,
		CustomerReservations: []ps.CustomerReservation{noDocument}})
	var res activities.PollArrivalsResult
	s.run(lifecycle.PollArrivalsWorkflowName, "lost-1", lifecycle.PollArrivals{BranchID: "rome", TimeZone: "Europe/Rome"}, &res)
	id := lifecycle.StayWorkflowID("rome", 7001, 71)
	s.waitStage(id, lifecycle.StageAwaitingDocument)

	// The change poll's answer is lost after PassportScan moved the key's
	// change mark: a second change call would find nothing. The retry reads
	// the date in full, so the document reaches the stay with this poll.
	scanned := guest(71, "Ines", "Ribeiro", "", nil)
	if err := s.passport.PutCustomer("101", 7001, scanned.Customer); err != nil {
		t.Fatal(err)
	}
	s.loseReservations.Store(1)
	s.run(lifecycle.PollArrivalsWorkflowName, "lost-2", lifecycle.PollArrivals{BranchID: "rome", TimeZone: "Europe/Rome"}, &res)
	if res.Guests != 1 || res.Failed != 0 || res.Unchanged != 0 {
		t.Fatalf("the retried change poll: %+v, want the rescanned guest delivered", res)
	}
	s.waitStage(id, lifecycle.StageNoWallet) // no phone: the stay goes on without a card
}

// A document scanned after midnight for yesterday's arrival (a late
// check-in) reaches its stay with the next reconciling poll.
func TestLateDocumentForYesterdaysArrival(t *testing.T) {
	s := newStack(t)
	rome, _ := time.LoadLocation("Europe/Rome")
	yesterday := rules.Today(time.Now(), rome).AddDays(-1)
	departure := yesterday.AddDays(3).String()
	noDocument := guest(81, "Lena", "Hofer", "", func(c *ps.Customer) { c.LastDocument = ps.Document{DocumentType: ptr("EXT")} })
	s.passport.PutReservation("101", ps.Reservation{ID: 7201, ArrivalDate: yesterday.String(), DepartureDate: &departure,
		CustomerReservations: []ps.CustomerReservation{noDocument}})
	full := lifecycle.PollArrivals{BranchID: "rome", TimeZone: "Europe/Rome", Full: true}
	var res activities.PollArrivalsResult
	s.run(lifecycle.PollArrivalsWorkflowName, "late-1", full, &res)
	id := lifecycle.StayWorkflowID("rome", 7201, 81)
	s.waitStage(id, lifecycle.StageAwaitingDocument)

	if err := s.passport.PutCustomer("101", 7201, guest(81, "Lena", "Hofer", "", nil).Customer); err != nil {
		t.Fatal(err)
	}
	s.run(lifecycle.PollArrivalsWorkflowName, "late-2", full, &res)
	s.waitStage(id, lifecycle.StageNoWallet) // verified, in Mews; no phone, so no card
}

// One stay whose workflow task always fails (a bug, a bad deploy) does not
// hold up its branch: the other guests get their snapshots in the same
// poll, and the poll says how many it could not deliver.
func TestBrokenStayDoesNotStallThePoll(t *testing.T) {
	const broken = 95
	s := startStack(t, true, func(w *stackWiring) {
		w.deliveryTimeout = 10 * time.Second // long enough for a healthy delivery on a loaded machine
		w.stay = func(ctx workflow.Context, in lifecycle.StayInput) (lifecycle.StaySummary, error) {
			if in.Guest.CustomerID == broken {
				panic("a bug in this guest's stay")
			}
			return workflows.Stay(ctx, in)
		}
	})
	rome, _ := time.LoadLocation("Europe/Rome")
	today := rules.Today(time.Now(), rome)
	departure := today.AddDays(1).String()
	var party []ps.CustomerReservation
	for id := int64(90); id < 100; id++ {
		party = append(party, guest(id, "Guest", fmt.Sprintf("N%d", id), "", nil))
	}
	s.passport.PutReservation("101", ps.Reservation{ID: 7100, ArrivalDate: today.String(), DepartureDate: &departure,
		CustomerReservations: party})

	var res activities.PollArrivalsResult
	s.run(lifecycle.PollArrivalsWorkflowName, "broken-1", lifecycle.PollArrivals{BranchID: "rome", TimeZone: "Europe/Rome"}, &res)
	if res.Guests != 10 || res.Failed != 1 {
		t.Fatalf("poll result %+v, want 10 guests and 1 failed", res)
	}
	for id := int64(90); id < 100; id++ {
		if id == broken {
			continue
		}
		if n := s.acceptedUpdates(lifecycle.StayWorkflowID("rome", 7100, id), lifecycle.UpdateGuestSnapshot); n != 1 {
			t.Errorf("guest %d: %d snapshot updates, want 1", id, n)
		}
	}
	if got := testutil.ToFloat64(s.activities.PassportScan.Undelivered.WithLabelValues("rome")); got != 1 {
		t.Errorf("guestflow_snapshots_undelivered_total{branch=rome} = %v, want 1", got)
	}
}

// A backfill reads past arrival days in full and starts the stays of guests
// still in the hotel; a guest already handed over is not started twice.
func TestBackfill(t *testing.T) {
	s := newStack(t)
	rome, _ := time.LoadLocation("Europe/Rome")
	today := rules.Today(time.Now(), rome)
	departure := today.AddDays(3).String()
	for i := range 3 {
		day := today.AddDays(-3 + i)
		s.passport.PutReservation("101", ps.Reservation{ID: int64(8001 + i), ArrivalDate: day.String(), DepartureDate: &departure,
			CustomerReservations: []ps.CustomerReservation{guest(int64(81+i), "Nina", fmt.Sprintf("Weber%d", i), "", nil)}})
	}
	var res activities.PollArrivalsResult
	in := lifecycle.BackfillArrivals{BranchID: "rome", From: today.AddDays(-3), To: today.AddDays(-1)}
	s.run(lifecycle.BackfillArrivalsWorkflowName, "backfill-1", in, &res)
	if res.Reservations != 3 || res.Guests != 3 {
		t.Fatalf("backfill: %+v", res)
	}
	for i := range 3 {
		s.waitStage(lifecycle.StayWorkflowID("rome", int64(8001+i), int64(81+i)), lifecycle.StageNoWallet)
	}
	s.run(lifecycle.BackfillArrivalsWorkflowName, "backfill-2", in, &res)
	if n := len(s.mews.Customers(romeMews)); n != 3 {
		t.Errorf("Mews customers after two backfills: %d, want 3", n)
	}
	s.exportHistories(map[string]string{"backfill.json": "backfill-1"})
}

// A guest whose stay has closed (departed, or closed by an operator) is
// still in PassportScan's answers for a while: the poll counts them and
// starts nothing.
func TestClosedStayIsNotStartedAgain(t *testing.T) {
	s := newStack(t)
	rome, _ := time.LoadLocation("Europe/Rome")
	today := rules.Today(time.Now(), rome)
	departure := today.AddDays(1).String()
	s.passport.PutReservation("101", ps.Reservation{ID: 7101, ArrivalDate: today.String(), DepartureDate: &departure,
		CustomerReservations: []ps.CustomerReservation{guest(72, "Aino", "Virtanen", "", nil)}})
	var res activities.PollArrivalsResult
	s.run(lifecycle.PollArrivalsWorkflowName, "closed-1", lifecycle.PollArrivals{BranchID: "rome", TimeZone: "Europe/Rome", Full: true}, &res)
	id := lifecycle.StayWorkflowID("rome", 7101, 72)
	s.waitStage(id, lifecycle.StageNoWallet)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.client.TerminateWorkflow(ctx, id, "", "e2e: the stay closed"); err != nil {
		t.Fatal(err)
	}

	s.run(lifecycle.PollArrivalsWorkflowName, "closed-2", lifecycle.PollArrivals{BranchID: "rome", TimeZone: "Europe/Rome", Full: true}, &res)
	if res.Guests != 1 || res.Departed != 1 {
		t.Errorf("poll after the stay closed: %+v, want the guest counted as departed", res)
	}
	d, err := s.client.DescribeWorkflowExecution(ctx, id, "")
	if err != nil {
		t.Fatal(err)
	}
	if st := d.GetWorkflowExecutionInfo().GetStatus(); st != enums.WORKFLOW_EXECUTION_STATUS_TERMINATED {
		t.Errorf("the stay's latest run is %s: a closed stay was started again", st)
	}
}
