package rules

import (
	"slices"

	"github.com/shopspring/decimal"
)

// DefaultRealUseStatuses are the Passcreator scan statuses that can mean the
// card was really used at an outlet, and what a branch gets when it lists
// none: 3 pass not found, 0 voided after scan, 2 attendance saved, 4
// checked in. guestflow's cards come from Passquare, so Passcreator does not
// know them as passes: an outlet's scan of one is recorded with 3 and the
// card's barcode, and 3 is the normal case. Whether the barcode is a card
// guestflow issued is decided by finding the account that holds it, not by
// the status. The other statuses are Passcreator refusing a pass it knows
// (1 already voided, 5 already checked in, 7 not checked in) or 6 checked
// out, which closes a visit the check-in already counted: never a use.
var DefaultRealUseStatuses = []int{0, 2, 3, 4}

// IsRealUse reports whether a scan of a card guestflow issued, with this
// status, earns a bonus. realUse is the branch's list, which can only narrow
// DefaultRealUseStatuses; an empty one means all of them (a branch switches
// bonuses off with a zero percentage, not by leaving the list out).
func IsRealUse(status int, realUse []int) bool {
	if !slices.Contains(DefaultRealUseStatuses, status) {
		return false
	}
	return len(realUse) == 0 || slices.Contains(realUse, status)
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
