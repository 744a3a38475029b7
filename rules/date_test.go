package rules

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func d(s string) Date {
	v, err := ParseDate(s)
	if err != nil {
		panic(s)
	}
	return v
}

func dp(s string) *Date {
	v := d(s)
	return &v
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in      string
		want    Date
		wantErr bool
	}{
		{in: "2020-02-07", want: Date{2020, time.February, 7}},
		{in: "2024-02-29", want: Date{2024, time.February, 29}},
		{in: "2023-02-29", wantErr: true},
		{in: "2020-13-01", wantErr: true},
		{in: "07.02.2020", wantErr: true},
		{in: "2020-2-7", wantErr: true},
		{in: "", wantErr: true},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseDate(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseDate(%q) = %v, want %v", tt.in, got, tt.want)
		}
		if err == nil && got.String() != tt.in {
			t.Errorf("String() = %q, want %q", got.String(), tt.in)
		}
	}
}

func TestDateCompareAndAddDays(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"2020-02-07", "2020-02-07", 0},
		{"2020-02-07", "2020-02-08", -1},
		{"2020-03-01", "2020-02-29", 1},
		{"2019-12-31", "2020-01-01", -1},
		{"2021-01-01", "2020-12-31", 1},
	}
	for _, tt := range tests {
		if got := d(tt.a).Compare(d(tt.b)); got != tt.want {
			t.Errorf("%s.Compare(%s) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := d(tt.a).Before(d(tt.b)); got != (tt.want < 0) {
			t.Errorf("%s.Before(%s) = %v", tt.a, tt.b, got)
		}
		if got := d(tt.a).After(d(tt.b)); got != (tt.want > 0) {
			t.Errorf("%s.After(%s) = %v", tt.a, tt.b, got)
		}
	}
	if got := d("2024-02-28").AddDays(1); got != d("2024-02-29") {
		t.Errorf("AddDays across leap day = %v", got)
	}
	if got := d("2025-01-01").AddDays(-1); got != d("2024-12-31") {
		t.Errorf("AddDays(-1) across year = %v", got)
	}
}

func TestDateJSON(t *testing.T) {
	type holder struct {
		Birth  Date  `json:"birth"`
		Expiry *Date `json:"expiry"`
	}
	b, err := json.Marshal(holder{Birth: d("1985-09-30")})
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"birth":"1985-09-30","expiry":null}` {
		t.Errorf("Marshal = %s", b)
	}
	b, _ = json.Marshal(holder{})
	if string(b) != `{"birth":null,"expiry":null}` {
		t.Errorf("Marshal zero = %s", b)
	}

	tests := []struct {
		in      string
		want    Date
		wantErr bool
	}{
		{in: `"2013-06-19"`, want: d("2013-06-19")},
		{in: `null`, want: Date{}},
		{in: `""`, want: Date{}},
		{in: `"1983-12-31T00:00:00Z"`, want: d("1983-12-31")},
		{in: `"1983-12-31 00:00:00"`, want: d("1983-12-31")},
		{in: `"2013-02-30"`, wantErr: true},
		{in: `20130619`, wantErr: true},
		{in: `"19.06.2013"`, wantErr: true},
	}
	for _, tt := range tests {
		var got Date
		err := json.Unmarshal([]byte(tt.in), &got)
		if (err != nil) != tt.wantErr {
			t.Errorf("Unmarshal(%s) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			continue
		}
		if got != tt.want {
			t.Errorf("Unmarshal(%s) = %v, want %v", tt.in, got, tt.want)
		}
	}

	var h holder
	if err := json.Unmarshal([]byte(`{"birth":"1985-09-30","expiry":"2030-05-20"}`), &h); err != nil {
		t.Fatal(err)
	}
	if h.Birth != d("1985-09-30") || h.Expiry == nil || *h.Expiry != d("2030-05-20") {
		t.Errorf("round trip = %+v", h)
	}
}

func TestDateErrorHidesInput(t *testing.T) {
	_, err := ParseDate("1985-13-30")
	if err == nil || strings.Contains(err.Error(), "1985") {
		t.Errorf("error %v must not carry the date", err)
	}
}
