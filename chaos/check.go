package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"go.temporal.io/api/serviceerror"

	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/scenario"
	pqsandbox "github.com/guestflow/guestflow/vendors/passquare/sandbox"
)

// row is one scenario's line of the table. Every loss and duplicate
// column must be 0.
type row struct {
	Scenario         string  `json:"scenario"`
	Guests           int     `json:"guests"`
	Settled          int     `json:"settled"`
	Lost             int     `json:"lost"`
	DupMewsCustomers int     `json:"duplicateMewsCustomers"`
	DupMewsDocuments int     `json:"duplicateMewsDocuments"`
	DupCards         int     `json:"duplicateCards"`
	DoubleCredits    int     `json:"doubleCredits"`
	WrongBalances    int     `json:"wrongBalances"`
	Passquare429s    int     `json:"passquare429s"`
	SettleSeconds    float64 `json:"settleSeconds"`
	// InBound says every stay settled within the scenario's bound.
	InBound bool `json:"settledInBound"`
	// Notes say what the scenario did (kills, outage answers); Problems
	// name the stays and checks that failed, by id only.
	Notes    []string `json:"notes,omitempty"`
	Problems []string `json:"problems,omitempty"`
}

// failed reports whether the row breaks a promise.
func (r row) failed() bool {
	return !r.InBound || r.Lost+r.DupMewsCustomers+r.DupMewsDocuments+r.DupCards+r.DoubleCredits+r.WrongBalances+r.Passquare429s > 0 ||
		len(r.Problems) > 0
}

// startupCheckPath is the Passquare call a worker makes once as it starts,
// to check its credential: it does not pass through the rate-limited
// Passquare task queue, so a worker starting within a second of another
// Passquare call meets a 429 (README, Known limits). Counted apart from
// the guests' traffic, which the queue paces.
const startupCheckPath = "/api/v2/status"

// guestState is what guestflow shows of one guest.
type guestState struct {
	found  bool
	status lifecycle.StayStatus
}

// settledAs reports whether the stay is where the day without faults
// leaves the guest.
func settledAs(g *scenario.Guest, s guestState) bool {
	o := g.Outcome
	return s.found && s.status.Stage == o.Stage && s.status.Credited.Equal(o.Credit) &&
		(s.status.Card != nil && s.status.Card.Number != "") == o.Card
}

// readGuests asks every stay for its status.
func (st *stack) readGuests(ctx context.Context, day *scenario.Day) ([]guestState, error) {
	guests := day.Guests()
	out := make([]guestState, len(guests))
	for i, g := range guests {
		id := lifecycle.StayWorkflowID(g.BranchID, g.ReservationID, g.CustomerID)
		qctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		v, err := st.client.QueryWorkflow(qctx, id, "", lifecycle.QueryStatus)
		cancel()
		var notFound *serviceerror.NotFound
		switch {
		case errors.As(err, &notFound):
			continue
		case err != nil:
			return nil, fmt.Errorf("query %s: %w", id, err)
		}
		out[i].found = true
		if err := v.Get(&out[i].status); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// waitSettled waits, for at most bound, until every stay is where the day
// without faults leaves it and every hook has been answered. It returns
// the last states read and whether they settled.
func (st *stack) waitSettled(ctx context.Context, day *scenario.Day, h *hooks, bound time.Duration) ([]guestState, bool) {
	deadline := time.Now().Add(bound)
	var last []guestState
	for {
		states, err := st.readGuests(ctx, day)
		if err == nil {
			last = states
			n := 0
			for i, g := range day.Guests() {
				if settledAs(g, states[i]) {
					n++
				}
			}
			if n == len(states) && h.pending() == 0 {
				return last, true
			}
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return last, false
		}
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
}

// compare fills the row from the end state: the stays, what the sandboxes
// hold and the calls they served.
func (st *stack) compare(ctx context.Context, r *row, day *scenario.Day, h *hooks, states []guestState) {
	guests := day.Guests()
	r.Guests = len(guests)
	cardOf := map[string]string{} // phone: the card Passquare holds
	appKey := st.cfg.Passquare.AppKey.Value()
	for _, c := range st.sandboxes.Passquare.Customers(appKey) {
		if c.CardNumber != "" {
			cardOf[c.Phone] = c.CardNumber
		}
	}
	wantCard := map[string]bool{}
	for i, g := range guests {
		s := guestState{}
		if i < len(states) {
			s = states[i]
		}
		id := lifecycle.StayWorkflowID(g.BranchID, g.ReservationID, g.CustomerID)
		o := g.Outcome
		if o.Card {
			wantCard[g.E164] = true
		}
		switch {
		case settledAs(g, s):
			r.Settled++
		case !s.found:
			r.Lost++
			r.Problems = append(r.Problems, fmt.Sprintf("%s: no stay (want %s)", id, o.Stage))
		case s.status.Stage != o.Stage && !o.Stage.Behind(s.status.Stage):
			r.Lost++
			r.Problems = append(r.Problems, fmt.Sprintf("%s: %s %s, want %s", id, s.status.Stage, s.status.Reason, o.Stage))
		case o.Card && (s.status.Card == nil || s.status.Card.Number == ""):
			r.Lost++
			r.Problems = append(r.Problems, fmt.Sprintf("%s: no card", id))
		}
		if s.found && s.status.Credited.GreaterThan(o.Credit) {
			r.DoubleCredits++
			r.Problems = append(r.Problems, fmt.Sprintf("%s: credited %s, want %s", id, s.status.Credited, o.Credit))
		}
		if s.found && s.status.Card != nil && s.status.Card.Number != "" && s.status.Card.Number != cardOf[g.E164] {
			r.DupCards++
			r.Problems = append(r.Problems, fmt.Sprintf("%s: its card is not the one Passquare holds for the guest", id))
		}
	}
	for phone := range cardOf {
		if !wantCard[phone] {
			r.DupCards++
			r.Problems = append(r.Problems, "Passquare holds a card for a guest who should have none")
		}
	}
	r.DupMewsCustomers, r.DupMewsDocuments = st.mewsDuplicates(day)
	startup := 0
	for _, c := range st.sandboxes.Passquare.Calls() {
		switch {
		case c.Status != 429 || c.Injected:
		case strings.HasSuffix(c.Path, startupCheckPath):
			startup++
		default:
			r.Passquare429s++
		}
	}
	if startup > 0 {
		r.Notes = append(r.Notes, fmt.Sprintf("Passquare answered %d 429s to a worker's start-up check (POST /status), outside the rate-limited queue", startup))
	}
	r.WrongBalances = st.wrongBalances(ctx, r, day, h, cardOf)
}

// mewsDuplicates counts, per branch, the customers and documents Mews
// holds beyond the expected ones, or twice over for one guest or document.
func (st *stack) mewsDuplicates(day *scenario.Day) (customers, documents int) {
	want := day.Expected()
	for _, b := range day.Options.Branches {
		cs := st.sandboxes.Mews.Customers(b.MewsAccessToken)
		seen := map[string]int{}
		for _, c := range cs {
			first, birth := "", ""
			if c.FirstName != nil {
				first = *c.FirstName
			}
			if c.BirthDate != nil {
				birth = *c.BirthDate
			}
			seen[first+"\x00"+c.LastName+"\x00"+birth]++
		}
		customers += max(len(cs)-want.MewsCustomers[b.ID], extras(seen))
		ds := st.sandboxes.Mews.Documents(b.MewsAccessToken)
		seenDoc := map[string]int{}
		for _, d := range ds {
			seenDoc[d.Type+"\x00"+d.Number]++
		}
		documents += max(len(ds)-want.MewsDocuments[b.ID], extras(seenDoc))
	}
	return customers, documents
}

func extras(seen map[string]int) int {
	n := 0
	for _, c := range seen {
		n += c - 1
	}
	return n
}

// wrongBalances reads each card's balance as Passquare does (readBalance
// through the webhook) and compares it with the day's credits, the welcome
// bonus of each acknowledged install and the addBalance sums granted.
func (st *stack) wrongBalances(ctx context.Context, r *row, day *scenario.Day, h *hooks, cardOf map[string]string) int {
	want := map[string]decimal.Decimal{}
	for _, g := range day.Guests() {
		if !g.Outcome.Card {
			continue
		}
		w := want[g.E164].Add(g.Outcome.Credit)
		h.mu.Lock()
		if h.installed[g.E164] {
			w = w.Add(st.cfg.Branches[g.BranchID].Rules.WelcomeBonus.Decimal)
		}
		w = w.Add(h.added[g.E164])
		h.mu.Unlock()
		want[g.E164] = w
	}
	wrong := 0
	for phone, w := range want {
		card := cardOf[phone]
		if card == "" {
			continue // counted as lost
		}
		res, err := st.readBalance(ctx, phone, card)
		switch {
		case err != nil || res.Status != 200 || res.Balance == nil:
			wrong++
			r.Problems = append(r.Problems, fmt.Sprintf("card %s: readBalance answered %d", card, res.Status))
		case !res.Balance.Equal(w):
			wrong++
			r.Problems = append(r.Problems, fmt.Sprintf("card %s: balance %s, want %s", card, res.Balance, w))
		}
	}
	return wrong
}

// readBalance asks as Passquare does: a 503 (the webhook's Temporal busy
// or down) is asked again after its Retry-After, a few times, so a busy
// machine is not counted as a wrong balance.
func (st *stack) readBalance(ctx context.Context, phone, card string) (pqsandbox.HookResult, error) {
	for try := 1; ; try++ {
		res, err := st.sandboxes.Passquare.ReadBalance(ctx, phone, card)
		if err != nil || res.Status != http.StatusServiceUnavailable || try == 5 {
			return res, err
		}
		wait := time.Second
		if secs, perr := strconv.Atoi(res.RetryAfter); perr == nil && secs > 0 && secs <= 10 {
			wait = time.Duration(secs) * time.Second
		}
		select {
		case <-ctx.Done():
			return res, ctx.Err()
		case <-time.After(wait):
		}
	}
}
