// Package verify compares where guestflow left a played day with where the
// day's rules say it should be: every stay at its expected stage with its
// credit, each guest once in Mews and once in Passquare, every card's
// balance the account's, and no Passquare 429. The production shape and
// the chaos run report the same row from it, so a fault's cost reads
// against the same baseline.
package verify

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/shopspring/decimal"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/rules"
	"github.com/guestflow/guestflow/scenario"
	pqsandbox "github.com/guestflow/guestflow/vendors/passquare/sandbox"
)

// Inputs are what the comparison reads.
type Inputs struct {
	Temporal  client.Client
	Day       *scenario.Day
	Sandboxes scenario.Sandboxes
	// AccountKeySecret is loyalty.account_key_secret, which names each
	// phone's account workflow.
	AccountKeySecret []byte
	// WelcomeBonus is each branch's rules.welcome_bonus, credited once per
	// installed card.
	WelcomeBonus map[string]decimal.Decimal
}

// Row is one run's result. Every count but Guests and Settled must be 0.
type Row struct {
	Guests int
	// Settled counts the stays at their expected stage with their expected
	// credit; Lost the guests with no stay or a stay anywhere else.
	Settled, Lost int
	// Duplicates: a second Mews customer for the same person, a second
	// Mews document for the same customer and number, a card beyond the
	// day's (Passquare keys cards by phone, so a duplicate shows as extra).
	DuplicateMewsCustomers, DuplicateMewsDocuments, DuplicateCards int
	// Missing: fewer Mews customers, documents or cards than the day's.
	MissingMewsCustomers, MissingMewsDocuments, MissingCards int
	// WrongCredits counts stays credited other than their scans earn;
	// WrongBalances cards whose balance is not their account's or not what
	// the day's scans and welcome bonuses add up to.
	WrongCredits, WrongBalances int
	Passquare429                int
	// Problems names the first differences, by workflow id or count, never
	// by a guest's data.
	Problems []string
}

// Clean says nothing was lost, duplicated or miscounted.
func (r Row) Clean() bool {
	return r.Settled == r.Guests && r.Lost == 0 &&
		r.DuplicateMewsCustomers == 0 && r.DuplicateMewsDocuments == 0 && r.DuplicateCards == 0 &&
		r.MissingMewsCustomers == 0 && r.MissingMewsDocuments == 0 && r.MissingCards == 0 &&
		r.WrongCredits == 0 && r.WrongBalances == 0 && r.Passquare429 == 0
}

// Header and String print rows as one table.
const Header = "guests settled lost dup-mews-customers dup-mews-documents dup-cards missing-mews-customers missing-mews-documents missing-cards wrong-credits wrong-balances passquare-429"

func (r Row) String() string {
	return fmt.Sprintf("%d %d %d %d %d %d %d %d %d %d %d %d", r.Guests, r.Settled, r.Lost,
		r.DuplicateMewsCustomers, r.DuplicateMewsDocuments, r.DuplicateCards,
		r.MissingMewsCustomers, r.MissingMewsDocuments, r.MissingCards,
		r.WrongCredits, r.WrongBalances, r.Passquare429)
}

const maxProblems = 10

func (r *Row) problem(format string, args ...any) {
	if len(r.Problems) < maxProblems {
		r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
	}
}

// Compare reads the stays, the accounts and the sandboxes once.
func Compare(ctx context.Context, in Inputs) (Row, error) {
	var r Row
	if err := r.stays(ctx, in); err != nil {
		return r, err
	}
	r.mews(in)
	if err := r.cards(ctx, in); err != nil {
		return r, err
	}
	for _, c := range in.Sandboxes.Passquare.Calls() {
		if c.Status == 429 {
			r.Passquare429++
		}
	}
	return r, nil
}

// Settle compares until the row is clean or ctx ends, and returns the last
// row: the state a run ends in, clean or not.
func Settle(ctx context.Context, in Inputs, every time.Duration) (Row, error) {
	for {
		r, err := Compare(ctx, in)
		if err == nil && r.Clean() {
			return r, nil
		}
		select {
		case <-ctx.Done():
			if err != nil {
				return r, err
			}
			return r, nil
		case <-time.After(every):
		}
	}
}

func (r *Row) stays(ctx context.Context, in Inputs) error {
	for _, g := range in.Day.Guests() {
		r.Guests++
		id := lifecycle.StayWorkflowID(g.BranchID, g.ReservationID, g.CustomerID)
		var st lifecycle.StayStatus
		err := query(ctx, in.Temporal, id, lifecycle.QueryStatus, &st)
		var notFound *serviceerror.NotFound
		switch {
		case errors.As(err, &notFound):
			r.Lost++
			r.problem("%s: no stay", id)
			continue
		case err != nil:
			return fmt.Errorf("%s: %w", id, err)
		}
		want := g.Outcome
		credited := st.Credited.Equal(want.Credit) || (st.Credited.IsZero() && want.Credit.IsZero())
		if !credited {
			r.WrongCredits++
			r.problem("%s: credited %s, want %s", id, st.Credited, want.Credit)
		}
		if st.Stage != want.Stage {
			r.Lost++
			r.problem("%s: stage %s, want %s", id, st.Stage, want.Stage)
			continue
		}
		if credited {
			r.Settled++
		}
	}
	return nil
}

func (r *Row) mews(in Inputs) {
	e := in.Day.Expected()
	for _, b := range in.Day.Options.Branches {
		// Guests can be namesakes, so a customer too many is told by the
		// count, not by a name.
		customers := len(in.Sandboxes.Mews.Customers(b.MewsAccessToken))
		r.DuplicateMewsCustomers += max(0, customers-e.MewsCustomers[b.ID])
		if missing := e.MewsCustomers[b.ID] - customers; missing > 0 {
			r.MissingMewsCustomers += missing
			r.problem("%s: %d Mews customers, want %d", b.ID, customers, e.MewsCustomers[b.ID])
		}

		docs := in.Sandboxes.Mews.Documents(b.MewsAccessToken)
		numbers := map[string]int{}
		for _, d := range docs {
			numbers[d.CustomerID+"\x00"+d.Type+"\x00"+d.Number]++
		}
		dup := max(extra(numbers), len(docs)-e.MewsDocuments[b.ID])
		r.DuplicateMewsDocuments += dup
		if missing := e.MewsDocuments[b.ID] - (len(docs) - dup); missing > 0 {
			r.MissingMewsDocuments += missing
			r.problem("%s: %d Mews documents, want %d", b.ID, len(docs), e.MewsDocuments[b.ID])
		}
	}
}

// extra counts what occurs more than once beyond its first.
func extra(counts map[string]int) int {
	n := 0
	for _, c := range counts {
		n += c - 1
	}
	return n
}

// cards checks each Passquare card against its account's ledger and
// against what the day's guests with that phone should have earned.
func (r *Row) cards(ctx context.Context, in Inputs) error {
	type want struct {
		balance   decimal.Decimal
		installed bool
	}
	wanted := map[string]*want{} // by E.164 phone
	for _, g := range in.Day.Guests() {
		if !g.Outcome.Card {
			continue
		}
		w := wanted[g.E164]
		if w == nil {
			w = &want{balance: decimal.Zero}
			wanted[g.E164] = w
		}
		w.balance = w.balance.Add(g.Outcome.Credit)
		if g.InstallsCard && !w.installed {
			w.installed = true
			w.balance = w.balance.Add(in.WelcomeBonus[g.BranchID])
		}
	}
	cards := in.Sandboxes.Passquare.Customers(in.Day.Options.Passquare.AppKey)
	slices.SortFunc(cards, func(a, b pqsandbox.Customer) int { return cmp.Compare(a.Phone, b.Phone) })
	numbers := map[string]int{}
	for _, c := range cards {
		numbers[c.CardNumber]++
		key := rules.AccountKey(c.Phone, in.AccountKeySecret)
		w, ok := wanted[c.Phone]
		if !ok {
			r.DuplicateCards++
			r.problem("account %s: a card the day does not give", key)
			continue
		}
		var b lifecycle.Balance
		if err := query(ctx, in.Temporal, lifecycle.AccountWorkflowID(key), lifecycle.QueryBalance, &b); err != nil {
			return fmt.Errorf("account %s: %w", key, err)
		}
		if !c.Balance.Equal(b.Balance) || !b.Balance.Equal(w.balance) {
			r.WrongBalances++
			r.problem("account %s: card %s, ledger %s, want %s", key, c.Balance.StringFixed(2), b.Balance.StringFixed(2), w.balance.StringFixed(2))
		}
	}
	r.DuplicateCards += extra(numbers)
	if missing := len(wanted) - (len(cards) - r.DuplicateCards); missing > 0 {
		r.MissingCards = missing
		r.problem("%d cards, want %d", len(cards), len(wanted))
	}
	return nil
}

// query asks a workflow; a query is answered by a worker, and one can fail
// in transit while a worker dies or the sticky worker is gone, so a few
// tries keep a transient failure from reading as a wrong answer.
func query(ctx context.Context, c client.Client, id, name string, into any) error {
	var err error
	for range 5 {
		qctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		var v interface{ Get(any) error }
		v, err = c.QueryWorkflow(qctx, id, "", name)
		cancel()
		if err == nil {
			return v.Get(into)
		}
		var notFound *serviceerror.NotFound
		if errors.As(err, &notFound) || ctx.Err() != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(500 * time.Millisecond):
		}
	}
	return err
}
