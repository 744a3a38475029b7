package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/pflag"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"github.com/guestflow/guestflow/activities"
	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/program"
	"github.com/guestflow/guestflow/rules"
)

var pollNowBranch string

var pollNowCommand = &command{
	summary: "trigger the arrivals polls and scan syncs now, for one branch or all",
	flags: func(fs *pflag.FlagSet) {
		fs.StringVar(&pollNowBranch, "branch", "", "only this branch (default: every branch)")
	},
	run: func(ctx context.Context, p *program.Program, args []string) error {
		if pollNowBranch != "" {
			if _, ok := p.Config.Branch(pollNowBranch); !ok {
				return program.UsageError{Err: fmt.Errorf("--branch %q is not in %s", pollNowBranch, p.Config.File)}
			}
		}
		for _, s := range schedules(p.Config) {
			if pollNowBranch != "" && !strings.HasSuffix(s.ID, "/"+pollNowBranch) {
				continue
			}
			err := p.Temporal.ScheduleClient().GetHandle(ctx, s.ID).Trigger(ctx, client.ScheduleTriggerOptions{
				Overlap: enums.SCHEDULE_OVERLAP_POLICY_SKIP,
			})
			if err != nil {
				return fmt.Errorf("trigger schedule %s (run `starter setup` first?): %w", s.ID, err)
			}
			fmt.Printf("triggered %s\n", s.ID)
		}
		return nil
	},
}

var backfill struct {
	branch, from, to string
	wait             bool
}

var backfillCommand = &command{
	summary: "read a branch's arrivals in full for a range of days (a new branch, or after an outage)",
	flags: func(fs *pflag.FlagSet) {
		fs.StringVar(&backfill.branch, "branch", "", "the branch (required)")
		fs.StringVar(&backfill.from, "from", "", "first arrival day, YYYY-MM-DD (required)")
		fs.StringVar(&backfill.to, "to", "", "last arrival day, YYYY-MM-DD (required)")
		fs.BoolVar(&backfill.wait, "wait", true, "wait for the backfill to finish and print its counts")
	},
	run: func(ctx context.Context, p *program.Program, args []string) error {
		if _, ok := p.Config.Branch(backfill.branch); !ok {
			return program.UsageError{Err: fmt.Errorf("--branch %q is not in %s", backfill.branch, p.Config.File)}
		}
		from, errFrom := rules.ParseDate(backfill.from)
		to, errTo := rules.ParseDate(backfill.to)
		if errFrom != nil || errTo != nil || to.Before(from) {
			return program.UsageError{Err: fmt.Errorf("--from and --to must be days YYYY-MM-DD with from <= to")}
		}
		id := fmt.Sprintf("backfill/%s/%s/%s", backfill.branch, from, to)
		run, err := p.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
			ID: id, TaskQueue: lifecycle.TaskQueue,
			// The same backfill twice at once is one backfill.
			WorkflowIDConflictPolicy: enums.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		}, lifecycle.BackfillArrivalsWorkflowName, lifecycle.BackfillArrivals{BranchID: backfill.branch, From: from, To: to})
		if err != nil {
			return err
		}
		fmt.Printf("backfill started: %s\n", run.GetID())
		if !backfill.wait {
			return nil
		}
		var res activities.PollArrivalsResult
		if err := run.Get(ctx, &res); err != nil {
			return err
		}
		fmt.Printf("reservations %d, guests %d, departed %d, skipped %d\n", res.Reservations, res.Guests, res.Departed, res.Skipped)
		return nil
	},
}
