package scenario

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	pcsandbox "github.com/guestflow/guestflow/vendors/passcreator/sandbox"
	pqsandbox "github.com/guestflow/guestflow/vendors/passquare/sandbox"
)

// PollEvery is how often, in simulated time, Play looks for the cards that
// card events wait for.
const PollEvery = time.Minute

// Applied reports one event Play has dealt with.
type Applied struct {
	Event Event
	// At is the simulated time it was applied.
	At time.Time
	// CardNumber is the Passquare card of a card event.
	CardNumber string
	// AppScanID is the Passcreator scan a CardScanned made.
	AppScanID string
	// Err says why the event could not be applied; it is dropped then.
	Err error
}

// ErrNoSandbox reports an event whose vendor sandbox Play was not given.
var ErrNoSandbox = errors.New("scenario: the event's sandbox is missing")

// Play applies the timeline's events as the clock reaches them, telling
// report (which may be nil) about each. Card events wait until the
// Passquare sandbox holds a card for the guest's phone, which happens when
// guestflow issues it. Play returns when every event has been dealt with,
// or with ctx's error when ctx ends first: events whose card never comes
// keep it waiting.
func (d *Day) Play(ctx context.Context, s Sandboxes, clock Clock, report func(Applied)) error {
	if report == nil {
		report = func(Applied) {}
	}
	pending := make([]*waiting, 0, len(d.events))
	for _, e := range d.events {
		pending = append(pending, &waiting{Event: e})
	}
	for len(pending) > 0 {
		now := clock.Now()
		var wake time.Time
		later := pending[:0]
		for _, w := range pending {
			next, a, done := d.step(ctx, s, w, now)
			if done {
				a.Event, a.At = w.Event, now
				report(a)
				continue
			}
			later = append(later, w)
			if wake.IsZero() || next.Before(wake) {
				wake = next
			}
		}
		pending = later
		if len(pending) == 0 {
			break
		}
		if err := clock.Sleep(ctx, max(wake.Sub(now), time.Millisecond)); err != nil {
			return err
		}
	}
	return nil
}

// waiting is an event not yet applied, and when its card was first seen.
type waiting struct {
	Event
	cardSeen time.Time
}

// step applies w if it is due and its card (if any) is there; otherwise it
// says when to look again.
func (d *Day) step(ctx context.Context, s Sandboxes, w *waiting, now time.Time) (wake time.Time, a Applied, done bool) {
	if now.Before(w.At) {
		return w.At, a, false
	}
	switch w.Kind {
	case GuestsArrived, DocumentScanned:
		return time.Time{}, Applied{Err: d.checkIn(s, w.Event)}, true
	}
	if s.Passquare == nil || (w.Kind == CardScanned && s.Passcreator == nil) {
		return time.Time{}, Applied{Err: ErrNoSandbox}, true
	}
	card, ok := s.Passquare.Customer(d.Options.Passquare.AppKey, w.Phone)
	if !ok || card.CardNumber == "" {
		return now.Add(PollEvery), a, false
	}
	a.CardNumber = card.CardNumber
	if w.Kind == CardInstalled {
		if w.cardSeen.IsZero() {
			w.cardSeen = now
		}
		if due := w.cardSeen.Add(w.Delay); now.Before(due) {
			return due, a, false
		}
		_, a.Err = s.Passquare.InstallCard(ctx, w.Phone)
		return time.Time{}, a, true
	}
	a.AppScanID, a.Err = d.scan(s.Passcreator, w.Event, card)
	return time.Time{}, a, true
}

// checkIn puts a party's guests, or one guest's late scan, on PassportScan.
func (d *Day) checkIn(s Sandboxes, e Event) error {
	if s.PassportScan == nil {
		return ErrNoSandbox
	}
	b, _ := d.Branch(e.BranchID)
	for i := range d.Reservations {
		r := &d.Reservations[i]
		if r.ID != e.ReservationID {
			continue
		}
		if e.Kind == GuestsArrived {
			s.PassportScan.PutReservation(b.PassportScanAccountID, r.passportScanReservation(true))
			return nil
		}
		for j := range r.Guests {
			if g := &r.Guests[j]; g.CustomerID == e.CustomerID {
				return s.PassportScan.PutCustomer(b.PassportScanAccountID, r.ID, g.passportScanCustomer(true))
			}
		}
	}
	return fmt.Errorf("scenario: no guest %d on reservation %d", e.CustomerID, e.ReservationID)
}

// scan makes the outlet's scan of the card: the scanned barcode is the
// card number, and the transaction value goes in the configuration's
// property. The card is Passquare's, so Passcreator knows no pass of it:
// the scan names none (passId null), whatever its status.
func (d *Day) scan(pc *pcsandbox.Server, e Event, card pqsandbox.Customer) (string, error) {
	b, _ := d.Branch(e.BranchID)
	value := json.RawMessage(e.Scan.Value.StringFixed(2))
	if e.Scan.ValueText != "" {
		value, _ = json.Marshal(e.Scan.ValueText)
	}
	scan := pcsandbox.AppScan{
		ScanStatus:          e.Scan.Status,
		ScannedBarcodeValue: card.CardNumber,
		PassSearchString:    card.CardNumber,
		DeviceName:          e.Scan.Device,
		AdditionalPropertiesScan: []pcsandbox.ScanProperty{
			{ID: transactionPropertyID, Value: value},
		},
	}
	stored, err := pc.AddScan(b.PasscreatorAppConfigurationID, scan)
	return stored.AppScanID, err
}
