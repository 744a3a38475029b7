// Command devstack brings the whole of guestflow up on one machine with only
// Go installed: a real Temporal dev server with its Web UI (state kept in
// .devstack/temporal.db), the vendor sandboxes playing a seeded day of
// arrivals, the worker, the webhook, and the Schedules that feed them.
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

	"github.com/guestflow/guestflow/childproc"
	"github.com/guestflow/guestflow/devserver"
	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/program"
	"github.com/guestflow/guestflow/temporalclient"
)

//go:embed guestflow.toml
var configFile []byte

// programs are built into <dir>/bin.
var programs = []string{"sandbox", "worker", "webhook", "starter"}

// Where the dev stack's programs listen (devstack/guestflow.toml agrees).
const (
	webhookURL   = "http://127.0.0.1:8080"
	webhookOps   = "http://127.0.0.1:9091"
	workerOps    = "http://127.0.0.1:9090"
	passquareCRM = "sandbox-passquare-crm-key"
)

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
			// The Web UI decrypts payloads through the webhook's codec server.
			ExtraArgs: []string{"--ui-codec-endpoint", webhookOps + "/codec"},
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
	var children []*childproc.Child
	defer func() {
		for i := len(children) - 1; i >= 0; i-- {
			children[i].Stop(10 * time.Second)
		}
	}()
	start := func(name string, args ...string) error {
		c, err := childproc.Start(name, os.Stdout, env, filepath.Join(dir, "bin", name), args...)
		if err == nil {
			children = append(children, c)
		}
		return err
	}
	// The day starts at noon, so the morning's guests are there at once.
	if err := start("sandbox", "--start-at", "12h", "--hook-url", webhookURL+"/passquare/hooks", "--hook-crm-key", passquareCRM); err != nil {
		return err
	}
	if err := start("worker"); err != nil {
		return err
	}
	if err := start("webhook"); err != nil {
		return err
	}
	for _, ready := range []string{workerOps + "/readyz", webhookOps + "/readyz"} {
		if err := waitReady(ctx, ready); err != nil {
			return err
		}
	}

	say("creating the schedules (starter setup) and running the first polls")
	for _, args := range [][]string{{"setup", "--poll-interval", "1m"}, {"poll-now"}} {
		c, err := childproc.Start("starter", os.Stdout, env, filepath.Join(dir, "bin", "starter"), args...)
		if err != nil {
			return err
		}
		if err := c.Wait(); err != nil {
			return fmt.Errorf("starter %s: %w", args[0], err)
		}
	}

	say("guestflow is up:")
	fmt.Printf(`
  Temporal Web UI   http://127.0.0.1:%d   (try GuestStage = "NeedsAttention")
  Temporal frontend %s (namespace default)
  webhook           %s/passquare/hooks   (ops: %s/readyz, codec: %s/codec)
  worker ops        %s/metrics
  sandboxes         PassportScan :18101, Mews :18102, Passquare :18103, Passcreator :18104
  configuration     %s
  Temporal log      %s

The sandboxes play a seeded day (an hour a minute); guests appear within a
minute and move through the stages. Ctrl-C stops everything.
`, uiPort, srv.FrontendHostPort(), webhookURL, webhookOps, webhookOps, workerOps, cfg, filepath.Join(dir, "temporal.log"))

	name, err := childproc.WaitExit(ctx, children)
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
	childproc.Say(os.Stdout, "devstack", format, args...)
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

// waitReady polls a readiness endpoint until it answers 200.
func waitReady(ctx context.Context, url string) error {
	_, err := withProgress("waiting for "+url, func() (struct{}, error) {
		return struct{}{}, childproc.WaitReady(ctx, url, 0)
	})
	return err
}

func logFile(dir, name string) *os.File {
	f, err := os.OpenFile(filepath.Join(dir, name), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return os.Stderr
	}
	return f
}
