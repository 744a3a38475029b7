package rules

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// Phone errors. They never carry the number, so they are safe in logs and in
// a workflow's last error.
var (
	ErrPhoneMissing = errors.New("rules: no phone number")
	ErrPhoneInvalid = errors.New("rules: phone number is not a possible number")
)

// NormalisePhone turns a phone as a guest typed it into E.164, the form
// Passquare requires. defaultRegion is the branch's ISO 3166-1 alpha-2
// country, used for numbers written in national form. A leading "00" is read
// as the international prefix whatever the region (guests from Europe write
// it even where the local prefix differs, and no national number begins with
// 00).
//
// A number is accepted when it is possible for its country (a known country
// code and a length the country uses), not only when the phone library's
// metadata lists its range: the metadata lags the ranges regulators open,
// and a guest with a new mobile number must not be refused for it. What kind
// of line it is, is WalletPhone's question.
func NormalisePhone(raw, defaultRegion string) (string, error) {
	num, err := parsePhone(raw, defaultRegion)
	if err != nil {
		return "", err
	}
	return phonenumbers.Format(num, phonenumbers.E164), nil
}

func parsePhone(raw, defaultRegion string) (*phonenumbers.PhoneNumber, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return nil, ErrPhoneMissing
	}
	if rest, ok := strings.CutPrefix(s, "00"); ok {
		s = "+" + rest
	}
	region := strings.ToUpper(strings.TrimSpace(defaultRegion))
	num, err := phonenumbers.Parse(s, region)
	if err != nil || !phonenumbers.IsPossibleNumber(num) {
		return nil, ErrPhoneInvalid
	}
	return num, nil
}

// PhoneVerdict is what the wallet's phone rules say of a number.
type PhoneVerdict struct {
	E164   string // set whenever the number is possible, even when refused
	Reason Reason // "" when the card may go to this number
	// Rule says in words which rule refused the number, for the stay's
	// status; it never carries the number.
	Rule string
}

// WalletPhone applies the phone rules of a wallet card: a number is needed
// (NoPhone), it must be possible for its country (PhoneInvalid), and a number
// the numbering plan knows to be a fixed line (PhoneFixedLine), or a
// toll-free, premium-rate, shared-cost, UAN, voicemail or pager number
// (PhoneNotMobile), cannot receive the card link by SMS nor hold a wallet.
// A number whose kind the metadata does not know (a range newer than the
// library) passes: it is possible, and most new ranges are mobile. Staff may
// issue a card to a PhoneFixedLine or PhoneNotMobile number anyway; E164 is
// then the number to use.
func WalletPhone(raw, defaultRegion string) PhoneVerdict {
	num, err := parsePhone(raw, defaultRegion)
	switch {
	case errors.Is(err, ErrPhoneMissing):
		return PhoneVerdict{Reason: NoPhone, Rule: PhoneRule(NoPhone)}
	case err != nil:
		return PhoneVerdict{Reason: PhoneInvalid, Rule: PhoneRule(PhoneInvalid)}
	}
	v := PhoneVerdict{E164: phonenumbers.Format(num, phonenumbers.E164)}
	switch phonenumbers.GetNumberType(num) {
	case phonenumbers.FIXED_LINE:
		v.Reason = PhoneFixedLine
	case phonenumbers.TOLL_FREE, phonenumbers.PREMIUM_RATE, phonenumbers.SHARED_COST,
		phonenumbers.UAN, phonenumbers.VOICEMAIL, phonenumbers.PAGER:
		v.Reason = PhoneNotMobile
	}
	v.Rule = PhoneRule(v.Reason)
	return v
}

// WalletPhoneValidOnly is the phone rule of stays that decided before
// WalletPhone: a number the phone library's metadata lists as valid, of any
// kind. Workflows replaying such a stay must decide as it did.
func WalletPhoneValidOnly(raw, defaultRegion string) PhoneVerdict {
	num, err := parsePhone(raw, defaultRegion)
	switch {
	case errors.Is(err, ErrPhoneMissing):
		return PhoneVerdict{Reason: NoPhone, Rule: PhoneRule(NoPhone)}
	case err != nil || !phonenumbers.IsValidNumber(num):
		return PhoneVerdict{Reason: PhoneInvalid, Rule: PhoneRule(PhoneInvalid)}
	}
	return PhoneVerdict{E164: phonenumbers.Format(num, phonenumbers.E164)}
}

// Overridable reports whether staff may issue the card to this number all
// the same: a possible number of a kind that may not take the link.
func (v PhoneVerdict) Overridable() bool {
	return v.E164 != "" && (v.Reason == PhoneFixedLine || v.Reason == PhoneNotMobile)
}

// PhoneRule is the staff's wording of a phone reason: which rule refused
// the number, never the number. "" for a reason that is not a phone rule.
func PhoneRule(r Reason) string {
	switch r {
	case NoPhone:
		return "the guest left no phone number"
	case PhoneInvalid:
		return "the phone number is not possible: no known country code, or a length its country does not use"
	case PhoneFixedLine:
		return "the phone number is a fixed line, which cannot receive the card link by SMS; staff can issue the card anyway"
	case PhoneNotMobile:
		return "the phone number is toll-free, premium-rate, shared-cost or a pager, not a mobile; staff can issue the card anyway"
	}
	return ""
}

// AccountKey is the loyalty account's key for an E.164 phone: HMAC-SHA256
// under the deployment's secret, hex, first 32 characters (128 bits). It goes
// into the account's workflow id, which the Web UI shows unencoded, so the
// phone itself never does; without the secret the key cannot be reversed by
// trying every phone number. Changing the secret orphans every account.
func AccountKey(e164 string, secret []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(e164))
	return hex.EncodeToString(mac.Sum(nil))[:32]
}
