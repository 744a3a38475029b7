package e2e

import (
	"fmt"
	"testing"
	"time"

	"github.com/guestflow/guestflow/activities"
	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/rules"
	ps "github.com/guestflow/guestflow/vendors/passportscan/sandbox"
)

// pollBenchGuests is a busy branch's arrivals for today and tomorrow.
const pollBenchGuests = 200

// seedArrivals puts n guests on today's arrivals in two-guest reservations,
// without a document yet, so their stays wait and the poll alone is measured.
func seedArrivals(s *stack, n int) {
	rome, _ := time.LoadLocation("Europe/Rome")
	today := rules.Today(time.Now(), rome)
	departure := today.AddDays(2).String()
	for r := range n / 2 {
		var guests []ps.CustomerReservation
		for g := range 2 {
			id := int64(100000 + 2*r + g)
			guests = append(guests, guest(id, "Bench", fmt.Sprintf("Guest%d", id), "", func(c *ps.Customer) { c.LastDocument = ps.Document{} }))
		}
		s.passport.PutReservation("101", ps.Reservation{ID: int64(90000 + r), ArrivalDate: today.String(), DepartureDate: &departure, CustomerReservations: guests})
	}
}

// BenchmarkFirstPoll: a full poll that starts a stay for every guest
// (update-with-start), as the first poll of a busy morning does.
func BenchmarkFirstPoll(b *testing.B) {
	for i := range b.N {
		b.StopTimer()
		s := newStack(b)
		seedArrivals(s, pollBenchGuests)
		b.StartTimer()
		var res activities.PollArrivalsResult
		s.run(lifecycle.PollArrivalsWorkflowName, fmt.Sprintf("bench-first-%d", i), lifecycle.PollArrivals{BranchID: "rome", TimeZone: "Europe/Rome", Full: true}, &res)
		if res.Guests != pollBenchGuests {
			b.Fatalf("poll: %+v", res)
		}
	}
	b.ReportMetric(float64(pollBenchGuests*b.N)/b.Elapsed().Seconds(), "guests/s")
}

// BenchmarkReconcilingPoll: the full poll every 15 minutes that finds every
// stay already holding its guest's snapshot (the validator refuses them).
func BenchmarkReconcilingPoll(b *testing.B) {
	s := newStack(b)
	seedArrivals(s, pollBenchGuests)
	var res activities.PollArrivalsResult
	s.run(lifecycle.PollArrivalsWorkflowName, "bench-warm", lifecycle.PollArrivals{BranchID: "rome", TimeZone: "Europe/Rome", Full: true}, &res)
	b.ResetTimer()
	for i := range b.N {
		s.run(lifecycle.PollArrivalsWorkflowName, fmt.Sprintf("bench-again-%d", i), lifecycle.PollArrivals{BranchID: "rome", TimeZone: "Europe/Rome", Full: true}, &res)
		if res.Unchanged != pollBenchGuests {
			b.Fatalf("poll: %+v", res)
		}
	}
	b.ReportMetric(float64(pollBenchGuests*b.N)/b.Elapsed().Seconds(), "guests/s")
}
