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
	ErrPhoneInvalid = errors.New("rules: phone number is not a valid number")
)

// NormalisePhone turns a phone as a guest typed it into E.164, the form
// Passquare requires. defaultRegion is the branch's ISO 3166-1 alpha-2
// country, used for numbers written in national form. A leading "00" is read
// as the international prefix whatever the region (guests from Europe write
// it even where the local prefix differs, and no national number begins with
// 00).
func NormalisePhone(raw, defaultRegion string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", ErrPhoneMissing
	}
	if rest, ok := strings.CutPrefix(s, "00"); ok {
		s = "+" + rest
	}
	region := strings.ToUpper(strings.TrimSpace(defaultRegion))
	num, err := phonenumbers.Parse(s, region)
	if err != nil || !phonenumbers.IsValidNumber(num) {
		return "", ErrPhoneInvalid
	}
	return phonenumbers.Format(num, phonenumbers.E164), nil
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
