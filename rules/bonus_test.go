package rules

import "testing"

func TestScanCredit(t *testing.T) {
	tests := []struct{ value, percent, want string }{
		{"100", "5", "5"},
		{"42.50", "10", "4.25"},
		{"12.50", "5", "0.63"}, // 0.625 rounds half-up
		{"12.30", "5", "0.62"}, // 0.615 rounds half-up
		{"0.10", "3", "0"},     // 0.003
		{"0.17", "3", "0.01"},  // 0.0051
		{"33.33", "2.5", "0.83"},
		{"0", "5", "0"},
		{"-100", "5", "0"},
		{"100", "0", "0"},
		{"100", "-5", "0"},
		{"1000000.00", "7.5", "75000"},
	}
	for _, tt := range tests {
		got := ScanCredit(dec(tt.value), dec(tt.percent))
		if !got.Equal(dec(tt.want)) {
			t.Errorf("ScanCredit(%s, %s) = %s, want %s", tt.value, tt.percent, got, tt.want)
		}
		if got.IsNegative() {
			t.Errorf("ScanCredit(%s, %s) is negative", tt.value, tt.percent)
		}
	}
}

func TestIsRealUse(t *testing.T) {
	tests := []struct {
		status  int
		realUse []int
		want    bool
	}{
		{0, nil, true},
		{1, nil, false},
		{2, nil, true},
		{3, nil, true}, // the normal case: Passcreator does not know Passquare's cards
		{4, nil, true},
		{5, nil, false},
		{6, nil, false},
		{7, nil, false},
		{4, []int{}, true},
		{4, []int{0}, false},
		{3, []int{0, 2, 4}, false},    // a branch narrows the set
		{6, []int{0, 2, 4, 6}, false}, // a list cannot widen it: 6 closes a counted visit
		{1, []int{1}, false},
		{5, []int{0, 2, 3, 4, 5}, false},
		{7, []int{7}, false},
	}
	for _, tt := range tests {
		if got := IsRealUse(tt.status, tt.realUse); got != tt.want {
			t.Errorf("IsRealUse(%d, %v) = %v, want %v", tt.status, tt.realUse, got, tt.want)
		}
	}
}
