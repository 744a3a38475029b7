package passquare

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"unicode"

	"github.com/shopspring/decimal"
)

// Passquare's documentation is loose about JSON types: amounts appear as
// strings, the flags of user_create_or_update are "message ... //bool", card
// numbers look numeric. The decoders here accept every plausible form so a
// change of representation on their side does not stop guestflow.

var errShape = errors.New("unexpected JSON type")

// flexString reads a JSON string or number as text; null gives "".
type flexString string

func (s *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || bytes.Equal(b, []byte("null")):
		*s = ""
	case b[0] == '"':
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = flexString(v)
	case b[0] == '-' || (b[0] >= '0' && b[0] <= '9'):
		*s = flexString(b)
	default:
		return errShape
	}
	return nil
}

func strs(in []flexString) []string {
	if in == nil {
		return nil
	}
	out := make([]string, len(in))
	for i, v := range in {
		out[i] = string(v)
	}
	return out
}

// flexAmount reads an amount written as a JSON string or number. Absent,
// null and "" leave it unset; a value that is no number is kept as bad so the
// caller can name the field.
type flexAmount struct {
	d   decimal.Decimal
	set bool
	bad bool
}

func (a *flexAmount) UnmarshalJSON(b []byte) error {
	var s flexString
	if err := s.UnmarshalJSON(b); err != nil {
		a.bad = true
		return nil
	}
	*a = parseAmount(string(s))
	return nil
}

func parseAmount(s string) flexAmount {
	s = strings.TrimSpace(s)
	if s == "" {
		return flexAmount{}
	}
	// A decimal comma is what a European CRM screen shows; accept it.
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return flexAmount{bad: true}
	}
	return flexAmount{d: d, set: true}
}

func (a flexAmount) ptr() *decimal.Decimal {
	if !a.set {
		return nil
	}
	d := a.d
	return &d
}

// amountString writes an amount as Passquare documents it: a decimal string,
// keeping the scale it was given ("3.50" stays "3.50"). decimal's own
// MarshalJSON depends on package-wide switches, so it is not used.
func amountString(d decimal.Decimal) string {
	if exp := d.Exponent(); exp < 0 {
		return d.StringFixed(-exp)
	}
	return d.String()
}

// Outcome is one of user_create_or_update's "message about ... //bool"
// fields: the vendor may send true/false, 1/0, or a sentence.
type Outcome struct {
	OK      bool
	Message string // the sentence, when one was sent
	refused bool   // an unambiguous false (false, 0, "false", "0")
}

// Refused reports whether the vendor said no in so many words (false or 0),
// as opposed to leaving the field out or empty.
func (o Outcome) Refused() bool { return o.refused }

func (o *Outcome) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	*o = Outcome{}
	switch {
	case len(b) == 0 || bytes.Equal(b, []byte("null")):
	case bytes.Equal(b, []byte("true")):
		o.OK = true
	case bytes.Equal(b, []byte("false")):
		o.refused = true
	case b[0] == '"':
		if err := json.Unmarshal(b, &o.Message); err != nil {
			return err
		}
		o.OK, o.refused = sentenceSays(o.Message)
	case b[0] == '-' || (b[0] >= '0' && b[0] <= '9'):
		d, err := decimal.NewFromString(string(b))
		if err != nil {
			return errShape
		}
		o.OK, o.refused = !d.IsZero(), d.IsZero()
	default:
		return errShape
	}
	return nil
}

// sentenceSays reads a flag written as text. A sentence with a negation or
// a failure word is a no; any other non-empty sentence reports something
// that happened ("Customer created"), so it is a yes.
func sentenceSays(s string) (ok, refused bool) {
	t := strings.ToLower(strings.TrimSpace(s))
	switch t {
	case "":
		return false, false
	case "0", "false", "no", "n", "off":
		return false, true
	case "1", "true", "yes", "y", "ok", "on", "success":
		return true, false
	}
	for _, w := range strings.FieldsFunc(t, func(r rune) bool { return !unicode.IsLetter(r) }) {
		switch w {
		case "not", "no", "error", "fail", "failed", "failure", "false", "unable", "cannot", "invalid":
			return false, false
		}
	}
	return true, false
}

// flexBool reads true/false, 1/0 or their string forms.
type flexBool bool

func (f *flexBool) UnmarshalJSON(b []byte) error {
	var o Outcome
	if err := o.UnmarshalJSON(b); err != nil {
		return err
	}
	*f = flexBool(o.OK)
	return nil
}
