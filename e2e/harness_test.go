package e2e

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/history/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/guestflow/guestflow/activities"
	"github.com/guestflow/guestflow/config"
	"github.com/guestflow/guestflow/devserver"
	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/logging"
	"github.com/guestflow/guestflow/payloadcodec"
	"github.com/guestflow/guestflow/temporalclient"
	"github.com/guestflow/guestflow/workflows"

	mewssandbox "github.com/guestflow/guestflow/vendors/mews/sandbox"
	passcreatorsandbox "github.com/guestflow/guestflow/vendors/passcreator/sandbox"
	passportscansandbox "github.com/guestflow/guestflow/vendors/passportscan/sandbox"
	passquaresandbox "github.com/guestflow/guestflow/vendors/passquare/sandbox"
)

// exportDir, when set, receives the histories of the day's workflows as the
// temporal CLI exports them: the replay tests' fixtures are made this way.
// freeNamespaces are created with the dev server, one for each stack: a
// test's stays, which stay open until departure, are never picked up by a
// later test's worker talking to other sandboxes.
var freeNamespaces = make(chan string, 16)

var exportDir = flag.String("export-histories", "", "directory to write replay fixtures into with `temporal workflow show --output json`")

// One dev server for the whole package: starting one takes seconds.
var server *testsuite.DevServer

func TestMain(m *testing.M) {
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	var namespaces []string
	for i := range cap(freeNamespaces) {
		name := fmt.Sprintf("e2e-%02d", i+1)
		namespaces = append(namespaces, "--namespace", name)
		freeNamespaces <- name
	}
	opts, stopCodec, err := webUIArgs()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	opts.ExtraArgs = append(opts.ExtraArgs, namespaces...)
	srv, err := devserver.Start(ctx, opts)
	cancel()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	server = srv
	code := m.Run()
	_ = srv.Stop()
	stopCodec()
	os.Exit(code)
}

const (
	payloadKey    = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="
	accountSecret = "e2e-account-key-secret-0001"
	romeConfigID  = "0b7e2a6c-1f00-4d1e-9b55-000000000101"
	romeMews      = "e2e-rome-mews-token"
	passquareKey  = "e2e-passquare-app-key"
)

// stack is guestflow's worker on a namespace of its own, wired to sandboxes.
type stack struct {
	t           testing.TB
	cfg         *config.Group
	client      client.Client
	passport    *passportscansandbox.Server
	mews        *mewssandbox.Server
	passquare   *passquaresandbox.Server
	passcreator *passcreatorsandbox.Server
	namespace   string
	// loseReservations drops the next answers of GET /v1/reservations
	// after PassportScan served them: a poll that fetched and then failed.
	loseReservations atomic.Int32
	// loseScanAnswers drops the next answers of POST /api/appscan after
	// Passcreator recorded the scan.
	loseScanAnswers atomic.Int32
	configFile      string
	activities      *activities.Set
}

// registryWithStay registers stay in place of the Stay workflow.
type registryWithStay struct {
	workflows.Registry
	stay func(workflow.Context, lifecycle.StayInput) (lifecycle.StaySummary, error)
}

func (r registryWithStay) RegisterWorkflowWithOptions(w any, o workflow.RegisterOptions) {
	if o.Name == lifecycle.StayWorkflowName {
		w = r.stay
	}
	r.Registry.RegisterWorkflowWithOptions(w, o)
}

// newStack wires guestflow to sandboxes holding the Rome branch's accounts.
func newStack(t testing.TB) *stack {
	return startStack(t, true)
}

// stackOption changes how a stack is wired, for a test that needs a fault
// inside guestflow itself.
type stackOption func(*stackWiring)

type stackWiring struct {
	// stay replaces the Stay workflow the worker runs.
	stay func(workflow.Context, lifecycle.StayInput) (lifecycle.StaySummary, error)
	// deliveryTimeout bounds one snapshot delivery; 0 keeps the default.
	deliveryTimeout time.Duration
}

// startStack wires guestflow to fresh sandboxes; with accounts false they
// hold no branch, enterprise, app configuration or Passquare account yet,
// for a scenario to seed.
func startStack(t testing.TB, accounts bool, options ...stackOption) *stack {
	t.Helper()
	s := &stack{t: t}
	select {
	case s.namespace = <-freeNamespaces:
	default:
		t.Fatalf("all %d e2e namespaces are used: run fewer tests or a smaller -count", cap(freeNamespaces))
	}
	s.passport = passportscansandbox.New(passportscansandbox.Options{})
	s.mews = mewssandbox.New(mewssandbox.Options{ClientToken: "e2e-mews-client"})
	s.passquare = passquaresandbox.New(passquaresandbox.Options{})
	s.passcreator = passcreatorsandbox.New(passcreatorsandbox.Options{APIKey: "e2e-passcreator-key", TimeZone: "Europe/Rome"})
	if accounts {
		s.passport.AddBranch("e2e-rome-key", "101")
		s.mews.AddEnterprise(romeMews)
		s.passquare.AddAccount(passquareKey, "expert")
		s.passcreator.AddAppConfiguration(passcreatorsandbox.AppConfiguration{
			Name: "Rome outlets", ConfigurationID: romeConfigID, ScanMode: 1,
			AdditionalProperties: []passcreatorsandbox.AdditionalProperty{{Type: "double", Name: "Transaction value", ID: 2}},
		})
	}
	urls := map[string]string{}
	for name, srv := range map[string]*httptest.Server{
		"passportscan": httptest.NewServer(losingAnswers(s.passport, "/v1/reservations", &s.loseReservations)),
		"mews":         httptest.NewServer(s.mews),
		"passquare":    httptest.NewServer(s.passquare),
		"passcreator":  httptest.NewServer(losingAnswers(s.passcreator, "/api/appscan", &s.loseScanAnswers)),
	} {
		t.Cleanup(srv.Close)
		urls[name] = srv.URL
	}

	text := fmt.Sprintf(`
[passportscan]
base_url = %q
[mews]
base_url = %q
client_token = "e2e-mews-client"
[passquare]
base_url = "%s/api/v2"
app_key = %q
plan = "expert"
template_uuid = "7c6b9f0e-3d1a-4b8e-9f2c-5a4d3e2b1c00"
form_link = "https://form.example/7c6b9f0e"
[passcreator]
base_url = %q
api_key = "e2e-passcreator-key"
time_zone = "Europe/Rome"
[loyalty]
account_key_secret = %q
[encryption]
payload_key = %q
[branches.rome]
name = "Rome Centro"
time_zone = "Europe/Rome"
country = "IT"
passportscan_api_key = "e2e-rome-key"
passportscan_account_id = "101"
mews_access_token = %q
passcreator_app_configuration_id = %q
[branches.rome.rules]
bonus_percent = "5"
`, urls["passportscan"], urls["mews"], urls["passquare"], passquareKey, urls["passcreator"], accountSecret, payloadKey, romeMews, romeConfigID)
	cfg, err := config.Parse("e2e.toml", text, func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	s.cfg = cfg
	s.configFile = filepath.Join(t.TempDir(), "guestflow.toml")
	if err := os.WriteFile(s.configFile, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}

	logger := slog.New(slog.DiscardHandler)
	if testing.Verbose() {
		logger, _ = logging.New(os.Stderr, logging.Options{Level: "info", Format: "text"})
	}
	codec, err := payloadcodec.New(payloadKey)
	if err != nil {
		t.Fatal(err)
	}
	opts := client.Options{HostPort: server.FrontendHostPort(), Namespace: s.namespace,
		DataConverter: codec.DataConverter(), Logger: logging.ForTemporal(logger)}
	c, err := client.Dial(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	s.client = c
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := temporalclient.EnsureSearchAttributes(ctx, c, s.namespace, lifecycle.SearchAttributes); err != nil {
		t.Fatal(err)
	}

	wiring := stackWiring{stay: workflows.Stay}
	for _, o := range options {
		o(&wiring)
	}
	acts := activities.FromConfig(cfg, c, prometheus.NewRegistry(), logger)
	s.activities = acts
	acts.PassportScan.DeliveryTimeout = wiring.deliveryTimeout
	main := worker.New(c, lifecycle.TaskQueue, worker.Options{})
	workflows.Register(registryWithStay{Registry: main, stay: wiring.stay})
	acts.Register(main)
	pq := worker.New(c, lifecycle.PassquareTaskQueue, activities.PassquareWorkerOptions("expert"))
	acts.RegisterPassquare(pq)
	for _, w := range append([]worker.Worker{main, pq}, acts.MewsWorkers(c, cfg.BranchIDs)...) {
		if err := w.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(w.Stop)
	}
	return s
}

// eventually retries check until it passes or the time is up.
func (s *stack) eventually(what string, timeout time.Duration, check func() error) {
	s.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		err := check()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("%s: %v", what, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// settled waits until each workflow has done all it was asked: no workflow
// task and no activity pending. A stay answers an update in the workflow
// task that runs its handler, and the activities the handler's change leads
// to are scheduled in that same task; so once a caller has its answers and
// the stays are settled, every call to a vendor those answers caused has
// been made, and a count of vendor calls can be compared.
func (s *stack) settled(ids ...string) {
	s.t.Helper()
	s.eventually("the stays settle", 30*time.Second, func() error {
		for _, id := range ids {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			d, err := s.client.DescribeWorkflowExecution(ctx, id, "")
			cancel()
			switch {
			case err != nil:
				return err
			case d.GetPendingWorkflowTask() != nil:
				return fmt.Errorf("%s: a workflow task pending", id)
			case len(d.GetPendingActivities()) > 0:
				return fmt.Errorf("%s: activity %s pending", id, d.GetPendingActivities()[0].GetActivityType().GetName())
			}
		}
		return nil
	})
}

// status asks a stay for its status. A query is answered by a worker, and
// on a loaded CI machine one can fail in transit (the sticky worker busy,
// the frontend's deadline); a few tries keep an assertion about the stay
// from failing for a reason that is not the stay's.
func (s *stack) status(id string) (lifecycle.StayStatus, error) {
	var err error
	for range 5 {
		var st lifecycle.StayStatus
		if st, err = s.queryStatus(id); err == nil {
			return st, nil
		}
		var notFound *serviceerror.NotFound
		if errors.As(err, &notFound) {
			return st, err
		}
		s.t.Logf("query %s: %v (trying again)", id, err)
		time.Sleep(500 * time.Millisecond)
	}
	return lifecycle.StayStatus{}, err
}

// scheduledRuns runs workflow as a paused Schedule's action, triggered runs
// times one after the other, as the Schedules starter setup creates do, so
// each run gets the previous one's result as its last completion result.
func (s *stack) scheduledRuns(id, workflow string, arg any, runs int, result func(i int) any) {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	h, err := s.client.ScheduleClient().Create(ctx, client.ScheduleOptions{
		ID:     id,
		Spec:   client.ScheduleSpec{Intervals: []client.ScheduleIntervalSpec{{Every: 24 * time.Hour}}},
		Paused: true,
		Action: &client.ScheduleWorkflowAction{ID: id, Workflow: workflow, Args: []any{arg}, TaskQueue: lifecycle.TaskQueue},
	})
	if err != nil {
		s.t.Fatal(err)
	}
	defer func() { _ = h.Delete(context.Background()) }()
	for i := range runs {
		if err := h.Trigger(ctx, client.ScheduleTriggerOptions{}); err != nil {
			s.t.Fatal(err)
		}
		var started *client.ScheduleWorkflowExecution
		s.eventually(fmt.Sprintf("run %d of schedule %s starts", i+1, id), 30*time.Second, func() error {
			d, err := h.Describe(ctx)
			if err != nil {
				return err
			}
			if n := len(d.Info.RecentActions); n != i+1 {
				return fmt.Errorf("%d runs started", n)
			}
			started = d.Info.RecentActions[i].StartWorkflowResult
			return nil
		})
		if err := s.client.GetWorkflow(ctx, started.WorkflowID, started.FirstExecutionRunID).Get(ctx, result(i)); err != nil {
			s.t.Fatalf("run %d of schedule %s: %v", i+1, id, err)
		}
	}
}

// signals counts the signals named name in the workflow's history.
func (s *stack) signals(id, name string) int {
	s.t.Helper()
	n := 0
	s.history(id, func(e *history.HistoryEvent) {
		if a := e.GetWorkflowExecutionSignaledEventAttributes(); a != nil && a.GetSignalName() == name {
			n++
		}
	})
	return n
}

// acceptedUpdates counts the updates named name in the workflow's history.
func (s *stack) acceptedUpdates(id, name string) int {
	s.t.Helper()
	n := 0
	s.history(id, func(e *history.HistoryEvent) {
		if a := e.GetWorkflowExecutionUpdateAcceptedEventAttributes(); a != nil && a.GetAcceptedRequest().GetInput().GetName() == name {
			n++
		}
	})
	return n
}

// history calls each with every event of the workflow's latest run.
func (s *stack) history(id string, each func(*history.HistoryEvent)) {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	it := s.client.GetWorkflowHistory(ctx, id, "", false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		e, err := it.Next()
		if err != nil {
			s.t.Fatalf("history of %s: %v", id, err)
		}
		each(e)
	}
}

func (s *stack) queryStatus(id string) (lifecycle.StayStatus, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	v, err := s.client.QueryWorkflow(ctx, id, "", lifecycle.QueryStatus)
	if err != nil {
		return lifecycle.StayStatus{}, err
	}
	var st lifecycle.StayStatus
	return st, v.Get(&st)
}

func (s *stack) run(workflow string, id string, arg any, result any) {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	r, err := s.client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: lifecycle.TaskQueue}, workflow, arg)
	if err != nil {
		s.t.Fatal(err)
	}
	if err := r.Get(ctx, result); err != nil {
		s.t.Fatalf("%s: %v", id, err)
	}
}

// exportHistories writes each workflow's history with the pinned temporal
// CLI, exactly as an operator exports a production history.
func (s *stack) exportHistories(files map[string]string) {
	if *exportDir == "" {
		return
	}
	cli, err := devserver.CLIPath()
	if err != nil {
		s.t.Fatal(err)
	}
	for file, id := range files {
		out, err := exec.Command(cli, "workflow", "show", "--workflow-id", id, "--output", "json",
			"--address", server.FrontendHostPort(), "--namespace", s.namespace).Output()
		if err != nil {
			s.t.Fatalf("export %s: %v", id, err)
		}
		if err := os.WriteFile(filepath.Join(*exportDir, file), out, 0o644); err != nil {
			s.t.Fatal(err)
		}
	}
}

// losingAnswers serves every call, but drops the answers of the next
// *lose calls to path: the vendor did the work, and the caller never hears.
func losingAnswers(h http.Handler, path string, lose *atomic.Int32) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != path || lose.Add(-1) < 0 {
			h.ServeHTTP(w, r)
			return
		}
		h.ServeHTTP(httptest.NewRecorder(), r)
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
			}
		}
	})
}
