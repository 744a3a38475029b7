// Command worker runs guestflow's workflows and activities. Run as many as
// the load needs: they share the task queues, and the Passquare queue's
// rate limit holds across all of them.
package main

import (
	"context"
	"log/slog"
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
	passquare := worker.New(p.Temporal, lifecycle.PassquareTaskQueue, activities.PassquareWorkerOptions(p.Config.Passquare.Plan))
	acts.RegisterPassquare(passquare)

	for _, w := range []worker.Worker{stays, passquare} {
		if err := w.Start(); err != nil {
			return err
		}
		defer w.Stop()
	}
	p.Logger.Info("worker started", "task_queues", []string{lifecycle.TaskQueue, lifecycle.PassquareTaskQueue},
		"branches", p.Config.BranchIDs, "ops_addr", *opsAddr)
	ready := credentialChecks(ctx, acts.Credentials(p.Config.BranchIDs), p.Logger)
	ready["temporal"] = telemetry.TemporalCheck(p.Temporal)
	ops := &telemetry.Server{Addr: *opsAddr, Registry: p.Metrics, Logger: p.Logger, Ready: ready}
	return ops.Run(ctx)
}

// credentialChecks checks each vendor credential of the group at start, in
// the background, and gives /readyz a check per credential named
// vendor/branch. The worker runs whatever they answer: a refused branch's
// guests wait for staff as before, the other branches go on, and the
// right secret and a restart make it ready.
func credentialChecks(ctx context.Context, creds []activities.Credential, logger *slog.Logger) map[string]telemetry.Check {
	checks := map[string]telemetry.Check{}
	for _, c := range creds {
		checks[c.Name()] = telemetry.CheckOnce(ctx, c.Name(), c.Check, logger)
	}
	return checks
}
