// Command productionshape runs guestflow as production does, on one machine
// without Docker: PostgreSQL from Debian's package, the schema migrated with
// temporal-sql-tool, the real Temporal server with deploy/temporal (the
// configuration docker-compose.yml mounts), the namespace and search
// attributes registered as on a real cluster, two workers and two webhook
// replicas behind a round-robin, and the vendor sandboxes playing a seeded
// day. Mid-day one webhook replica is stopped and one worker is killed with
// SIGKILL for good; the day must still settle with nothing lost or
// duplicated. ./scripts/production-shape builds the Temporal tools and runs
// it; everything it starts listens on loopback and is stopped at the end,
// also on failure.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/spf13/pflag"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"

	"github.com/guestflow/guestflow/childproc"
	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/program"
	"github.com/guestflow/guestflow/scenario"
	"github.com/guestflow/guestflow/scenario/verify"
)

// devstackConfig is the group the sandboxes play: the dev stack's three
// branches, with the vendors' URLs moved to this run's ports.
const devstackConfig = "devstack/guestflow.toml"

type settings struct {
	dir           string
	tools         tools
	seed          int64
	arrivals      int
	speed         float64
	killWorker    bool
	stopWebhook   bool
	settleTimeout time.Duration
}

func main() {
	var s settings
	fs := pflag.NewFlagSet("productionshape", pflag.ContinueOnError)
	fs.SortFlags = false
	fs.StringVar(&s.dir, "dir", "", "where the run keeps its binaries, database, logs and results (default a new temporary directory)")
	fs.StringVar(&s.tools.server, "temporal-server", "", "the Temporal server binary (go install go.temporal.io/server/cmd/server@v1.29.1)")
	fs.StringVar(&s.tools.sqlTool, "sql-tool", "", "temporal-sql-tool (go install go.temporal.io/server/cmd/tools/sql@v1.29.1)")
	fs.StringVar(&s.tools.cli, "temporal-cli", "", "the temporal CLI")
	fs.StringVar(&s.tools.schemaDir, "schema-dir", "", "the server module's schema/postgresql/v12 directory")
	fs.Int64Var(&s.seed, "seed", 1, "seed of the generated day")
	fs.IntVar(&s.arrivals, "arrivals-per-branch", 20, "reservations arriving at each branch (1 to 4 guests each)")
	fs.Float64Var(&s.speed, "speed", 720, "simulated time per real time: 720 plays an hour in 5 seconds")
	fs.BoolVar(&s.killWorker, "kill-worker", true, "SIGKILL the first worker for good when half the day's events have happened")
	fs.BoolVar(&s.stopWebhook, "stop-webhook", true, "stop the second webhook replica when a third of the day's events have happened")
	fs.DurationVar(&s.settleTimeout, "settle-timeout", 10*time.Minute, "how long the day may take to settle once it has played")
	if err := fs.Parse(os.Args[1:]); err != nil {
		program.Exit("productionshape", program.UsageError{Err: err})
	}
	for name, v := range map[string]string{"temporal-server": s.tools.server, "sql-tool": s.tools.sqlTool, "temporal-cli": s.tools.cli, "schema-dir": s.tools.schemaDir} {
		if v == "" {
			program.Exit("productionshape", program.UsageError{Err: fmt.Errorf("--%s is required (./scripts/production-shape sets it)", name)})
		}
	}
	ctx, stop := program.SignalContext()
	defer stop()
	program.Exit("productionshape", run(ctx, s))
}

func say(format string, args ...any) {
	childproc.Say(os.Stdout, "production-shape", format, args...)
}

// timings are the run's phases, in order, for the README's figures.
type timings struct {
	names []string
	took  map[string]time.Duration
	last  time.Time
}

func (t *timings) lap(name string) {
	now := time.Now()
	t.names = append(t.names, name)
	t.took[name] = now.Sub(t.last)
	t.last = now
	say("%-34s %6.1f s", name, t.took[name].Seconds())
}

func run(ctx context.Context, s settings) (err error) {
	if s.dir == "" {
		if s.dir, err = os.MkdirTemp("", "guestflow-production-shape-"); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(filepath.Join(s.dir, "bin"), 0o755); err != nil {
		return err
	}
	say("run directory %s (logs: setup.log, temporal.log, guestflow.log)", s.dir)
	logs := map[string]io.Writer{}
	for _, name := range []string{"setup.log", "temporal.log", "guestflow.log"} {
		f, err := os.Create(filepath.Join(s.dir, name))
		if err != nil {
			return err
		}
		defer f.Close()
		logs[name] = &syncWriter{w: f}
	}
	t := &timings{took: map[string]time.Duration{}, last: time.Now()}
	begin := t.last

	// Everything started is stopped in reverse order on the way out.
	var teardown []func()
	defer func() {
		say("stopping everything this run started")
		for i := len(teardown) - 1; i >= 0; i-- {
			teardown[i]()
		}
	}()
	pids := &pidFile{path: filepath.Join(s.dir, "pids")}

	build := exec.CommandContext(ctx, "go", "build", "-o", filepath.Join(s.dir, "bin")+"/", "./worker", "./webhook", "./starter")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("go build: %w", err)
	}
	t.lap("build guestflow")

	// The sandboxes, in this process so the checks read their state.
	sb, err := startSandboxes(s, logs["guestflow.log"])
	if err != nil {
		return err
	}
	teardown = append(teardown, sb.stop)
	t.lap("seed the sandboxes")

	pgPort, err := freePort()
	if err != nil {
		return err
	}
	pg, err := startPostgres(ctx, filepath.Join(s.dir, "postgresql"), pgPort)
	if err != nil {
		return err
	}
	teardown = append(teardown, pg.stop)
	t.lap("start PostgreSQL")

	setupEnv := append(pg.env(), "TEMPORAL_SQL_TOOL="+s.tools.sqlTool, "SCHEMA_DIR="+s.tools.schemaDir, "TEMPORAL_CLI="+s.tools.cli)
	if err := setup(ctx, logs["setup.log"], "schema", setupEnv); err != nil {
		return err
	}
	t.lap("create and migrate the schemas")

	srv, err := startServer(ctx, s.tools, pg.env(), logs["temporal.log"])
	if err != nil {
		return err
	}
	pids.add(srv.child.Pid())
	teardown = append(teardown, srv.stop)
	t.lap("start the Temporal server")

	if err := setup(ctx, logs["setup.log"], "namespace", append(setupEnv, "TEMPORAL_ADDRESS="+srv.frontend, "TEMPORAL_NAMESPACE=default")); err != nil {
		return err
	}
	t.lap("register the namespace")

	tc, err := client.Dial(client.Options{
		HostPort: srv.frontend, Namespace: "default", DataConverter: sb.dataConverter,
		Logger: sdklog.NewStructuredLogger(slog.New(slog.DiscardHandler)),
	})
	if err != nil {
		return err
	}
	defer tc.Close()

	env := []string{
		"TEMPORAL_ADDRESS=" + srv.frontend, "TEMPORAL_NAMESPACE=default",
		"GUESTFLOW_CONFIG=" + sb.configFile, "GUESTFLOW_LOG_FORMAT=text",
	}
	bin := func(name string) string { return filepath.Join(s.dir, "bin", name) }
	startProgram := func(name, program string, extra ...string) (*childproc.Child, error) {
		c, err := childproc.Start(name, logs["guestflow.log"], append(slices.Clone(env), extra...), bin(program))
		if err != nil {
			return nil, err
		}
		pids.add(c.Pid())
		teardown = append(teardown, func() { c.Stop(15 * time.Second) })
		return c, nil
	}
	starter := func(args ...string) error {
		c, err := childproc.Start("starter", logs["guestflow.log"], env, bin("starter"), args...)
		if err != nil {
			return err
		}
		if err := c.Wait(); err != nil {
			return fmt.Errorf("starter %s: %w (see guestflow.log)", args[0], err)
		}
		return nil
	}
	// As compose orders it: setup (search attributes, Passcreator app
	// configurations, Schedules) before the workers, whose start-up checks
	// want those configurations. Short intervals, so a day played in
	// minutes is polled often enough.
	if err := starter("setup", "--poll-interval", "10s", "--full-sync-interval", "1m", "--scan-interval", "10s"); err != nil {
		return err
	}
	if err := checkSearchAttributes(ctx, tc); err != nil {
		return err
	}
	t.lap("starter setup")

	// One worker after the other, as a rolling start does: each checks
	// Passquare's credentials once at start, outside the task queue's rate
	// limit, and Passquare allows one request a second.
	var workers, webhooks []*childproc.Child
	for i := range 2 {
		ops, err := freePort()
		if err != nil {
			return err
		}
		w, err := startProgram(fmt.Sprintf("worker-%d", i+1), "worker", "GUESTFLOW_OPS_ADDR=127.0.0.1:"+ops)
		if err != nil {
			return err
		}
		workers = append(workers, w)
		if err := waitReady(ctx, "http://127.0.0.1:"+ops+"/readyz", 2*time.Minute); err != nil {
			return err
		}
		time.Sleep(1100 * time.Millisecond)
	}
	for i, listen := range sb.webhookPorts {
		ops, err := freePort()
		if err != nil {
			return err
		}
		h, err := startProgram(fmt.Sprintf("webhook-%d", i+1), "webhook", "GUESTFLOW_LISTEN=127.0.0.1:"+listen, "GUESTFLOW_OPS_ADDR=127.0.0.1:"+ops)
		if err != nil {
			return err
		}
		webhooks = append(webhooks, h)
		if err := waitReady(ctx, "http://127.0.0.1:"+ops+"/readyz", 2*time.Minute); err != nil {
			return err
		}
	}
	t.lap("start 2 workers and 2 webhooks")

	if err := starter("poll-now"); err != nil {
		return err
	}
	t.lap("the first polls")

	// The day, with a webhook replica stopped at a third of its events and
	// a worker killed at half.
	events := len(sb.day.Timeline())
	var applied, failed atomic.Int64
	webhookDown, workerDown := make(chan struct{}), make(chan struct{})
	var once [2]sync.Once
	report := func(a scenario.Applied) {
		if a.Err != nil {
			failed.Add(1)
			fmt.Fprintf(logs["guestflow.log"], "event %s of reservation %d not applied: %v\n", a.Event.Kind, a.Event.ReservationID, a.Err)
		}
		n := applied.Add(1)
		if n*3 >= int64(events) {
			once[0].Do(func() { close(webhookDown) })
		}
		if n*2 >= int64(events) {
			once[1].Do(func() { close(workerDown) })
		}
	}
	played := make(chan error, 1)
	go func() { played <- sb.day.Play(ctx, sb.sandboxes, sb.clock, report) }()
	expected := sb.day.Expected()
	say("playing the day: %d guests, %d events, %d cards, %d installs, %d outlet scans, at %gx",
		expected.Guests, events, expected.Cards, expected.Installs, expected.OutletScans, s.speed)
	var stoppedWebhook, killedWorker bool
	for webhookDown != nil || workerDown != nil {
		select {
		case <-webhookDown:
			webhookDown = nil
			if s.stopWebhook {
				say("stopping webhook-2; Passquare's hooks go to webhook-1 from now on")
				webhooks[1].Stop(15 * time.Second)
				sb.hooks.replicaStopped()
				stoppedWebhook = true
			}
		case <-workerDown:
			workerDown = nil
			if s.killWorker {
				say("killing worker-1 with SIGKILL, for good")
				workers[0].Kill()
				killedWorker = true
			}
		case err := <-played:
			if err != nil {
				return fmt.Errorf("play: %w", err)
			}
			played <- nil
			webhookDown, workerDown = nil, nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if err := <-played; err != nil {
		return fmt.Errorf("play: %w", err)
	}
	t.lap("play the day")

	settleCtx, cancel := context.WithTimeout(ctx, s.settleTimeout)
	defer cancel()
	row, err := verify.Settle(settleCtx, verify.Inputs{
		Temporal: tc, Day: sb.day, Sandboxes: sb.sandboxes,
		AccountKeySecret: []byte(sb.group.Loyalty.AccountKeySecret.Value()), WelcomeBonus: sb.welcome,
	}, 3*time.Second)
	if err != nil {
		return err
	}
	t.lap("settle")

	// The survivors must still be running: the day settled on them.
	var problems []string
	alive := []*childproc.Child{workers[1], webhooks[0]}
	if !killedWorker {
		alive = append(alive, workers[0])
	}
	if !stoppedWebhook {
		alive = append(alive, webhooks[1])
	}
	exitCtx, exitCancel := context.WithTimeout(ctx, 10*time.Millisecond)
	if name, err := childproc.WaitExit(exitCtx, alive); name != "" {
		problems = append(problems, fmt.Sprintf("%s exited during the day: %v", name, err))
	}
	exitCancel()
	served, after, refused := sb.hooks.tally()
	unanswered := 0
	for _, h := range sb.sandboxes.Passquare.HooksSent() {
		if h.Status != http.StatusOK {
			unanswered++
		}
	}
	second := "127.0.0.1:" + sb.webhookPorts[1]
	if stoppedWebhook && after[second] > 0 {
		problems = append(problems, fmt.Sprintf("webhook-2 answered %d hooks after it stopped", after[second]))
	}
	if unanswered > 0 {
		problems = append(problems, fmt.Sprintf("%d Passquare hooks were not answered 200", unanswered))
	}
	if n := failed.Load(); n > 0 {
		problems = append(problems, fmt.Sprintf("%d of the day's events could not be applied (see guestflow.log)", n))
	}
	if !row.Clean() {
		problems = append(problems, "the day did not settle clean: "+strings.Join(row.Problems, "; "))
	}

	fmt.Printf("\n%s\n%s\n\n", verify.Header, row)
	fmt.Printf("hooks answered by replica: %v; after webhook-2 stopped: %v; refused and sent on: %d\n", served, after, refused)
	fmt.Printf("phases:")
	for _, name := range t.names {
		fmt.Printf(" %s %.1fs;", name, t.took[name].Seconds())
	}
	fmt.Printf(" total %.1fs\n", time.Since(begin).Seconds())
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "\n"))
	}
	say("the day settled clean across 2 workers and 2 webhooks (worker killed: %v, webhook stopped: %v)", killedWorker, stoppedWebhook)
	return nil
}

// checkSearchAttributes confirms starter setup registered guestflow's
// search attributes through the operator API, as on any cluster.
func checkSearchAttributes(ctx context.Context, c client.Client) error {
	resp, err := c.OperatorService().ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: "default"})
	if err != nil {
		return err
	}
	for _, name := range slices.Sorted(maps.Keys(lifecycle.SearchAttributes)) {
		if resp.GetCustomAttributes()[name] != lifecycle.SearchAttributes[name] {
			return fmt.Errorf("search attribute %s is not registered as %s", name, lifecycle.SearchAttributes[name])
		}
	}
	say("search attributes: %d registered on namespace default", len(lifecycle.SearchAttributes))
	return nil
}

// waitReady polls a readiness endpoint until it answers 200.
func waitReady(ctx context.Context, url string, limit time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	for {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s not ready within %s", url, limit)
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// freePort is a loopback port nobody listens on now.
func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	_, p, err := net.SplitHostPort(ln.Addr().String())
	return p, err
}

// pidFile lists the run's processes, for ./scripts/production-shape to end
// should this program itself be killed.
type pidFile struct {
	mu   sync.Mutex
	path string
}

func (p *pidFile) add(pid int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f, err := os.OpenFile(p.path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return
	}
	fmt.Fprintln(f, pid)
	f.Close()
}

// syncWriter lets the children's output goroutines share one log file.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
