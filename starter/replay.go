package main

import (
	"context"
	"fmt"

	"github.com/spf13/pflag"
	"go.temporal.io/sdk/worker"

	"github.com/guestflow/guestflow/logging"
	"github.com/guestflow/guestflow/program"
	"github.com/guestflow/guestflow/workflows"
)

var historyFile string

var replayCommand = &command{
	summary: "replay a history exported with `temporal workflow show --output json` against this code",
	flags: func(fs *pflag.FlagSet) {
		fs.StringVar(&historyFile, "history", "", "the exported history (JSON)")
	},
	run: func(ctx context.Context, p *program.Program, args []string) error {
		if historyFile == "" {
			return program.UsageError{Err: fmt.Errorf("--history is required")}
		}
		if err := Replay(p, historyFile); err != nil {
			return fmt.Errorf("%s is NOT deterministic with this code: %w", historyFile, err)
		}
		fmt.Printf("%s replays deterministically\n", historyFile)
		return nil
	},
}

// Replay replays one exported history with the workers' data converter.
func Replay(p *program.Program, file string) error {
	r, err := worker.NewWorkflowReplayerWithOptions(worker.WorkflowReplayerOptions{DataConverter: p.Codec.DataConverter()})
	if err != nil {
		return err
	}
	workflows.Register(r)
	return r.ReplayWorkflowHistoryFromJSONFile(logging.ForTemporal(p.Logger), file)
}
