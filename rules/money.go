package rules

import (
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Cents rounds an amount to two decimals, half away from zero (for the
// positive amounts guestflow credits, that is half-up: 0.125 becomes 0.13).
// Half-up is what a guest and a cashier expect; banker's rounding would
// surprise both on every other half cent.
func Cents(v decimal.Decimal) decimal.Decimal { return v.Round(2) }

// IsCents reports whether v has at most two decimals, so it is money as
// guestflow and Passquare keep it.
func IsCents(v decimal.Decimal) bool { return v.Equal(Cents(v)) }

// Hard limits on one grant of bonuses (Passquare's addBalance), whatever the
// configuration: the loyalty account refuses a sum above MaxGrantSum and a
// lifetime above MaxGrantLifetime even if a caller let them through. The
// webhook applies the group's configured, lower bounds first.
var MaxGrantSum = decimal.New(1, 9) // 1,000,000,000

// MaxTransactionValue bounds one scan's transaction value, as a device
// posts it or Passcreator holds it: a larger one is a typing or reading
// error, and its bonus would credit the guest an absurd sum.
var MaxTransactionValue = decimal.New(1, 9) // 1,000,000,000

// MaxGrantLifetime is ten years.
const MaxGrantLifetime = 10 * 366 * 24 * time.Hour

// AmountForm is a way money is written as text.
type AmountForm int

const (
	// Plain is the form the vendors' documents show ("300.00", "12.5", "5",
	// "-3.20"): an optional minus, digits, and an optional dot followed by
	// digits.
	Plain AmountForm = iota
	// Typed is what staff type at an outlet: Plain, or with a comma instead
	// of the dot ("12,50"), as a European keyboard writes it.
	Typed
)

// ParseAmount is the one place text becomes money. It reads s in form and
// nothing else: no grouping, exponent, plus sign, currency or surrounding
// space. A writer that uses them has changed its format, and guessing what
// it meant would put a wrong amount on a guest's card.
func ParseAmount(s string, form AmountForm) (decimal.Decimal, bool) {
	if form == Typed && strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	digits := strings.TrimPrefix(s, "-")
	whole, frac, hasDot := strings.Cut(digits, ".")
	if !allDigits(whole) || (hasDot && !allDigits(frac)) {
		return decimal.Zero, false
	}
	v, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Zero, false
	}
	return v, true
}

// allDigits reports whether s is one or more ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
