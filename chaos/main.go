// Command chaos proves that crashes, outages and vendor faults lose nothing
// and duplicate nothing: each scenario plays a seeded day of arrivals,
// outlet scans, card installs and addBalance hooks through the real worker,
// webhook and starter programs on a Temporal dev server, with one kind of
// trouble, waits until every stay settles and compares the end with the
// same day played without faults. One row per scenario; the exit status
// is non-zero when a row loses or duplicates anything or does not settle.
//
//	go run ./chaos --small
//	go run ./chaos --scenarios worker-sigkill,vendor-faults --seed 7 --json chaos.json
package main

import (
	"os"

	"github.com/gin-gonic/gin"

	"github.com/guestflow/guestflow/program"
)

func main() {
	gin.SetMode(gin.ReleaseMode) // the sandboxes' route tables are no news here
	ctx, stop := program.SignalContext()
	defer stop()
	s, err := parseSettings(os.Args[1:])
	if err != nil {
		program.Exit("chaos", err)
	}
	program.Exit("chaos", run(ctx, s, os.Stdout))
}
