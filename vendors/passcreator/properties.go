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
)

// PropertyType is the kind of an additional property asked for at a scan.
type PropertyType string

const (
	PropertyUnicode PropertyType = "unicode" // text
	PropertyDouble  PropertyType = "double"  // numeric, such as a transaction value
	PropertyBoolean PropertyType = "boolean"
)

// PropertyID names an additional property. The configuration samples number
// them (0, 1, 2), the scan samples key them by strings ("5cb1a40ac68f80.15012600",
// "1"), so both decode into the same text form.
type PropertyID string

func (id *PropertyID) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case string(b) == "null":
		*id = ""
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*id = PropertyID(s)
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("passcreator: property id is neither a string nor a number")
		}
		*id = PropertyID(n.String())
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
// under the configuration's property id or under the property's name
// (Passcreator's webhook page keys the pairs by name), or both.
type ScanProperty struct {
	ID    PropertyID    `json:"id"`
	Name  string        `json:"name,omitempty"`
	Value PropertyValue `json:"value"`
}

// ScanProperties is additionalPropertiesScan. The document only says
// "array"; it decodes an {id or name: value} object, a list of {id, value},
// {key, value} or {name, value} objects or of one-entry {id or name: value}
// objects, and a list of bare values, which is how PHP writes an
// {id: value} map whose ids run 0, 1, 2: those are keyed by position.
type ScanProperties []ScanProperty

func (p *ScanProperties) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	*p = nil
	switch {
	case len(b) == 0 || string(b) == "null":
		return nil
	case b[0] == '{':
		var m map[string]json.RawMessage
		if err := json.Unmarshal(b, &m); err != nil {
			return err
		}
		*p = entries(m)
		return nil
	case b[0] == '[':
		var items []json.RawMessage
		if err := json.Unmarshal(b, &items); err != nil {
			return err
		}
		*p = make(ScanProperties, 0, len(items))
		for i, it := range items {
			*p = append(*p, listItem(i, it)...)
		}
		return nil
	}
	return errors.New("passcreator: additionalPropertiesScan is neither a list nor an object")
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
		out = append(out, ScanProperty{ID: PropertyID(k), Value: rawValue(m[k])})
	}
	return out
}

// listItem reads the i-th element of the list form; an element of no
// known shape gives nothing rather than failing the page.
func listItem(i int, raw json.RawMessage) ScanProperties {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return ScanProperties{{ID: PropertyID(strconv.Itoa(i)), Value: rawValue(raw)}}
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return nil
	}
	value, paired := m["value"]
	if !paired {
		return entries(m)
	}
	sp := ScanProperty{Value: rawValue(value)}
	for _, k := range []string{"id", "propertyId", "key"} {
		if id, ok := m[k]; ok && json.Unmarshal(id, &sp.ID) == nil && sp.ID != "" {
			break
		}
	}
	_ = json.Unmarshal(m["name"], &sp.Name) // a name that is no string is no name
	if sp.ID == "" && sp.Name == "" {
		return nil
	}
	return ScanProperties{sp}
}

func rawValue(raw json.RawMessage) PropertyValue {
	return PropertyValue{raw: append(json.RawMessage(nil), bytes.TrimSpace(raw)...)}
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
// by the property's name, which Passcreator's webhook page says keys the
// pairs.
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
		if sameName(sp.Name, name) || sameName(string(sp.ID), name) {
			return sp.Value, true
		}
	}
	return PropertyValue{}, false
}

func sameName(a, b string) bool { return strings.EqualFold(strings.TrimSpace(a), b) }

// DecimalProperty reads the named property of the scan (say "Transaction
// value") as a decimal, using the configuration's additionalProperties to map
// the name to its id. ok is false when the configuration has no such
// property or the scan carries no value for it; err when the value is not a
// number.
func (s AppScan) DecimalProperty(props []AdditionalProperty, name string) (d decimal.Decimal, ok bool, err error) {
	id, found := PropertyIDByName(props, name)
	if !found {
		return decimal.Zero, false, nil
	}
	v, found := s.property(id, name)
	if !found || v.IsEmpty() {
		return decimal.Zero, false, nil
	}
	d, err = v.Decimal()
	if err != nil {
		return decimal.Zero, false, fmt.Errorf("scan %s property %s: %w", s.AppScanID, id, err)
	}
	return d, true, nil
}
