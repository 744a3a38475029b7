package rules

import (
	"testing"
	"time"
	_ "time/tzdata" // CI images may lack /usr/share/zoneinfo
)

func TestStayEnd(t *testing.T) {
	rome, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		t.Fatal(err)
	}
	utc := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name      string
		departure string
		loc       *time.Location
		checkout  time.Duration
		grace     time.Duration
		want      string
	}{
		{"winter noon", "2026-01-15", rome, 12 * time.Hour, 0, "2026-01-15T11:00:00Z"},
		{"summer noon", "2026-07-15", rome, 12 * time.Hour, 0, "2026-07-15T10:00:00Z"},
		{"default checkout", "2026-01-15", rome, 0, 0, "2026-01-15T11:00:00Z"},
		{"negative checkout means default", "2026-01-15", rome, -time.Hour, 0, "2026-01-15T11:00:00Z"},
		{"checkout 10:30", "2026-01-15", rome, 10*time.Hour + 30*time.Minute, 0, "2026-01-15T09:30:00Z"},
		// Last Sunday of October: clocks go back at 03:00 CEST, noon is CET.
		{"autumn DST day noon", "2025-10-26", rome, 12 * time.Hour, 0, "2025-10-26T11:00:00Z"},
		{"autumn DST day, 6h grace", "2025-10-26", rome, 12 * time.Hour, 6 * time.Hour, "2025-10-26T17:00:00Z"},
		{"day before autumn DST, 24h grace crosses it", "2025-10-25", rome, 12 * time.Hour, 24 * time.Hour, "2025-10-26T10:00:00Z"},
		// Last Sunday of March: clocks go forward at 02:00 CET, noon is CEST.
		{"spring DST day noon", "2026-03-29", rome, 12 * time.Hour, 0, "2026-03-29T10:00:00Z"},
		{"spring DST day 2025", "2025-03-30", rome, 12 * time.Hour, 0, "2025-03-30T10:00:00Z"},
		{"spring DST checkout in the gap moves forward", "2026-03-29", rome, 2*time.Hour + 30*time.Minute, 0, "2026-03-29T01:30:00Z"},
		{"grace of a day", "2026-01-15", rome, 12 * time.Hour, 24 * time.Hour, "2026-01-16T11:00:00Z"},
		{"negative grace means none", "2026-01-15", rome, 12 * time.Hour, -time.Hour, "2026-01-15T11:00:00Z"},
		{"nil location is UTC", "2026-01-15", nil, 12 * time.Hour, 0, "2026-01-15T12:00:00Z"},
	}
	for _, tt := range tests {
		got := StayEnd(d(tt.departure), tt.loc, tt.checkout, tt.grace)
		if want := utc(tt.want); !got.Equal(want) {
			t.Errorf("%s: StayEnd = %s (%s), want %s", tt.name, got.UTC().Format(time.RFC3339), got, tt.want)
		}
	}
}

func TestStayEndWallClockOnDSTDays(t *testing.T) {
	rome, _ := time.LoadLocation("Europe/Rome")
	for _, day := range []string{"2025-03-30", "2025-10-26", "2026-03-29", "2026-10-25"} {
		got := StayEnd(d(day), rome, 11*time.Hour, 0).In(rome)
		if got.Hour() != 11 || got.Minute() != 0 || DateOf(got) != d(day) {
			t.Errorf("%s: checkout shows %s on the Rome clock, want 11:00 that day", day, got)
		}
	}
}

func TestToday(t *testing.T) {
	rome, _ := time.LoadLocation("Europe/Rome")
	late := time.Date(2026, 1, 15, 23, 30, 0, 0, time.UTC)
	tests := []struct {
		loc  *time.Location
		want string
	}{
		{rome, "2026-01-16"},
		{time.UTC, "2026-01-15"},
		{nil, "2026-01-15"},
	}
	for _, tt := range tests {
		if got := Today(late, tt.loc); got != d(tt.want) {
			t.Errorf("Today(%s, %v) = %s, want %s", late, tt.loc, got, tt.want)
		}
	}
}
