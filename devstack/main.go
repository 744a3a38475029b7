// Command devstack brings the whole of guestflow up on one machine with only
// Go installed: a real Temporal dev server with its Web UI (state kept in
// .devstack/temporal.db), the vendor sandboxes, the worker and the webhook.
// Ctrl-C stops everything it started.
//
//	go run ./devstack
package main

import (
	"context"
	_ "embed"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/spf13/pflag"
	"go.temporal.io/sdk/testsuite"

	"github.com/guestflow/guestflow/devserver"
	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/program"
	"github.com/guestflow/guestflow/temporalclient"
)

//go:embed guestflow.toml
var configFile []byte

// programs are built into <dir>/bin and run in this order.
var programs = []string{"worker", "webhook", "starter"}

func main() {
	fs := pflag.NewFlagSet("devstack", pflag.ContinueOnError)
	dir := fs.String("dir", ".devstack", "where the dev stack keeps its binaries, configuration, logs and Temporal state")
	port := fs.Int("port", 7233, "Temporal frontend port")
	uiPort := fs.Int("ui-port", 8233, "Temporal Web UI port")
	fresh := fs.Bool("fresh", false, "start from an empty Temporal database")
	if err := fs.Parse(os.Args[1:]); err != nil {
		program.Exit("devstack", program.UsageError{Err: err})
	}
	ctx, stop := program.SignalContext()
	defer stop()
	program.Exit("devstack", run(ctx, *dir, *port, *uiPort, *fresh))
}

func run(ctx context.Context, dir string, port, uiPort int, fresh bool) error {
	if err := os.MkdirAll(filepath.Join(dir, "bin"), 0o755); err != nil {
		return err
	}
	db := filepath.Join(dir, "temporal.db")
	if fresh {
		_ = os.Remove(db)
	}

	say("temporal CLI %s", devserver.CLIVersion)
	if _, err := withProgress("building the Temporal CLI (first run only, about 5 minutes on 2 cores)", func() (string, error) {
		return devserver.Install(ctx, logFile(dir, "install.log"))
	}); err != nil {
		return err
	}

	say("building guestflow")
	build := exec.CommandContext(ctx, "go", append([]string{"build", "-o", filepath.Join(dir, "bin") + "/"}, packages()...)...)
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("go build: %w", err)
	}

	say("starting the Temporal dev server (state in %s)", db)
	srv, err := withProgress("waiting for Temporal", func() (*testsuite.DevServer, error) {
		return devserver.Start(ctx, devserver.Options{
			HostPort: fmt.Sprintf("127.0.0.1:%d", port), UI: true, UIPort: fmt.Sprint(uiPort),
			DBFile: db, Stdout: logFile(dir, "temporal.log"),
		})
	})
	if err != nil {
		return err
	}
	defer srv.Stop()
	if err := temporalclient.EnsureSearchAttributes(ctx, srv.Client(), "default", lifecycle.SearchAttributes); err != nil {
		return err
	}

	cfg := filepath.Join(dir, "guestflow.toml")
	if err := os.WriteFile(cfg, configFile, 0o600); err != nil {
		return err
	}
	env := []string{
		"TEMPORAL_ADDRESS=" + srv.FrontendHostPort(), "TEMPORAL_NAMESPACE=default",
		"GUESTFLOW_CONFIG=" + cfg, "GUESTFLOW_LOG_FORMAT=text",
	}
	var children []*child
	defer func() {
		for i := len(children) - 1; i >= 0; i-- {
			children[i].stop(10 * time.Second)
		}
	}()
	for _, name := range []string{"worker", "webhook"} {
		c, err := startChild(name, env, filepath.Join(dir, "bin", name))
		if err != nil {
			return err
		}
		children = append(children, c)
	}

	say("guestflow is up:")
	fmt.Printf(`
  Temporal Web UI   http://127.0.0.1:%d
  Temporal frontend %s (namespace default)
  webhook           http://127.0.0.1:8080  (ops: http://127.0.0.1:9091/readyz)
  worker ops        http://127.0.0.1:9090/metrics
  configuration     %s
  Temporal log      %s

Ctrl-C stops everything.
`, uiPort, srv.FrontendHostPort(), cfg, filepath.Join(dir, "temporal.log"))

	name, err := waitExit(ctx, children)
	if name != "" {
		return fmt.Errorf("%s exited: %v", name, err)
	}
	say("stopping")
	return nil
}

func packages() []string {
	var p []string
	for _, name := range programs {
		p = append(p, "./"+name)
	}
	return p
}

func say(format string, args ...any) {
	outputMu.Lock()
	defer outputMu.Unlock()
	fmt.Printf("devstack | "+format+"\n", args...)
}

// withProgress runs f, printing how long it has been waiting every 15 s.
func withProgress[T any](what string, f func() (T, error)) (T, error) {
	done := make(chan struct{})
	start := time.Now()
	go func() {
		t := time.NewTicker(15 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				say("%s... %s", what, time.Since(start).Round(time.Second))
			}
		}
	}()
	defer close(done)
	return f()
}

func logFile(dir, name string) *os.File {
	f, err := os.OpenFile(filepath.Join(dir, name), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return os.Stderr
	}
	return f
}
