package rules

import "testing"

func TestIsAdult(t *testing.T) {
	tests := []struct {
		name      string
		birth     *Date
		on        string
		adultAge  int
		wantAdult bool
		wantKnown bool
	}{
		{"eighteenth birthday", dp("2002-02-07"), "2020-02-07", 18, true, true},
		{"day before eighteenth birthday", dp("2002-02-08"), "2020-02-07", 18, false, true},
		{"default adult age", dp("2002-02-07"), "2020-02-07", 0, true, true},
		{"negative adult age means default", dp("2002-02-08"), "2020-02-07", -1, false, true},
		{"branch adult age 21", dp("2000-02-07"), "2020-02-07", 21, false, true},
		{"old guest", dp("1940-12-31"), "2020-02-07", 18, true, true},
		{"leap-day birth, common year, 28 Feb", dp("2004-02-29"), "2022-02-28", 18, false, true},
		{"leap-day birth, common year, 1 Mar", dp("2004-02-29"), "2022-03-01", 18, true, true},
		{"leap-day birth, birthday in a leap year", dp("1996-02-29"), "2016-02-29", 20, true, true},
		{"leap-day birth, day before in a leap year", dp("1996-02-29"), "2016-02-28", 20, false, true},
		{"no birth date", nil, "2020-02-07", 18, false, false},
		{"zero birth date", &Date{}, "2020-02-07", 18, false, false},
		{"birth after the day", dp("2021-01-01"), "2020-02-07", 18, false, false},
		{"born that day", dp("2020-02-07"), "2020-02-07", 18, false, true},
	}
	for _, tt := range tests {
		adult, known := IsAdult(tt.birth, d(tt.on), tt.adultAge)
		if adult != tt.wantAdult || known != tt.wantKnown {
			t.Errorf("%s: IsAdult = %v, %v; want %v, %v", tt.name, adult, known, tt.wantAdult, tt.wantKnown)
		}
	}
}

func TestAge(t *testing.T) {
	tests := []struct {
		birth, on string
		want      int
	}{
		{"1959-08-22", "2020-02-07", 60},
		{"1959-08-22", "2020-08-22", 61},
		{"1959-08-22", "2020-08-21", 60},
		{"2020-02-07", "2020-02-07", 0},
	}
	for _, tt := range tests {
		if got, ok := Age(dp(tt.birth), d(tt.on)); got != tt.want || !ok {
			t.Errorf("Age(%s, %s) = %d, %v; want %d", tt.birth, tt.on, got, ok, tt.want)
		}
	}
}

func TestLoyaltyConsent(t *testing.T) {
	yes, no := true, false
	tests := []struct {
		flag               *bool
		unansweredMeansYes bool
		want               bool
	}{
		{&yes, false, true},
		{&yes, true, true},
		{&no, false, false},
		{&no, true, false},
		{nil, false, false},
		{nil, true, true},
	}
	for _, tt := range tests {
		if got := LoyaltyConsent(tt.flag, tt.unansweredMeansYes); got != tt.want {
			t.Errorf("LoyaltyConsent(%v, %v) = %v", tt.flag, tt.unansweredMeansYes, got)
		}
	}
}

func TestWalletEligibility(t *testing.T) {
	adult := WalletCandidate{
		Phone: "347 123 4567", Region: "IT", Consent: true,
		BirthDate: dp("1980-01-25"), On: d("2020-02-07"),
	}
	with := func(edit func(*WalletCandidate)) WalletCandidate {
		c := adult
		edit(&c)
		return c
	}
	tests := []struct {
		name string
		c    WalletCandidate
		want Reason
	}{
		{"adult with consent and phone", adult, ""},
		{"international phone", with(func(c *WalletCandidate) { c.Phone = "+44 7911 123456" }), ""},
		{"no phone", with(func(c *WalletCandidate) { c.Phone = "" }), NoPhone},
		{"invalid phone", with(func(c *WalletCandidate) { c.Phone = "12" }), PhoneInvalid},
		{"mobile in a range newer than the phone metadata", with(func(c *WalletCandidate) { c.Phone = "+44 7620 123456" }), ""},
		{"fixed line", with(func(c *WalletCandidate) { c.Phone = "06 5555 5555" }), PhoneFixedLine},
		{"toll-free", with(func(c *WalletCandidate) { c.Phone = "800 123 456" }), PhoneNotMobile},
		{"no consent", with(func(c *WalletCandidate) { c.Consent = false }), NoConsent},
		{"minor", with(func(c *WalletCandidate) { c.BirthDate = dp("2005-01-01") }), Minor},
		{"unknown age", with(func(c *WalletCandidate) { c.BirthDate = nil }), AgeUnknown},
		{"branch adult age 21", with(func(c *WalletCandidate) {
			c.BirthDate = dp("2000-01-01")
			c.AdultAge = 21
		}), Minor},
		{"minor without consent or phone says minor", with(func(c *WalletCandidate) {
			c.BirthDate = dp("2010-01-01")
			c.Consent = false
			c.Phone = ""
		}), Minor},
		{"no consent and no phone says no consent", with(func(c *WalletCandidate) {
			c.Consent = false
			c.Phone = ""
		}), NoConsent},
	}
	for _, tt := range tests {
		ok, reason := WalletEligibility(tt.c)
		if reason != tt.want || ok != (tt.want == "") {
			t.Errorf("%s: WalletEligibility = %v, %q; want %q", tt.name, ok, reason, tt.want)
		}
	}
}
