// Command worker runs guestflow's workflows and activities. Run as many as
// the load needs: they share the task queues, and the Passquare queue's
// rate limit holds across all of them.
package main

import (
	"os"

	"go.temporal.io/sdk/worker"

	"github.com/guestflow/guestflow/activities"
	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/program"
	"github.com/guestflow/guestflow/telemetry"
	"github.com/guestflow/guestflow/workflows"
)

func main() { program.Exit("worker", run(os.Args[1:])) }

func run(args []string) error {
	var f program.Flags
	fs := program.NewFlagSet("worker", &f)
	opsAddr := fs.String("ops-addr", ":9090", "address of /metrics, /healthz and /readyz")
	p, err := program.Start(fs, &f, args, os.Stderr)
	if err != nil {
		return err
	}
	defer p.Close()
	ctx, stop := program.SignalContext()
	defer stop()

	acts := activities.FromConfig(p.Config, p.Temporal, p.Metrics, p.Logger)
	stays := worker.New(p.Temporal, lifecycle.TaskQueue, worker.Options{})
	workflows.Register(stays)
	acts.Register(stays)
	passquare := worker.New(p.Temporal, lifecycle.PassquareTaskQueue, worker.Options{
		TaskQueueActivitiesPerSecond: activities.PassquareRate(p.Config.Passquare.Plan),
	})
	acts.RegisterPassquare(passquare)

	for _, w := range []worker.Worker{stays, passquare} {
		if err := w.Start(); err != nil {
			return err
		}
		defer w.Stop()
	}
	p.Logger.Info("worker started", "task_queues", []string{lifecycle.TaskQueue, lifecycle.PassquareTaskQueue},
		"branches", p.Config.BranchIDs, "ops_addr", *opsAddr)
	ops := &telemetry.Server{Addr: *opsAddr, Registry: p.Metrics, Logger: p.Logger,
		Ready: map[string]telemetry.Check{"temporal": telemetry.TemporalCheck(p.Temporal)}}
	return ops.Run(ctx)
}
