package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/spf13/pflag"

	"github.com/guestflow/guestflow/program"
	"github.com/guestflow/guestflow/report"
	"github.com/guestflow/guestflow/rules"
)

var reportFlags struct {
	branch, date, output string
	concurrency          int
	timeout              time.Duration
}

var reportCommand = &command{
	summary: "count a day's arrivals per branch: stages, stuck and no-wallet reasons, cards, scans, credit",
	flags: func(fs *pflag.FlagSet) {
		fs.StringVar(&reportFlags.branch, "branch", "", "only this branch (default: every branch)")
		fs.StringVar(&reportFlags.date, "date", "", "arrival day, YYYY-MM-DD (default: today in each branch's time zone)")
		fs.StringVar(&reportFlags.output, "output", "table", "table or json")
		fs.IntVar(&reportFlags.concurrency, "concurrency", 8, "stays read at once")
		fs.DurationVar(&reportFlags.timeout, "timeout", 5*time.Minute, "bound on the whole report")
	},
	run: func(ctx context.Context, p *program.Program, args []string) error {
		if reportFlags.output != "table" && reportFlags.output != "json" {
			return program.UsageError{Err: fmt.Errorf("--output is table or json, not %q", reportFlags.output)}
		}
		if reportFlags.concurrency < 1 {
			return program.UsageError{Err: fmt.Errorf("--concurrency must be at least 1")}
		}
		ids := p.Config.BranchIDs
		if reportFlags.branch != "" {
			if _, ok := p.Config.Branch(reportFlags.branch); !ok {
				return program.UsageError{Err: fmt.Errorf("--branch %q is not in %s", reportFlags.branch, p.Config.File)}
			}
			ids = []string{reportFlags.branch}
		}
		var day rules.Date
		if reportFlags.date != "" {
			d, err := rules.ParseDate(reportFlags.date)
			if err != nil {
				return program.UsageError{Err: fmt.Errorf("--date must be a day YYYY-MM-DD")}
			}
			day = d
		}
		ctx, cancel := context.WithTimeout(ctx, reportFlags.timeout)
		defer cancel()
		var days []report.Day
		for _, id := range ids {
			b, _ := p.Config.Branch(id)
			d := day
			if d.IsZero() {
				d = rules.Today(time.Now(), b.Location)
			}
			got, err := report.Collect(ctx, p.Temporal, []report.Branch{{ID: id, Location: b.Location}}, []rules.Date{d},
				report.Options{Concurrency: reportFlags.concurrency})
			if err != nil {
				return err
			}
			days = append(days, got...)
		}
		if reportFlags.output == "json" {
			return printJSON(days)
		}
		return report.WriteTable(os.Stdout, days)
	},
}
