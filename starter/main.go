// Command starter is how staff and deploy scripts drive guestflow:
//
//	starter setup                          schedules, search attributes, Passcreator configuration
//	starter poll-now [--branch rome]       run the arrivals polls and scan syncs now
//	starter backfill --branch rome --from 2026-11-01 --to 2026-11-07
//	starter guests --stage NeedsAttention --branch rome
//	starter status <workflow-id>
//	starter approve|retry|skip-wallet|issue-wallet <workflow-id> --by NAME --reason TEXT
//	starter replay --history FILE
//	starter report [--branch rome] [--date 2026-11-23] [--output json]
//	starter forget <stay-id | phone> [--force] [--country IT]
//
// Every subcommand takes --help and the shared flags (--config, --log-*,
// --temporal-*). Exit status: 0 done, 1 failed, 2 bad usage or configuration.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/program"
)

// command is one subcommand: its flags and what it does once started.
type command struct {
	summary string
	flags   func(fs *pflag.FlagSet) // extra flags beyond the shared ones
	args    string                  // positional arguments, for --help
	run     func(ctx context.Context, p *program.Program, args []string) error
}

var commands = map[string]*command{
	"setup":       setupCommand,
	"poll-now":    pollNowCommand,
	"backfill":    backfillCommand,
	"guests":      guestsCommand,
	"status":      statusCommand,
	"approve":     staffCommand(lifecycle.UpdateApproveDocument, "approve a guest's document by hand"),
	"retry":       staffCommand(lifecycle.UpdateRetry, "retry a guest's stuck stage now"),
	"skip-wallet": staffCommand(lifecycle.UpdateSkipWallet, "let a guest's stay go on without a wallet card"),
	"issue-wallet": staffCommand(lifecycle.UpdateIssueWallet,
		"issue the wallet card to a fixed-line or other non-mobile number all the same"),
	"replay": replayCommand,
	"report": reportCommand,
	"forget": forgetCommand,
}

func main() { program.Exit("starter", run(os.Args[1:])) }

func run(args []string) error {
	if len(args) == 0 || args[0] == "--help" || args[0] == "-h" || args[0] == "help" {
		usage()
		if len(args) == 0 {
			return program.UsageError{Err: errors.New("a subcommand is required")}
		}
		return nil
	}
	cmd, ok := commands[args[0]]
	if !ok {
		usage()
		return program.UsageError{Err: fmt.Errorf("unknown subcommand %q", args[0])}
	}
	var f program.Flags
	fs := program.NewFlagSet("starter "+args[0], &f)
	if cmd.flags != nil {
		cmd.flags(fs)
	}
	fs.Usage = func() {
		fmt.Fprintf(os.Stderr, "starter %s %s\n  %s\n\n%s", args[0], cmd.args, cmd.summary, fs.FlagUsages())
	}
	p, err := program.Start(fs, &f, args[1:], os.Stderr)
	if err != nil {
		return err
	}
	defer p.Close()
	ctx, stop := program.SignalContext()
	defer stop()
	return cmd.run(ctx, p, fs.Args())
}

func usage() {
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	slices.Sort(names)
	var b strings.Builder
	b.WriteString("usage: starter <subcommand> [flags]\n\n")
	for _, name := range names {
		fmt.Fprintf(&b, "  %-12s %s\n", name, commands[name].summary)
	}
	b.WriteString("\nstarter <subcommand> --help shows its flags.\n")
	fmt.Fprint(os.Stderr, b.String())
}

// oneArg checks that exactly one positional argument, what, was given.
func oneArg(args []string, what string) (string, error) {
	if len(args) != 1 || args[0] == "" {
		return "", program.UsageError{Err: fmt.Errorf("expected one argument: %s", what)}
	}
	return args[0], nil
}
