package scenario_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/rules"
	"github.com/guestflow/guestflow/scenario"
	pcsandbox "github.com/guestflow/guestflow/vendors/passcreator/sandbox"
	pssandbox "github.com/guestflow/guestflow/vendors/passportscan/sandbox"
)

func TestSeedPutsTheStartOfTheDayIntoTheSandboxes(t *testing.T) {
	d := scenario.Generate(options(5, 30))
	s, _ := sandboxes(t)
	require.NoError(t, d.Seed(s))

	for _, r := range d.Reservations {
		b, _ := d.Branch(r.BranchID)
		got, ok := s.PassportScan.Reservation(b.PassportScanAccountID, r.ID)
		require.True(t, ok, "reservation %d at %s", r.ID, b.ID)
		require.Len(t, got.CustomerReservations, len(r.Guests))
		for i, cr := range got.CustomerReservations {
			g := r.Guests[i]
			assert.Equal(t, g.CustomerID, cr.Customer.ID)
			assert.Equal(t, g.Leader, cr.IsLeader)
			doc := cr.Customer.LastDocument
			if g.Case == scenario.LateDocument || g.Case == scenario.NoDocument {
				assert.Equal(t, "EXT", *doc.DocumentType, "unscanned guests carry EXT")
				assert.Nil(t, doc.DocumentNumber)
				assert.Nil(t, cr.Customer.BirthDate)
			} else {
				assert.Equal(t, string(g.Document.Type), *doc.DocumentType)
			}
		}
	}

	e := d.Expected()
	for _, b := range d.Options.Branches {
		returning := 0
		emails := map[string]bool{}
		for _, g := range d.Guests() {
			if g.BranchID == b.ID && g.Case == scenario.Returning {
				returning++
				emails[g.Email] = true
			}
		}
		customers := s.Mews.Customers(b.MewsAccessToken)
		require.Len(t, customers, returning, "returning guests of %s are in Mews", b.ID)
		for _, c := range customers {
			assert.True(t, emails[*c.Email], "with the e-mail they give PassportScan")
		}
		assert.Greater(t, e.MewsCustomers[b.ID], returning, "the others are added by guestflow")
	}

	configs := s.Passcreator.Configurations()
	require.Len(t, configs, 3)
	for i, b := range d.Options.Branches {
		assert.Equal(t, b.PasscreatorAppConfigurationID, configs[i].ConfigurationID)
		require.Len(t, configs[i].AdditionalProperties, 1)
		assert.Equal(t, "double", configs[i].AdditionalProperties[0].Type)
	}
	assert.Equal(t, "Transaction value", configs[0].AdditionalProperties[0].Name)
	assert.Equal(t, "Umsatz", configs[2].AdditionalProperties[0].Name, "the branch's own property name")
}

func TestPlayAppliesTheTimelineOnceCardsExist(t *testing.T) {
	d := scenario.Generate(options(6, 40))
	s, hooks := sandboxes(t)
	require.NoError(t, d.Seed(s))
	issueCards(t, d, s.Passquare)

	applied, err := play(t, d, s)
	require.NoError(t, err)
	kinds := map[scenario.EventKind]int{}
	for _, a := range applied {
		require.NoError(t, a.Err, "%s of guest %d", a.Event.Kind, a.Event.CustomerID)
		assert.False(t, a.At.Before(a.Event.At), "never before it is due")
		kinds[a.Event.Kind]++
	}
	e := d.Expected()
	assert.Equal(t, len(d.Timeline()), len(applied))
	assert.Equal(t, e.Cases[scenario.LateDocument], kinds[scenario.DocumentScanned])
	assert.Equal(t, e.Installs, kinds[scenario.CardInstalled])
	assert.Equal(t, e.OutletScans, kinds[scenario.CardScanned])

	installed := 0
	for _, c := range s.Passquare.Customers(appKey) {
		if c.Installed {
			installed++
		}
	}
	assert.Equal(t, e.Installs, installed)
	assert.Equal(t, e.Installs, hooks.count(), "each install calls guestflow's hook once")

	// every scan names a card guestflow issued and carries its value
	byCard := map[string]string{} // card number -> E.164
	for _, c := range s.Passquare.Customers(appKey) {
		byCard[c.CardNumber] = c.Phone
	}
	planned := map[string][]scenario.OutletScan{}
	for _, g := range d.Guests() {
		planned[g.E164] = append(planned[g.E164], g.Scans...)
	}
	scans := s.Passcreator.Scans("")
	require.Len(t, scans, e.OutletScans)
	for _, sc := range scans {
		phone, ok := byCard[sc.ScannedBarcodeValue]
		require.True(t, ok, "scanned barcode is a card number")
		assert.Equal(t, pcsandbox.StatusPassNotFound, sc.ScanStatus, "Passcreator does not know Passquare's cards")
		assert.Empty(t, sc.PassID)
		_, registered := s.Passcreator.PassByBarcode(sc.ScannedBarcodeValue)
		assert.False(t, registered, "a Passquare card is no Passcreator pass")
		require.Len(t, sc.AdditionalPropertiesScan, 1)
		v := amount(t, sc.AdditionalPropertiesScan[0].Value)
		found := false
		for _, p := range planned[phone] {
			found = found || (p.Value.Equal(v) && p.Status == sc.ScanStatus)
		}
		assert.True(t, found, "scan %s is one planned for that guest", sc.AppScanID)
	}
}

func amount(t *testing.T, raw json.RawMessage) decimal.Decimal {
	t.Helper()
	var text string
	if json.Unmarshal(raw, &text) != nil {
		text = string(raw)
	}
	v, ok := rules.ParseAmount(text, rules.Typed)
	require.True(t, ok, "transaction value %s", raw)
	return v
}

func TestPlayWaitsForCardsGuestflowHasNotIssued(t *testing.T) {
	d := scenario.Generate(options(8, 20))
	s, hooks := sandboxes(t)
	require.NoError(t, d.Seed(s))

	applied, err := play(t, d, s)
	require.ErrorIs(t, err, errDayOver, "card events keep waiting")
	for _, a := range applied {
		assert.Equal(t, scenario.DocumentScanned, a.Event.Kind, "only documents need no card")
	}
	assert.Equal(t, d.Expected().Cases[scenario.LateDocument], len(applied))
	assert.Empty(t, s.Passcreator.Scans(""))
	assert.Zero(t, hooks.count())
}

func TestArrivalsOverTimeBringTheGuestsAtCheckIn(t *testing.T) {
	o := options(10, 15)
	o.ArrivalsOverTime = true
	d := scenario.Generate(o)
	s, _ := sandboxes(t)
	require.NoError(t, d.Seed(s))
	first := d.Reservations[0]
	got, _ := s.PassportScan.Reservation("101", first.ID)
	assert.Empty(t, got.CustomerReservations, "booked, nobody checked in yet")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	clock := &steppingClock{now: d.Start, until: first.CheckIn}
	_ = d.Play(ctx, s, clock, nil)
	got, _ = s.PassportScan.Reservation("101", first.ID)
	assert.Len(t, got.CustomerReservations, len(first.Guests), "checked in at %s", first.CheckIn)
}

// What PassportScan holds once the day has played, read the way guestflow
// reads it, gives each guest the Outcome the plan says, under the rules.
func TestExpectedAgreesWithTheRulesOnWhatPassportScanHolds(t *testing.T) {
	d := scenario.Generate(options(12, 60))
	s, _ := sandboxes(t)
	require.NoError(t, d.Seed(s))
	issueCards(t, d, s.Passquare)
	_, err := play(t, d, s)
	require.NoError(t, err)

	for _, r := range d.Reservations {
		b, _ := d.Branch(r.BranchID)
		stored, ok := s.PassportScan.Reservation(b.PassportScanAccountID, r.ID)
		require.True(t, ok)
		arrival, err := rules.ParseDate(stored.ArrivalDate)
		require.NoError(t, err)
		for i, cr := range stored.CustomerReservations {
			g := r.Guests[i]
			stage, reason := stageOf(t, b, arrival, cr.Customer, g.Scans)
			assert.Equal(t, g.Outcome.Stage, stage, "guest %d, case %q", g.CustomerID, g.Case)
			assert.Equal(t, g.Outcome.Reason, reason, "guest %d, case %q", g.CustomerID, g.Case)
		}
	}
}

// stageOf applies the stay's rules to a PassportScan customer.
func stageOf(t *testing.T, b scenario.Branch, arrival rules.Date, c pssandbox.Customer, scans []scenario.OutletScan) (lifecycle.Stage, rules.Reason) {
	t.Helper()
	d := c.LastDocument
	doc := &rules.Document{
		Type: rules.DocumentType(text(d.DocumentType)), Number: text(d.DocumentNumber),
		IssueDate: date(t, d.IssueDate), ExpirationDate: date(t, d.ExpirationDate),
		IssueCountry: text(d.IssueCountry), BadRecognized: c.BadRecognized,
	}
	if _, reason := rules.VerifyDocument(doc, arrival, b.AcceptedDocuments, nil); reason == rules.DocumentMissing {
		return lifecycle.StageAwaitingDocument, reason
	} else if reason != "" {
		return lifecycle.StageNeedsAttention, reason
	}
	ok, reason := rules.WalletEligibility(rules.WalletCandidate{
		Phone: text(c.LastContact.Phone), Region: b.Country,
		Consent:   rules.LoyaltyConsent(c.PrivacyFlags.LoyaltyProgram, b.ConsentWhenUnanswered),
		BirthDate: date(t, c.BirthDate), On: arrival, AdultAge: b.AdultAge,
	})
	if !ok {
		return lifecycle.StageNoWallet, reason
	}
	credit := decimal.Zero
	for _, s := range scans {
		if rules.IsRealUse(s.Status, b.RealUseStatuses) {
			credit = credit.Add(rules.ScanCredit(s.Value, b.BonusPercent))
		}
	}
	switch {
	case credit.IsPositive():
		return lifecycle.StageBonusCredited, ""
	case len(scans) > 0:
		return lifecycle.StageScansRecorded, ""
	}
	return lifecycle.StageWalletIssued, ""
}

func text(s *string) string {
	if s == nil {
		return ""
	}
	return strings.TrimSpace(*s)
}

func date(t *testing.T, s *string) *rules.Date {
	if s == nil {
		return nil
	}
	d, err := rules.ParseDate(*s)
	require.NoError(t, err)
	return &d
}

func TestCompressedClockRunsTheDayFaster(t *testing.T) {
	start := day.At(time.UTC, 6*time.Hour)
	clock := scenario.NewClock(start, 36000) // ten simulated hours per real second
	began := time.Now()
	require.NoError(t, clock.Sleep(context.Background(), time.Hour))
	assert.Less(t, time.Since(began), time.Second, "an hour passes in about 100 ms")
	assert.False(t, clock.Now().Before(start.Add(time.Hour)))

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, clock.Sleep(ctx, time.Hour), context.Canceled)
}
