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

// MaxGrantLifetime is ten years.
const MaxGrantLifetime = 10 * 366 * 24 * time.Hour

// ParseDecimal reads an amount in the plain form the vendors' documents
// show ("300.00", "12.5", "5", "-3.20"): an optional minus, digits, and an
// optional dot followed by digits. It is the one place text becomes money;
// ParseAmount reads what people type by rewriting it into this form. No
// comma, grouping, exponent, plus sign or surrounding space is read: a vendor
// that writes them has changed its format, and guessing what it meant would
// put a wrong amount on a guest's card.
func ParseDecimal(s string) (decimal.Decimal, bool) {
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

// ParseAmount reads a money amount typed at an outlet: "12.50", "12,50",
// "1.234,56", "1,234.56", with an optional sign and surrounding spaces. When
// both separators appear, the last one is the decimal separator; a single
// separator of either kind is a decimal separator ("1,234" is 1.234, as an
// Italian or German cashier means it), and a repeated one groups thousands.
// Anything else (exponents, currency signs, letters) is refused.
func ParseAmount(raw string) (decimal.Decimal, bool) {
	s := strings.TrimSpace(raw)
	neg := false
	switch {
	case strings.HasPrefix(s, "-"):
		neg, s = true, s[1:]
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	}
	if s == "" {
		return decimal.Zero, false
	}
	for _, r := range s {
		if (r < '0' || r > '9') && r != '.' && r != ',' {
			return decimal.Zero, false
		}
	}
	dots, commas := strings.Count(s, "."), strings.Count(s, ",")
	switch {
	case dots > 0 && commas > 0:
		decimalSep, groupSep := ".", ","
		if strings.LastIndex(s, ",") > strings.LastIndex(s, ".") {
			decimalSep, groupSep = ",", "."
		}
		whole, frac, _ := strings.Cut(s, decimalSep)
		if strings.Contains(frac, groupSep) || !grouped(whole, groupSep) {
			return decimal.Zero, false
		}
		s = strings.ReplaceAll(whole, groupSep, "") + "." + frac
	case commas == 1:
		s = strings.Replace(s, ",", ".", 1)
	case commas > 1:
		if !grouped(s, ",") {
			return decimal.Zero, false
		}
		s = strings.ReplaceAll(s, ",", "")
	case dots > 1:
		if !grouped(s, ".") {
			return decimal.Zero, false
		}
		s = strings.ReplaceAll(s, ".", "")
	}
	v, ok := ParseDecimal(s)
	if !ok {
		return decimal.Zero, false
	}
	if neg {
		v = v.Neg()
	}
	return v, true
}

// grouped reports whether s groups its digits by thousands with sep: a first
// group of one to three digits, then groups of exactly three.
func grouped(s, sep string) bool {
	for i, g := range strings.Split(s, sep) {
		if (i == 0 && (len(g) < 1 || len(g) > 3)) || (i > 0 && len(g) != 3) {
			return false
		}
	}
	return true
}
