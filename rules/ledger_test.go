package rules

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

func at(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }

func atp(h int) *time.Time {
	v := at(h)
	return &v
}

func credit(id, amount string, h int, expires *time.Time) Entry {
	return Entry{ID: id, Amount: dec(amount), Reason: EntryScan, At: at(h), ExpiresAt: expires}
}

func TestLedgerCredit(t *testing.T) {
	var l Ledger
	steps := []struct {
		name    string
		e       Entry
		applied bool
		balance string
	}{
		{"first scan", credit(ScanEntryID("a"), "5", 0, nil), true, "5"},
		{"same scan again", credit(ScanEntryID("a"), "5", 1, nil), false, "5"},
		{"same id, other amount", credit(ScanEntryID("a"), "50", 1, nil), false, "5"},
		{"addBalance", credit(AddBalanceEntryID("tx1"), "2.50", 2, atp(24)), true, "7.5"},
		{"addBalance repeated", credit(AddBalanceEntryID("tx1"), "2.50", 3, atp(24)), false, "7.5"},
		{"welcome", credit(WelcomeEntryID("stay1"), "10", 4, nil), true, "17.5"},
		{"zero amount", credit(ScanEntryID("b"), "0", 5, nil), false, "17.5"},
		{"negative amount", credit(ScanEntryID("c"), "-3", 5, nil), false, "17.5"},
		{"empty id", credit("", "3", 5, nil), false, "17.5"},
		{"burn id", credit(BurnEntryID(ScanEntryID("a")), "3", 5, nil), false, "17.5"},
		{"burn reason", Entry{ID: "x", Amount: dec("3"), Reason: EntryBurn}, false, "17.5"},
	}
	for _, s := range steps {
		if got := l.Credit(s.e); got != s.applied {
			t.Errorf("%s: Credit = %v, want %v", s.name, got, s.applied)
		}
		if !l.Balance().Equal(dec(s.balance)) {
			t.Errorf("%s: Balance = %s, want %s", s.name, l.Balance(), s.balance)
		}
	}
	if len(l.Entries) != 3 {
		t.Errorf("entries = %d, want 3", len(l.Entries))
	}
	if !l.Has(ScanEntryID("a")) || l.Has(ScanEntryID("b")) {
		t.Error("Has disagrees with what was credited")
	}
}

func TestLedgerCreditCopiesExpiry(t *testing.T) {
	var l Ledger
	exp := at(24)
	l.Credit(Entry{ID: "x", Amount: dec("1"), ExpiresAt: &exp, Burned: true})
	exp = at(1000)
	if !l.Entries[0].ExpiresAt.Equal(at(24)) {
		t.Error("ledger shares the caller's expiry")
	}
	if l.Entries[0].Burned {
		t.Error("a credit cannot arrive already burned")
	}
}

func TestLedgerBurns(t *testing.T) {
	var l Ledger
	l.Credit(credit("a", "5", 0, atp(48)))
	l.Credit(credit("b", "3", 1, atp(24)))
	l.Credit(credit("c", "2", 2, nil))
	l.Credit(credit("d", "1", 3, atp(24)))

	if got := l.NextExpiry(); got == nil || !got.Equal(at(24)) {
		t.Fatalf("NextExpiry = %v, want %v", got, at(24))
	}
	tests := []struct {
		now  int
		want []string
	}{
		{0, nil},
		{23, nil},
		{24, []string{"b", "d"}}, // ends exactly now: due
		{47, []string{"b", "d"}},
		{48, []string{"a", "b", "d"}}, // entry order, not expiry order
	}
	for _, tt := range tests {
		if got := l.DueBurns(at(tt.now)); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("DueBurns(+%dh) = %v, want %v", tt.now, got, tt.want)
		}
	}

	if got := l.Burn("b", at(24)); !got.Equal(dec("3")) {
		t.Errorf("Burn(b) = %s, want 3", got)
	}
	if got := l.Burn("b", at(25)); !got.IsZero() {
		t.Errorf("second Burn(b) = %s, want 0", got)
	}
	if got := l.Burn("c", at(25)); !got.Equal(dec("2")) {
		t.Errorf("Burn of an accrual without lifetime = %s, want 2", got)
	}
	if got := l.Burn("nope", at(25)); !got.IsZero() {
		t.Errorf("Burn(unknown) = %s", got)
	}
	if got := l.Burn(BurnEntryID("b"), at(25)); !got.IsZero() {
		t.Errorf("Burn of a burn = %s", got)
	}
	if !l.Balance().Equal(dec("6")) {
		t.Errorf("Balance = %s, want 6", l.Balance())
	}
	if !l.Has(BurnEntryID("b")) {
		t.Error("burn not recorded as its own entry")
	}
	if got := l.DueBurns(at(48)); !reflect.DeepEqual(got, []string{"a", "d"}) {
		t.Errorf("DueBurns after burning b = %v", got)
	}
	if got := l.NextExpiry(); got == nil || !got.Equal(at(24)) {
		t.Errorf("NextExpiry = %v, want d's %v", got, at(24))
	}
	l.Burn("d", at(24))
	if got := l.NextExpiry(); got == nil || !got.Equal(at(48)) {
		t.Errorf("NextExpiry = %v, want %v", got, at(48))
	}
	l.Burn("a", at(48))
	if got := l.NextExpiry(); got != nil {
		t.Errorf("NextExpiry = %v, want nil", got)
	}
	if !l.Balance().IsZero() {
		t.Errorf("Balance = %s, want 0", l.Balance())
	}
}

func TestLedgerBurnNeverBelowZero(t *testing.T) {
	l := Ledger{Entries: []Entry{
		credit("a", "10", 0, atp(24)),
		// A spend recorded outside Credit, as a later version may.
		{ID: "spend:1", Amount: dec("-7"), Reason: "spend", At: at(1)},
	}}
	if got := l.Burn("a", at(24)); !got.Equal(dec("3")) {
		t.Errorf("Burn = %s, want what is left (3)", got)
	}
	if !l.Balance().IsZero() {
		t.Errorf("Balance = %s, want 0", l.Balance())
	}

	neg := Ledger{Entries: []Entry{
		credit("a", "10", 0, atp(24)),
		{ID: "spend:1", Amount: dec("-12"), Reason: "spend", At: at(1)},
	}}
	if got := neg.Burn("a", at(24)); !got.IsZero() {
		t.Errorf("Burn on a negative balance = %s, want 0", got)
	}
	if !neg.Has(BurnEntryID("a")) || len(neg.DueBurns(at(100))) != 0 {
		t.Error("a burn of nothing must still be recorded and settle the accrual")
	}
}

func TestLedgerCompact(t *testing.T) {
	var l Ledger
	l.Credit(credit("a", "5", 0, nil))
	l.Credit(credit("b", "3", 1, atp(24)))
	l.Credit(credit("c", "2", 2, atp(48)))
	l.Credit(credit("d", "1", 3, nil))
	l.Burn("b", at(24))
	before := l.Balance()

	l.Compact(at(30), 0)
	if !l.Balance().Equal(before) {
		t.Errorf("Balance after Compact = %s, want %s", l.Balance(), before)
	}
	if len(l.Entries) != 1 || l.Entries[0].ID != "c" {
		t.Fatalf("kept entries = %+v, want only the pending accrual c", l.Entries)
	}
	var seenIDs []string
	for _, s := range l.Seen {
		seenIDs = append(seenIDs, s.ID)
	}
	wantSeen := []string{"a", "b", "d", BurnEntryID("b")}
	if !reflect.DeepEqual(seenIDs, wantSeen) {
		t.Errorf("Seen = %v, want %v", seenIDs, wantSeen)
	}
	for _, id := range []string{"a", "b", "c", "d"} {
		if l.Credit(credit(id, "9", 30, nil)) {
			t.Errorf("credit %s applied again after Compact", id)
		}
	}
	if got := l.NextExpiry(); got == nil || !got.Equal(at(48)) {
		t.Errorf("NextExpiry after Compact = %v", got)
	}
	if got := l.Burn("c", at(48)); !got.Equal(dec("2")) {
		t.Errorf("Burn(c) after Compact = %s", got)
	}
	if !l.Balance().Equal(dec("6")) {
		t.Errorf("Balance = %s, want 6", l.Balance())
	}
}

// The fault run: 1,300 transaction ids each sent twice, the account
// compacting (continuing as new) between them. Ids are kept by age, not by
// count, so none is credited twice.
func TestLedgerCompactKeepsIDsByAge(t *testing.T) {
	var l Ledger
	const n = 1300
	for i := range n {
		l.Credit(credit(AddBalanceEntryID(fmt.Sprintf("tx%d", i)), "1", 0, nil))
		if i%100 == 99 {
			l.Compact(at(1), IDWindow)
		}
	}
	l.Compact(at(1), IDWindow)
	for range 3 { // any number of continue-as-new runs
		for i := range n {
			if l.Credit(credit(AddBalanceEntryID(fmt.Sprintf("tx%d", i)), "1", 2, nil)) {
				t.Fatalf("tx%d credited twice", i)
			}
		}
		l.Compact(at(3), 0)
	}
	if len(l.Seen) != n || !l.Balance().Equal(dec("1300")) {
		t.Errorf("Seen = %d ids, balance %s; want %d and 1300", len(l.Seen), l.Balance(), n)
	}
}

func TestLedgerCompactDropsIDsOlderThanWindow(t *testing.T) {
	var l Ledger
	l.Credit(credit("old", "1", 0, nil))
	l.Credit(credit("young", "1", 10, nil))
	l.Compact(at(12), 0)
	window := 24 * time.Hour
	l.Compact(at(23), window)
	if !l.Has("old") || !l.Has("young") {
		t.Fatal("ids younger than the window must be kept")
	}
	l.Compact(at(24), window) // "old" is exactly one window old
	if l.Has("old") || !l.Has("young") {
		t.Errorf("after a window, old kept = %v, young kept = %v; want false, true", l.Has("old"), l.Has("young"))
	}
	if !l.Credit(credit("old", "1", 25, nil)) {
		t.Error("an id older than the window is forgotten: the documented limit")
	}
	if !l.Balance().Equal(dec("3")) {
		t.Errorf("Balance = %s, want 3", l.Balance())
	}
	l.Compact(at(25).Add(IDWindow), 0)
	if len(l.Seen) != 0 || len(l.Entries) != 0 {
		t.Errorf("Seen = %v after the default window, want none", l.Seen)
	}
}

func TestLedgerConflicts(t *testing.T) {
	var l Ledger
	l.Credit(credit(AddBalanceEntryID("a"), "10", 0, nil))
	l.Credit(credit(AddBalanceEntryID("b"), "5", 0, atp(100)))
	check := func(when string) {
		t.Helper()
		for _, c := range []struct {
			id, amount string
			want       bool
		}{{"a", "10", false}, {"a", "10.00", false}, {"a", "10.01", true}, {"b", "5", false}, {"b", "6", true}, {"c", "1", false}} {
			if got := l.Conflicts(AddBalanceEntryID(c.id), dec(c.amount)); got != c.want {
				t.Errorf("%s: Conflicts(%s, %s) = %v, want %v", when, c.id, c.amount, got, c.want)
			}
		}
	}
	check("before Compact")
	l.Compact(at(1), 0)
	check("after Compact")
}

// A ledger carried before ids had amounts and times (seen: ["id", ...])
// still refuses those ids, conflicts on none, and keeps each for a window
// from the first Compact that sees it.
func TestLedgerLegacySeen(t *testing.T) {
	var l Ledger
	if err := json.Unmarshal([]byte(`{"opening":"7","entries":[],"seen":["scan:a","addBalance:tx"]}`), &l); err != nil {
		t.Fatal(err)
	}
	if !l.Has(ScanEntryID("a")) || l.Credit(credit(AddBalanceEntryID("tx"), "7", 0, nil)) {
		t.Fatal("carried ids must still be refused")
	}
	if l.Conflicts(AddBalanceEntryID("tx"), dec("100")) {
		t.Error("an id carried without its amount cannot conflict")
	}
	l.Compact(at(0), 0)
	l.Compact(at(0).Add(IDWindow-time.Second), 0)
	if !l.Has(ScanEntryID("a")) {
		t.Error("a carried id was dropped before a window had passed since the first Compact")
	}
	l.Compact(at(0).Add(IDWindow), 0)
	if l.Has(ScanEntryID("a")) || !l.Balance().Equal(dec("7")) {
		t.Errorf("carried ids kept past the window, or balance %s changed", l.Balance())
	}
}

func TestLedgerJSONRoundTrip(t *testing.T) {
	var l Ledger
	l.Credit(credit(ScanEntryID("a"), "5.25", 0, nil))
	l.Credit(credit(AddBalanceEntryID("tx"), "3", 1, atp(24)))
	l.Credit(credit(WelcomeEntryID("s"), "1", 1, nil))
	l.Compact(at(2), 0)
	l.Credit(credit(ScanEntryID("b"), "0.10", 2, nil))

	b, err := json.Marshal(l)
	if err != nil {
		t.Fatal(err)
	}
	var back Ledger
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !back.Balance().Equal(l.Balance()) {
		t.Errorf("Balance %s != %s after %s", back.Balance(), l.Balance(), b)
	}
	if !reflect.DeepEqual(back.Seen, l.Seen) || len(back.Entries) != len(l.Entries) {
		t.Errorf("round trip lost entries or ids: %s", b)
	}
	if back.Credit(credit(ScanEntryID("a"), "5", 3, nil)) || back.Credit(credit(ScanEntryID("b"), "5", 3, nil)) {
		t.Error("duplicates accepted after the round trip")
	}
	if got := back.DueBurns(at(24)); !reflect.DeepEqual(got, []string{AddBalanceEntryID("tx")}) {
		t.Errorf("DueBurns after round trip = %v", got)
	}
	again, _ := json.Marshal(back)
	if string(again) != string(b) {
		t.Errorf("marshal is not stable:\n%s\n%s", b, again)
	}
}

func TestExpiresAfter(t *testing.T) {
	if ExpiresAfter(t0, 0) != nil || ExpiresAfter(t0, -time.Second) != nil {
		t.Error("no lifetime must mean no expiry")
	}
	if got := ExpiresAfter(t0, 86400*time.Second); got == nil || !got.Equal(t0.Add(24*time.Hour)) {
		t.Errorf("ExpiresAfter = %v", got)
	}
}
