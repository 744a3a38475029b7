package passquare

import "regexp"

// e164 is the international form Passquare requires in every method: a plus,
// a country code that does not start with 0, at most 15 digits in all.
var e164 = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)

// ValidPhone reports whether phone is in the E.164 form Passquare accepts.
func ValidPhone(phone string) bool { return e164.MatchString(phone) }

func checkPhone(field, phone string) error {
	switch {
	case phone == "":
		return invalid(field, "required")
	case !ValidPhone(phone):
		return invalid(field, "not in E.164 form (+ and up to 15 digits)")
	}
	return nil
}
