package main

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/guestflow/guestflow/program"
)

// settings are the run's flags.
type settings struct {
	size      size
	seed      int64
	scenarios []string
	jsonOut   string
	keep      bool
	verbose   bool
}

// size is how big a day each scenario plays and how long it may take.
type size struct {
	name string
	// branches are taken from the configuration in order.
	branches          int
	arrivalsPerBranch int
	// play is how long, in real time, the simulated day takes from its
	// first arrival on.
	play time.Duration
	// settle bounds the wait, after the play, for every stay to settle.
	settle time.Duration
}

var (
	smallDay = size{name: "small", branches: 1, arrivalsPerBranch: 6, play: 20 * time.Second, settle: 2 * time.Minute}
	fullDay  = size{name: "full", branches: 3, arrivalsPerBranch: 10, play: 2 * time.Minute, settle: 8 * time.Minute}
)

func parseSettings(args []string) (settings, error) {
	var s settings
	fs := pflag.NewFlagSet("chaos", pflag.ContinueOnError)
	fs.SortFlags = false
	small := fs.Bool("small", false, "a small day (one branch, 6 reservations): what CI runs")
	fs.Int64Var(&s.seed, "seed", 11, "seeds the day, the kill moments and the injected faults")
	list := fs.String("scenarios", strings.Join(scenarioNames(), ","), "comma-separated scenarios to run after the baseline")
	fs.StringVar(&s.jsonOut, "json", "", "also write the rows as JSON to this file")
	fs.BoolVar(&s.keep, "keep", false, "keep the temporary directory (binaries, configuration, logs, Temporal databases)")
	fs.BoolVar(&s.verbose, "verbose", false, "print what each scenario does as it goes")
	if err := fs.Parse(args); err != nil {
		return s, program.UsageError{Err: err}
	}
	s.size = fullDay
	if *small {
		s.size = smallDay
	}
	for _, name := range strings.Split(*list, ",") {
		name = strings.TrimSpace(name)
		if name == "" || name == baselineName {
			continue
		}
		if !slices.Contains(scenarioNames(), name) {
			return s, program.UsageError{Err: fmt.Errorf("--scenarios: unknown %q (known: %s)", name, strings.Join(scenarioNames(), ", "))}
		}
		s.scenarios = append(s.scenarios, name)
	}
	return s, nil
}
