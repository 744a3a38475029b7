package passcreator

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Timestamp is a Passcreator date and time as sent, "Y-m-d H:i:s" without a
// zone. Fields named ...Utc are in UTC; the others are in the account's (the
// customer's) time zone, which the API never states: the caller must know it.
type Timestamp string

// Layouts Passcreator uses: seconds in payloads, minutes in createdSince.
const (
	TimestampLayout = "2006-01-02 15:04:05"
	SinceLayout     = "2006-01-02 15:04"
)

// acceptedLayouts are tried in order; the ISO forms are there in case a
// newer endpoint or a webhook sends them.
var acceptedLayouts = []string{TimestampLayout, SinceLayout, "2006-01-02T15:04:05", time.RFC3339Nano}

// ErrNoTimestamp is returned when an empty Timestamp is parsed.
var ErrNoTimestamp = errors.New("passcreator: empty timestamp")

// NewTimestamp formats t as Passcreator expects it, on the wall clock of loc.
func NewTimestamp(t time.Time, loc *time.Location) Timestamp {
	if loc == nil {
		loc = time.UTC
	}
	return Timestamp(t.In(loc).Format(TimestampLayout))
}

// In reads the timestamp as a wall-clock time in loc (the account's zone for
// createdOn, time.UTC for createdOnUtc). A value carrying its own offset
// keeps it.
func (ts Timestamp) In(loc *time.Location) (time.Time, error) {
	return ParseTimestamp(string(ts), loc)
}

// UTC reads a ...Utc field.
func (ts Timestamp) UTC() (time.Time, error) { return ParseTimestamp(string(ts), time.UTC) }

// ParseTimestamp parses "Y-m-d H:i:s" (or "Y-m-d H:i", or ISO 8601) as a
// wall-clock time in loc. A nil loc is refused rather than guessed, because
// a wrong zone shifts every scan by hours.
func ParseTimestamp(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, ErrNoTimestamp
	}
	if loc == nil {
		return time.Time{}, errors.New("passcreator: no time zone given for a timestamp")
	}
	for _, layout := range acceptedLayouts {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("passcreator: timestamp %.25q is not Y-m-d H:i:s", s)
}

// sinceParam renders createdSince cut to the minute, in the documented form
// "Y-m-d H:i" (the example URL's seconds are not sent: the text is the
// definition, and one form means every worker sends the same). The document
// gives it
// no zone, so Passcreator may read it in the account's zone or in UTC; the
// earlier of the two wall clocks is sent, which no reading puts after t.
// The cost is up to the zone's offset of overlap, which callers drop by
// appScanId anyway.
func sinceParam(t time.Time, loc *time.Location) string {
	if _, offset := t.In(loc).Zone(); offset > 0 {
		return t.UTC().Format(SinceLayout)
	}
	return t.In(loc).Format(SinceLayout)
}
