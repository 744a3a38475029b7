package report

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.temporal.io/api/workflow/v1"
	"go.temporal.io/sdk/client"

	"github.com/guestflow/guestflow/lifecycle"
)

// BranchStage keys a count of stays.
type BranchStage struct {
	BranchID string
	Stage    lifecycle.Stage
}

// CountStages counts stays per branch and stage.
func CountStages(stays []Stay) map[BranchStage]int {
	n := map[BranchStage]int{}
	for _, s := range stays {
		n[BranchStage{s.BranchID, s.Stage}]++
	}
	return n
}

// CountRunning counts the running stays per branch and stage from
// visibility alone.
func CountRunning(ctx context.Context, c client.Client) (map[BranchStage]int, error) {
	var stays []Stay
	q := fmt.Sprintf("WorkflowType = '%s' AND ExecutionStatus = 'Running'", lifecycle.StayWorkflowName)
	err := List(ctx, c, q, func(e *workflow.WorkflowExecutionInfo) { stays = append(stays, FromVisibility(e)) })
	if err != nil {
		return nil, err
	}
	return CountStages(stays), nil
}

// Gauges exports the running stays per branch and stage as
// guestflow_stays{branch,stage}.
type Gauges struct {
	Stays *prometheus.GaugeVec
}

// NewGauges registers the gauges with reg.
func NewGauges(reg prometheus.Registerer) *Gauges {
	g := &Gauges{Stays: prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "guestflow_stays",
		Help: "Running stays per branch and stage (GuestStage), from visibility, refreshed on an interval.",
	}, []string{"branch", "stage"})}
	reg.MustRegister(g.Stays)
	return g
}

// Refresh counts the running stays and sets the gauges: every stage of
// each of branches is set, to zero when no stay is there, so a stage that
// empties shows 0 rather than its last count.
func (g *Gauges) Refresh(ctx context.Context, c client.Client, branches []string) error {
	counts, err := CountRunning(ctx, c)
	if err != nil {
		return err
	}
	for _, b := range branches {
		for _, s := range lifecycle.Stages {
			g.Stays.WithLabelValues(b, string(s)).Set(float64(counts[BranchStage{b, s}]))
		}
	}
	for k, n := range counts {
		g.Stays.WithLabelValues(k.BranchID, string(k.Stage)).Set(float64(n))
	}
	return nil
}

// Run refreshes the gauges now and then every interval until ctx ends; a
// refresh is bounded by the interval, and a failed one is logged and leaves
// the last counts.
func (g *Gauges) Run(ctx context.Context, c client.Client, branches []string, interval time.Duration, logger *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		rctx, cancel := context.WithTimeout(ctx, interval)
		if err := g.Refresh(rctx, c, branches); err != nil && ctx.Err() == nil {
			logger.Warn("the stays gauges were not refreshed", "error", err)
		}
		cancel()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
