package report

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"go.temporal.io/api/common/v1"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflow/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"

	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/rules"
)

// Branch is a branch to report on and its time zone, in which ArrivalDate
// is the local midnight of the arrival day.
type Branch struct {
	ID       string
	Location *time.Location
}

// Options bound the reads of the stays' statuses and summaries.
type Options struct {
	// Concurrency is how many stays are read at once; 0 means 8.
	Concurrency int
	// ReadTimeout bounds one stay's read; 0 means 10 s. A stay not read in
	// time is counted as unread.
	ReadTimeout time.Duration
}

// Collect reports on the stays of each branch arriving on each of days:
// it pages through visibility, then reads each stay's status (running) or
// summary (closed) with bounded concurrency. c must carry the payload
// codec. A stay whose status or summary cannot be read is counted as
// unread, not as an error; a visibility error fails the report.
func Collect(ctx context.Context, c client.Client, branches []Branch, days []rules.Date, o Options) ([]Day, error) {
	var stays []Stay
	ids := make([]string, 0, len(branches))
	for _, b := range branches {
		ids = append(ids, b.ID)
		for _, d := range days {
			q := fmt.Sprintf("WorkflowType = '%s' AND %s = '%s' AND %s >= '%s' AND %s < '%s'",
				lifecycle.StayWorkflowName, lifecycle.BranchIDKey.GetName(), b.ID,
				lifecycle.ArrivalDateKey.GetName(), d.At(b.Location, 0).UTC().Format(time.RFC3339),
				lifecycle.ArrivalDateKey.GetName(), d.AddDays(1).At(b.Location, 0).UTC().Format(time.RFC3339))
			err := List(ctx, c, q, func(e *workflow.WorkflowExecutionInfo) {
				s := FromVisibility(e)
				s.Arrival = d // the query's day, in the branch's zone
				stays = append(stays, s)
			})
			if err != nil {
				return nil, err
			}
		}
	}
	readAll(ctx, c, stays, o)
	return Tally(stays, ids, days), nil
}

// List pages through the executions visibility returns for query.
func List(ctx context.Context, c client.Client, query string, each func(*workflow.WorkflowExecutionInfo)) error {
	err := lifecycle.ListWorkflows(ctx, c, query, func(e *workflow.WorkflowExecutionInfo) error {
		each(e)
		return nil
	})
	if err != nil {
		return fmt.Errorf("list stays: %w", err)
	}
	return nil
}

// FromVisibility is a stay as visibility shows it: its search attributes
// (unencoded, never personal data) and whether it runs. Arrival is left to
// the caller: ArrivalDate is the branch's local midnight, whose day only
// the branch's time zone tells.
func FromVisibility(e *workflow.WorkflowExecutionInfo) Stay {
	attrs := e.GetSearchAttributes().GetIndexedFields()
	s := Stay{
		WorkflowID:  e.GetExecution().GetWorkflowId(),
		RunID:       e.GetExecution().GetRunId(),
		BranchID:    keyword(attrs, lifecycle.BranchIDKey.GetName()),
		Stage:       lifecycle.Stage(keyword(attrs, lifecycle.GuestStageKey.GetName())),
		StuckReason: keyword(attrs, lifecycle.StuckReasonKey.GetName()),
		Running:     e.GetStatus() == enums.WORKFLOW_EXECUTION_STATUS_RUNNING,
	}
	return s
}

func keyword(attrs map[string]*common.Payload, name string) string {
	var v string
	if p, ok := attrs[name]; ok && converter.GetDefaultDataConverter().FromPayload(p, &v) == nil {
		return v
	}
	return ""
}

// readAll fills each stay's card, scans and credit from its status or
// summary, o.Concurrency at a time.
func readAll(ctx context.Context, c client.Client, stays []Stay, o Options) {
	n := o.Concurrency
	if n <= 0 {
		n = 8
	}
	timeout := o.ReadTimeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	sem := make(chan struct{}, n)
	var wg sync.WaitGroup
	for i := range stays {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return
		}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			rctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			_ = read(rctx, c, &stays[i])
		}()
	}
	wg.Wait()
}

// read asks a running stay for its status and a closed one for its summary.
func read(ctx context.Context, c client.Client, s *Stay) error {
	if s.Running {
		v, err := c.QueryWorkflow(ctx, s.WorkflowID, "", lifecycle.QueryStatus)
		if err != nil {
			return err
		}
		var st lifecycle.StayStatus
		if err := v.Get(&st); err != nil {
			return err
		}
		// A pending card is Passquare holding the guest, no card yet.
		s.Read, s.NoWallet, s.Card, s.Scans, s.Credited = true, st.NoWallet, st.Card != nil && !st.Card.Pending, len(st.Scans), st.Credited
		return nil
	}
	var sum lifecycle.StaySummary
	if err := c.GetWorkflow(ctx, s.WorkflowID, s.RunID).Get(ctx, &sum); err != nil {
		return err
	}
	if sum.FinalStage == "" {
		return errors.New("empty summary")
	}
	s.Read, s.NoWallet, s.Card, s.Scans, s.Credited = true, sum.NoWallet, sum.CardNumber != "", sum.Scans, sum.Credited
	return nil
}
