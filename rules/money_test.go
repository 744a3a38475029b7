package rules

import (
	"testing"

	"github.com/shopspring/decimal"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestParseAmount(t *testing.T) {
	tests := []struct {
		in     string
		want   string
		wantOK bool
	}{
		{"12.50", "12.5", true},
		{"12,50", "12.5", true},
		{" 12 ", "12", true},
		{"0", "0", true},
		{"-3.20", "-3.2", true},
		{"+3.20", "3.2", true},
		{"1.234,56", "1234.56", true},
		{"1,234.56", "1234.56", true},
		{"1,234", "1.234", true},
		{"1.234.567", "1234567", true},
		{"1,234,567", "1234567", true},
		{"1.234.567,89", "1234567.89", true},
		{"", "", false},
		{"-", "", false},
		{"abc", "", false},
		{"€12", "", false},
		{"12 EUR", "", false},
		{"1e3", "", false},
		{"12.", "", false},
		{".5", "", false},
		{"1,234,56.7", "1234567.8", false},
		{"1.2,3,4", "", false},
		{"12,34,567", "", false},
		{"1.23.456", "", false},
		{"1,234.5,6", "", false},
		{"1234,567.8", "", false},
	}
	for _, tt := range tests {
		got, ok := ParseAmount(tt.in)
		if ok != tt.wantOK {
			t.Errorf("ParseAmount(%q) ok = %v, want %v", tt.in, ok, tt.wantOK)
			continue
		}
		if ok && !got.Equal(dec(tt.want)) {
			t.Errorf("ParseAmount(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

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

func TestParseDecimal(t *testing.T) {
	tests := []struct {
		in     string
		want   string
		wantOK bool
	}{
		{"300.00", "300", true},
		{"12.5", "12.5", true},
		{"5", "5", true},
		{"0", "0", true},
		{"-3.20", "-3.2", true},
		{"17.88", "17.88", true},
		{"", "", false},
		{"-", "", false},
		{"12,50", "", false},
		{"1,234.56", "", false},
		{"1.234.567", "", false},
		{" 12", "", false},
		{"12 ", "", false},
		{"+3", "", false},
		{"1e3", "", false},
		{"12.", "", false},
		{".5", "", false},
		{"--5", "", false},
		{"0x1F", "", false},
		{"NaN", "", false},
		{"١٢", "", false}, // Arabic-Indic digits
	}
	for _, tt := range tests {
		got, ok := ParseDecimal(tt.in)
		if ok != tt.wantOK {
			t.Errorf("ParseDecimal(%q) ok = %v, want %v", tt.in, ok, tt.wantOK)
			continue
		}
		if ok && !got.Equal(dec(tt.want)) {
			t.Errorf("ParseDecimal(%q) = %s, want %s", tt.in, got, tt.want)
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
