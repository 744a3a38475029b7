package passcreator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/guestflow/guestflow/rules"
	"github.com/guestflow/guestflow/vendors/vendorhttp"
)

// PropertyType is the kind of an additional property asked for at a scan.
type PropertyType string

const (
	PropertyUnicode PropertyType = "unicode" // text
	PropertyDouble  PropertyType = "double"  // numeric, such as a transaction value
	PropertyBoolean PropertyType = "boolean"
)

// PropertyID names an additional property. The document writes the ids
// as numbers in a configuration ("id": 0, 1, 2) and as string keys where
// values are given ("1": "value1" in POST /api/appscan, the pass's
// "5cb1a40ac68f80.15012600"), so both decode into the same text form.
// Anything else (null, an object) is not an id.
type PropertyID string

func (id *PropertyID) UnmarshalJSON(b []byte) error {
	var n json.Number
	switch b = bytes.TrimSpace(b); {
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*id = PropertyID(s)
	case json.Unmarshal(b, &n) == nil && n != "":
		*id = PropertyID(n.String())
	default:
		return vendorhttp.WrongForm(b, "", "")
	}
	return nil
}

// PropertyValue is the value given for an additional property at a scan. The
// API types it loosely: strings, numbers and booleans all occur, so the raw
// JSON is kept and read on demand.
type PropertyValue struct {
	raw json.RawMessage
}

// TextValue, DecimalValue and BoolValue build values to send with a scan.
func TextValue(s string) PropertyValue {
	b, _ := json.Marshal(s)
	return PropertyValue{raw: b}
}

// DecimalValue is sent as text with a dot ("12.5"), the form of every value
// in the document's example request ("1": "value1"): one form, so every
// worker sends the same, and a server refusing it answers 400, which is not
// retried.
func DecimalValue(d decimal.Decimal) PropertyValue {
	return TextValue(d.String())
}

func BoolValue(b bool) PropertyValue {
	return PropertyValue{raw: json.RawMessage(strconv.FormatBool(b))}
}

func (v PropertyValue) MarshalJSON() ([]byte, error) {
	if len(v.raw) == 0 {
		return []byte("null"), nil
	}
	return v.raw, nil
}

func (v *PropertyValue) UnmarshalJSON(b []byte) error {
	v.raw = append(json.RawMessage(nil), bytes.TrimSpace(b)...)
	return nil
}

// IsEmpty reports a missing, null or blank value.
func (v PropertyValue) IsEmpty() bool {
	return strings.TrimSpace(v.Text()) == ""
}

// Text is the value as text: a string unquoted, a number or boolean as written.
func (v PropertyValue) Text() string {
	if len(v.raw) == 0 || string(v.raw) == "null" {
		return ""
	}
	if v.raw[0] == '"' {
		var s string
		if json.Unmarshal(v.raw, &s) == nil {
			return s
		}
	}
	return string(v.raw)
}

// Decimal reads a numeric value as rules.ParseAmount's Typed form: 12.5,
// "12.50", or "12,50" (staff type what their keyboard has). It never goes
// through float64; grouping, spaces and exponents are refused.
func (v PropertyValue) Decimal() (decimal.Decimal, error) {
	if len(v.raw) > 0 && (v.raw[0] == 't' || v.raw[0] == 'f' || v.raw[0] == '{' || v.raw[0] == '[') {
		return decimal.Zero, errors.New("passcreator: property value is not a number")
	}
	d, ok := rules.ParseAmount(v.Text(), rules.Typed)
	if !ok {
		return decimal.Zero, errors.New("passcreator: property value is not a number")
	}
	return d, nil
}

// ScanProperty is one additional property value recorded with a scan,
// under the key the scan gives it: a property id, or on the webhook the
// property's name.
type ScanProperty struct {
	ID    PropertyID
	Value PropertyValue
}

// ScanProperties is additionalPropertiesScan, "Additional properties
// collected during the scan", typed "array" and shown as [] in the scan
// list. Its documented forms:
//   - an object of values keyed by property id, the form in which the
//     document has them sent ("1": "value1" in POST /api/appscan, "an array
//     consisting of the IDs ... as key") and the form of the pass's
//     additionalProperties in the same answer; Passcreator's App Scan
//     Created page keys the same object by the property's name;
//   - a JSON array ([] in the example), whose index is the key: "an array"
//     keyed by ids that run 0, 1, 2 as in the document's configuration.
//
// Values are JSON scalars. Any other form (null, a list of objects, a
// value that is an object or a list) leaves ScanProperties nil, which is
// never the reading of a documented form (even [] reads as empty, not nil):
// the scan, and the page it came in, are still read, but its values are
// unreadable, so DecimalProperty reports ErrPropertiesUnreadable and the
// scan earns nothing. A scan without the field reads the same.
type ScanProperties []ScanProperty

func (p *ScanProperties) UnmarshalJSON(b []byte) error {
	*p = nil
	var values map[string]json.RawMessage
	switch b = bytes.TrimSpace(b); {
	case len(b) > 0 && b[0] == '{':
		if err := json.Unmarshal(b, &values); err != nil {
			return err
		}
	case len(b) > 0 && b[0] == '[':
		var list []json.RawMessage
		if err := json.Unmarshal(b, &list); err != nil {
			return err
		}
		values = make(map[string]json.RawMessage, len(list))
		for i, v := range list {
			values[strconv.Itoa(i)] = v
		}
	default:
		return nil
	}
	out := entries(values)
	for _, e := range out {
		if v := e.Value.raw; len(v) > 0 && (v[0] == '{' || v[0] == '[') {
			return nil
		}
	}
	*p = out
	return nil
}

// entries reads an {id or name: value} object, in key order.
func entries(m map[string]json.RawMessage) ScanProperties {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make(ScanProperties, 0, len(keys))
	for _, k := range keys {
		out = append(out, ScanProperty{ID: PropertyID(k), Value: PropertyValue{raw: append(json.RawMessage(nil), bytes.TrimSpace(m[k])...)}})
	}
	return out
}

// PassProperties is additionalProperties on a scan: the pass's own values by
// property id. They hold the guest's personal data (name, e-mail); never log
// them. PHP sends an empty one as [], which decodes to an empty map.
type PassProperties map[string]PropertyValue

func (p *PassProperties) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		*p = nil
		return nil
	case b[0] == '[':
		var items []PropertyValue
		if err := json.Unmarshal(b, &items); err != nil {
			return err
		}
		*p = make(PassProperties, len(items))
		for i, v := range items {
			(*p)[strconv.Itoa(i)] = v
		}
		return nil
	}
	var m map[string]PropertyValue
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	*p = m
	return nil
}

// PropertyIDByName finds the id Passcreator assigned to a configuration's
// property (names compared without case and surrounding spaces).
func PropertyIDByName(props []AdditionalProperty, name string) (PropertyID, bool) {
	name = strings.TrimSpace(name)
	for _, p := range props {
		if strings.EqualFold(strings.TrimSpace(p.Name), name) {
			return p.ID, true
		}
	}
	return "", false
}

// Property returns the value recorded for id with the scan, in
// additionalPropertiesScan ("Additional properties collected during the
// scan"). The scan's additionalProperties are the pass's own values at the
// time of the scan, never the scan's: a transaction value is not read there.
func (s AppScan) Property(id PropertyID) (PropertyValue, bool) {
	return s.property(id, "")
}

// property looks for the scan's value by id and then, when name is given,
// by the property's name (the App Scan Created page keys the values so).
func (s AppScan) property(id PropertyID, name string) (PropertyValue, bool) {
	for _, sp := range s.AdditionalPropertiesScan {
		if sp.ID == id {
			return sp.Value, true
		}
	}
	if name = strings.TrimSpace(name); name == "" {
		return PropertyValue{}, false
	}
	for _, sp := range s.AdditionalPropertiesScan {
		if strings.EqualFold(strings.TrimSpace(string(sp.ID)), name) {
			return sp.Value, true
		}
	}
	return PropertyValue{}, false
}

// DecimalProperty reads the named property of the scan (say "Transaction
// value") as a decimal, using the configuration's additionalProperties to map
// the name to its id. ok is false when the configuration has no such
// property or the scan carries no value for it; err, with ok false, when the
// value is not a number, is above rules.MaxTransactionValue
// (ErrValueTooLarge), or the scan's additionalPropertiesScan is in no
// documented form (ErrPropertiesUnreadable): such a scan earns nothing, and
// the caller logs it by appScanId. The error never holds the value.
func (s AppScan) DecimalProperty(props []AdditionalProperty, name string) (d decimal.Decimal, ok bool, err error) {
	id, found := PropertyIDByName(props, name)
	if !found {
		return decimal.Zero, false, nil
	}
	if s.AdditionalPropertiesScan == nil {
		return decimal.Zero, false, fmt.Errorf("scan %s: %w", s.AppScanID, ErrPropertiesUnreadable)
	}
	v, found := s.property(id, name)
	if !found || v.IsEmpty() {
		return decimal.Zero, false, nil
	}
	d, err = v.Decimal()
	if err != nil {
		return decimal.Zero, false, fmt.Errorf("scan %s property %s: %w", s.AppScanID, id, err)
	}
	if d.GreaterThan(rules.MaxTransactionValue) {
		return decimal.Zero, false, fmt.Errorf("scan %s property %s: %w", s.AppScanID, id, ErrValueTooLarge)
	}
	return d, true, nil
}

// ErrValueTooLarge says a scan's value is above rules.MaxTransactionValue:
// a typing error at the outlet, which earns nothing rather than an absurd
// bonus.
var ErrValueTooLarge = errors.New("passcreator: transaction value above the most one scan may carry")

// ErrPropertiesUnreadable says a scan's additionalPropertiesScan was
// missing or in a form the document does not show.
var ErrPropertiesUnreadable = errors.New("passcreator: additionalPropertiesScan is missing or in no documented form")
