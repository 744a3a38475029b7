package passportscan

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/guestflow/guestflow/vendors/vendorhttp"
)

// ID is an identifier, which the sample sends as a number ("id": 1858,
// "worker_id": 59) or as a string ("booking_code": "345", "pms_guest_id":
// "C349"); it is kept as text so neither form loses anything.
type ID string

func (id *ID) UnmarshalJSON(b []byte) error {
	s, err := stringOrNumber(b)
	if err != nil {
		return vendorhttp.WrongForm(b, "", *id)
	}
	*id = ID(s)
	return nil
}

// Int64 returns the id as a number when it is one.
func (id ID) Int64() (int64, bool) {
	n, err := strconv.ParseInt(string(id), 10, 64)
	return n, err == nil
}

// Text is a text value: a JSON string, or null. The sample sends every
// text as a string, numeric ones too ("zip": "07006", "document_number":
// "787667789"); a number there would already have lost its leading zeros.
type Text string

func (t *Text) UnmarshalJSON(b []byte) error {
	var s *string
	if json.Unmarshal(b, &s) != nil {
		return vendorhttp.WrongForm(b, "", *t)
	}
	*t = ""
	if s != nil {
		*t = Text(*s)
	}
	return nil
}

// Count is a head count: a JSON integer, as the sample sends adults and
// children, or null.
type Count int

func (c *Count) UnmarshalJSON(b []byte) error {
	var n *int
	if json.Unmarshal(b, &n) != nil {
		return vendorhttp.WrongForm(b, "", *c)
	}
	*c = 0
	if n != nil {
		*c = Count(*n)
	}
	return nil
}

// emptyArray reports a [] where an object belongs; only _links reads it so
// (see Links).
func emptyArray(b []byte) bool {
	var v []json.RawMessage
	return json.Unmarshal(b, &v) == nil && len(v) == 0
}

func stringOrNumber(b []byte) (string, error) {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		return "", nil
	}
	var s string
	if json.Unmarshal(b, &s) == nil {
		return s, nil
	}
	var n json.Number
	if json.Unmarshal(b, &n) == nil {
		return n.String(), nil
	}
	return "", errors.New("want a string or a number")
}

// Date is a calendar date as the sample sends it, "2020-02-07", or null.
// Any other form fails the answer, so a changed format is noticed instead of
// read as no date (an expiry read as none would pass the document rules).
type Date string

func (d *Date) UnmarshalJSON(b []byte) error {
	var s *string
	if json.Unmarshal(b, &s) != nil {
		return vendorhttp.WrongForm(b, "", *d)
	}
	*d = ""
	if s == nil {
		return nil
	}
	if _, err := time.Parse(time.DateOnly, *s); err != nil {
		return vendorhttp.WrongForm(b, "string not YYYY-MM-DD", *d)
	}
	*d = Date(*s)
	return nil
}

// Time parses the date as midnight UTC.
func (d Date) Time() (time.Time, error) {
	t, err := time.Parse(time.DateOnly, string(d))
	if err != nil {
		return time.Time{}, errors.New("passportscan: date is not YYYY-MM-DD")
	}
	return t, nil
}

// Timestamp is a moment as the API sends it (checkin_time); the format is not
// documented, so it is kept as text, numbers included.
type Timestamp string

func (t *Timestamp) UnmarshalJSON(b []byte) error {
	s, err := stringOrNumber(b)
	if err != nil {
		return vendorhttp.WrongForm(b, "", *t)
	}
	*t = Timestamp(s)
	return nil
}

var timestampLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05", time.DateTime, "2006-01-02 15:04", "2006-01-02T15:04:05-0700", "2006-01-02 15:04:05-07:00"}

// Time parses the timestamp; values without a zone are read in loc (the
// branch's time zone), Unix seconds as such.
func (t Timestamp) Time(loc *time.Location) (time.Time, error) {
	s := strings.TrimSpace(string(t))
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(n, 0), nil
	}
	for _, layout := range timestampLayouts {
		if v, err := time.ParseInLocation(layout, s, loc); err == nil {
			return v, nil
		}
	}
	return time.Time{}, errors.New("passportscan: unrecognised timestamp format")
}

// Flag is a yes/no: true, false, or null (no answer), as the sample sends
// is_leader, bad_recognized and the privacy flags. No answer is no consent.
type Flag struct {
	set, value bool
}

// FlagOf returns a Flag holding v.
func FlagOf(v bool) Flag { return Flag{set: true, value: v} }

// Bool returns nil when the API gave no answer.
func (f Flag) Bool() *bool {
	if !f.set {
		return nil
	}
	v := f.value
	return &v
}

// True reports a definite yes.
func (f Flag) True() bool { return f.set && f.value }

// Known reports whether the API gave an answer at all.
func (f Flag) Known() bool { return f.set }

func (f *Flag) UnmarshalJSON(b []byte) error {
	var v *bool
	if json.Unmarshal(b, &v) != nil {
		return vendorhttp.WrongForm(b, "", *f)
	}
	*f = Flag{}
	if v != nil {
		*f = FlagOf(*v)
	}
	return nil
}

func (f Flag) MarshalJSON() ([]byte, error) {
	if !f.set {
		return []byte("null"), nil
	}
	return json.Marshal(f.value)
}

// Gender is the letter the sample sends ("F"), or the number some check-in
// sources send (10 male, 20 female: PassportScan's public pages say
// "M/F or 10/20 depending on source"), or null.
type Gender string

func (g *Gender) UnmarshalJSON(b []byte) error {
	var s *string
	if json.Unmarshal(b, &s) == nil {
		*g = ""
		if s != nil {
			*g = Gender(*s)
		}
		return nil
	}
	var n int
	if json.Unmarshal(b, &n) != nil || (n != 10 && n != 20) {
		return vendorhttp.WrongForm(b, "", *g)
	}
	*g = Gender(strconv.Itoa(n))
	return nil
}

// Sex returns "male" for M or 10, "female" for F or 20, and "" for anything
// else (X on some passports, or no answer).
func (g Gender) Sex() string {
	switch strings.ToUpper(strings.TrimSpace(string(g))) {
	case "M", "10":
		return "male"
	case "F", "20":
		return "female"
	}
	return ""
}

// DocumentType says which document a guest scanned.
type DocumentType string

const (
	DocumentIDCard         DocumentType = "IDC"
	DocumentPassport       DocumentType = "PAS"
	DocumentDrivingLicence DocumentType = "DRI"
	DocumentUnrecognised   DocumentType = "EXT" // no document recognised (the sample's unscanned guests)
)
