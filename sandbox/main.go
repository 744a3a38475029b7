// Command sandbox runs the four vendor sandboxes (PassportScan, Mews,
// Passquare, Passcreator) on loopback ports, accepting exactly the
// credentials of the dev stack's guestflow configuration, seeds them with a
// generated day of arrivals and plays that day's later events (documents
// scanned late, cards installed, cards scanned at the outlets) as
// simulated time passes.
//
//	go run ./sandbox --seed 7 --arrivals-per-branch 30 --speed 60
package main

import (
	"context"
	"io"
	"os"

	"github.com/guestflow/guestflow/program"
)

func main() {
	ctx, stop := program.SignalContext()
	defer stop()
	program.Exit("sandbox", run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run serves the sandboxes until ctx ends.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	s, err := parseSettings(args)
	if err != nil {
		return err
	}
	st, err := newStack(s, stderr)
	if err != nil {
		return err
	}
	st.printAddresses(stdout)
	return st.run(ctx)
}
