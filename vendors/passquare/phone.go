package passquare

import (
	"regexp"
	"strings"

	"github.com/guestflow/guestflow/rules"
)

// e164 is the international form Passquare requires in every method: a plus,
// a country code that does not start with 0, at most 15 digits in all.
var e164 = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)

// ValidPhone reports whether phone is in the E.164 form Passquare accepts,
// and a number possible for its country (rules.NormalisePhone).
func ValidPhone(phone string) bool {
	if !e164.MatchString(phone) {
		return false
	}
	n, err := rules.NormalisePhone(phone, "")
	return err == nil && n == phone
}

func checkPhone(field, phone string) error {
	switch {
	case phone == "":
		return invalid(field, "required")
	case !e164.MatchString(phone):
		return invalid(field, "not in E.164 form (+ and up to 15 digits)")
	case !ValidPhone(phone):
		return invalid(field, "not a possible number for its country code")
	}
	return nil
}

// hookPhone reads a phone Passquare sent. E.164 is the number's digits, the
// plus only marks them as international, and the document's own push
// example writes "420000000001": digits without a plus are read as E.164.
func hookPhone(s flexString) string {
	p := strings.TrimSpace(string(s))
	if p != "" && p[0] >= '1' && p[0] <= '9' && strings.Trim(p, "0123456789") == "" {
		return "+" + p
	}
	return p
}
