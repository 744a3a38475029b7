package lifecycle

import "testing"

func TestStageBehind(t *testing.T) {
	tests := []struct {
		s, t Stage
		want bool
	}{
		{StageWalletIssued, StageBonusCredited, true},
		{StageBonusCredited, StageWalletIssued, false},
		{StageNoWallet, StageWalletIssued, false}, // level: a later snapshot issues the card
		{StageWalletIssued, StageNoWallet, false},
		{StageMewsUpdated, StageNeedsAttention, false}, // a detour, never behind
		{StageNeedsAttention, StageMewsUpdated, false},
		{StageArrivalFetched, StageCompleted, true},
	}
	for _, tt := range tests {
		if got := tt.s.Behind(tt.t); got != tt.want {
			t.Errorf("%s.Behind(%s) = %v, want %v", tt.s, tt.t, got, tt.want)
		}
	}
}
