package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/guestflow/guestflow/activities"
	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/rules"
	mewssandbox "github.com/guestflow/guestflow/vendors/mews/sandbox"
	pc "github.com/guestflow/guestflow/vendors/passcreator/sandbox"
	ps "github.com/guestflow/guestflow/vendors/passportscan/sandbox"
)

func ptr[T any](v T) *T { return &v }

// guest builds a PassportScan guest; edit adjusts the awkward cases.
func guest(id int64, first, last, phone string, edit func(*ps.Customer)) ps.CustomerReservation {
	c := ps.Customer{
		ID: id, FirstName: ptr(first), LastName: ptr(last), BirthDate: ptr("1980-05-01"),
		Nationality: ptr("ITA"),
		LastDocument: ps.Document{DocumentType: ptr("PAS"), DocumentNumber: ptr(fmt.Sprintf("YA%07d", id)),
			IssueDate: ptr("2020-01-10"), ExpirationDate: ptr("2030-01-09"), IssueCountry: ptr("ITA")},
		LastContact:  ps.Contact{Email: ptr(fmt.Sprintf("guest%d@example.com", id))},
		PrivacyFlags: ps.PrivacyFlags{LoyaltyProgram: ptr(true)},
		PMSGuestID:   ptr(fmt.Sprintf("P%d", id)),
	}
	if phone != "" {
		c.LastContact.Phone = ptr(phone)
	}
	if edit != nil {
		edit(&c)
	}
	return ps.CustomerReservation{Customer: c}
}

// TestDayOfArrivals runs a day at the Rome branch through the whole system:
// poll, documents, Mews, wallet cards, a repeated poll, a late document
// scan, outlet scans and the balance on the card.
func TestDayOfArrivals(t *testing.T) {
	s := newStack(t)
	rome, _ := time.LoadLocation("Europe/Rome")
	today := rules.Today(time.Now(), rome)
	departure := today.AddDays(2).String()

	// A returning guest the hotel typed into Mews by hand, with a phone.
	s.mews.AddCustomer(romeMews, mewssandbox.Customer{LastName: "Bianchi", FirstName: ptr("Marco"),
		Email: ptr("guest5@example.com"), Phone: ptr("+39 06 9999 0000")})

	s.passport.PutReservation("101", ps.Reservation{ID: 1001, ArrivalDate: today.String(), DepartureDate: &departure,
		CustomerReservations: []ps.CustomerReservation{
			guest(1, "Anna", "Rossi", "347 123 4567", nil),
			guest(2, "Ludovica", "Ferrà", "347 765 4321", func(c *ps.Customer) {
				c.LastDocument.ExpirationDate = ptr(today.AddDays(-1).String())
			}),
			guest(3, "Paolo", "Rossi", "", nil),
			guest(4, "Giulia", "Rossi", "347 111 2222", func(c *ps.Customer) { c.BirthDate = ptr("2015-03-03") }),
		}})
	s.passport.PutReservation("101", ps.Reservation{ID: 1002, ArrivalDate: today.String(), DepartureDate: &departure,
		CustomerReservations: []ps.CustomerReservation{guest(5, "Marco", "Bianchi", "+393339998888", nil)}})
	s.passport.PutReservation("101", ps.Reservation{ID: 1003, ArrivalDate: today.String(), DepartureDate: &departure,
		CustomerReservations: []ps.CustomerReservation{guest(6, "Søren", "Kierkegaard", "+45 20 12 34 56", func(c *ps.Customer) {
			c.LastDocument = ps.Document{DocumentType: ptr("EXT")}
			c.Nationality = ptr("DNK")
		})}})

	var poll activities.PollArrivalsResult
	s.run(lifecycle.PollArrivalsWorkflowName, "poll-1", lifecycle.PollArrivals{BranchID: "rome", TimeZone: "Europe/Rome", Full: true}, &poll)
	if poll.Guests != 6 || poll.Reservations != 3 || poll.Unchanged != 0 {
		t.Fatalf("poll: %+v", poll)
	}

	want := map[int64]struct {
		stage  lifecycle.Stage
		reason rules.Reason
	}{
		1: {lifecycle.StageWalletIssued, ""},
		2: {lifecycle.StageNeedsAttention, rules.DocumentExpired},
		3: {lifecycle.StageNoWallet, rules.NoPhone},
		4: {lifecycle.StageNoWallet, rules.Minor},
		5: {lifecycle.StageWalletIssued, ""},
		6: {lifecycle.StageAwaitingDocument, rules.DocumentMissing},
	}
	stayID := func(customer int64) string {
		res := map[int64]int64{1: 1001, 2: 1001, 3: 1001, 4: 1001, 5: 1002, 6: 1003}[customer]
		return lifecycle.StayWorkflowID("rome", res, customer)
	}
	s.eventually("every guest reaches their stage", 60*time.Second, func() error {
		for id, w := range want {
			st, err := s.status(stayID(id))
			if err != nil {
				return err
			}
			if st.Stage != w.stage || st.Reason != w.reason {
				return fmt.Errorf("guest %d: %s/%s, want %s/%s (%s)", id, st.Stage, st.Reason, w.stage, w.reason, st.LastError)
			}
		}
		return nil
	})

	// Mews holds exactly one customer per guest who got there, the returning
	// guest reused, and one document each.
	customers := s.mews.Customers(romeMews)
	if len(customers) != 4 { // guests 1, 3, 4 added; guest 5 found by e-mail
		t.Errorf("Mews customers: %d, want 4", len(customers))
	}
	if docs := s.mews.Documents(romeMews); len(docs) != 4 {
		t.Errorf("Mews documents: %d, want 4", len(docs))
	}
	for _, c := range customers {
		if c.Email != nil && *c.Email == "guest5@example.com" && (c.Phone == nil || *c.Phone != "+39 06 9999 0000") {
			t.Errorf("the phone the hotel typed was overwritten")
		}
	}
	// Passquare issued two cards and texted each link once, never rate limited.
	if n := len(s.passquare.Customers(passquareKey)); n != 2 {
		t.Errorf("Passquare customers: %d, want 2", n)
	}
	if n := len(s.passquare.SMS()); n != 2 {
		t.Errorf("SMS sent: %d, want 2", n)
	}

	// Mews calls per guest, so an N+1 shows: a new customer (guests 1, 3
	// and 4) costs the marker lookup, the add and the document add; the
	// returning guest the marker lookup, the add Mews refuses for the
	// e-mail it holds, the e-mail lookup, the update filling its empty
	// fields and the document add.
	mewsCalls := s.mews.Recorder().Count("", "")
	if want := 3*3 + 5; mewsCalls != want {
		t.Errorf("Mews calls: %d, want %d", mewsCalls, want)
	}

	// The same poll again changes nothing anywhere. The poll returns once
	// every stay has answered its delivery; once the stays are settled too,
	// any Mews call a repeat could have caused has been made.
	s.run(lifecycle.PollArrivalsWorkflowName, "poll-2", lifecycle.PollArrivals{BranchID: "rome", TimeZone: "Europe/Rome", Full: true}, &poll)
	s.settled(stayID(1), stayID(2), stayID(3), stayID(4), stayID(5), stayID(6))
	if n := s.mews.Recorder().Count("", ""); n != mewsCalls {
		t.Errorf("a repeated snapshot reached Mews: %d calls, was %d", n, mewsCalls)
	}
	if poll.Unchanged != 6 {
		t.Errorf("the repeated poll found %d stays unchanged, want 6", poll.Unchanged)
	}
	for id := range int64(6) {
		if n := s.acceptedUpdates(stayID(id+1), lifecycle.UpdateGuestSnapshot); n != 1 {
			t.Errorf("stay %d: %d snapshot updates in its history, want only the one that started it", id+1, n)
		}
	}

	// Guest 6 scans their passport hours later; the change feed brings it.
	g6 := guest(6, "Søren", "Kierkegaard", "+45 20 12 34 56", func(c *ps.Customer) { c.Nationality = ptr("DNK") })
	if err := s.passport.PutCustomer("101", 1003, g6.Customer); err != nil {
		t.Fatal(err)
	}
	s.run(lifecycle.PollArrivalsWorkflowName, "poll-3", lifecycle.PollArrivals{BranchID: "rome", TimeZone: "Europe/Rome"}, &poll)
	if poll.Guests != 1 {
		t.Errorf("the change feed brought %d guests, want 1", poll.Guests)
	}
	if n := s.acceptedUpdates(stayID(6), lifecycle.UpdateGuestSnapshot); n != 2 {
		t.Errorf("stay 6: %d snapshot updates in its history, want the start's and the new document's", n)
	}
	s.eventually("the late document moves guest 6 on", 30*time.Second, func() error {
		st, err := s.status(stayID(6))
		if err == nil && st.Stage != lifecycle.StageWalletIssued {
			err = fmt.Errorf("stage %s %s %s", st.Stage, st.Reason, st.LastError)
		}
		return err
	})

	// Outlet scans of Anna's card: a purchase, the same scan listed twice by
	// overlapping syncs, a scan without a value, and a card nobody holds.
	anna, ok := s.passquare.Customer(passquareKey, "+393471234567")
	if !ok || anna.CardNumber == "" {
		t.Fatal("Anna has no card at Passquare")
	}
	now := time.Now()
	for i, sc := range []struct {
		barcode string
		value   string
	}{{anna.CardNumber, "100.00"}, {anna.CardNumber, ""}, {"9999999", "20.00"}} {
		scan := pc.AppScan{ScanStatus: 2, ScannedBarcodeValue: sc.barcode, AppScanID: fmt.Sprintf("scan-%d", i), Created: now.Add(-time.Duration(3-i) * time.Minute)}
		if sc.value != "" {
			scan.AdditionalPropertiesScan = []pc.ScanProperty{{ID: 2, Value: json.RawMessage(`"` + sc.value + `"`)}}
		}
		if _, err := s.passcreator.AddScan(romeConfigID, scan); err != nil {
			t.Fatal(err)
		}
	}
	var mark lifecycle.ScanWatermark
	s.run(lifecycle.SyncScansWorkflowName, "scans-1", lifecycle.SyncScans{AppConfigurationID: romeConfigID}, &mark)
	if mark.Scans != 3 || mark.Delivered != 2 || mark.Unknown != 1 {
		t.Errorf("scan sync: %+v", mark)
	}
	s.run(lifecycle.SyncScansWorkflowName, "scans-2", lifecycle.SyncScans{AppConfigurationID: romeConfigID}, &mark)

	// Run by its Schedule, a sync does not deliver again what the previous
	// run delivered, though its lookback re-reads it; the unknown card is
	// tried again but not counted again.
	// A scan from before the second run's window, which the client's
	// zone-safe createdSince still lists, is known by its appScanId and
	// delivered no second time.
	if _, err := s.passcreator.AddScan(romeConfigID, pc.AppScan{ScanStatus: 2, ScannedBarcodeValue: "9999999",
		AppScanID: "scan-earlier", Created: now.Add(-30 * time.Minute)}); err != nil {
		t.Fatal(err)
	}
	key := rules.AccountKey("+393471234567", []byte(accountSecret))
	signalled := s.signals(lifecycle.AccountWorkflowID(key), lifecycle.SignalRecordScan)
	marks := make([]lifecycle.ScanWatermark, 2)
	s.scheduledRuns("e2e-scans", lifecycle.SyncScansWorkflowName, lifecycle.SyncScans{AppConfigurationID: romeConfigID, Lookback: 10 * time.Minute},
		len(marks), func(i int) any { return &marks[i] })
	if m := marks[1]; m.Scans != 4 || m.Delivered != 0 || m.Unknown != 0 || len(m.Seen) != 4 {
		t.Errorf("the second scheduled sync: %d scans, %d delivered, %d unknown, %d seen; want 4, 0, 0, 4", m.Scans, m.Delivered, m.Unknown, len(m.Seen))
	}
	if n := s.signals(lifecycle.AccountWorkflowID(key), lifecycle.SignalRecordScan) - signalled; n != 2 {
		t.Errorf("the two scheduled syncs signalled Anna's account %d times, want her 2 scans once", n)
	}

	s.eventually("the bonus reaches the account and Anna's card", 90*time.Second, func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		v, err := s.client.QueryWorkflow(ctx, lifecycle.AccountWorkflowID(key), "", lifecycle.QueryBalance)
		if err != nil {
			return err
		}
		var b lifecycle.Balance
		if err := v.Get(&b); err != nil {
			return err
		}
		if b.Balance.StringFixed(2) != "5.00" {
			return fmt.Errorf("account balance %s, want 5.00", b.Balance)
		}
		if c, _ := s.passquare.Customer(passquareKey, "+393471234567"); c.Balance.StringFixed(2) != "5.00" {
			return fmt.Errorf("card balance %s, want 5.00", c.Balance)
		}
		return nil
	})
	st, err := s.status(stayID(1))
	if err != nil || st.Stage != lifecycle.StageBonusCredited || len(st.Scans) != 2 {
		t.Errorf("Anna's stay: %s, %d scans (%v)", st.Stage, len(st.Scans), err)
	}
	for _, c := range s.passquare.Calls() {
		if c.Status == 429 {
			t.Errorf("Passquare answered 429 to %s: the rate limit did not hold", c.Path)
		}
	}

	if st.Card == nil {
		t.Fatal("Anna's stay has no card")
	}
	s.exportHistories(map[string]string{
		"card.json":           lifecycle.CardWorkflowID(st.Card.Number),
		"stay.json":           stayID(1),
		"stay-rescanned.json": stayID(6),
		"account.json":        lifecycle.AccountWorkflowID(key),
		"poll.json":           "poll-3",
		"scansync.json":       "scans-1",
	})
}
