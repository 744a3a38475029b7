package mews

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// formError is a value not in a form the document shows. Its text names
// the form only, never the value, which may be personal data.
type formError string

func (e formError) Error() string { return "mews: " + string(e) }

// AnswerReason makes an answer holding the value a *vendorhttp.AnswerError
// with this reason.
func (e formError) AnswerReason() string { return string(e) }

const errDate = formError("date is not ISO 8601")

// Date is a calendar date (a birth date, a document's expiry). Mews sends
// "YYYY-MM-DD"; the identity-document operations send the date's midnight
// as an ISO 8601 timestamp, which decodes to the date it names.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the date t falls on in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate reads "YYYY-MM-DD", optionally followed by an ISO 8601 time.
func ParseDate(s string) (Date, error) {
	if len(s) < 10 || (len(s) > 10 && s[10] != 'T') {
		return Date{}, errDate
	}
	t, err := time.Parse(time.DateOnly, s[:10])
	if err != nil {
		return Date{}, errDate
	}
	return DateOf(t), nil
}

func (d Date) IsZero() bool { return d == Date{} }

// Time returns midnight UTC of the date.
func (d Date) Time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day) }

func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

func (d *Date) UnmarshalJSON(b []byte) error {
	var s *string
	if err := json.Unmarshal(b, &s); err != nil {
		return formError("date is not a string")
	}
	if s == nil || *s == "" {
		*d = Date{}
		return nil
	}
	parsed, err := ParseDate(*s)
	if err != nil {
		return err
	}
	*d = parsed
	return nil
}

// DocumentDate is a date the identity-document operations carry as midnight
// UTC ("2040-11-20T00:00:00Z"), as their samples show. It decodes from a
// plain date too.
type DocumentDate struct{ Date }

func (d DocumentDate) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String() + "T00:00:00Z")
}

// Time is an ISO 8601 date and time; Mews sends UTC. A timestamp without
// a zone is read as UTC, as the document says Mews' times are, and one
// without seconds as the full minute, as ISO 8601 allows. A date alone is
// not a time. It encodes as UTC with a Z suffix.
type Time struct{ time.Time }

var timeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04:05",
	"2006-01-02T15:04Z07:00", "2006-01-02T15:04"}

func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(t.UTC().Format(time.RFC3339Nano))
}

func (t *Time) UnmarshalJSON(b []byte) error {
	var s *string
	if err := json.Unmarshal(b, &s); err != nil {
		return formError("timestamp is not a string")
	}
	if s == nil || *s == "" {
		*t = Time{}
		return nil
	}
	// ISO 8601 letters are case-insensitive; Go's layouts want them upper.
	v := strings.ToUpper(*s)
	for _, layout := range timeLayouts {
		if parsed, err := time.Parse(layout, v); err == nil {
			*t = Time{parsed.UTC()}
			return nil
		}
	}
	return formError("timestamp is not ISO 8601")
}

// Update is the {"Value": ...} wrapper of Mews' update operations. A nil
// *Update leaves the field as it is; Clear sends {"Value": null}.
type Update[T any] struct {
	Value *T `json:"Value"`
}

// Set returns an update that writes v.
func Set[T any](v T) *Update[T] { return &Update[T]{Value: &v} }

// Clear returns an update that empties the field.
func Clear[T any]() *Update[T] { return &Update[T]{} }
