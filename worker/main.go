// Command worker runs guestflow's workflows and activities. Run as many as
// the load needs: they share the task queues, and the Passquare queue's
// rate limit holds across all of them.
package main

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"

	"github.com/guestflow/guestflow/activities"
	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/program"
	"github.com/guestflow/guestflow/report"
	"github.com/guestflow/guestflow/telemetry"
	"github.com/guestflow/guestflow/workflows"
)

func main() { program.Exit("worker", run(os.Args[1:])) }

func run(args []string) error {
	var f program.Flags
	fs := program.NewFlagSet("worker", &f)
	opsAddr := fs.String("ops-addr", ":9090", "address of /metrics, /healthz and /readyz")
	gaugeEvery := fs.Duration("stays-gauge-interval", 5*time.Minute, "how often guestflow_stays{branch,stage} is counted from visibility")
	var tuning activities.WorkerTuning
	tuning.AddFlags(fs)
	p, err := program.Start(fs, &f, args, os.Stderr)
	if err != nil {
		return err
	}
	defer p.Close()
	if *gaugeEvery <= 0 {
		return program.UsageError{Err: errors.New("--stays-gauge-interval must be positive")}
	}
	if err := tuning.Check(); err != nil {
		return program.UsageError{Err: err}
	}
	ctx, stop := program.SignalContext()
	defer stop()

	acts := activities.FromConfig(p.Config, p.Temporal, p.Metrics, p.Logger)
	checks := credentialChecks(ctx, acts.Credentials(p.Config.BranchIDs), p.Logger)
	stays := worker.New(p.Temporal, lifecycle.TaskQueue, tuning.Options())
	workflows.Register(stays)
	acts.Register(stays)
	if err := stays.Start(); err != nil {
		return err
	}
	defer stays.Stop()
	for _, w := range acts.MewsWorkers(p.Temporal, p.Config.BranchIDs) {
		if err := w.Start(); err != nil {
			return err
		}
		defer w.Stop()
	}
	pqCtx, pqStop := context.WithCancel(ctx)
	passquareDone := runPassquare(pqCtx, p.Temporal, acts, p.Config.Passquare.Plan, checks["passquare"].Passed(), p.Logger)
	defer func() { pqStop(); <-passquareDone }()

	p.Logger.Info("worker started", "task_queues", []string{lifecycle.TaskQueue, lifecycle.PassquareTaskQueue, lifecycle.MewsTaskQueue("<branch>")},
		"branches", p.Config.BranchIDs, "ops_addr", *opsAddr)
	gaugeCtx, gaugeStop := context.WithCancel(ctx)
	gaugesDone := make(chan struct{})
	go func() {
		defer close(gaugesDone)
		report.NewGauges(p.Metrics).Run(gaugeCtx, p.Temporal, p.Config.BranchIDs, *gaugeEvery, p.Logger)
	}()
	defer func() { gaugeStop(); <-gaugesDone }()
	ready := readiness(checks)
	ready["temporal"] = telemetry.TemporalCheck(p.Temporal)
	ops := &telemetry.Server{Addr: *opsAddr, Registry: p.Metrics, Logger: p.Logger, Ready: ready}
	return ops.Run(ctx)
}

// credentialChecks checks each vendor credential of the group at start, in
// the background, named vendor/branch (or vendor) for /readyz and the logs.
// The worker runs whatever they answer: a refused branch's guests wait for
// staff as before, the other branches go on, and the right secret and a
// restart make it ready. Passquare's app_key is the exception: see
// runPassquare.
func credentialChecks(ctx context.Context, creds []activities.Credential, logger *slog.Logger) map[string]*telemetry.StartCheck {
	checks := map[string]*telemetry.StartCheck{}
	for _, c := range creds {
		checks[c.Name()] = telemetry.CheckAtStart(ctx, c.Name(), c.Check, logger)
	}
	return checks
}

// readiness is what /readyz asks of the start checks: each one's verdict.
func readiness(checks map[string]*telemetry.StartCheck) map[string]telemetry.Check {
	ready := map[string]telemetry.Check{}
	for name, c := range checks {
		ready[name] = c.Ready
	}
	return ready
}

// runPassquare starts this process's worker on the Passquare task queue
// once Passquare has accepted the group's app_key (accepted is closed), and
// stops it when ctx ends; the returned channel is closed when it has
// stopped. While the key is unknown or refused the process takes no
// Passquare work: issuances and balance pushes wait in the queue (within
// their ScheduleToClose: a day for an issuance, an hour for a push) for a
// worker with the right key, instead of failing to staff.
func runPassquare(ctx context.Context, c client.Client, acts *activities.Set, plan string, accepted <-chan struct{}, logger *slog.Logger) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		select {
		case <-accepted:
		case <-ctx.Done():
			return
		}
		w := worker.New(c, lifecycle.PassquareTaskQueue, activities.PassquareWorkerOptions(plan))
		acts.RegisterPassquare(w)
		if err := w.Start(); err != nil {
			logger.Error("the Passquare worker did not start", "error", err)
			return
		}
		logger.Info("Passquare accepted the app_key; its task queue is served", "task_queue", lifecycle.PassquareTaskQueue)
		<-ctx.Done()
		w.Stop()
	}()
	return done
}
