package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"golang.org/x/text/language"
)

// decode reads an operation's body into req, turning a type mismatch into
// the field name Mews would complain about.
func decode(body []byte, req any) *failure {
	if err := json.Unmarshal(body, req); err != nil {
		return badRequest("Invalid request body: " + decodeProblem(err))
	}
	return nil
}

func decodeProblem(err error) string {
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) && typ.Field != "" {
		return fmt.Sprintf("%s must be %s.", typ.Field, typ.Type)
	}
	return "not a JSON object."
}

// checks collects the first validation failure of a request.
type checks struct{ f *failure }

func (v *checks) fail(format string, args ...any) {
	if v.f == nil {
		v.f = badRequest(fmt.Sprintf(format, args...))
	}
}

func (v *checks) required(field string, s *string) {
	if s == nil || strings.TrimSpace(*s) == "" {
		v.fail("%s is required.", field)
	}
}

func (v *checks) maxItems(field string, n, limit int) {
	if n > limit {
		v.fail("%s must not contain more than %d items.", field, limit)
	}
}

func (v *checks) maxLength(field string, s *string, limit int) {
	if s != nil && len([]rune(*s)) > limit {
		v.fail("%s must not be longer than %d characters.", field, limit)
	}
}

func (v *checks) oneOf(field string, s *string, allowed ...string) {
	if s != nil && !contains(allowed, *s) {
		v.fail("%s has an invalid value.", field)
	}
}

func (v *checks) allOf(field string, values []string, allowed ...string) {
	for _, s := range values {
		if !contains(allowed, s) {
			v.fail("%s has an invalid value.", field)
			return
		}
	}
}

// guid checks an id and returns it in the sandbox's lower-case form.
func (v *checks) guid(field string, s string) string {
	id, err := uuid.Parse(s)
	if err != nil {
		v.fail("%s is not a valid identifier.", field)
		return ""
	}
	return id.String()
}

func (v *checks) guids(field string, ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		out = append(out, v.guid(field, id))
	}
	return out
}

// country checks an ISO 3166-1 alpha-2 code and returns it upper-cased.
func (v *checks) country(field string, s *string) *string {
	if s == nil || *s == "" {
		return nil
	}
	code := strings.ToUpper(strings.TrimSpace(*s))
	region, err := language.ParseRegion(code)
	if len(code) != 2 || err != nil || !region.IsCountry() {
		v.fail("%s must be an ISO 3166-1 alpha-2 country code.", field)
		return nil
	}
	return &code
}

// date checks an ISO 8601 date (a timestamp is accepted for its date) and
// returns it in the layout given.
func (v *checks) date(field string, s *string, layout string) *string {
	if s == nil || *s == "" {
		return nil
	}
	t, err := parseDate(*s)
	if err != nil {
		v.fail("%s must be an ISO 8601 date.", field)
		return nil
	}
	out := t.Format(layout)
	return &out
}

func (v *checks) email(field string, s *string) {
	if s == nil || *s == "" {
		return
	}
	local, domain, ok := strings.Cut(strings.TrimSpace(*s), "@")
	if !ok || local == "" || domain == "" || strings.ContainsAny(domain, "@ ") {
		v.fail("%s is not a valid email address.", field)
	}
}

func parseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if len(s) > 10 {
		if _, err := parseInstant(s); err != nil {
			return time.Time{}, err
		}
		s = s[:10]
	}
	return time.Parse(time.DateOnly, s)
}

// parseInstant reads an ISO 8601 timestamp; one without a zone is UTC.
func parseInstant(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, strings.TrimSpace(s)); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, errors.New("not an ISO 8601 timestamp")
}

// wrapped reads a {"Value": ...} update wrapper. Absent or null means "leave
// as it is" (set false); a bare value is refused, as Mews documents only the
// wrapper.
func wrapped(v *checks, field string, raw json.RawMessage) (value *string, set bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, false
	}
	var w map[string]*string
	if err := json.Unmarshal(raw, &w); err != nil {
		v.fail("%s must be an object with a Value.", field)
		return nil, false
	}
	val, ok := w["Value"]
	if !ok {
		v.fail("%s must be an object with a Value.", field)
		return nil, false
	}
	return val, true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

var (
	documentTypes   = []string{"IdentityCard", "Passport", "Visa", "DriversLicense"}
	titles          = []string{"Mister", "Miss", "Misses"}
	sexes           = []string{"Male", "Female"}
	classifications = []string{"PaymasterAccount", "Blacklist", "Media", "LoyaltyProgram", "PreviousComplaint", "Returning",
		"Staff", "FriendOrFamily", "TopManagement", "Important", "VeryImportant", "Problematic", "Cashlist", "DisabledPerson",
		"Military", "Airline", "HealthCompliant", "InRoom", "WaitingForRoom", "Student"}
	customerOptions = []string{"SendMarketingEmails", "Invoiceable", "BillAddressObjection", "SendMarketingPostalMail",
		"SendPartnerMarketingEmails", "SendPartnerMarketingPostalMail", "WithdrawCardConsent"}
)
