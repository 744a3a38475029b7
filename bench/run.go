package main

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"net/http/httptest"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/shopspring/decimal"
	workflowpb "go.temporal.io/api/workflow/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/worker"
	"golang.org/x/sync/errgroup"

	"github.com/guestflow/guestflow/activities"
	"github.com/guestflow/guestflow/config"
	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/logging"
	"github.com/guestflow/guestflow/payloadcodec"
	"github.com/guestflow/guestflow/rules"
	"github.com/guestflow/guestflow/scenario"
	"github.com/guestflow/guestflow/temporalclient"
	"github.com/guestflow/guestflow/vendors/passquare"
	"github.com/guestflow/guestflow/vendors/sandboxkit"
	"github.com/guestflow/guestflow/workflows"

	mewssandbox "github.com/guestflow/guestflow/vendors/mews/sandbox"
	pcsandbox "github.com/guestflow/guestflow/vendors/passcreator/sandbox"
	pssandbox "github.com/guestflow/guestflow/vendors/passportscan/sandbox"
	pqsandbox "github.com/guestflow/guestflow/vendors/passquare/sandbox"
)

const (
	payloadKey    = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="
	accountSecret = "bench-account-key-secret-0001"
	passquareKey  = "bench-passquare-app-key"
	passquarePlan = "expert"
	unlimited     = 1 << 30
)

// setting is how the vendors limit guestflow.
type setting string

const (
	lifted   setting = "lifted" // no vendor limit, no pacing of guestflow's own
	atLimits setting = "limits" // every sandbox at its documented limit
)

// finish is the stage set a run waits for: the wallet with limits lifted;
// the Mews write at the vendors' limits, where the wallet is bounded by
// Passquare's 1 request/s and the plan's quota, not by guestflow.
func (s setting) finish() []lifecycle.Stage {
	after := []lifecycle.Stage{lifecycle.StageWalletIssued, lifecycle.StageNoWallet, lifecycle.StageScansRecorded, lifecycle.StageBonusCredited}
	if s == atLimits {
		return append([]lifecycle.Stage{lifecycle.StageMewsUpdated}, after...)
	}
	return after
}

// run is one play of the day through guestflow or through the ceiling.
type run struct {
	Setting  setting `json:"setting"`
	Ceiling  bool    `json:"ceiling"`
	Rep      int     `json:"rep"`
	Guests   int     `json:"guests"`
	Finished int     `json:"finished"`
	Seconds  float64 `json:"seconds"`
	GuestsPS float64 `json:"guestsPerSecond"`
	// Unfinished counts the stays still short of the finish at the
	// timeout, by stage and reason.
	Unfinished map[string]int `json:"unfinished,omitempty"`

	EventsPerStay    float64            `json:"eventsPerStay"`
	EventsPerAccount float64            `json:"eventsPerAccount"`
	CallsPerGuest    map[string]float64 `json:"callsPerGuest"` // vendor endpoint
	Status429        map[string]int     `json:"status429"`     // by vendor
	PassquareRate    float64            `json:"passquareRateOfLimit"`
	WorkerCPUms      float64            `json:"workerCpuMsPerGuest"`
	ServerCPUms      float64            `json:"serverCpuMsPerGuest"`
	HeapPerStayKB    float64            `json:"heapKBPerOpenStay"`
	DocToMewsP50     float64            `json:"docToMewsP50Seconds"`
	DocToMewsP95     float64            `json:"docToMewsP95Seconds"`
}

// env is what every run shares: the dev server and the run's options.
type env struct {
	hostPort  string
	serverPID int
	guests    int
	branches  int
	seed      int64
	tuning    activities.WorkerTuning
	timeout   time.Duration
	pqWindow  time.Duration
	logger    *slog.Logger
	progress  *slog.Logger // the bench's own progress
}

var branchZones = []struct{ id, country, zone string }{
	{"rome", "IT", "Europe/Rome"}, {"lisbon", "PT", "Europe/Lisbon"}, {"vienna", "AT", "Europe/Vienna"},
	{"paris", "FR", "Europe/Paris"}, {"berlin", "DE", "Europe/Berlin"}, {"madrid", "ES", "Europe/Madrid"},
	{"athens", "GR", "Europe/Athens"}, {"dublin", "IE", "Europe/Dublin"}, {"prague", "CZ", "Europe/Prague"},
}

// day generates at least e.guests new guests (no awkward case, so each
// goes the happy path) over e.branches branches, all on PassportScan with
// their documents from the start.
func (e env) day() *scenario.Day {
	var branches []scenario.Branch
	for i := range e.branches {
		b := branchZones[i]
		branches = append(branches, scenario.Branch{
			ID: b.id, PassportScanAccountID: strconv.Itoa(101 + i), PassportScanAPIKey: "bench-" + b.id + "-key",
			Country: b.country, TimeZone: b.zone, MewsAccessToken: "bench-" + b.id + "-mews",
			PasscreatorAppConfigurationID: fmt.Sprintf("0b7e2a6c-1f00-4d1e-9b55-%012d", 101+i),
			AdultAge:                      18, BonusPercent: decimal.RequireFromString("5"),
		})
	}
	rome, _ := time.LoadLocation("Europe/Rome")
	o := scenario.Options{Seed: e.seed, Day: rules.Today(time.Now(), rome), Branches: branches,
		Shares: map[scenario.Case]float64{}, InstallShare: -1,
		Passquare: scenario.PassquareAccount{AppKey: passquareKey, Plan: passquarePlan}}
	// A reservation brings 2.5 guests on average: start there and grow.
	for o.ArrivalsPerBranch = max(1, e.guests*2/(5*e.branches)); ; o.ArrivalsPerBranch++ {
		d := scenario.Generate(o)
		if len(d.Guests()) >= e.guests || o.ArrivalsPerBranch >= 9999 {
			return d
		}
	}
}

// play runs the day once, through guestflow or the ceiling, in namespace.
func (e env) play(ctx context.Context, namespace string, st setting, ceiling bool, rep int) (run, error) {
	r := run{Setting: st, Ceiling: ceiling, Rep: rep}
	day := e.day()
	sb := scenario.Sandboxes{
		PassportScan: pssandbox.New(pssandbox.Options{}),
		Mews:         mewssandbox.New(mewssandbox.Options{ClientToken: "bench-mews-client"}),
		Passquare:    pqsandbox.New(pqsandbox.Options{}),
		Passcreator:  pcsandbox.New(pcsandbox.Options{APIKey: "bench-passcreator-key", TimeZone: "Europe/Rome"}),
	}
	if st == lifted {
		sb.Mews = mewssandbox.New(mewssandbox.Options{ClientToken: "bench-mews-client", RequestsPerWindow: unlimited})
		sb.Passquare = pqsandbox.New(pqsandbox.Options{PerSecond: unlimited, HourlyQuota: map[string]int{passquarePlan: unlimited}})
	}
	if err := day.Seed(sb); err != nil {
		return r, err
	}
	var expected int
	for _, g := range day.Guests() {
		if slices.Contains(st.finish(), g.Outcome.Stage) {
			expected++
		}
	}
	r.Guests = expected
	servers := map[string]*httptest.Server{
		"passportscan": httptest.NewServer(sb.PassportScan),
		"mews":         httptest.NewServer(sb.Mews),
		"passquare":    httptest.NewServer(sb.Passquare),
		"passcreator":  httptest.NewServer(sb.Passcreator),
	}
	for _, s := range servers {
		defer s.Close()
	}
	cfg, err := e.config(day, servers)
	if err != nil {
		return r, err
	}
	codec, err := payloadcodec.New(payloadKey)
	if err != nil {
		return r, err
	}
	c, err := client.Dial(client.Options{HostPort: e.hostPort, Namespace: namespace,
		DataConverter: codec.DataConverter(), Logger: logging.ForTemporal(e.logger)})
	if err != nil {
		return r, err
	}
	defer c.Close()
	if err := temporalclient.EnsureSearchAttributes(ctx, c, namespace, lifecycle.SearchAttributes); err != nil {
		return r, err
	}
	acts := activities.FromConfig(cfg, c, prometheus.NewRegistry(), e.logger)
	pqOpts := activities.PassquareWorkerOptions(passquarePlan)
	if st == lifted {
		pqOpts = worker.Options{}
		acts.Passquare.Client = passquare.New(passquare.Options{AppKey: passquareKey, BaseURL: servers["passquare"].URL + "/api/v2",
			MinInterval: -1, Logger: e.logger})
	}
	// Each branch's Mews queue is paced at Mews' limit (activities.MewsRate)
	// unless the limits are lifted.
	mewsOpts := activities.MewsWorkerOptions()
	if st == lifted {
		mewsOpts = worker.Options{}
	}
	main := worker.New(c, lifecycle.TaskQueue, e.tuning.Options())
	pq := worker.New(c, lifecycle.PassquareTaskQueue, pqOpts)
	var mews []worker.Worker
	for _, id := range cfg.BranchIDs {
		mews = append(mews, worker.New(c, lifecycle.MewsTaskQueue(id), mewsOpts))
	}
	if ceiling {
		workflows.Register(ceilingRegistry{main})
		registerCeilingActivities(main, pq, mews, acts)
	} else {
		workflows.Register(main)
		acts.Register(main)
		acts.RegisterPassquare(pq)
		for _, w := range mews {
			acts.RegisterMews(w)
		}
	}

	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	heapBefore := ms.HeapAlloc
	cpuBefore, srvBefore := processCPU(), serverCPU(e.serverPID)
	start := time.Now()
	for _, w := range append([]worker.Worker{main, pq}, mews...) {
		if err := w.Start(); err != nil {
			return r, err
		}
		defer w.Stop()
	}
	// The first poll of the day at every branch, as the Schedules start it.
	var g errgroup.Group
	for _, b := range day.Options.Branches {
		g.Go(func() error {
			run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: "arrivals/" + b.ID, TaskQueue: lifecycle.TaskQueue},
				lifecycle.PollArrivalsWorkflowName, lifecycle.PollArrivals{BranchID: b.ID, TimeZone: b.TimeZone, Full: true})
			if err != nil {
				return err
			}
			return run.Get(ctx, nil)
		})
	}
	if err := g.Wait(); err != nil {
		return r, fmt.Errorf("first poll: %w", err)
	}
	r.Finished, r.Unfinished = e.waitFinished(ctx, c, st, expected)
	end := time.Now()
	r.Seconds = end.Sub(start).Seconds()
	r.GuestsPS = float64(r.Finished) / r.Seconds
	cpu, srv := processCPU()-cpuBefore, serverCPU(e.serverPID)-srvBefore
	r.WorkerCPUms = cpu.Seconds() * 1000 / float64(r.Guests)
	r.ServerCPUms = srv.Seconds() * 1000 / float64(r.Guests)
	runtime.GC()
	runtime.ReadMemStats(&ms)
	r.HeapPerStayKB = (float64(ms.HeapAlloc) - float64(heapBefore)) / 1024 / float64(len(day.Guests()))

	if st == atLimits && !ceiling {
		// Passquare's rate is read over a window of its own: by the Mews
		// write its queue has only started.
		pqStart := firstCall(sb.Passquare.Calls(), start)
		if wait := time.Until(pqStart.Add(e.pqWindow)); wait > 0 {
			time.Sleep(wait)
		}
	}
	r.vendorCalls(sb, start)
	r.EventsPerStay = e.eventsPer(ctx, c, lifecycle.StayWorkflowName)
	r.EventsPerAccount = e.eventsPer(ctx, c, lifecycle.AccountWorkflowName)
	return r, nil
}

// config is the group's configuration for the sandboxes at urls.
func (e env) config(day *scenario.Day, urls map[string]*httptest.Server) (*config.Group, error) {
	var b strings.Builder
	fmt.Fprintf(&b, `
[passportscan]
base_url = %q
[mews]
base_url = %q
client_token = "bench-mews-client"
[passquare]
base_url = "%s/api/v2"
app_key = %q
plan = %q
template_uuid = "7c6b9f0e-3d1a-4b8e-9f2c-5a4d3e2b1c00"
form_link = "https://form.example/7c6b9f0e"
[passcreator]
base_url = %q
api_key = "bench-passcreator-key"
time_zone = "Europe/Rome"
[loyalty]
account_key_secret = %q
[encryption]
payload_key = %q
`, urls["passportscan"].URL, urls["mews"].URL, urls["passquare"].URL, passquareKey, passquarePlan, urls["passcreator"].URL, accountSecret, payloadKey)
	for _, br := range day.Options.Branches {
		fmt.Fprintf(&b, `
[branches.%s]
name = %q
time_zone = %q
country = %q
passportscan_api_key = %q
passportscan_account_id = %q
mews_access_token = %q
passcreator_app_configuration_id = %q
[branches.%s.rules]
bonus_percent = "5"
`, br.ID, br.ID, br.TimeZone, br.Country, br.PassportScanAPIKey, br.PassportScanAccountID, br.MewsAccessToken, br.PasscreatorAppConfigurationID, br.ID)
	}
	return config.Parse("bench.toml", b.String(), func(string) (string, bool) { return "", false })
}

// waitFinished waits until want stays are at one of the setting's finish
// stages, by visibility, as staff would count them. A count that fails (a
// loaded dev server) is asked again; at the timeout it returns what
// finished and why the others did not.
func (e env) waitFinished(ctx context.Context, c client.Client, st setting, want int) (int, map[string]int) {
	var stages []string
	for _, s := range st.finish() {
		stages = append(stages, "'"+string(s)+"'")
	}
	q := fmt.Sprintf("WorkflowType = '%s' AND %s IN (%s)", lifecycle.StayWorkflowName, lifecycle.GuestStageKey.GetName(), strings.Join(stages, ", "))
	deadline := time.Now().Add(e.timeout)
	next := time.Now().Add(10 * time.Second)
	n := 0
	for ctx.Err() == nil {
		resp, err := c.CountWorkflow(ctx, &workflowservice.CountWorkflowExecutionsRequest{Query: q})
		if err != nil {
			e.progress.Warn("count failed; asking again", "error", err)
		} else if n = int(resp.GetCount()); n >= want {
			return n, nil
		}
		if time.Now().After(deadline) {
			break
		}
		if time.Now().After(next) {
			e.progress.Info("waiting", "finished", n, "of", want)
			next = next.Add(10 * time.Second)
		}
		time.Sleep(100 * time.Millisecond)
	}
	return n, stragglers(ctx, c, strings.Replace(q, " IN ", " NOT IN ", 1))
}

// stragglers counts the unfinished stays by stage and reason.
func stragglers(ctx context.Context, c client.Client, q string) map[string]int {
	out := map[string]int{}
	_ = lifecycle.ListWorkflows(ctx, c, q, func(w *workflowpb.WorkflowExecutionInfo) error {
		sa := w.GetSearchAttributes().GetIndexedFields()
		var stage, reason string
		_ = converter.GetDefaultDataConverter().FromPayload(sa[lifecycle.GuestStageKey.GetName()], &stage)
		_ = converter.GetDefaultDataConverter().FromPayload(sa[lifecycle.StuckReasonKey.GetName()], &reason)
		out[strings.TrimSuffix(stage+" "+reason, " ")]++
		return nil
	})
	return out
}

// vendorCalls counts each sandbox's calls per guest by endpoint, its 429s,
// Passquare's arrivals as a part of its 1 request/s, and how long after
// the first poll each document was written to Mews (every document is on
// PassportScan when the run starts).
func (r *run) vendorCalls(sb scenario.Sandboxes, start time.Time) {
	r.CallsPerGuest, r.Status429 = map[string]float64{}, map[string]int{}
	for vendor, calls := range map[string][]sandboxkit.Call{
		"passportscan": sb.PassportScan.Calls(), "mews": sb.Mews.Calls(),
		"passquare": sb.Passquare.Calls(), "passcreator": sb.Passcreator.Calls(),
	} {
		for _, call := range calls {
			r.CallsPerGuest[vendor+" "+call.Path] += 1 / float64(r.Guests)
			if call.Status == 429 {
				r.Status429[vendor]++
			}
		}
	}
	for k, v := range r.CallsPerGuest {
		r.CallsPerGuest[k] = math.Round(v*1000) / 1000
	}
	if pq := sb.Passquare.Calls(); len(pq) > 1 {
		span := pq[len(pq)-1].At.Sub(pq[0].At).Seconds()
		r.PassquareRate = float64(len(pq)-1) / span // arrivals per second against a limit of 1
	}
	var waits []float64
	for _, call := range sb.Mews.Calls() {
		if strings.HasSuffix(call.Path, "identityDocuments/add") && call.Status == 200 {
			waits = append(waits, call.At.Sub(start).Seconds())
		}
	}
	slices.Sort(waits)
	r.DocToMewsP50, r.DocToMewsP95 = quantile(waits, 0.5), quantile(waits, 0.95)
}

func firstCall(calls []sandboxkit.Call, otherwise time.Time) time.Time {
	if len(calls) == 0 {
		return otherwise
	}
	return calls[0].At
}

func quantile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(q*float64(len(sorted))))]
}

// eventsPer is the mean history length of up to 100 workflows of the
// type; workflows the loaded server does not describe are left out.
func (e env) eventsPer(ctx context.Context, c client.Client, workflowType string) float64 {
	resp, err := c.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{
		Query: fmt.Sprintf("WorkflowType = '%s'", workflowType), PageSize: 100})
	if err != nil {
		e.progress.Warn("history lengths not read", "error", err)
		return 0
	}
	total, n := 0, 0
	for _, w := range resp.GetExecutions() {
		d, err := c.DescribeWorkflowExecution(ctx, w.GetExecution().GetWorkflowId(), w.GetExecution().GetRunId())
		if err != nil {
			continue
		}
		total += int(d.GetWorkflowExecutionInfo().GetHistoryLength())
		n++
	}
	if n == 0 {
		return 0
	}
	return float64(total) / float64(n)
}

// processCPU is this process's CPU time: the worker, the sandboxes and the
// driver, which all run here.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// serverCPU is the dev server's CPU time from /proc/<pid>/stat (utime and
// stime, in clock ticks of 1/100 s on Linux).
func serverCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(b)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	if len(fields) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(fields[11], 10, 64)
	st, _ := strconv.ParseInt(fields[12], 10, 64)
	return time.Duration(ut+st) * 10 * time.Millisecond
}

// childPID finds the dev server: this process's child named temporal.
func childPID() int {
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			continue
		}
		s := string(b)
		fields := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
		if len(fields) > 1 && fields[1] == strconv.Itoa(os.Getpid()) && strings.Contains(s, "(temporal)") {
			return pid
		}
	}
	return 0
}
