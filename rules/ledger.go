package rules

import (
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// What an entry in the ledger is for.
const (
	EntryScan       = "scan"       // a real use of the card at an outlet
	EntryAddBalance = "addBalance" // Passquare's addBalance hook
	EntryWelcome    = "welcome"    // the card was installed
	EntryBurn       = "burn"       // an accrual's lifetime ended
	// EntryCardBalance: what Passquare said a card held when its install
	// opened an account that had nothing yet.
	EntryCardBalance = "cardBalance"
)

// Entry ids are idempotency keys: the same event always makes the same id,
// so a scan seen by both the sync and the webhook, or a hook Passquare
// repeats, is credited once.

// ScanEntryID is the id of the credit for a Passcreator app scan.
func ScanEntryID(appScanID string) string { return EntryScan + ":" + appScanID }

// AddBalanceEntryID is the id of the credit for a Passquare addBalance hook.
func AddBalanceEntryID(transactionID string) string {
	return EntryAddBalance + ":" + transactionID
}

// WelcomeEntryID is the id of a stay's welcome bonus.
func WelcomeEntryID(stay string) string { return EntryWelcome + ":" + stay }

// CardBalanceEntryID is the id of a card's balance taken over from
// Passquare when its install opened the account.
func CardBalanceEntryID(card string) string { return EntryCardBalance + ":" + card }

// Empty reports whether the ledger never held anything.
func (l *Ledger) Empty() bool {
	return len(l.Entries) == 0 && len(l.Seen) == 0 && l.Opening.IsZero()
}

// BurnEntryID is the id of the burn of an accrual.
func BurnEntryID(accrualID string) string { return EntryBurn + ":" + accrualID }

// ExpiresAfter is when an accrual made at at burns, for a lifetime such as
// addBalance's; no lifetime (zero or less) means it never burns.
func ExpiresAfter(at time.Time, lifetime time.Duration) *time.Time {
	if lifetime <= 0 {
		return nil
	}
	t := at.Add(lifetime)
	return &t
}

// Entry is one movement of the account's balance: an accrual (positive) or a
// burn (negative, Reason EntryBurn, ID BurnEntryID of its accrual).
type Entry struct {
	ID        string          `json:"id"`
	Amount    decimal.Decimal `json:"amount"`
	Reason    string          `json:"reason"`
	At        time.Time       `json:"at"`
	ExpiresAt *time.Time      `json:"expiresAt,omitempty"`
	// Burned marks an accrual whose lifetime has been dealt with.
	Burned bool `json:"burned,omitempty"`
}

// pending is an accrual still waiting for its lifetime to end.
func (e Entry) pending() bool {
	return e.ExpiresAt != nil && !e.Burned && e.Reason != EntryBurn
}

// IDWindow is how long the ledger remembers the id of an entry Compact
// folded away, whatever the number of ids. Passquare's document says
// nothing of repeating a hook; guestflow assumes a repeat comes from its
// retries after a failed or timed-out answer (minutes to hours) or from an
// operator re-sending a hook from Passquare's side (days), and the scan
// sync's overlap is hours. Thirty days covers each of them many times over;
// an id repeated later than that would be credited again.
const IDWindow = 30 * 24 * time.Hour

// SeenID is the id of an entry Compact folded away, what it credited and
// when, so a repeat is refused and a repeat with another amount is seen.
type SeenID struct {
	ID string `json:"id"`
	// Amount is nil for an id carried from a ledger that kept ids only.
	Amount *decimal.Decimal `json:"amount,omitempty"`
	// At is when the entry was made; for an id carried without a time, the
	// time of the first Compact that saw it (see Compact).
	At time.Time `json:"at"`
}

// UnmarshalJSON reads the object SeenID writes, and the bare id string that
// ledgers carried before ids had amounts and times.
func (s *SeenID) UnmarshalJSON(b []byte) error {
	var id string
	if json.Unmarshal(b, &id) == nil {
		*s = SeenID{ID: id}
		return nil
	}
	type plain SeenID
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*s = SeenID(p)
	return nil
}

// Ledger is a loyalty account's balance history. It holds no clock and no
// maps, so workflow code can keep it in state and replay it.
type Ledger struct {
	// Opening is the balance of the entries Compact folded away.
	Opening decimal.Decimal `json:"opening"`
	Entries []Entry         `json:"entries"`
	// Seen are the folded-away entries still refused as duplicates: those
	// younger than Compact's window.
	Seen []SeenID `json:"seen,omitempty"`
}

// Has reports whether the ledger has an entry with this id, or had one that
// Compact folded away recently enough to remember.
func (l *Ledger) Has(id string) bool {
	return slices.ContainsFunc(l.Entries, func(e Entry) bool { return e.ID == id }) ||
		slices.ContainsFunc(l.Seen, func(s SeenID) bool { return s.ID == id })
}

// Conflicts reports whether the ledger credited id with an amount other than
// amount: a repeat that would, if answered as a success, make the sender
// believe the other amount was granted. An id not known, or carried without
// its amount, does not conflict.
func (l *Ledger) Conflicts(id string, amount decimal.Decimal) bool {
	if i := slices.IndexFunc(l.Entries, func(e Entry) bool { return e.ID == id }); i >= 0 {
		return !l.Entries[i].Amount.Equal(amount)
	}
	if i := slices.IndexFunc(l.Seen, func(s SeenID) bool { return s.ID == id }); i >= 0 {
		return l.Seen[i].Amount != nil && !l.Seen[i].Amount.Equal(amount)
	}
	return false
}

// Credit records an accrual and reports whether it changed the ledger. A
// repeated id changes nothing and reports false, as does an empty id, a burn
// id, or an amount that is not positive (a credit never takes points away).
func (l *Ledger) Credit(e Entry) (applied bool) {
	if e.ID == "" || strings.HasPrefix(e.ID, EntryBurn+":") || e.Reason == EntryBurn ||
		!e.Amount.IsPositive() || l.Has(e.ID) {
		return false
	}
	if e.ExpiresAt != nil {
		t := *e.ExpiresAt
		e.ExpiresAt = &t
	}
	e.Burned = false
	l.Entries = append(l.Entries, e)
	return true
}

// Balance is the account's points now.
func (l *Ledger) Balance() decimal.Decimal {
	b := l.Opening
	for _, e := range l.Entries {
		b = b.Add(e.Amount)
	}
	return b
}

// DueBurns lists the accruals whose lifetime has ended by now and that are
// not yet burned, in entry order.
func (l *Ledger) DueBurns(now time.Time) []string {
	var ids []string
	for _, e := range l.Entries {
		if e.pending() && !e.ExpiresAt.After(now) {
			ids = append(ids, e.ID)
		}
	}
	return ids
}

// NextExpiry is the earliest lifetime end among accruals not yet burned, for
// the account's timer; nil when none is pending.
func (l *Ledger) NextExpiry() *time.Time {
	var next *time.Time
	for _, e := range l.Entries {
		if e.pending() && (next == nil || e.ExpiresAt.Before(*next)) {
			t := *e.ExpiresAt
			next = &t
		}
	}
	return next
}

// Burn ends the accrual id's life and returns what it took away. It removes
// what is left of that accrual, but never takes the balance below zero: this
// ledger does not track spending (redemption happens at the outlets, outside
// guestflow), so "what is left" is the accrual's amount capped by the balance
// now. The burn is recorded as an entry of its own (BurnEntryID, negative
// amount, at at) so the balance history stays auditable, even when it burns
// nothing. Burning an unknown, already burned or burn entry does nothing and
// returns zero.
func (l *Ledger) Burn(id string, at time.Time) decimal.Decimal {
	i := slices.IndexFunc(l.Entries, func(e Entry) bool { return e.ID == id })
	if i < 0 || l.Entries[i].Burned || l.Entries[i].Reason == EntryBurn {
		return decimal.Zero
	}
	burned := decimal.Min(l.Entries[i].Amount, decimal.Max(l.Balance(), decimal.Zero))
	l.Entries[i].Burned = true
	l.Entries = append(l.Entries, Entry{
		ID:     BurnEntryID(id),
		Amount: burned.Neg(),
		Reason: EntryBurn,
		At:     at,
	})
	return burned
}

// Compact folds every settled entry (no lifetime, already burned, or a burn)
// into Opening, so the account can continue-as-new with a bounded state.
// Accruals still waiting to burn stay as entries, because their burn needs
// them. The folded entries join Seen with their amount and time, and Seen
// keeps every id younger than window at now (IDWindow when zero or less),
// however many: an id older than that could be credited again. An id carried
// without a time is dated now, so it is dropped a window after the first
// Compact that saw it, never earlier than it would have been. The full
// history remains in the earlier runs' workflow histories for as long as the
// namespace retains them.
func (l *Ledger) Compact(now time.Time, window time.Duration) {
	if window <= 0 {
		window = IDWindow
	}
	kept := make([]Entry, 0, len(l.Entries))
	seen := slices.Clone(l.Seen)
	for _, e := range l.Entries {
		if e.pending() {
			kept = append(kept, e)
			continue
		}
		l.Opening = l.Opening.Add(e.Amount)
		amount := e.Amount
		seen = append(seen, SeenID{ID: e.ID, Amount: &amount, At: e.At})
	}
	l.Entries = kept
	l.Seen = l.Seen[:0:0]
	for _, s := range seen {
		if s.At.IsZero() {
			s.At = now
		}
		if now.Sub(s.At) < window {
			l.Seen = append(l.Seen, s)
		}
	}
	if len(l.Seen) == 0 {
		l.Seen = nil
	}
}
