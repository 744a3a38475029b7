package report

import (
	"reflect"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/rules"
)

func TestTally(t *testing.T) {
	d23, d24 := rules.Date{Year: 2026, Month: 11, Day: 23}, rules.Date{Year: 2026, Month: 11, Day: 24}
	money := decimal.RequireFromString
	for _, tt := range []struct {
		name     string
		stays    []Stay
		branches []string
		days     []rules.Date
		want     []Day
	}{
		{
			name: "a quiet day is listed as zero", branches: []string{"rome"}, days: []rules.Date{d23},
			want: []Day{{BranchID: "rome", Arrival: d23, Stages: map[lifecycle.Stage]int{}, Stuck: map[string]int{}, NoWallet: map[rules.Reason]int{}}},
		},
		{
			name: "stages, reasons, cards, scans and credit summed per branch and day",
			stays: []Stay{
				{BranchID: "rome", Arrival: d23, Stage: lifecycle.StageWalletIssued, Running: true, Read: true, Card: true, Scans: 2, Credited: money("1.50")},
				{BranchID: "rome", Arrival: d23, Stage: lifecycle.StageCompleted, Read: true, Card: true, Scans: 1, Credited: money("0.25")},
				{BranchID: "rome", Arrival: d23, Stage: lifecycle.StageNeedsAttention, StuckReason: "DocumentExpired", Running: true, Read: true},
				{BranchID: "rome", Arrival: d23, Stage: lifecycle.StageNoWallet, Running: true, Read: true, NoWallet: "PhoneMissing"},
				{BranchID: "rome", Arrival: d24, Stage: lifecycle.StageNeedsAttention, Running: true}, // unread, no reason published
				{BranchID: "lisbon", Arrival: d23, Running: true, Read: true, Card: true},
			},
			branches: []string{"rome"}, days: []rules.Date{d23},
			want: []Day{
				{BranchID: "lisbon", Arrival: d23, Arrivals: 1, Running: 1, Stages: map[lifecycle.Stage]int{"Unknown": 1},
					Stuck: map[string]int{}, NoWallet: map[rules.Reason]int{}, CardsIssued: 1},
				{BranchID: "rome", Arrival: d23, Arrivals: 4, Running: 3,
					Stages: map[lifecycle.Stage]int{lifecycle.StageWalletIssued: 1, lifecycle.StageCompleted: 1, lifecycle.StageNeedsAttention: 1, lifecycle.StageNoWallet: 1},
					Stuck:  map[string]int{"DocumentExpired": 1}, NoWallet: map[rules.Reason]int{"PhoneMissing": 1},
					CardsIssued: 2, Scans: 3, Credited: money("1.75")},
				{BranchID: "rome", Arrival: d24, Arrivals: 1, Running: 1, Stages: map[lifecycle.Stage]int{lifecycle.StageNeedsAttention: 1},
					Stuck: map[string]int{"Unknown": 1}, NoWallet: map[rules.Reason]int{}, Unread: 1},
			},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := Tally(tt.stays, tt.branches, tt.days)
			for i := range got {
				if i < len(tt.want) && got[i].Credited.Equal(tt.want[i].Credited) {
					got[i].Credited = tt.want[i].Credited
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestWriteTable(t *testing.T) {
	d23 := rules.Date{Year: 2026, Month: 11, Day: 23}
	days := Tally([]Stay{
		{BranchID: "rome", Arrival: d23, Stage: lifecycle.StageNeedsAttention, StuckReason: "DocumentExpired", Running: true, Read: true},
		{BranchID: "rome", Arrival: d23, Stage: lifecycle.StageArrivalFetched, Running: true, Read: true, NoWallet: "NoPhone"},
		{BranchID: "rome", Arrival: d23, Stage: lifecycle.StageCompleted, Read: true, Card: true, Scans: 2, Credited: decimal.RequireFromString("3.5")},
		{BranchID: "rome", Arrival: d23, Stage: lifecycle.StageCompleted},
	}, nil, nil)
	var b strings.Builder
	if err := WriteTable(&b, days); err != nil {
		t.Fatal(err)
	}
	want := `rome  2026-11-23    arrivals 4 (running 2)
      stages        ArrivalFetched 1, NeedsAttention 1, Completed 2
      stuck         DocumentExpired 1
      no wallet     NoPhone 1
      cards issued  1
      scans         2
      credited      3.50
      unread        1 (status or summary not read: not in cards, no wallet, scans, credited)
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestCountStages(t *testing.T) {
	got := CountStages([]Stay{
		{BranchID: "rome", Stage: lifecycle.StageNeedsAttention},
		{BranchID: "rome", Stage: lifecycle.StageNeedsAttention},
		{BranchID: "rome", Stage: lifecycle.StageWalletIssued},
		{BranchID: "lisbon", Stage: lifecycle.StageNeedsAttention},
	})
	want := map[BranchStage]int{
		{"rome", lifecycle.StageNeedsAttention}: 2, {"rome", lifecycle.StageWalletIssued}: 1, {"lisbon", lifecycle.StageNeedsAttention}: 1,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}
