package passcreator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/guestflow/guestflow/vendors/vendorhttp"
)

// Passcreator is a PHP application: integers and booleans that the document
// types strictly may still arrive as "1", 0 or null from one endpoint or
// another. These types decode every such form so that one odd field never
// fails a whole page of scans.

// FlexInt is an integer that also decodes from a numeric string, a number
// with a zero fraction, or null (0).
type FlexInt int

func (n *FlexInt) UnmarshalJSON(b []byte) error {
	v, err := decodeInt(b)
	*n = FlexInt(v)
	return err
}

// FlexBool is a boolean as Passcreator's pages write it: true or false,
// or the same words as a JSON string (the App Scan Created webhook page
// types passVoided "string" where the scan list shows a boolean). null is
// no value, false. Anything else (0, 1, "yes", "on", "") is not in the
// document and fails the answer, naming the field.
type FlexBool bool

func (f *FlexBool) UnmarshalJSON(b []byte) error {
	switch string(bytes.TrimSpace(b)) {
	case "true", `"true"`:
		*f = true
	case "false", `"false"`, "null":
		*f = false
	default:
		return vendorhttp.WrongForm(b, "", true)
	}
	return nil
}

func decodeInt(b []byte) (int, error) {
	b = bytes.TrimSpace(b)
	s := string(b)
	if s == "null" {
		return 0, nil
	}
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return 0, err
		}
		s = strings.TrimSpace(s)
		if s == "" {
			return 0, nil
		}
	}
	if i, err := strconv.Atoi(s); err == nil {
		return i, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > math.MaxInt32 {
		return 0, fmt.Errorf("passcreator: %.20q is not an integer", s)
	}
	return int(f), nil
}

// quoteNumbers rewrites the named fields of a JSON object, and the elements
// of a list in them, that hold a number into a string of the same digits,
// so that an id or barcode sent as a number decodes into its string field.
// Anything else, including a body that is no object, is left to the decoder.
func quoteNumbers(b []byte, keys ...string) []byte {
	var m map[string]json.RawMessage
	if json.Unmarshal(b, &m) != nil {
		return b
	}
	changed := false
	for _, k := range keys {
		raw, ok := m[k]
		if !ok {
			continue
		}
		if q, ok := quoted(raw); ok {
			m[k], changed = q, true
			continue
		}
		var list []json.RawMessage
		if bytes.HasPrefix(bytes.TrimSpace(raw), []byte("[")) && json.Unmarshal(raw, &list) == nil {
			listChanged := false
			for i, it := range list {
				if q, ok := quoted(it); ok {
					list[i], listChanged = q, true
				}
			}
			if listChanged {
				m[k], _ = json.Marshal(list)
				changed = true
			}
		}
	}
	if !changed {
		return b
	}
	out, err := json.Marshal(m)
	if err != nil {
		return b
	}
	return out
}

// quoted is a JSON number as a JSON string; false for anything else.
func quoted(raw json.RawMessage) (json.RawMessage, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || (raw[0] != '-' && (raw[0] < '0' || raw[0] > '9')) {
		return nil, false
	}
	var n json.Number
	if json.Unmarshal(raw, &n) != nil {
		return nil, false
	}
	q, _ := json.Marshal(n.String())
	return q, true
}
