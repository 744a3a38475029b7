// Package report counts the stays of each branch and arrival day: how many
// arrived, where they are, why they are stuck or go without a card, and
// what the wallet and scans gave them. It reads visibility (the stays'
// search attributes) and each stay's status or summary, never personal data.
package report

import (
	"cmp"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/rules"
)

// Stay is one stay as the report reads it: its search attributes and, when
// Read, what its status (running) or summary (closed) says.
type Stay struct {
	WorkflowID  string
	RunID       string
	BranchID    string
	Arrival     rules.Date
	Stage       lifecycle.Stage
	StuckReason string
	Running     bool

	// Read is false when neither the status nor the summary could be read
	// (a stay that failed or was terminated, a query that timed out).
	Read     bool
	NoWallet rules.Reason
	Card     bool
	Scans    int
	Credited decimal.Decimal
}

// Day is the report of one branch's arrivals of one day.
type Day struct {
	BranchID string     `json:"branchId"`
	Arrival  rules.Date `json:"arrivalDate"`
	Arrivals int        `json:"arrivals"`
	Running  int        `json:"running"`
	// Stages counts the guests at each stage (GuestStage).
	Stages map[lifecycle.Stage]int `json:"stages"`
	// Stuck counts the guests at NeedsAttention by StuckReason.
	Stuck map[string]int `json:"stuck"`
	// NoWallet counts the guests going without a card by reason.
	NoWallet    map[rules.Reason]int `json:"noWallet"`
	CardsIssued int                  `json:"cardsIssued"`
	Scans       int                  `json:"scans"`
	Credited    decimal.Decimal      `json:"credited"`
	// Unread counts the stays whose status or summary could not be read:
	// their cards, scans and credit are not in the totals above.
	Unread int `json:"unread"`
}

// Tally sums stays into one Day per branch and arrival day, ordered by
// branch then day. Days are listed for each of days with no arrivals too,
// for each branch in branches, so a report shows a quiet day as zero.
func Tally(stays []Stay, branches []string, days []rules.Date) []Day {
	type key struct {
		branch  string
		arrival rules.Date
	}
	byKey := map[key]*Day{}
	day := func(k key) *Day {
		d, ok := byKey[k]
		if !ok {
			d = &Day{BranchID: k.branch, Arrival: k.arrival, Stages: map[lifecycle.Stage]int{},
				Stuck: map[string]int{}, NoWallet: map[rules.Reason]int{}}
			byKey[k] = d
		}
		return d
	}
	for _, b := range branches {
		for _, a := range days {
			day(key{b, a})
		}
	}
	for _, s := range stays {
		d := day(key{s.BranchID, s.Arrival})
		d.Arrivals++
		if s.Running {
			d.Running++
		}
		stage := s.Stage
		if stage == "" {
			stage = "Unknown"
		}
		d.Stages[stage]++
		if s.Stage == lifecycle.StageNeedsAttention {
			d.Stuck[cmp.Or(s.StuckReason, "Unknown")]++
		}
		if !s.Read {
			d.Unread++
			continue
		}
		if s.NoWallet != "" {
			d.NoWallet[s.NoWallet]++
		}
		if s.Card {
			d.CardsIssued++
		}
		d.Scans += s.Scans
		d.Credited = d.Credited.Add(s.Credited)
	}
	out := make([]Day, 0, len(byKey))
	for _, d := range byKey {
		out = append(out, *d)
	}
	slices.SortFunc(out, func(a, b Day) int {
		return cmp.Or(cmp.Compare(a.BranchID, b.BranchID), a.Arrival.Compare(b.Arrival))
	})
	return out
}
