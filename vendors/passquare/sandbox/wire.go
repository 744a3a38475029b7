package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/shopspring/decimal"
)

// body is a request's JSON object, kept raw so custom template variables
// beside the documented fields can be stored as sent.
type body map[string]json.RawMessage

var errType = errors.New("wrong type")

func readBody(c *gin.Context) (body, error) {
	raw, err := io.ReadAll(io.LimitReader(c.Request.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	var b body
	if err := json.Unmarshal(raw, &b); err != nil || b == nil {
		return nil, errType
	}
	return b, nil
}

func isNull(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) == 0 || string(t) == "null"
}

// str reads a text field; a number is taken as written. ok is false when the
// field is absent or null.
func (b body) str(key string) (string, bool) {
	raw, ok := b[key]
	if !ok || isNull(raw) {
		return "", false
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, true
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String(), true
	}
	return "", false
}

// amount reads a decimal written as a string or a number; "" counts as
// absent (the documented default is 0).
func (b body) amount(key string) (decimal.Decimal, bool, error) {
	raw, ok := b[key]
	if !ok || isNull(raw) {
		return decimal.Decimal{}, false, nil
	}
	s, ok := b.str(key)
	if !ok {
		return decimal.Decimal{}, false, errType
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return decimal.Decimal{}, false, nil
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Decimal{}, false, errType
	}
	return d, true, nil
}

// boolean reads true/false, 1/0 or their string forms.
func (b body) boolean(key string) (value, present bool, err error) {
	raw, ok := b[key]
	if !ok || isNull(raw) {
		return false, false, nil
	}
	var v bool
	if json.Unmarshal(raw, &v) == nil {
		return v, true, nil
	}
	s, _ := b.str(key)
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "true":
		return true, true, nil
	case "0", "false":
		return false, true, nil
	case "":
		return false, false, nil
	}
	return false, false, errType
}

// integer reads a whole number written as a number or a string.
func (b body) integer(key string) (int, bool, error) {
	s, ok := b.str(key)
	if !ok || strings.TrimSpace(s) == "" {
		return 0, false, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0, false, errType
	}
	return n, true, nil
}

var e164 = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)

func validPhone(p string) bool { return e164.MatchString(p) }

// parseBirthday accepts dd.mm.yyyy (also without leading zeros) and returns
// it in the padded form.
func parseBirthday(s string) (time.Time, bool) {
	t, err := time.Parse("2.1.2006", strings.TrimSpace(s))
	return t, err == nil
}

// parseBound reads start_date/end_date: "01.01.2020" or "31.12.2020 23:59:59"
// (seconds optional), in UTC. An end bound covers its whole day or minute
// when written without the finer parts.
func parseBound(s string, end bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.ParseInLocation("2.1.2006 15:04:05", s, time.UTC); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation("2.1.2006 15:04", s, time.UTC); err == nil {
		if end {
			t = t.Add(time.Minute - time.Nanosecond)
		}
		return t, nil
	}
	t, err := time.ParseInLocation("2.1.2006", s, time.UTC)
	if err != nil {
		return time.Time{}, err
	}
	if end {
		t = t.Add(24*time.Hour - time.Nanosecond)
	}
	return t, nil
}
