package main

import (
	"context"
	"fmt"
	"os"

	"github.com/spf13/pflag"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"
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
		h, err := ReadHistory(ctx, p, historyFile)
		if err != nil {
			return err
		}
		if err := Replay(p, h); err != nil {
			return fmt.Errorf("%s is NOT deterministic with this code: %w", historyFile, err)
		}
		fmt.Printf("%s replays deterministically\n", historyFile)
		return nil
	},
}

// ReadHistory reads an exported history and checks that the configured
// payload keys decrypt every payload in it, so a history written under a key
// missing from [encryption] is reported as that, not as nondeterminism.
func ReadHistory(ctx context.Context, p *program.Program, file string) (*historypb.History, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h, err := client.HistoryFromJSON(f, client.HistoryJSONOptions{})
	if err != nil {
		return nil, fmt.Errorf("%s is not an exported history: %w", file, err)
	}
	if err := p.Codec.CheckDecodes(ctx, h); err != nil {
		return nil, fmt.Errorf("%s does not decrypt with the configured payload keys: %w", file, err)
	}
	return h, nil
}

// Replay replays one history with the workers' data converter.
func Replay(p *program.Program, h *historypb.History) error {
	r, err := worker.NewWorkflowReplayerWithOptions(worker.WorkflowReplayerOptions{DataConverter: p.Codec.DataConverter()})
	if err != nil {
		return err
	}
	workflows.Register(r)
	return r.ReplayWorkflowHistory(logging.ForTemporal(p.Logger), h)
}
