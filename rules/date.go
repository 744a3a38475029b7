package rules

import (
	"bytes"
	"errors"
	"fmt"
	"time"
)

// Date is a civil date with no time zone: an arrival day, a birthday, the
// expiry printed on a passport. Comparing two of them never depends on where
// the worker runs. The zero Date means "unknown" and marshals to JSON null.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ErrBadDate reports a date that is not a real "YYYY-MM-DD" day. It never
// carries the input: the input may be a birth date.
var ErrBadDate = errors.New("rules: date is not a valid YYYY-MM-DD day")

const dateLayout = "2006-01-02"

// ParseDate reads "YYYY-MM-DD" and refuses days that do not exist (2021-02-29).
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return Date{}, ErrBadDate
	}
	return DateOf(t), nil
}

// DateOf is the civil date of t in t's own location; callers pick the
// branch's location first (t.In(loc)) when "today at the hotel" is meant.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// IsZero reports the unknown date.
func (d Date) IsZero() bool { return d == Date{} }

// String formats "YYYY-MM-DD", or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return sign(d.Year - e.Year)
	case d.Month != e.Month:
		return sign(int(d.Month) - int(e.Month))
	default:
		return sign(d.Day - e.Day)
	}
}

// Before reports whether d is an earlier day than e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is a later day than e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// AddDays moves d by n calendar days (negative n goes back).
func (d Date) AddDays(n int) Date {
	return DateOf(time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC))
}

// At is the moment the wall clock in loc shows the given time of day on d.
// Wall-clock arithmetic keeps "12:00" at noon on daylight-saving days, where
// midnight plus twelve hours would be 11:00 or 13:00. A time of day that does
// not exist (inside the spring-forward gap) moves forward as time.Date does.
func (d Date) At(loc *time.Location, timeOfDay time.Duration) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	h := int(timeOfDay / time.Hour)
	m := int(timeOfDay % time.Hour / time.Minute)
	s := int(timeOfDay % time.Minute / time.Second)
	ns := int(timeOfDay % time.Second)
	return time.Date(d.Year, d.Month, d.Day, h, m, s, ns, loc)
}

// MarshalText formats "YYYY-MM-DD" ("" for the zero Date).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads "YYYY-MM-DD"; an empty text is the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalJSON writes "YYYY-MM-DD", or null for the zero Date.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + d.String() + `"`), nil
}

// UnmarshalJSON accepts "YYYY-MM-DD", null and "" (unknown), and an ISO 8601
// date-time whose date part is taken as written, since vendors disagree on
// whether a birth date carries a time.
func (d *Date) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		*d = Date{}
		return nil
	}
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return ErrBadDate
	}
	s := bytes.TrimSpace(b[1 : len(b)-1])
	if len(s) > len(dateLayout) && (s[len(dateLayout)] == 'T' || s[len(dateLayout)] == ' ') {
		s = s[:len(dateLayout)]
	}
	return d.UnmarshalText(s)
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}
