package devserver

import (
	"context"
	"testing"
	"time"
)

// A start that gives up (its context ends before the server answers) must
// not leave the server running: the chaos run and the tests start many.
func TestAFailedStartLeavesNoServerRunning(t *testing.T) {
	cli, err := CLIPath()
	if err != nil {
		t.Skip(err)
	}
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	srv, err := Start(ctx, Options{HostPort: "127.0.0.1:" + port})
	if err == nil {
		_ = srv.Stop()
		t.Skip("the dev server was ready within 200 ms")
	}
	if n := stopLeftover(cli, port); n != 0 {
		t.Fatalf("%d dev server(s) left running after a failed start", n)
	}
}
