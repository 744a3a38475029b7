package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// fields reads a JSON request body leniently where a client might plausibly
// differ (numbers as strings, booleans as 0/1) and strictly where the
// document is clear (required fields, formats).
type fields map[string]json.RawMessage

// present reports a field that is there and not null.
func (f fields) present(k string) bool {
	raw := bytes.TrimSpace(f[k])
	return len(raw) > 0 && string(raw) != "null"
}

func (f fields) str(k string) (string, error) {
	if !f.present(k) {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(f[k], &s); err != nil {
		return "", fmt.Errorf("%s must be a string", k)
	}
	return s, nil
}

func (f fields) integer(k string) (int, error) {
	raw := bytes.TrimSpace(f[k])
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		_ = json.Unmarshal(raw, &s)
		raw = []byte(strings.TrimSpace(s))
	}
	n, err := strconv.Atoi(string(raw))
	if err != nil {
		return 0, fmt.Errorf("%s must be an integer", k)
	}
	return n, nil
}

func (f fields) boolean(k string) (bool, error) {
	if !f.present(k) {
		return false, nil
	}
	b, ok := boolValue(f[k])
	if !ok {
		return false, fmt.Errorf("%s must be a boolean", k)
	}
	return b, nil
}

func boolValue(raw json.RawMessage) (bool, bool) {
	s := strings.TrimSpace(string(raw))
	if strings.HasPrefix(s, `"`) {
		_ = json.Unmarshal(raw, &s)
	}
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "1":
		return true, true
	case "false", "0", "":
		return false, true
	}
	return false, false
}

// numberValue accepts 12.5, "12.50" and "12,50".
func numberValue(raw json.RawMessage) bool {
	s := strings.TrimSpace(string(raw))
	if strings.HasPrefix(s, `"`) {
		_ = json.Unmarshal(raw, &s)
		s = strings.Replace(strings.TrimSpace(s), ",", ".", 1)
	}
	_, err := decimal.NewFromString(s)
	return err == nil
}

// parseWallClock reads "Y-m-d H:i:s" or "Y-m-d H:i" in the account's zone,
// and ISO 8601 with an offset.
func parseWallClock(s string, loc *time.Location) (time.Time, bool) {
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02 15:04", time.RFC3339} {
		if t, err := time.ParseInLocation(layout, strings.TrimSpace(s), loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
