package e2e

import (
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/guestflow/guestflow/activities"
	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/rules"
	ps "github.com/guestflow/guestflow/vendors/passportscan/sandbox"
)

// Mews allows 200 requests per access token in any 30 s. Two worker
// processes serve the branch's Mews queue, whose rate the server holds for
// both together, so a first poll of 90 new guests (270 requests, more than
// a window allows) reaches Mews without a single 429.
func TestMewsPacedAcrossTwoWorkers(t *testing.T) {
	const guests = 90
	s := newStack(t)
	other := activities.FromConfig(s.cfg, s.client, prometheus.NewRegistry(), slog.New(slog.DiscardHandler))
	for _, w := range other.MewsWorkers(s.client, s.cfg.BranchIDs) {
		if err := w.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(w.Stop)
	}
	rome, _ := time.LoadLocation("Europe/Rome")
	today := rules.Today(time.Now(), rome)
	departure := today.AddDays(2).String()
	for r := range guests {
		id := int64(200000 + r)
		// No phone: after Mews the stay goes to NoWallet, and Passquare's
		// own pace does not enter the measure.
		s.passport.PutReservation("101", ps.Reservation{ID: int64(80000 + r), ArrivalDate: today.String(), DepartureDate: &departure,
			CustomerReservations: []ps.CustomerReservation{guest(id, "Paced", fmt.Sprintf("Guest%d", id), "", nil)}})
	}
	start := time.Now()
	var res activities.PollArrivalsResult
	s.run(lifecycle.PollArrivalsWorkflowName, "paced-first", lifecycle.PollArrivals{BranchID: "rome", TimeZone: "Europe/Rome", Full: true}, &res)
	s.eventually("every guest's document in Mews", 3*time.Minute, func() error {
		if n := len(s.mews.Documents(romeMews)); n != guests {
			return fmt.Errorf("%d documents in Mews, want %d", n, guests)
		}
		return nil
	})
	elapsed := time.Since(start)
	calls, tooMany := 0, 0
	for _, c := range s.mews.Calls() {
		calls++
		if c.Status == 429 {
			tooMany++
		}
	}
	t.Logf("%d guests, %d Mews calls in %v: %.2f requests/s (limit 6.67), %.2f guests/s (bound at 3 calls: 2.22)",
		guests, calls, elapsed.Round(100*time.Millisecond), float64(calls)/elapsed.Seconds(), guests/elapsed.Seconds())
	if tooMany > 0 {
		t.Errorf("Mews answered 429 %d times", tooMany)
	}
	if calls > 3*guests {
		t.Errorf("%d Mews calls for %d new guests, want at most 3 each", calls, guests)
	}
}
