package rules

import "testing"

func TestCountryAlpha2(t *testing.T) {
	tests := []struct {
		in     string
		want   string
		wantOK bool
	}{
		{"USA", "US", true},
		{"ITA", "IT", true},
		{"DEU", "DE", true},
		{"usa", "US", true},
		{" gbr ", "GB", true},
		{"D", "DE", true},
		{"D<<", "DE", true},
		{"d<<", "DE", true},
		{"GBD", "GB", true},
		{"GBN", "GB", true},
		{"GBO", "GB", true},
		{"GBP", "GB", true},
		{"GBS", "GB", true},
		{"RKS", "XK", true},
		{"XKK", "XK", true},
		{"SRB", "RS", true},
		{"MNE", "ME", true},
		{"HKG", "HK", true},
		{"PSE", "PS", true},
		{"CUW", "CW", true},
		{"ZAR", "CD", true},
		{"TMP", "TL", true},
		{"BUR", "MM", true},
		{"DDR", "DE", true},
		{"FXX", "FR", true},
		// no country at all
		{"UNO", "", false},
		{"UNA", "", false},
		{"UNK", "", false},
		{"XXA", "", false},
		{"XXB", "", false},
		{"XXC", "", false},
		{"XXX", "", false},
		{"XOM", "", false},
		{"XPO", "", false},
		{"EUE", "", false},
		{"ZZZ", "", false},
		{"AAA", "", false},
		{"QQQ", "", false},
		// no longer one country, or not an ISO country
		{"YUG", "", false},
		{"SCG", "", false},
		{"ANT", "", false},
		{"SUN", "", false},
		{"CPT", "", false},
		{"DGA", "", false},
		// not a three-letter code
		{"US", "", false},
		{"IT", "", false},
		{"380", "", false},
		{"150", "", false},
		{"", "", false},
		{"<<<", "", false},
		{"ROM", "", false},
		{"ITAL", "", false},
		{"IT1", "", false},
	}
	for _, tt := range tests {
		got, ok := CountryAlpha2(tt.in)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("CountryAlpha2(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}
