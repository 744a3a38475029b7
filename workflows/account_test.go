package workflows

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	sdkpb "go.temporal.io/api/sdk/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/guestflow/guestflow/activities"
	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/rules"
)

type accountTest struct {
	testsuite.WorkflowTestSuite
	env *testsuite.TestWorkflowEnvironment
	t   *testing.T
	// pushes are the pushes Passquare acknowledged; passquareDown, when
	// set, says whether it refuses a push at the moment with a 503.
	pushes        []activities.PushBalanceInput
	passquareDown func() bool
	// told counts the news the account sent to stays, by signal name.
	told map[string]int
	// mu guards pushes and told: activities and signals run on goroutines
	// of their own.
	mu sync.Mutex
}

func newAccountTest(t *testing.T) *accountTest {
	at := &accountTest{t: t, told: map[string]int{}}
	at.SetLogger(sdklog.NewStructuredLogger(slog.New(slog.DiscardHandler)))
	at.env = at.NewTestWorkflowEnvironment()
	at.env.SetStartTime(startTime)
	at.env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: lifecycle.AccountWorkflowID("acct-1")})
	at.env.RegisterWorkflowWithOptions(Account, workflow.RegisterOptions{Name: lifecycle.AccountWorkflowName})
	at.env.RegisterActivity(&activities.Passquare{})
	at.env.OnActivity(passquareActivities.PushBalance, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.PushBalanceInput) error {
			if at.passquareDown != nil && at.passquareDown() {
				return temporal.NewApplicationError("Passquare answered 503", activities.ErrVendorUnavailable)
			}
			at.mu.Lock()
			defer at.mu.Unlock()
			at.pushes = append(at.pushes, in)
			return nil
		})
	// The stay the account tells about installs and scans.
	at.env.OnSignalExternalWorkflow(mock.Anything, "stay/rome/1858/3263", "", mock.Anything, mock.Anything).
		Run(func(args mock.Arguments) {
			at.mu.Lock()
			defer at.mu.Unlock()
			at.told[args.String(3)]++
		}).Return(nil)
	return at
}

// pushed are the pushes Passquare acknowledged so far.
func (at *accountTest) pushed() []activities.PushBalanceInput {
	at.mu.Lock()
	defer at.mu.Unlock()
	return slices.Clone(at.pushes)
}

// toldCount is how often the account sent the stay this signal.
func (at *accountTest) toldCount(signal string) int {
	at.mu.Lock()
	defer at.mu.Unlock()
	return at.told[signal]
}

var holder = lifecycle.AccountHolder{Phone: "+393471234567", FirstName: "Anna", LastName: "Rossi"}

func (at *accountTest) open() {
	at.update(lifecycle.UpdateOpenAccount, "open", lifecycle.OpenAccount{Holder: holder, Stay: lifecycle.AccountStay{
		WorkflowID: "stay/rome/1858/3263", BranchID: "rome",
		WelcomeBonus: decimal.RequireFromString("10"), BonusPercent: decimal.RequireFromString("5"),
		PushMessage: "Thanks for your visit",
	}})
	at.update(lifecycle.UpdateAttachCard, "attach", lifecycle.Card{AccountKey: "acct-1", Number: "1001"})
}

func (at *accountTest) update(name, id string, arg any) {
	at.env.UpdateWorkflow(name, id, &updateExpectsSuccess{t: at.t}, arg)
}

func (at *accountTest) balance() lifecycle.Balance {
	v, err := at.env.QueryWorkflow(lifecycle.QueryBalance)
	require.NoError(at.t, err)
	var b lifecycle.Balance
	require.NoError(at.t, v.Get(&b))
	return b
}

// run runs the account for a while (accounts never end by themselves).
func (at *accountTest) run(d time.Duration) {
	at.env.RegisterDelayedCallback(func() { at.env.CancelWorkflow() }, d)
	at.env.ExecuteWorkflow(lifecycle.AccountWorkflowName, lifecycle.AccountInput{Key: "acct-1", Holder: holder})
}

func money(s string) *decimal.Decimal { d := decimal.RequireFromString(s); return &d }

func scan(id string, status int, value *decimal.Decimal) lifecycle.Scan {
	return lifecycle.Scan{AppScanID: id, BranchID: "rome", Barcode: "1001", Status: status, Value: value,
		BonusPercent: decimal.RequireFromString("5"), RealUseStatuses: []int{0, 2, 4}}
}

func TestAccountCreditsScansOnceAndCoalescesPushes(t *testing.T) {
	at := newAccountTest(t)
	at.env.RegisterDelayedCallback(func() {
		at.open()
		at.env.SignalWorkflow(lifecycle.SignalRecordScan, scan("s1", 2, money("100.00"))) // 5.00
		at.env.SignalWorkflow(lifecycle.SignalRecordScan, scan("s1", 2, money("100.00"))) // duplicate delivery
		at.env.SignalWorkflow(lifecycle.SignalRecordScan, scan("s2", 4, money("33.33")))  // 1.67 (half-up)
		at.env.SignalWorkflow(lifecycle.SignalRecordScan, scan("s3", 3, money("50.00")))  // pass not found: no credit
		at.env.SignalWorkflow(lifecycle.SignalRecordScan, scan("s4", 2, nil))             // no transaction value
	}, time.Minute)
	at.env.RegisterDelayedCallback(func() {
		require.Equal(t, "6.67", at.balance().Balance.StringFixed(2))
		require.Len(t, at.pushed(), 1, "credits close together reach Passquare in one call")
		require.Equal(t, "6.67", at.pushed()[0].Balance.StringFixed(2))
		require.Equal(t, "+393471234567", at.pushed()[0].Phone)
		at.env.SignalWorkflow(lifecycle.SignalRecordScan, scan("s2", 4, money("33.33"))) // an overlap of the scan sync
	}, 10*time.Minute)
	at.run(time.Hour)

	require.Equal(t, "6.67", at.balance().Balance.StringFixed(2))
	require.Len(t, at.pushed(), 1, "a duplicate scan pushes nothing")
}

func TestAccountAddBalanceIsIdempotentAndBurns(t *testing.T) {
	at := newAccountTest(t)
	at.env.RegisterDelayedCallback(func() {
		at.open()
		add := lifecycle.AddBalance{TransactionID: "tx-1", Sum: decimal.RequireFromString("50.00"), Lifetime: 24 * time.Hour}
		at.update(lifecycle.UpdateAddBalance, "u1", add)
		at.update(lifecycle.UpdateAddBalance, "u2", add) // Passquare delivered the hook twice
		at.env.UpdateWorkflow(lifecycle.UpdateAddBalance, "u3", &updateExpectsError{t: t, contains: "sum must be positive"},
			lifecycle.AddBalance{TransactionID: "tx-2", Sum: decimal.RequireFromString("-5")})
	}, time.Minute)
	at.env.RegisterDelayedCallback(func() {
		require.Equal(t, "50", at.balance().Balance.String())
	}, time.Hour)
	at.env.RegisterDelayedCallback(func() {
		require.Equal(t, "0", at.balance().Balance.String(), "the accrual burned when its lifetime ended")
	}, 26*time.Hour)
	at.run(30 * time.Hour)

	require.Len(t, at.pushed(), 2, "one push for the accrual, one for its burn")
	require.Equal(t, "50", at.pushed()[0].Balance.String())
	require.Equal(t, "0", at.pushed()[1].Balance.String())
}

func TestAccountInstallCardCreditsWelcomeOncePerCard(t *testing.T) {
	at := newAccountTest(t)
	var keys []string
	at.env.RegisterDelayedCallback(func() {
		at.open()
		install := lifecycle.InstallCard{Holder: holder, CardNumbers: []string{"1001"}, CardTracks: []lifecycle.CardTrack{{Card: "1001", Track: "T1001"}}}
		for i := range 2 {
			at.env.UpdateWorkflow(lifecycle.UpdateInstallCard, []string{"i1", "i2"}[i], &captureResult{t: t, into: &keys}, install)
		}
	}, time.Minute)
	at.run(time.Hour)

	require.Equal(t, []string{"acct-1", "acct-1"}, keys, "the account key is Passquare's customerId")
	b := at.balance()
	require.Equal(t, "10", b.Balance.String())
	require.Equal(t, "5", b.Bonus.String())
	require.Equal(t, []string{"1001"}, b.Cards)
}

func TestAccountContinuesAsNewWithItsState(t *testing.T) {
	at := newAccountTest(t)
	at.env.RegisterDelayedCallback(func() {
		at.open()
		for i := range 12 {
			at.env.SignalWorkflow(lifecycle.SignalRecordScan, scan("s"+string(rune('a'+i)), 2, money("10")))
		}
	}, time.Minute)
	at.env.RegisterDelayedCallback(func() {
		at.env.SetContinueAsNewSuggested(true)                                          // as the server does when the history grows long
		at.env.SignalWorkflow(lifecycle.SignalRecordScan, scan("late", 2, money("10"))) // arrives as the run ends
	}, 2*time.Minute)
	at.env.ExecuteWorkflow(lifecycle.AccountWorkflowName, lifecycle.AccountInput{Key: "acct-1", Holder: holder})

	require.True(t, at.env.IsWorkflowCompleted())
	var can *workflow.ContinueAsNewError
	require.ErrorAs(t, at.env.GetWorkflowError(), &can)
	var next lifecycle.AccountInput
	require.NoError(t, converterDecode(can, &next))
	require.Equal(t, "acct-1", next.Key)
	require.Equal(t, "6.5", next.Carried.Ledger.Balance().String(), "thirteen scans of 10.00 at 5 %")
	require.Len(t, next.Carried.Scans, 13, "scan ids survive, so a late duplicate is still refused")
	require.NotNil(t, next.PendingPush, "the new run pushes the balance this run did not")
	require.Equal(t, "1001", next.Carried.Cards[0].Number)
	require.True(t, next.Carried.Ledger.Has(rules.ScanEntryID("sa")))
}

type captureResult struct {
	t    *testing.T
	into *[]string
}

func (c *captureResult) Accept()          {}
func (c *captureResult) Reject(err error) { c.t.Errorf("update rejected: %v", err) }
func (c *captureResult) Complete(v any, err error) {
	require.NoError(c.t, err)
	*c.into = append(*c.into, v.(string))
}

func converterDecode(can *workflow.ContinueAsNewError, into any) error {
	return converter.GetDefaultDataConverter().FromPayloads(can.Input, into)
}

// Passquare down for three hours must not stop the account: every credit
// is in the ledger and in readBalance within seconds, and when Passquare is
// back the card gets one push, with the final balance.
func TestAccountCreditsWhilePassquareIsDown(t *testing.T) {
	at := newAccountTest(t)
	back := startTime.Add(3*time.Hour + 2*time.Minute)
	at.passquareDown = func() bool { return at.env.Now().Before(back) }
	at.env.RegisterDelayedCallback(at.open, time.Minute)

	type credit struct {
		at      time.Duration
		deliver func()
		balance string
	}
	credits := []credit{
		{2 * time.Minute, func() { at.env.SignalWorkflow(lifecycle.SignalRecordScan, scan("s1", 2, money("100"))) }, "5"},
		{30 * time.Minute, func() { at.env.SignalWorkflow(lifecycle.SignalRecordScan, scan("s2", 2, money("100"))) }, "10"},
		{45 * time.Minute, func() {
			at.update(lifecycle.UpdateAddBalance, "a1", lifecycle.AddBalance{TransactionID: "tx-1", Sum: decimal.RequireFromString("7")})
		}, "17"},
		{time.Hour, func() { at.env.SignalWorkflow(lifecycle.SignalRecordScan, scan("s3", 4, money("20"))) }, "18"},
		{100 * time.Minute, func() {
			at.update(lifecycle.UpdateAddBalance, "a2", lifecycle.AddBalance{TransactionID: "tx-2", Sum: decimal.RequireFromString("2.5")})
		}, "20.5"},
		{2 * time.Hour, func() { at.env.SignalWorkflow(lifecycle.SignalRecordScan, scan("s4", 0, money("10"))) }, "21"},
		{150 * time.Minute, func() { at.env.SignalWorkflow(lifecycle.SignalRecordScan, scan("s5", 2, money("30"))) }, "22.5"},
	}
	for _, c := range credits {
		at.env.RegisterDelayedCallback(c.deliver, c.at)
		at.env.RegisterDelayedCallback(func() {
			require.Equal(t, c.balance, at.balance().Balance.String(), "balance %s after the credit", c.at)
		}, c.at+2*time.Second)
	}
	at.env.RegisterDelayedCallback(func() {
		require.Empty(t, at.pushed(), "Passquare is still down")
		// The account's Web UI page says so.
		v, err := at.env.QueryWorkflow("__temporal_workflow_metadata")
		require.NoError(t, err)
		var meta sdkpb.WorkflowMetadata
		require.NoError(t, v.Get(&meta))
		require.Contains(t, meta.GetCurrentDetails(), "Balance: 22.50")
		require.Contains(t, meta.GetCurrentDetails(), "failed in a row")
	}, back.Sub(startTime)-time.Second)
	at.run(5 * time.Hour)

	require.Len(t, at.pushed(), 1, "one push once Passquare is back")
	require.Equal(t, "22.5", at.pushed()[0].Balance.String())
	require.Equal(t, 5, at.toldCount(lifecycle.SignalScanRecorded), "the stay heard of every scan")
}

// Continue-as-new, forced while updates and scans keep arriving, loses
// nothing across two boundaries: every update completes for its caller,
// every scan is credited once, and the push still owed (with its text)
// is carried.
func TestAccountContinueAsNewLosesNothing(t *testing.T) {
	in := lifecycle.AccountInput{Key: "acct-1", Holder: holder}
	completed := 0
	credited := decimal.Zero
	for run := range 3 {
		at := newAccountTest(t)
		at.passquareDown = func() bool { return true } // pushes stay owed across the runs
		at.env.RegisterDelayedCallback(func() {
			if run == 0 {
				at.open()
			}
			for i := range 4 {
				id := fmt.Sprintf("r%d-s%d", run, i)
				at.env.SignalWorkflow(lifecycle.SignalRecordScan, scan(id, 2, money("10")))
				credited = credited.Add(decimal.RequireFromString("0.5"))
			}
			if run > 0 { // the previous run's last scan, delivered again
				at.env.SignalWorkflow(lifecycle.SignalRecordScan, scan(fmt.Sprintf("r%d-s3", run-1), 2, money("10")))
			}
		}, time.Minute)
		at.env.RegisterDelayedCallback(func() {
			at.env.SetContinueAsNewSuggested(true)
			// Arriving with the suggestion: an install, a hook and more scans.
			at.env.UpdateWorkflow(lifecycle.UpdateInstallCard, fmt.Sprintf("i%d", run), &countCompleted{t: t, n: &completed},
				lifecycle.InstallCard{Holder: holder, CardNumbers: []string{"1001"}})
			at.env.UpdateWorkflow(lifecycle.UpdateAddBalance, fmt.Sprintf("b%d", run), &countCompleted{t: t, n: &completed},
				lifecycle.AddBalance{TransactionID: fmt.Sprintf("tx-%d", run), Sum: decimal.RequireFromString("1")})
			credited = credited.Add(decimal.RequireFromString("1"))
			if run == 0 {
				credited = credited.Add(decimal.RequireFromString("10")) // the welcome bonus, once per card
			}
			for i := range 3 {
				at.env.SignalWorkflow(lifecycle.SignalRecordScan, scan(fmt.Sprintf("r%d-late%d", run, i), 2, money("10")))
				credited = credited.Add(decimal.RequireFromString("0.5"))
			}
		}, 2*time.Minute)
		at.env.ExecuteWorkflow(lifecycle.AccountWorkflowName, in)

		var can *workflow.ContinueAsNewError
		require.ErrorAs(t, at.env.GetWorkflowError(), &can, "run %d", run)
		var next lifecycle.AccountInput
		require.NoError(t, converterDecode(can, &next))
		require.Equal(t, 2*(run+1), completed, "every update of run %d completed for its caller", run)
		require.Equal(t, credited.String(), next.Carried.Ledger.Balance().String(), "after run %d", run)
		require.NotNil(t, next.PendingPush, "the push owed is carried")
		require.Equal(t, 7, at.toldCount(lifecycle.SignalScanRecorded), "the stay heard of every scan of run %d", run)
		if run == 0 {
			require.Equal(t, "Thanks for your visit", next.PendingPush.Message, "the push text is carried")
		}
		in = next
	}
	require.Equal(t, "23.5", credited.String(), "3 runs of 7 scans at 0.50 and a 1.00 hook, and the welcome bonus")
}

type countCompleted struct {
	t *testing.T
	n *int
}

func (c *countCompleted) Accept()          {}
func (c *countCompleted) Reject(err error) { c.t.Errorf("update rejected: %v", err) }
func (c *countCompleted) Complete(_ any, err error) {
	require.NoError(c.t, err)
	*c.n++
}

// An install that opens an account with nothing in it starts the account
// from what Passquare says the card holds; a later card's figure is not
// added on top.
func TestAccountOpenedByInstallStartsFromTheCardsBalance(t *testing.T) {
	at := newAccountTest(t)
	at.env.RegisterDelayedCallback(func() {
		held, other := decimal.RequireFromString("12.50"), decimal.RequireFromString("40")
		at.update(lifecycle.UpdateInstallCard, "i1", lifecycle.InstallCard{Holder: holder, CardNumbers: []string{"2001"}, Balance: &held})
		at.update(lifecycle.UpdateInstallCard, "i2", lifecycle.InstallCard{Holder: holder, CardNumbers: []string{"2002"}, Balance: &other})
	}, time.Minute)
	at.run(time.Hour)
	require.Equal(t, "12.5", at.balance().Balance.String())
}

// The fault run: more than the 1,000 ids the ledger used to keep are
// credited, the account continues as new, and the same transaction ids
// delivered again (with new update ids: Temporal's own dedup does not
// survive continue-as-new) credit nothing in the next run.
func TestAccountRemembersTransactionIDsAcrossContinueAsNew(t *testing.T) {
	const n = 1100
	add := func(i int) lifecycle.AddBalance {
		return lifecycle.AddBalance{TransactionID: fmt.Sprintf("tx-%d", i), Sum: decimal.RequireFromString("1.00")}
	}
	in := lifecycle.AccountInput{Key: "acct-1", Holder: holder}
	for run := range 3 {
		at := newAccountTest(t)
		if run == 0 {
			at.env.RegisterDelayedCallback(at.open, time.Second)
		}
		for batch := range n / 50 { // the test environment takes a few updates at a time
			at.env.RegisterDelayedCallback(func() {
				for i := batch * 50; i < (batch+1)*50; i++ {
					at.update(lifecycle.UpdateAddBalance, fmt.Sprintf("r%d-u%d", run, i), add(i))
				}
			}, time.Duration(batch+1)*time.Minute)
		}
		in = at.runUntilContinueAsNew(in, time.Hour, nil)
		require.Equal(t, "1100", in.Carried.Ledger.Balance().String(), "after run %d: each id credited once", run)
	}
}

// A transaction id delivered again with another sum is refused, before and
// after continue-as-new, and changes nothing; the same sum again is a
// harmless repeat. Absurd sums and lifetimes are refused whatever the
// webhook let through.
func TestAccountRefusesConflictingAndAbsurdAddBalance(t *testing.T) {
	add := func(id, sum string, lifetime time.Duration) lifecycle.AddBalance {
		return lifecycle.AddBalance{TransactionID: id, Sum: decimal.RequireFromString(sum), Lifetime: lifetime}
	}
	in := lifecycle.AccountInput{Key: "acct-1", Holder: holder}
	for run := range 2 {
		at := newAccountTest(t)
		at.env.RegisterDelayedCallback(func() {
			if run == 0 {
				at.open()
				at.update(lifecycle.UpdateAddBalance, "u1", add("tx-1", "50.00", 0))
			}
			for i, sum := range []string{"60.00", "50.01", "5"} {
				at.env.UpdateWorkflow(lifecycle.UpdateAddBalance, fmt.Sprintf("r%d-c%d", run, i),
					&updateExpectsError{t: t, contains: "another sum"}, add("tx-1", sum, 0))
			}
			at.update(lifecycle.UpdateAddBalance, fmt.Sprintf("r%d-same", run), add("tx-1", "50", 0))
			for i, bad := range []lifecycle.AddBalance{
				add("tx-2", "1000000000.01", 0),
				add("tx-3", "0.001", 0),
				add("tx-4", "1", rules.MaxGrantLifetime+time.Second),
				add("tx-5", "1", -time.Second),
			} {
				at.env.UpdateWorkflow(lifecycle.UpdateAddBalance, fmt.Sprintf("r%d-b%d", run, i),
					&updateExpectsError{t: t, contains: "must be"}, bad)
			}
		}, time.Minute)
		in = at.runUntilContinueAsNew(in, time.Hour, func() {
			require.Equal(t, "50", at.balance().Balance.String())
		})
		require.Equal(t, "50", in.Carried.Ledger.Balance().String(), "after run %d", run)
	}
}

// runUntilContinueAsNew runs the account from in; after d it calls before
// (if any), has the server suggest continue-as-new and wakes the account
// with a scan that credits nothing. It returns the next run's input.
func (at *accountTest) runUntilContinueAsNew(in lifecycle.AccountInput, d time.Duration, before func()) lifecycle.AccountInput {
	at.env.RegisterDelayedCallback(func() {
		if before != nil {
			before()
		}
		at.env.SetContinueAsNewSuggested(true)
		at.env.SignalWorkflow(lifecycle.SignalRecordScan, scan("wake", 1, nil))
	}, d)
	at.env.ExecuteWorkflow(lifecycle.AccountWorkflowName, in)
	var can *workflow.ContinueAsNewError
	require.ErrorAs(at.t, at.env.GetWorkflowError(), &can)
	var next lifecycle.AccountInput
	require.NoError(at.t, converterDecode(can, &next))
	return next
}
