package report

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/guestflow/guestflow/lifecycle"
)

// WriteTable writes days as a block per branch and arrival day.
func WriteTable(w io.Writer, days []Day) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, d := range days {
		fmt.Fprintf(tw, "%s\t%s\tarrivals %d (running %d)\n", d.BranchID, d.Arrival, d.Arrivals, d.Running)
		fmt.Fprintf(tw, "\tstages\t%s\n", counts(stageOrder(d.Stages), d.Stages))
		fmt.Fprintf(tw, "\tstuck\t%s\n", counts(slices.Sorted(maps.Keys(d.Stuck)), d.Stuck))
		fmt.Fprintf(tw, "\tno wallet\t%s\n", counts(slices.Sorted(maps.Keys(d.NoWallet)), d.NoWallet))
		fmt.Fprintf(tw, "\tcards issued\t%d\n\tscans\t%d\n\tcredited\t%s\n", d.CardsIssued, d.Scans, d.Credited.StringFixed(2))
		if d.Unread > 0 {
			fmt.Fprintf(tw, "\tunread\t%d (status or summary not read: not in cards, no wallet, scans, credited)\n", d.Unread)
		}
	}
	return tw.Flush()
}

// stageOrder is the stages of m in the lifecycle's order, unknown ones last.
func stageOrder(m map[lifecycle.Stage]int) []lifecycle.Stage {
	var out []lifecycle.Stage
	for _, s := range lifecycle.Stages {
		if _, ok := m[s]; ok {
			out = append(out, s)
		}
	}
	for _, s := range slices.Sorted(maps.Keys(m)) {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func counts[K ~string](keys []K, m map[K]int) string {
	if len(keys) == 0 {
		return "-"
	}
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}
