package scenario

import (
	"cmp"
	"slices"
	"time"
)

// EventKind is what happens at an event.
type EventKind string

const (
	// GuestsArrived: the party checks in and PassportScan gets its guests
	// (only with Options.ArrivalsOverTime).
	GuestsArrived EventKind = "GuestsArrived"
	// DocumentScanned: a guest who arrived unscanned is scanned.
	DocumentScanned EventKind = "DocumentScanned"
	// CardInstalled: the guest adds the card to their wallet, Delay after
	// the card appeared at Passquare.
	CardInstalled EventKind = "CardInstalled"
	// CardScanned: an outlet scans the guest's card, once it exists.
	CardScanned EventKind = "CardScanned"
)

// Event is one later happening of the day. Card events wait for the card:
// guestflow issues it, so they apply at At or when the card appears,
// whichever is later.
type Event struct {
	Kind EventKind
	// At is when the event is due; Offset is At from Day.Start.
	At     time.Time
	Offset time.Duration
	// Delay is how long after the card appeared a CardInstalled applies.
	Delay time.Duration

	BranchID      string
	ReservationID int64
	CustomerID    int64 // 0 for GuestsArrived
	// Phone is the guest's E.164 phone, which Passquare knows the card by.
	// Personal data: never log it.
	Phone string
	// Scan is the outlet scan of a CardScanned event.
	Scan *OutletScan
}

// Timeline returns the day's events in the order they are due.
func (d *Day) Timeline() []Event { return slices.Clone(d.events) }

var kindOrder = map[EventKind]int{GuestsArrived: 0, DocumentScanned: 1, CardInstalled: 2, CardScanned: 3}

func (d *Day) plan() []Event {
	var out []Event
	add := func(e Event) {
		e.Offset = e.At.Sub(d.Start)
		out = append(out, e)
	}
	for _, r := range d.Reservations {
		if d.Options.ArrivalsOverTime {
			add(Event{Kind: GuestsArrived, At: r.CheckIn, BranchID: r.BranchID, ReservationID: r.ID})
		}
		for _, g := range r.Guests {
			ids := Event{BranchID: g.BranchID, ReservationID: g.ReservationID, CustomerID: g.CustomerID}
			if g.Case == LateDocument && g.Document != nil {
				e := ids
				e.Kind, e.At = DocumentScanned, g.DocumentAt
				add(e)
			}
			if !g.Outcome.Card {
				continue
			}
			if g.InstallsCard {
				e := ids
				e.Kind, e.At, e.Delay, e.Phone = CardInstalled, g.DocumentAt, g.InstallDelay, g.E164
				add(e)
			}
			for i := range g.Scans {
				e := ids
				s := g.Scans[i]
				e.Kind, e.At, e.Phone, e.Scan = CardScanned, s.At, g.E164, &s
				add(e)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Event) int {
		return cmp.Or(a.At.Compare(b.At), cmp.Compare(kindOrder[a.Kind], kindOrder[b.Kind]),
			cmp.Compare(a.ReservationID, b.ReservationID), cmp.Compare(a.CustomerID, b.CustomerID))
	})
	return out
}
