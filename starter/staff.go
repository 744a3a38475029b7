package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
	"text/tabwriter"

	"github.com/spf13/pflag"
	"go.temporal.io/api/serviceerror"
	workflowpb "go.temporal.io/api/workflow/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"

	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/program"
)

var guestsFilter struct{ stage, branch string }

// Values that go into a visibility query are checked, never quoted blindly.
var queryValue = regexp.MustCompile(`^[A-Za-z0-9-]+$`)

var guestsCommand = &command{
	summary: "list the running stays at a stage, from visibility, with their reason",
	flags: func(fs *pflag.FlagSet) {
		fs.StringVar(&guestsFilter.stage, "stage", "NeedsAttention", "GuestStage to list")
		fs.StringVar(&guestsFilter.branch, "branch", "", "only this branch")
	},
	run: func(ctx context.Context, p *program.Program, args []string) error {
		if !queryValue.MatchString(guestsFilter.stage) || (guestsFilter.branch != "" && !queryValue.MatchString(guestsFilter.branch)) {
			return program.UsageError{Err: errors.New("--stage and --branch take letters, digits and dashes")}
		}
		q := fmt.Sprintf("WorkflowType = '%s' AND ExecutionStatus = 'Running' AND GuestStage = '%s'", lifecycle.StayWorkflowName, guestsFilter.stage)
		if guestsFilter.branch != "" {
			q += fmt.Sprintf(" AND BranchId = '%s'", guestsFilter.branch)
		}
		tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "WORKFLOW ID\tBRANCH\tARRIVAL\tSTAGE\tREASON")
		err := lifecycle.ListWorkflows(ctx, p.Temporal, q, func(e *workflowpb.WorkflowExecutionInfo) error {
			attrs := e.GetSearchAttributes().GetIndexedFields()
			field := func(name string) string {
				var v any
				if p, ok := attrs[name]; ok && converter.GetDefaultDataConverter().FromPayload(p, &v) == nil && v != nil {
					return fmt.Sprint(v)
				}
				return "-"
			}
			arrival := field(lifecycle.ArrivalDateKey.GetName())
			if len(arrival) >= 10 {
				arrival = arrival[:10]
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", e.GetExecution().GetWorkflowId(), field(lifecycle.BranchIDKey.GetName()),
				arrival, field(lifecycle.GuestStageKey.GetName()), field(lifecycle.StuckReasonKey.GetName()))
			return nil
		})
		if err != nil {
			return err
		}
		return tw.Flush()
	},
}

var statusCommand = &command{
	summary: "show a stay's status: stage, times, last error, what it waits for",
	args:    "<workflow-id>",
	run: func(ctx context.Context, p *program.Program, args []string) error {
		id, err := oneArg(args, "the stay's workflow id")
		if err != nil {
			return err
		}
		v, err := p.Temporal.QueryWorkflow(ctx, id, "", lifecycle.QueryStatus)
		if err != nil {
			return notFound(id, err)
		}
		var status lifecycle.StayStatus
		if err := v.Get(&status); err != nil {
			return err
		}
		return printJSON(status)
	},
}

// staffCommand is a staff action on a stay, delivered as a workflow Update
// whose validator refuses what does not apply, leaving the stay unchanged.
func staffCommand(update, summary string) *command {
	var action lifecycle.StaffAction
	return &command{
		summary: summary,
		args:    "<workflow-id>",
		flags: func(fs *pflag.FlagSet) {
			fs.StringVar(&action.By, "by", "", "who acts (required; kept in the stay's history)")
			fs.StringVar(&action.Reason, "reason", "", "why (required)")
		},
		run: func(ctx context.Context, p *program.Program, args []string) error {
			id, err := oneArg(args, "the stay's workflow id")
			if err != nil {
				return err
			}
			if action.By == "" || action.Reason == "" {
				return program.UsageError{Err: errors.New("--by and --reason are required")}
			}
			h, err := p.Temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
				WorkflowID: id, UpdateName: update, Args: []any{action}, WaitForStage: client.WorkflowUpdateStageCompleted,
			})
			if err != nil {
				return notFound(id, err)
			}
			var status lifecycle.StayStatus
			if err := h.Get(ctx, &status); err != nil {
				return fmt.Errorf("refused: %w", err)
			}
			fmt.Printf("%s: %s accepted; stage %s\n", id, update, status.Stage)
			return nil
		},
	}
}

func notFound(id string, err error) error {
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		return fmt.Errorf("no running stay %s", id)
	}
	return err
}

func printJSON(v any) error {
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
