package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/guestflow/guestflow/childproc"
	"github.com/guestflow/guestflow/devserver"
)

// run plays the baseline and each scenario one after the other, each on a
// fresh dev server database, and prints the table.
func run(ctx context.Context, s settings, out io.Writer) error {
	if _, err := devserver.CLIPath(); err != nil {
		return err
	}
	root, err := os.MkdirTemp("", "guestflow-chaos-")
	if err != nil {
		return err
	}
	keep := s.keep
	defer func() {
		if !keep {
			_ = os.RemoveAll(root)
		}
	}()
	logFile, err := os.Create(filepath.Join(root, "chaos.log"))
	if err != nil {
		return err
	}
	defer logFile.Close()
	var log io.Writer = logFile
	if s.verbose {
		log = io.MultiWriter(logFile, os.Stderr)
	}
	say := func(format string, args ...any) { childproc.Say(out, "chaos", format, args...) }
	say("%s day, seed %d; programs and logs in %s", s.size.name, s.seed, root)
	bin := filepath.Join(root, "bin")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin+"/", "./worker", "./webhook", "./starter")
	build.Stdout, build.Stderr = out, out
	if err := build.Run(); err != nil {
		return fmt.Errorf("go build: %w", err)
	}
	var rows []row
	for _, sc := range append([]chaosScenario{baseline}, scenariosOf(s.scenarios)...) {
		if ctx.Err() != nil {
			break
		}
		say("%s: playing the day", sc.name)
		r, err := runScenario(ctx, s, sc, filepath.Join(root, sc.name), bin, log)
		if err != nil {
			r.Problems = append(r.Problems, err.Error())
		}
		rows = append(rows, r)
		say("%s: %s", sc.name, summary(r))
	}
	printTable(out, rows)
	if s.jsonOut != "" {
		if err := writeJSON(s.jsonOut, s, rows); err != nil {
			return err
		}
	}
	if ctx.Err() != nil {
		keep = true
		return fmt.Errorf("interrupted; logs kept in %s", root)
	}
	var failed []string
	for _, r := range rows {
		if r.failed() {
			failed = append(failed, r.Scenario)
		}
	}
	if len(failed) > 0 {
		keep = true
		return fmt.Errorf("%v lost, duplicated or did not settle; logs kept in %s", failed, root)
	}
	return nil
}

func scenariosOf(names []string) []chaosScenario {
	var out []chaosScenario
	for _, n := range names {
		out = append(out, scenarioNamed(n))
	}
	return out
}

// runScenario plays the day with the scenario's trouble, waits for the
// stays to settle and compares. Everything it started is stopped before it
// returns.
func runScenario(ctx context.Context, s settings, sc chaosScenario, dir, bin string, log io.Writer) (row, error) {
	r := row{Scenario: sc.name}
	var f faults
	if sc.faults != nil {
		f = sc.faults(s.seed)
	}
	st, err := newStack(ctx, dir, bin, log, s.size.branches, sc.workers, s.seed, s.size.arrivalsPerBranch, f)
	if err != nil {
		return r, err
	}
	defer st.close()
	day := st.day
	r.Guests = len(day.Guests())
	hctx, stopHooks := context.WithCancel(ctx)
	defer stopHooks()
	h := newHooks(st.sandboxes.Passquare, st.cfg.Passquare.AppKey.Value(), s.seed)
	go h.run(hctx)
	sr := &scenarioRun{st: st, day: day, hooks: h, play: s.size.play, rnd: rand.New(rand.NewPCG(uint64(s.seed), 0xc4a05))}
	clock, speed := clockFor(day, s.size.play)
	fmt.Fprintf(log, "chaos    | %s: %d guests, day compressed %.0f times\n", sc.name, r.Guests, speed)

	// The play waits for the cards guestflow issues, which a killed worker
	// delays by an activity's timeout: it gets the settle bound too.
	pctx, stopPlay := context.WithTimeout(ctx, s.size.play+s.size.settle)
	defer stopPlay()
	start := time.Now()
	played := make(chan error, 1)
	go func() { played <- h.play(pctx, day, st.sandboxes, clock) }()
	if sc.during != nil {
		notes, err := sc.during(pctx, sr)
		r.Notes = append(r.Notes, notes...)
		if err != nil {
			return r, fmt.Errorf("%s: %w", sc.name, err)
		}
	}
	if err := <-played; err != nil {
		r.Problems = append(r.Problems, fmt.Sprintf("the day's events were not all applied: %v", err))
	}
	states, ok := st.waitSettled(ctx, day, h, s.size.settle)
	r.SettleSeconds = time.Since(start).Seconds()
	r.InBound = ok
	if ctx.Err() != nil {
		return r, errors.New("interrupted") // nothing to compare with
	}
	e := day.Expected()
	h.mu.Lock()
	r.Notes = append(r.Notes, fmt.Sprintf("the day: %d cards, %d installs (%d acknowledged), %d outlet scans, %d addBalance granted",
		e.Cards, e.Installs, len(h.installed), e.OutletScans, len(h.granted)))
	h.mu.Unlock()
	if sc.after != nil {
		sc.after(ctx, sr, &r)
	}
	st.compare(ctx, &r, day, h, states)
	for vendor, l := range st.lost {
		if n := l.Lost(); n > 0 {
			r.Notes = append(r.Notes, fmt.Sprintf("%s: %d answers lost after the write", vendor, n))
		}
	}
	return r, nil
}
