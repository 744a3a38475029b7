package passcreator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
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

// FlexBool is a boolean that also decodes from 0/1, "0"/"1", "true"/"false",
// "yes"/"no", "" or null (false).
type FlexBool bool

func (f *FlexBool) UnmarshalJSON(b []byte) error {
	v, err := decodeBool(b)
	*f = FlexBool(v)
	return err
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

func decodeBool(b []byte) (bool, error) {
	b = bytes.TrimSpace(b)
	s := string(b)
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return false, err
		}
	}
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "1", "yes", "on":
		return true, nil
	case "false", "0", "no", "off", "", "null":
		return false, nil
	}
	return false, fmt.Errorf("passcreator: %.20q is not a boolean", s)
}
