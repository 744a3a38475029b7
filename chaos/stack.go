package main

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"text/template"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/testsuite"

	"github.com/guestflow/guestflow/childproc"
	"github.com/guestflow/guestflow/config"
	"github.com/guestflow/guestflow/devserver"
	"github.com/guestflow/guestflow/scenario"
	"github.com/guestflow/guestflow/telemetry"
	"github.com/guestflow/guestflow/temporalclient"
	"github.com/guestflow/guestflow/vendors/sandboxkit"

	mewssandbox "github.com/guestflow/guestflow/vendors/mews/sandbox"
	pcsandbox "github.com/guestflow/guestflow/vendors/passcreator/sandbox"
	pssandbox "github.com/guestflow/guestflow/vendors/passportscan/sandbox"
	pqsandbox "github.com/guestflow/guestflow/vendors/passquare/sandbox"
)

//go:embed guestflow.toml.tmpl
var configTemplate string

// Schedules of the run: the day is compressed, so the feeders run every few
// seconds instead of every few minutes.
var setupArgs = []string{"setup", "--poll-interval", "5s", "--full-sync-interval", "30s",
	"--scan-interval", "5s", "--scan-lookback", "10m"}

// stack is one scenario's guestflow: the four sandboxes in this process
// (so the run reads what they hold and every call they served), a dev
// server on a database file, the worker(s) and the webhook as programs.
type stack struct {
	dir, bin   string
	log        io.Writer
	configFile string
	cfg        *config.Group
	env        []string

	day       *scenario.Day
	sandboxes scenario.Sandboxes
	// lost is the answer-losing wrapper per vendor, in the lost-responses
	// scenario only.
	lost         map[string]*sandboxkit.LoseAnswers
	listeners    []net.Listener // closed by close when never served
	stopSandbox  context.CancelFunc
	sandboxesRun chan struct{}

	hostPort, db string
	srv          *testsuite.DevServer
	client       client.Client

	webhookURL string
	webhookOps string
	workerOps  []string
	workers    []*childproc.Child
	webhook    *childproc.Child
}

// faults say what trouble the stack's sandboxes carry from the start.
type faults struct {
	vendors     sandboxkit.Faults
	loseAnswers bool
}

// newStack starts the sandboxes holding day's start, the dev server, the
// workers and the webhook, and runs starter setup. On error it stops what
// it started.
func newStack(ctx context.Context, dir, bin string, log io.Writer, branches, workers int, seed int64, arrivals int, f faults) (st *stack, err error) {
	started := &stack{dir: dir, bin: bin, log: log, lost: map[string]*sandboxkit.LoseAnswers{}}
	defer func() {
		if err != nil {
			started.close()
		}
	}()
	st = started
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	lns := map[string]net.Listener{}
	for _, vendor := range []string{"PassportScan", "Mews", "Passquare", "Passcreator"} {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		lns[vendor] = ln
		started.listeners = append(started.listeners, ln)
	}
	ports, err := freePorts(3 + workers)
	if err != nil {
		return nil, err
	}
	st.hostPort = "127.0.0.1:" + ports[0]
	st.webhookURL = "http://127.0.0.1:" + ports[1]
	st.webhookOps = "127.0.0.1:" + ports[2]
	for _, p := range ports[3:] {
		st.workerOps = append(st.workerOps, "127.0.0.1:"+p)
	}
	if err := st.writeConfig(lns, branches); err != nil {
		return nil, err
	}
	if st.day, err = generateDay(st.cfg, seed, arrivals, time.Now()); err != nil {
		return nil, err
	}
	st.startSandboxes(lns, f)
	if err := st.day.Seed(st.sandboxes); err != nil {
		return nil, err
	}
	st.db = filepath.Join(dir, "temporal.db")
	if err := st.startTemporal(ctx); err != nil {
		return nil, err
	}
	codec, err := st.cfg.Encryption.Codec()
	if err != nil {
		return nil, err
	}
	st.client, err = temporalclient.Dial(client.Options{HostPort: st.hostPort, Namespace: "default", DataConverter: codec.DataConverter()})
	if err != nil {
		return nil, err
	}
	st.env = []string{"TEMPORAL_ADDRESS=" + st.hostPort, "TEMPORAL_NAMESPACE=default",
		"GUESTFLOW_CONFIG=" + st.configFile, "GUESTFLOW_LOG_FORMAT=text", "GIN_MODE=release"}
	for i := range workers {
		if err := st.startWorker(ctx, i); err != nil {
			return nil, err
		}
	}
	if st.webhook, err = childproc.Start("webhook", log, st.env, filepath.Join(bin, "webhook"),
		"--listen", st.webhookURL[len("http://"):], "--ops-addr", st.webhookOps); err != nil {
		return nil, err
	}
	if err := childproc.WaitReady(ctx, "http://"+st.webhookOps+"/readyz", time.Minute); err != nil {
		return nil, fmt.Errorf("webhook: %w", err)
	}
	for _, args := range [][]string{setupArgs, {"poll-now"}} {
		if err := st.starter(ctx, args...); err != nil {
			return nil, err
		}
	}
	return st, nil
}

// freePorts picks n loopback ports nobody listens on now. The dev server's
// must be known before it starts: it comes back on the same one.
func freePorts(n int) ([]string, error) {
	var out []string
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		out = append(out, strconv.Itoa(ln.Addr().(*net.TCPAddr).Port))
		defer ln.Close()
	}
	return out, nil
}

func (st *stack) writeConfig(lns map[string]net.Listener, branches int) error {
	var buf bytes.Buffer
	t := template.Must(template.New("guestflow.toml").Parse(configTemplate))
	if err := t.Execute(&buf, map[string]any{
		"PassportScan": lns["PassportScan"].Addr().String(), "Mews": lns["Mews"].Addr().String(),
		"Passquare": lns["Passquare"].Addr().String(), "Passcreator": lns["Passcreator"].Addr().String(),
		"Branches": branches,
	}); err != nil {
		return err
	}
	st.configFile = filepath.Join(st.dir, "guestflow.toml")
	if err := os.WriteFile(st.configFile, buf.Bytes(), 0o600); err != nil {
		return err
	}
	cfg, err := config.Load(st.configFile)
	st.cfg = cfg
	return err
}

// startSandboxes serves the four sandboxes, accepting exactly the
// configuration's credentials; Seed registers the branches.
func (st *stack) startSandboxes(lns map[string]net.Listener, f faults) {
	g := st.cfg
	withSeed := func(vendor int) sandboxkit.Faults {
		v := f.vendors
		v.Seed += uint64(vendor) // each vendor its own sequence
		return v
	}
	st.sandboxes = scenario.Sandboxes{
		PassportScan: pssandbox.New(pssandbox.Options{Faults: withSeed(1)}),
		Mews:         mewssandbox.New(mewssandbox.Options{ClientToken: g.Mews.ClientToken.Value(), Faults: withSeed(2)}),
		Passquare: pqsandbox.New(pqsandbox.Options{
			HookURL: st.webhookURL + "/passquare/hooks", HookCRMKey: g.Webhook.CRMKey.Value(),
			// Longer than the webhook's own 10 s bound on Temporal, so
			// its 503 arrives rather than a timeout of ours.
			HookClient: &http.Client{Timeout: 30 * time.Second},
			Faults:     withSeed(3),
		}),
		Passcreator: pcsandbox.New(pcsandbox.Options{APIKey: g.Passcreator.APIKey.Value(), TimeZone: g.Passcreator.TimeZone,
			Seed: uint64(f.vendors.Seed) + 4, Faults: withSeed(4)}),
	}
	handlers := map[string]http.Handler{
		"PassportScan": st.sandboxes.PassportScan, "Mews": st.sandboxes.Mews,
		"Passquare": st.sandboxes.Passquare, "Passcreator": st.sandboxes.Passcreator,
	}
	ctx, cancel := context.WithCancel(context.Background())
	st.stopSandbox, st.sandboxesRun = cancel, make(chan struct{})
	done := make(chan struct{}, len(lns))
	for vendor, ln := range lns {
		h := handlers[vendor]
		if f.loseAnswers {
			l := &sandboxkit.LoseAnswers{IsWrite: vendorWrites[vendor]}
			st.lost[vendor] = l
			h = l.Wrap(h)
		}
		go func() {
			_ = telemetry.Serve(ctx, ln, h)
			done <- struct{}{}
		}()
	}
	go func() {
		for range lns {
			<-done
		}
		close(st.sandboxesRun)
	}()
}

// vendorWrites tell each vendor's writes from its reads: the calls whose
// lost answer leaves the caller not knowing whether the vendor acted.
var vendorWrites = map[string]func(r *http.Request) bool{
	"PassportScan": func(*http.Request) bool { return false }, // guestflow only reads
	"Mews": func(r *http.Request) bool {
		p := r.URL.Path
		return hasSuffix(p, "/customers/add", "/customers/update", "/identityDocuments/add", "/identityDocuments/update")
	},
	"Passquare": func(r *http.Request) bool {
		return hasSuffix(r.URL.Path, "/crm/user_create_or_update", "/crm/push/create", "/crm/push/send")
	},
	"Passcreator": func(r *http.Request) bool { return r.Method == http.MethodPost },
}

func hasSuffix(p string, suffixes ...string) bool {
	for _, s := range suffixes {
		if len(p) >= len(s) && p[len(p)-len(s):] == s {
			return true
		}
	}
	return false
}

// startTemporal starts the dev server on the stack's port and database
// file: a new one, or the same one again after stopTemporal.
func (st *stack) startTemporal(ctx context.Context) error {
	srv, err := devserver.Start(ctx, devserver.Options{HostPort: st.hostPort, DBFile: st.db, Stdout: st.log})
	if err != nil {
		return err
	}
	st.srv = srv
	return nil
}

// stopTemporal stops the dev server as an operator would (SIGINT).
func (st *stack) stopTemporal() error {
	if st.srv == nil {
		return nil
	}
	srv := st.srv
	st.srv = nil
	return srv.Stop()
}

// startWorker starts (or starts again) worker slot i and waits until it is
// ready.
func (st *stack) startWorker(ctx context.Context, i int) error {
	w, err := childproc.Start(fmt.Sprintf("worker-%d", i+1), st.log, st.env, filepath.Join(st.bin, "worker"),
		"--ops-addr", st.workerOps[i])
	if err != nil {
		return err
	}
	if i < len(st.workers) {
		st.workers[i] = w
	} else {
		st.workers = append(st.workers, w)
	}
	return childproc.WaitReady(ctx, "http://"+st.workerOps[i]+"/readyz", time.Minute)
}

// starter runs one starter command to its end.
func (st *stack) starter(ctx context.Context, args ...string) error {
	c, err := childproc.Start("starter", st.log, st.env, filepath.Join(st.bin, "starter"), args...)
	if err != nil {
		return err
	}
	stop := context.AfterFunc(ctx, func() { c.Stop(5 * time.Second) })
	defer stop()
	if err := c.Wait(); err != nil {
		return fmt.Errorf("starter %s: %w", args[0], err)
	}
	return nil
}

// close stops everything the stack started, the programs first.
func (st *stack) close() {
	for _, w := range st.workers {
		if w != nil && !w.Exited() {
			w.Stop(10 * time.Second)
		}
	}
	if st.webhook != nil {
		st.webhook.Stop(10 * time.Second)
	}
	if st.client != nil {
		st.client.Close()
	}
	if err := st.stopTemporal(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		fmt.Fprintf(st.log, "chaos    | stopping Temporal: %v\n", err)
	}
	if st.stopSandbox != nil {
		st.stopSandbox()
		<-st.sandboxesRun
	} else {
		for _, ln := range st.listeners {
			_ = ln.Close()
		}
	}
}
