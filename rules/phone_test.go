package rules

import (
	"errors"
	"strings"
	"testing"
)

func TestNormalisePhone(t *testing.T) {
	tests := []struct {
		name, raw, region string
		want              string
		wantErr           error
	}{
		{"E.164 already", "+393471234567", "IT", "+393471234567", nil},
		{"spaces and dashes", " +39 347-123 4567 ", "IT", "+393471234567", nil},
		{"00 prefix", "00393471234567", "IT", "+393471234567", nil},
		{"00 prefix where local prefix is 011", "00393471234567", "US", "+393471234567", nil},
		{"00 prefix, no region", "0049 30 901820", "", "+4930901820", nil},
		{"national Italian mobile", "347 123 4567", "IT", "+393471234567", nil},
		{"national Italian landline keeps its 0", "06 5555 5555", "IT", "+390655555555", nil},
		{"national German", "030 901820", "DE", "+4930901820", nil},
		{"lower-case region", "030 901820", "de", "+4930901820", nil},
		{"national US", "(201) 555-0123", "US", "+12015550123", nil},
		{"foreign number with plus ignores region", "+44 20 7946 0958", "IT", "+442079460958", nil},
		{"UK mobile-length number in a range the metadata does not list", "+44 7620 123456", "IT", "+447620123456", nil},
		{"the Passquare document's example number", "+420000000001", "IT", "+420000000001", nil},
		{"national form of a range the metadata does not list", "07620 123456", "GB", "+447620123456", nil},

		{"empty", "", "IT", "", ErrPhoneMissing},
		{"blank", "   ", "IT", "", ErrPhoneMissing},
		{"national form without region", "347 123 4567", "", "", ErrPhoneInvalid},
		{"too short", "12", "IT", "", ErrPhoneInvalid},
		{"letters", "call me", "IT", "", ErrPhoneInvalid},
		{"invalid country code", "+999 1234567", "IT", "", ErrPhoneInvalid},
		{"too long", "+39 347 123 4567 8901 23", "IT", "", ErrPhoneInvalid},
		{"unknown region", "347 123 4567", "QQ", "", ErrPhoneInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NormalisePhone(tt.raw, tt.region)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("NormalisePhone(%q, %q) = %q, want %q", tt.raw, tt.region, got, tt.want)
			}
			if err != nil {
				digits := strings.Map(func(r rune) rune {
					if r >= '0' && r <= '9' {
						return r
					}
					return -1
				}, tt.raw)
				if len(digits) >= 2 && strings.Contains(err.Error(), digits) {
					t.Errorf("error %q carries the number", err)
				}
			}
		})
	}
}

func TestWalletPhone(t *testing.T) {
	tests := []struct {
		name, raw, region string
		want              Reason
		e164              string
	}{
		{"Italian mobile", "347 123 4567", "IT", "", "+393471234567"},
		{"UK mobile", "+44 7911 123456", "IT", "", "+447911123456"},
		{"possible number in a range the metadata does not list", "+44 7620 123456", "IT", "", "+447620123456"},
		{"fixed line or mobile (US) is not known to be fixed", "(201) 555-0123", "US", "", "+12015550123"},
		{"Italian landline", "06 5555 5555", "IT", PhoneFixedLine, "+390655555555"},
		{"London landline", "+44 20 7946 0958", "IT", PhoneFixedLine, "+442079460958"},
		{"Italian toll-free", "800 123 456", "IT", PhoneNotMobile, "+39800123456"},
		{"no phone", " ", "IT", NoPhone, ""},
		{"too short", "12", "IT", PhoneInvalid, ""},
		{"unknown country code", "+999 1234567", "IT", PhoneInvalid, ""},
		{"wrong length for its country", "+44 7911 1234567", "IT", PhoneInvalid, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := WalletPhone(tt.raw, tt.region)
			if v.Reason != tt.want || v.E164 != tt.e164 {
				t.Fatalf("WalletPhone(%q, %q) = %q, %q; want %q, %q", tt.raw, tt.region, v.E164, v.Reason, tt.e164, tt.want)
			}
			if v.Rule != PhoneRule(tt.want) {
				t.Errorf("rule %q, want PhoneRule's %q", v.Rule, PhoneRule(tt.want))
			}
			if tt.want != "" && v.Rule == "" {
				t.Error("a refusal without the rule's wording")
			}
			if digits := strings.Trim(tt.e164, "+"); digits != "" && strings.Contains(v.Rule, digits[len(digits)-6:]) {
				t.Errorf("rule %q carries the number", v.Rule)
			}
		})
	}
}

func TestAccountKey(t *testing.T) {
	secret := []byte("branch-secret")
	k := AccountKey("+393471234567", secret)
	if len(k) != 32 || strings.Trim(k, "0123456789abcdef") != "" {
		t.Fatalf("key %q is not 32 hex characters", k)
	}
	if strings.Contains(k, "393471234567") {
		t.Error("key shows the phone")
	}
	tests := []struct {
		name   string
		phone  string
		secret []byte
		same   bool
	}{
		{"same phone, same secret", "+393471234567", secret, true},
		{"other phone", "+393471234568", secret, false},
		{"other secret", "+393471234567", []byte("other"), false},
	}
	for _, tt := range tests {
		if got := AccountKey(tt.phone, tt.secret); (got == k) != tt.same {
			t.Errorf("%s: key %q vs %q", tt.name, got, k)
		}
	}
	// Known answer, so a change of algorithm (which would orphan every
	// account) fails here: `printf +1 | openssl dgst -sha256 -hmac k`.
	if got, want := AccountKey("+1", []byte("k")), "312c299027ab9b1e30c36f1694fd1259"; got != want {
		t.Errorf("AccountKey = %s, want %s", got, want)
	}
}
