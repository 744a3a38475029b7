package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"
)

// columns are the table's headings, in the row's order.
var columns = []string{"scenario", "guests", "settled", "lost", "dup Mews customers", "dup Mews documents",
	"dup cards", "double credits", "wrong balances", "Passquare 429s", "time to settle"}

func printTable(out io.Writer, rows []row) {
	fmt.Fprintln(out)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, strings.Join(columns, "\t")+"\t")
	var base float64
	for _, r := range rows {
		if r.Scenario == baselineName {
			base = r.SettleSeconds
		}
	}
	for _, r := range rows {
		settle := fmt.Sprintf("%.1fs", r.SettleSeconds)
		if !r.InBound {
			settle = "not settled"
		} else if base > 0 && r.Scenario != baselineName {
			settle += fmt.Sprintf(" (%.2fx)", r.SettleSeconds/base)
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%s\t\n", r.Scenario, r.Guests, r.Settled, r.Lost,
			r.DupMewsCustomers, r.DupMewsDocuments, r.DupCards, r.DoubleCredits, r.WrongBalances, r.Passquare429s, settle)
	}
	_ = tw.Flush()
	for _, r := range rows {
		for _, n := range r.Notes {
			fmt.Fprintf(out, "  %s: %s\n", r.Scenario, n)
		}
		for _, p := range r.Problems {
			fmt.Fprintf(out, "  %s: PROBLEM %s\n", r.Scenario, p)
		}
	}
}

func summary(r row) string {
	s := fmt.Sprintf("%d/%d settled in %.1fs, lost %d, duplicates %d/%d/%d, double credits %d, wrong balances %d, Passquare 429s %d",
		r.Settled, r.Guests, r.SettleSeconds, r.Lost, r.DupMewsCustomers, r.DupMewsDocuments, r.DupCards,
		r.DoubleCredits, r.WrongBalances, r.Passquare429s)
	if !r.InBound {
		s += " (NOT SETTLED within its bound)"
	}
	return s
}

func writeJSON(path string, s settings, rows []row) error {
	doc := struct {
		Day      string    `json:"day"`
		Seed     int64     `json:"seed"`
		CPUs     int       `json:"cpus"`
		Finished time.Time `json:"finished"`
		Rows     []row     `json:"rows"`
	}{s.size.name, s.seed, runtime.NumCPU(), time.Now().UTC(), rows}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}
