package main

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func resultsWith(getAll, events, mews429 float64) results {
	return results{Settings: []summary{
		{Setting: lifted, Counts: counts{EventsPerStay: events, CallsPerGuest: map[string]float64{"mews customers/getAll": getAll}}},
		{Setting: atLimits, Counts: counts{EventsPerStay: 99, Status429PerGuest: map[string]float64{"mews": mews429},
			CallsPerGuest: map[string]float64{"passquare crm/user_create_or_update": 9}}},
	}}
}

// The CI check fails on a count grown past the margin, and only then.
func TestCompareFailsOnlyOnARegression(t *testing.T) {
	file := filepath.Join(t.TempDir(), "baseline.json")
	b, _ := json.Marshal(resultsWith(1, 36, 0))
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name    string
		got     results
		failing string
	}{
		{"same", resultsWith(1, 36, 0), ""},
		{"fewer calls and events", resultsWith(0.5, 30, 0), ""},
		{"within the margin", resultsWith(1.1, 40, 0.04), ""},
		{"more Mews lookups", resultsWith(2, 36, 0), "calls per guest to mews customers/getAll"},
		{"longer histories", resultsWith(1, 45, 0), "history events per stay"},
		{"429s", resultsWith(1, 36, 0.5), "429s per guest from mews"},
	} {
		err := c.got.compare(file, 0.15, 0.05, io.Discard)
		switch {
		case c.failing == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.failing != "" && (err == nil || !strings.Contains(err.Error(), c.failing)):
			t.Errorf("%s: got %v, want a failure naming %q", c.name, err, c.failing)
		}
	}
}
