package rules

import (
	"testing"

	"github.com/shopspring/decimal"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestCents(t *testing.T) {
	tests := []struct{ in, want string }{
		{"0.125", "0.13"},
		{"0.135", "0.14"},
		{"0.124999", "0.12"},
		{"2.5", "2.5"},
		{"10", "10"},
	}
	for _, tt := range tests {
		if got := Cents(dec(tt.in)); !got.Equal(dec(tt.want)) {
			t.Errorf("Cents(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

// One function reads money: the vendors' plain form, and with Typed also
// a comma decimal, never grouping, signs or spaces.
func TestParseAmount(t *testing.T) {
	tests := []struct {
		in           string
		want         string
		plain, type_ bool
	}{
		{"300.00", "300", true, true},
		{"12.5", "12.5", true, true},
		{"5", "5", true, true},
		{"0", "0", true, true},
		{"-3.20", "-3.2", true, true},
		{"17.88", "17.88", true, true},
		{"12,50", "12.5", false, true},
		{"-3,2", "-3.2", false, true},
		{"", "", false, false},
		{"-", "", false, false},
		{",", "", false, false},
		{"12,", "", false, false},
		{",5", "", false, false},
		{"1,234.56", "", false, false},
		{"1.234,56", "", false, false},
		{"1,234,567", "", false, false},
		{"1.234.567", "", false, false},
		{" 12", "", false, false},
		{"12 ", "", false, false},
		{"1 234,50", "", false, false},
		{"+3", "", false, false},
		{"1e3", "", false, false},
		{"12.", "", false, false},
		{".5", "", false, false},
		{"--5", "", false, false},
		{"0x1F", "", false, false},
		{"NaN", "", false, false},
		{"€12", "", false, false},
		{"12 EUR", "", false, false},
		{"١٢", "", false, false}, // Arabic-Indic digits
	}
	for _, tt := range tests {
		for form, wantOK := range map[AmountForm]bool{Plain: tt.plain, Typed: tt.type_} {
			got, ok := ParseAmount(tt.in, form)
			if ok != wantOK {
				t.Errorf("ParseAmount(%q, %d) ok = %v, want %v", tt.in, form, ok, wantOK)
				continue
			}
			if ok && !got.Equal(dec(tt.want)) {
				t.Errorf("ParseAmount(%q, %d) = %s, want %s", tt.in, form, got, tt.want)
			}
		}
	}
}

func TestIsCents(t *testing.T) {
	for s, want := range map[string]bool{"5": true, "12.5": true, "12.50": true, "12.500": true, "0.001": false,
		"0.000000000000000000000001": false, "1000000.01": true} {
		if got := IsCents(dec(s)); got != want {
			t.Errorf("IsCents(%s) = %v, want %v", s, got, want)
		}
	}
}
