package passportscan

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ID is an identifier the API may send as a number or as a string; it is
// kept as text so neither form loses anything (leading zeros, letters).
type ID string

func (id *ID) UnmarshalJSON(b []byte) error {
	s, err := stringOrNumber(b)
	*id = ID(s)
	return err
}

// Int64 returns the id as a number when it is one.
func (id ID) Int64() (int64, bool) {
	n, err := strconv.ParseInt(string(id), 10, 64)
	return n, err == nil
}

// Text is a free-form value the API may send as a number (a room number, a
// zip code, a phone).
type Text string

func (t *Text) UnmarshalJSON(b []byte) error {
	s, err := stringOrNumber(b)
	*t = Text(s)
	return err
}

// Count is a head count the API may send as a number or a numeric string.
type Count int

func (c *Count) UnmarshalJSON(b []byte) error {
	s, err := stringOrNumber(b)
	if err != nil || s == "" {
		*c = 0
		return err
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("count is not a number")
	}
	*c = Count(f)
	return nil
}

// looseInt reads a figure sent as a number or a numeric string; anything
// else (null, "", text) is no figure rather than a failed page.
func looseInt(b []byte) *int {
	s, err := stringOrNumber(b)
	if err != nil {
		return nil
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return nil
	}
	n := int(f)
	return &n
}

// emptyArray reports a [] where an object belongs: servers whose empty maps
// serialise as lists (PHP's json_encode) send it for an object with nothing.
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

// Date is a calendar date as the API sends it ("2020-02-07"), kept as text so
// an odd value never fails a whole page; Time parses it.
type Date string

// UnmarshalJSON keeps only the date of a date-time ("2020-02-07T00:00:00Z"),
// as written, so readers that expect YYYY-MM-DD get it from a server that
// stores the date as a moment.
func (d *Date) UnmarshalJSON(b []byte) error {
	s, err := stringOrNumber(b)
	s = strings.TrimSpace(s)
	if len(s) > 10 && (s[10] == 'T' || s[10] == ' ') {
		if _, perr := time.Parse(time.DateOnly, s[:10]); perr == nil {
			s = s[:10]
		}
	}
	*d = Date(s)
	return err
}

// Time parses the date as midnight UTC. A date-time value keeps only its
// date part, as written.
func (d Date) Time() (time.Time, error) {
	s := strings.TrimSpace(string(d))
	if len(s) > 10 && (s[10] == 'T' || s[10] == ' ') {
		s = s[:10]
	}
	t, err := time.Parse(time.DateOnly, s)
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
	*t = Timestamp(s)
	return err
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

// Flag is a yes/no the API may leave null or send as true/false, 0/1 or
// "0"/"1". An unrecognised value counts as unknown, never as yes: for a
// privacy consent, unknown must mean not given.
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
	s, err := stringOrNumber(b)
	if err != nil {
		var v bool
		if json.Unmarshal(b, &v) != nil {
			*f = Flag{}
			return nil
		}
		*f = FlagOf(v)
		return nil
	}
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "true", "yes", "y", "on":
		*f = FlagOf(true)
	case "0", "false", "no", "n", "off":
		*f = FlagOf(false)
	default:
		*f = Flag{}
	}
	return nil
}

func (f Flag) MarshalJSON() ([]byte, error) {
	if !f.set {
		return []byte("null"), nil
	}
	return json.Marshal(f.value)
}

// Gender is the raw value: "M"/"F" from some sources, 10/20 from others.
type Gender string

func (g *Gender) UnmarshalJSON(b []byte) error {
	s, err := stringOrNumber(b)
	*g = Gender(s)
	return err
}

// Sex returns "male", "female" or "" when the value is neither form.
func (g Gender) Sex() string {
	switch strings.ToUpper(strings.TrimSpace(string(g))) {
	case "M", "MALE", "10":
		return "male"
	case "F", "FEMALE", "20":
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
	DocumentUnrecognised   DocumentType = "EXT" // scanned, but not recognised as one of the above
)
