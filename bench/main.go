// Command bench plays a day of new guests through guestflow on the real
// Temporal dev server, with the worker and the four vendor sandboxes in this
// process, and reports its throughput as a ratio of a no-op workflow of the
// same shape played in the same invocation (see README, Capacity):
//
//	go run ./bench                       # 1,000 guests, 3 branches, 3 repetitions, both settings
//	go run ./bench --guests 100 --reps 1 --baseline bench/baseline.json   # what CI runs
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/guestflow/guestflow/devserver"
	"github.com/guestflow/guestflow/envflag"
	"github.com/guestflow/guestflow/program"
)

func main() { program.Exit("bench", bench(os.Args[1:], os.Stdout)) }

func bench(args []string, stdout io.Writer) error {
	fs := pflag.NewFlagSet("bench", pflag.ContinueOnError)
	fs.SortFlags = false
	e := env{logger: slog.New(slog.DiscardHandler), progress: slog.New(slog.DiscardHandler)}
	verbose := fs.Bool("verbose", false, "log progress and guestflow's own log to stderr")
	fs.IntVar(&e.guests, "guests", 1000, "new guests per run")
	fs.IntVar(&e.branches, "branches", 3, "branches the guests arrive at (at most 9)")
	reps := fs.Int("reps", 3, "repetitions of each setting, guestflow and ceiling interleaved")
	settings := fs.StringSlice("settings", []string{string(lifted), string(atLimits)}, "lifted (no vendor limit) and/or limits (every vendor at its documented limit)")
	fs.Int64Var(&e.seed, "seed", 7, "the generated day's seed")
	fs.DurationVar(&e.timeout, "timeout", 10*time.Minute, "longest a run may take; the stays short of the finish then are reported by stage")
	fs.DurationVar(&e.pqWindow, "passquare-window", time.Minute, "at the limits, how long Passquare's rate is read from its first call")
	out := fs.String("json", "", "write the results as JSON to this file")
	baseline := fs.String("baseline", "", "compare the counts with this JSON (a previous --json) and fail on a regression")
	margin := fs.Float64("margin", 0.15, "allowed regression of a count over the baseline, as a part of it")
	slack := fs.Float64("slack", 0.05, "allowed regression of a count per guest on top of the margin")
	e.tuning.AddFlags(fs)
	if err := envflag.Parse(fs, args); err != nil {
		return program.UsageError{Err: err}
	}
	if *verbose {
		e.logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
		e.progress = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	if err := e.tuning.Check(); err != nil {
		return program.UsageError{Err: err}
	}
	if e.branches < 1 || e.branches > len(branchZones) || e.guests < 1 || *reps < 1 {
		return program.UsageError{Err: fmt.Errorf("--guests and --reps must be positive, --branches 1 to %d", len(branchZones))}
	}
	for _, s := range *settings {
		if s != string(lifted) && s != string(atLimits) {
			return program.UsageError{Err: fmt.Errorf("unknown setting %q", s)}
		}
	}

	ctx, stop := program.SignalContext()
	defer stop()
	var namespaces []string
	for i := range 2 * len(*settings) * *reps {
		namespaces = append(namespaces, "--namespace", fmt.Sprintf("bench-%02d", i+1))
	}
	startCtx, cancel := context.WithTimeout(ctx, 90*time.Second)
	srv, err := devserver.Start(startCtx, devserver.Options{ExtraArgs: namespaces})
	cancel()
	if err != nil {
		return err
	}
	defer func() { _ = srv.Stop() }()
	e.hostPort, e.serverPID = srv.FrontendHostPort(), childPID()

	res := results{Machine: machine(), Guests: e.guests, Branches: e.branches, Reps: *reps,
		Tuning: e.tuning, Started: time.Now().UTC().Format(time.RFC3339)}
	ns := 0
	for rep := 1; rep <= *reps; rep++ {
		for _, s := range *settings {
			// Interleaved, and the order alternates, so a noisy neighbour
			// hits both sides of a ratio alike.
			order := []bool{false, true}
			if rep%2 == 0 {
				order = []bool{true, false}
			}
			for _, ceiling := range order {
				ns++
				r, err := e.play(ctx, fmt.Sprintf("bench-%02d", ns), setting(s), ceiling, rep)
				if err != nil {
					return fmt.Errorf("%s run %d (ceiling %v): %w", s, rep, ceiling, err)
				}
				fmt.Fprintf(os.Stderr, "bench: %s rep %d ceiling=%v: %d of %d guests in %.1f s (%.1f/s) %v\n",
					s, rep, ceiling, r.Finished, r.Guests, r.Seconds, r.GuestsPS, r.Unfinished)
				res.Runs = append(res.Runs, r)
			}
		}
	}
	res.summarise(*settings)
	res.table(stdout)
	if *out != "" {
		b, _ := json.MarshalIndent(res, "", "  ")
		if err := os.WriteFile(*out, append(b, '\n'), 0o644); err != nil {
			return err
		}
	}
	if *baseline != "" {
		return res.compare(*baseline, *margin, *slack, stdout)
	}
	return nil
}

// machine names the CPU the figures were measured on.
func machine() string {
	cpu := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if name, ok := strings.CutPrefix(line, "model name"); ok {
				cpu = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(name), ":"))
				break
			}
		}
	}
	return fmt.Sprintf("%s, %d CPUs", cpu, numCPU())
}
