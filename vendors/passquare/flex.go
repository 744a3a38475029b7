package passquare

import (
	"bytes"
	"encoding/json"

	"github.com/shopspring/decimal"

	"github.com/guestflow/guestflow/rules"
	"github.com/guestflow/guestflow/vendors/vendorhttp"
)

// Passquare's documentation is loose about JSON types: amounts appear as
// strings and are commented "float", the flags of user_create_or_update are
// "message ... //bool", card numbers look numeric. The decoders here read the
// forms the document shows; anything else fails the call as an undocumented
// answer rather than being guessed at.

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
		return vendorhttp.WrongForm(b, "", "")
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

// flexAmount reads an amount in the forms the document shows: a decimal
// string ("300.00", the examples) or a JSON number (the "float" of the
// field comments), both in rules.ParseAmount's Plain form. Absent and null
// leave it unset; anything else ("", "12,50", true) is kept as bad so the
// caller can name the field.
type flexAmount struct {
	d   decimal.Decimal
	set bool
	bad bool
}

func (a *flexAmount) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	*a = flexAmount{}
	text := string(b)
	switch {
	case len(b) == 0 || text == "null":
		return nil
	case b[0] == '"':
		if json.Unmarshal(b, &text) != nil {
			a.bad = true
			return nil
		}
	}
	d, ok := rules.ParseAmount(text, rules.Plain)
	*a = flexAmount{d: d, set: ok, bad: !ok}
	return nil
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
// fields. The comment gives the type, bool, and only true or false is read as
// a verdict. The example's value is a sentence; a sentence is kept as
// Message and read as neither yes nor no, because guessing a verdict from
// its words would misread the first sentence worded otherwise. Callers decide
// from what the answer documents beside it (card_number, an error field).
// Any other JSON type is an undocumented answer.
type Outcome struct {
	Said    bool   // true or false was written
	OK      bool   // the flag; false unless Said
	Message string // a sentence written instead of a flag
}

// Refused reports whether the vendor wrote false.
func (o Outcome) Refused() bool { return o.Said && !o.OK }

func (o *Outcome) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	*o = Outcome{}
	switch {
	case len(b) == 0 || bytes.Equal(b, []byte("null")):
	case bytes.Equal(b, []byte("true")):
		o.Said, o.OK = true, true
	case bytes.Equal(b, []byte("false")):
		o.Said = true
	case b[0] == '"':
		return json.Unmarshal(b, &o.Message)
	default:
		return vendorhttp.WrongForm(b, "", true)
	}
	return nil
}

// flexBool reads a documented bool flag: true or false, null for false.
type flexBool bool

func (f *flexBool) UnmarshalJSON(b []byte) error {
	var o Outcome
	if err := o.UnmarshalJSON(b); err != nil || o.Message != "" {
		return vendorhttp.WrongForm(b, "", true)
	}
	*f = flexBool(o.OK)
	return nil
}
