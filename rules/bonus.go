package rules

import (
	"slices"

	"github.com/shopspring/decimal"
)

// DefaultRealUseStatuses are the Passcreator scan statuses that mean the card
// was really used at an outlet: 0 voided after scan, 2 attendance saved, 4
// checked in. The others are refusals or repeats (1 already voided, 3 pass
// not found, 5 already checked in, 7 not checked in) or 6 checked out, which
// closes a visit that the check-in already counted.
var DefaultRealUseStatuses = []int{0, 2, 4}

// IsRealUse reports whether a scan status earns a bonus. An empty realUse
// means DefaultRealUseStatuses: a branch cannot switch bonuses off by leaving
// the list out of its configuration (it sets the percentage to 0 for that).
func IsRealUse(status int, realUse []int) bool {
	if len(realUse) == 0 {
		realUse = DefaultRealUseStatuses
	}
	return slices.Contains(realUse, status)
}

// ScanCredit is what a scan earns: percent of the transaction value, rounded
// half-up to cents (see Cents). A zero or negative value (a refund, a typo)
// or percentage earns nothing, never a debit.
func ScanCredit(value, percent decimal.Decimal) decimal.Decimal {
	if !value.IsPositive() || !percent.IsPositive() {
		return decimal.Zero
	}
	return Cents(value.Mul(percent).Shift(-2))
}
