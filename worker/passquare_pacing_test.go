package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/guestflow/guestflow/activities"
	"github.com/guestflow/guestflow/config"
	"github.com/guestflow/guestflow/devserver"
	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/telemetry"
	pqsandbox "github.com/guestflow/guestflow/vendors/passquare/sandbox"
	"github.com/guestflow/guestflow/vendors/sandboxkit"
)

// issueCards issues n cards at once on the Passquare queue as a stay
// does (StartToClose 30 s), but with one attempt: an attempt spent waiting
// in the pacer, or refused with a 429, fails the run.
func issueCards(ctx workflow.Context, n int) error {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		TaskQueue:           lifecycle.PassquareTaskQueue,
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy:         &temporal.RetryPolicy{MaximumAttempts: 1},
	})
	var issued []workflow.Future
	for i := range n {
		issued = append(issued, workflow.ExecuteActivity(ctx, "IssueCard", activities.IssueCardInput{
			AccountKey: fmt.Sprintf("pacing-%d", i),
			Holder:     lifecycle.AccountHolder{FirstName: "Ana", LastName: "Pacing", Phone: fmt.Sprintf("+35191000%04d", i)},
			Balance:    decimal.Zero, Bonus: decimal.Zero,
		}))
	}
	for _, f := range issued {
		if err := f.Get(ctx, nil); err != nil {
			return err
		}
	}
	return nil
}

// Many issuances queued at once against a Passquare answering in 500 ms,
// each issuance two requests (the card comes at install, so the customer
// is read back), sent by two worker processes with the production pacing
// (PassquareWorkerOptions of the expert plan, 1.25 s spacing): every
// attempt succeeds at once, Passquare never answers 429, and no request
// waits in its process's pacer longer than the spacing, since a process
// takes the next activity only when it is done.
func TestThePassquareQueueNeverOutrunsTheSender(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	dial := startTemporal(t)

	sb := pqsandbox.New(pqsandbox.Options{
		Accounts:       []pqsandbox.AccountConfig{{AppKey: "pacing-app-key", Plan: "expert"}},
		CardsAtInstall: true,
		Faults:         sandboxkit.Faults{Latency: 500 * time.Millisecond},
	})
	pq := httptest.NewServer(sb)
	t.Cleanup(pq.Close)
	cfg := &config.Group{Passquare: config.Passquare{AppKey: "pacing-app-key", Plan: "expert", BaseURL: pq.URL + "/api/v2"}}

	// Two worker processes, each with its own client, pacer and metrics.
	var registries []*telemetry.Registry
	for _, identity := range []string{"worker-a", "worker-b"} {
		c := dial(identity)
		reg := telemetry.NewRegistry()
		registries = append(registries, reg)
		acts := activities.FromConfig(cfg, c, reg, slog.New(slog.DiscardHandler))
		servePassquare(t, c, acts, cfg.Passquare.Plan)
	}
	c := dial("stays")
	stays := worker.New(c, "pacing-test", worker.Options{})
	stays.RegisterWorkflow(issueCards)
	require.NoError(t, stays.Start())
	t.Cleanup(stays.Stop)

	const n = 6
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{TaskQueue: "pacing-test"}, issueCards, n)
	require.NoError(t, err)
	require.NoError(t, run.Get(ctx, nil), "every issuance on its first attempt")

	calls := sb.Recorder().Calls()
	require.Len(t, calls, 2*n, "each issuance writes the customer and reads it back")
	for _, call := range calls {
		assert.NotEqual(t, http.StatusTooManyRequests, call.Status, "%s at %s", call.Path, call.At.Format(time.StampMilli))
	}
	var waits, withinSpacing uint64
	for _, reg := range registries {
		families, err := reg.Gather()
		require.NoError(t, err)
		for _, f := range families {
			if f.GetName() != "guestflow_passquare_pacer_wait_seconds" {
				continue
			}
			h := f.GetMetric()[0].GetHistogram()
			waits += h.GetSampleCount()
			for _, b := range h.GetBucket() {
				if b.GetUpperBound() == 1.5 { // the spacing, 1.25 s, and the timer's slack
					withinSpacing += b.GetCumulativeCount()
				}
			}
		}
	}
	assert.EqualValues(t, 2*n, waits)
	assert.Equal(t, waits, withinSpacing, "a request waited in the pacer beyond the spacing: activities queue inside the process")
}

// startTemporal starts a dev server of the test's own, so no earlier
// test's pollers are listed on its queues, and returns how to dial it.
func startTemporal(t *testing.T) func(identity string) client.Client {
	t.Helper()
	if testing.Short() {
		t.Skip("runs a Temporal dev server")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	srv, err := devserver.Start(ctx, devserver.Options{})
	require.NoError(t, err, "set TEMPORAL_CLI to the temporal CLI")
	t.Cleanup(func() { _ = srv.Stop() })
	return func(identity string) client.Client {
		c, err := client.Dial(client.Options{HostPort: srv.FrontendHostPort(), Identity: identity,
			Logger: sdklog.NewStructuredLogger(slog.New(slog.DiscardHandler))})
		require.NoError(t, err)
		t.Cleanup(c.Close)
		return c
	}
}

// servePassquare runs the process's Passquare worker as main does once
// Passquare has accepted the app_key.
func servePassquare(t *testing.T, c client.Client, acts *activities.Set, plan string) {
	t.Helper()
	accepted := make(chan struct{})
	close(accepted)
	ctx, stop := context.WithCancel(context.Background())
	done := runPassquare(ctx, c, acts, plan, accepted, slog.New(slog.DiscardHandler))
	t.Cleanup(func() { stop(); <-done })
}

// passquarePollers are the identities of the workers polling the Passquare
// task queue.
func passquarePollers(t *testing.T, c client.Client) []string {
	t.Helper()
	d, err := c.DescribeTaskQueue(context.Background(), lifecycle.PassquareTaskQueue, enumspb.TASK_QUEUE_TYPE_ACTIVITY)
	require.NoError(t, err)
	var ids []string
	for _, p := range d.GetPollers() {
		ids = append(ids, p.GetIdentity())
	}
	return ids
}

// A worker whose Passquare app_key is refused at start takes no Passquare
// work: issuances and pushes wait in the queue for a worker with the right
// key instead of failing to staff. With the right key it serves the queue.
func TestARefusedPassquareKeyTakesNoPassquareWork(t *testing.T) {
	fastStartChecks(t)
	dial := startTemporal(t)
	sb := pqsandbox.New(pqsandbox.Options{Accounts: []pqsandbox.AccountConfig{{AppKey: "right-app-key", Plan: "expert"}}})
	pq := httptest.NewServer(sb)
	t.Cleanup(pq.Close)
	logger := slog.New(slog.DiscardHandler)
	start := func(appKey string) (*telemetry.StartCheck, client.Client) {
		c := dial("worker-" + appKey)
		cfg := &config.Group{Passquare: config.Passquare{AppKey: config.Secret(appKey), Plan: "expert", BaseURL: pq.URL + "/api/v2"}}
		acts := activities.FromConfig(cfg, c, telemetry.NewRegistry(), logger)
		ctx, stop := context.WithCancel(context.Background())
		check := credentialChecks(ctx, acts.Credentials(nil), logger)["passquare"]
		done := runPassquare(ctx, c, acts, cfg.Passquare.Plan, check.Passed(), logger)
		t.Cleanup(func() { stop(); <-done })
		return check, c
	}

	refused, _ := start("wrong-app-key")
	require.Eventually(t, func() bool { return refused.Ready(context.Background()) == telemetry.Refused },
		10*time.Second, 5*time.Millisecond)

	// A worker started after the refused one: once its poll is seen, the
	// refused one's would have been seen too.
	_, c := start("right-app-key")
	require.Eventually(t, func() bool { return slices.Contains(passquarePollers(t, c), "worker-right-app-key") },
		20*time.Second, 50*time.Millisecond)
	assert.Equal(t, []string{"worker-right-app-key"}, passquarePollers(t, c), "a refused key serves no Passquare work")
}
