package scenario

import (
	"github.com/shopspring/decimal"

	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/rules"
)

// Outcome is where guestflow should leave a guest once the day's timeline
// has played, worked out with the rules guestflow itself applies.
type Outcome struct {
	Stage lifecycle.Stage
	// Reason says why the guest waits, is stuck or has no card.
	Reason rules.Reason
	// Mews: the document passed, so Mews holds the guest and the document.
	Mews bool
	// Card: Passquare issues the guest a card.
	Card bool
	// Credit is what the guest's outlet scans earn.
	Credit decimal.Decimal
}

// outcome applies the stay's rules, in the stay's order, to the guest as
// PassportScan shows them once every event has happened.
func outcome(b Branch, arrival rules.Date, g *Guest) Outcome {
	if _, reason := rules.VerifyDocument(g.Document, arrival, b.AcceptedDocuments, nil); reason != "" {
		if reason == rules.DocumentMissing {
			return Outcome{Stage: lifecycle.StageAwaitingDocument, Reason: reason}
		}
		return Outcome{Stage: lifecycle.StageNeedsAttention, Reason: reason}
	}
	var birth *rules.Date
	if !g.BirthDate.IsZero() {
		birth = &g.BirthDate
	}
	ok, reason := rules.WalletEligibility(rules.WalletCandidate{
		Phone:     g.Phone,
		Region:    b.Country,
		Consent:   rules.LoyaltyConsent(g.Consent, b.ConsentWhenUnanswered),
		BirthDate: birth,
		On:        arrival,
		AdultAge:  b.AdultAge,
	})
	if !ok {
		return Outcome{Stage: lifecycle.StageNoWallet, Reason: reason, Mews: true}
	}
	o := Outcome{Stage: lifecycle.StageWalletIssued, Mews: true, Card: true, Credit: decimal.Zero}
	for _, s := range g.Scans {
		if rules.IsRealUse(s.Status, b.RealUseStatuses) {
			o.Credit = o.Credit.Add(rules.ScanCredit(s.Value, b.BonusPercent))
		}
	}
	switch {
	case o.Credit.IsPositive():
		o.Stage = lifecycle.StageBonusCredited
	case len(g.Scans) > 0:
		o.Stage = lifecycle.StageScansRecorded
	}
	return o
}

// Expected counts what guestflow should show once the timeline has played.
type Expected struct {
	Guests int
	// Cases counts the guests of each awkward case (Ordinary included).
	Cases map[Case]int
	// Stages counts the guests by the stage they should be in.
	Stages map[lifecycle.Stage]int
	// NeedsAttention and NoWallet count the guests in those stages by
	// reason; AwaitingDocument the guests still without a document.
	NeedsAttention   map[rules.Reason]int
	NoWallet         map[rules.Reason]int
	AwaitingDocument int
	// Cards is how many guests Passquare should hold, each with one card;
	// Installs how many of those the scenario installs.
	Cards    int
	Installs int
	// MewsCustomers and MewsDocuments count what each branch's Mews
	// enterprise should hold at the end, by branch id: the returning guests
	// seeded, plus one customer per other guest whose document passed, and
	// one document per guest whose document passed.
	MewsCustomers map[string]int
	MewsDocuments map[string]int
	// OutletScans is how many scans the scenario makes; Credits what they
	// earn altogether.
	OutletScans int
	Credits     decimal.Decimal
}

// Expected counts each guest's Outcome.
func (d *Day) Expected() Expected {
	e := Expected{
		Cases: map[Case]int{}, Stages: map[lifecycle.Stage]int{},
		NeedsAttention: map[rules.Reason]int{}, NoWallet: map[rules.Reason]int{},
		MewsCustomers: map[string]int{}, MewsDocuments: map[string]int{},
		Credits: decimal.Zero,
	}
	for _, b := range d.Options.Branches {
		e.MewsCustomers[b.ID], e.MewsDocuments[b.ID] = 0, 0
	}
	for _, g := range d.Guests() {
		o := g.Outcome
		e.Guests++
		e.Cases[g.Case]++
		e.Stages[o.Stage]++
		switch o.Stage {
		case lifecycle.StageNeedsAttention:
			e.NeedsAttention[o.Reason]++
		case lifecycle.StageNoWallet:
			e.NoWallet[o.Reason]++
		case lifecycle.StageAwaitingDocument:
			e.AwaitingDocument++
		}
		if g.MewsCustomerID != "" || o.Mews {
			e.MewsCustomers[g.BranchID]++
		}
		if o.Mews {
			e.MewsDocuments[g.BranchID]++
		}
		if o.Card {
			e.Cards++
			e.OutletScans += len(g.Scans)
			e.Credits = e.Credits.Add(o.Credit)
			if g.InstallsCard {
				e.Installs++
			}
		}
	}
	return e
}
