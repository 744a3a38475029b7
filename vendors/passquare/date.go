package passquare

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Date is a calendar day without a time zone. Passquare's CRM methods write
// birthdays as dd.mm.yyyy while its hooks write YYYY-MM-DD; a shift across
// midnight would change a guest's birthday, so no time.Time is involved.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf takes the calendar day of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

var errDate = errors.New("not a date in dd.mm.yyyy or YYYY-MM-DD form")

// ParseDate reads dd.mm.yyyy or YYYY-MM-DD. A time after the date (a
// database's datetime, an ISO timestamp) is ignored: the day as written is
// the birthday. A zero date (MySQL's 0000-00-00 for unknown) gives the zero
// Date. The error never repeats s.
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, " T"); i > 0 && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9' {
		s = s[:i]
	}
	if strings.Trim(s, "0.-") == "" && strings.Contains(s, "0") {
		return Date{}, nil
	}
	// The non-padded layouts also accept the padded forms.
	for _, layout := range []string{"2.1.2006", "2006-1-2"} {
		if t, err := time.Parse(layout, s); err == nil {
			return DateOf(t), nil
		}
	}
	return Date{}, errDate
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// String is Passquare's CRM form, dd.mm.yyyy.
func (d Date) String() string { return fmt.Sprintf("%02d.%02d.%04d", d.Day, int(d.Month), d.Year) }

// ISO is the hooks' form, YYYY-MM-DD.
func (d Date) ISO() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day) }

// MarshalJSON writes dd.mm.yyyy, the form user_create_or_update requires.
func (d Date) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON accepts either documented form; null, "" and a zero date
// give the zero Date.
func (d *Date) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return errDate
	}
	if s == "" {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}
