package workflows

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	sdkpb "go.temporal.io/api/sdk/v1"
	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/guestflow/guestflow/activities"
	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/rules"
)

var (
	arrivalDay = rules.Date{Year: 2026, Month: time.November, Day: 23}
	startTime  = time.Date(2026, time.November, 23, 8, 0, 0, 0, time.UTC)
	// Departure 25 Nov at 12:00 Rome (11:00 UTC) plus 24 h of grace.
	stayEnd = time.Date(2026, time.November, 26, 11, 0, 0, 0, time.UTC)
)

func date(y int, m time.Month, d int) *rules.Date { return &rules.Date{Year: y, Month: m, Day: d} }
func yes() *bool                                  { b := true; return &b }
func no() *bool                                   { b := false; return &b }

func testGuest() lifecycle.Guest {
	return lifecycle.Guest{
		BranchID: "rome", ReservationID: 1858, CustomerID: 3263, PMSGuestID: "343433",
		Arrival: arrivalDay, Departure: rules.Date{Year: 2026, Month: time.November, Day: 25},
		Profile: rules.Profile{
			FirstName: "Anna", LastName: "Rossi", BirthDate: date(1980, time.May, 1),
			Email: "anna.rossi@example.com", Phone: "347 123 4567",
		},
		Document: &rules.Document{
			Type: rules.Passport, Number: "YA1234567", IssueCountry: "ITA",
			IssueDate: date(2020, time.January, 10), ExpirationDate: date(2030, time.January, 9),
		},
		LoyaltyConsent: yes(),
	}
}

func testRules() lifecycle.BranchRules {
	return lifecycle.BranchRules{
		Country: "IT", TimeZone: "Europe/Rome", AcceptedDocuments: rules.DefaultAcceptedDocuments,
		AdultAge: 18, BonusPercent: decimal.RequireFromString("5"), RealUseStatuses: []int{0, 2, 4},
		Checkout: 12 * time.Hour, DepartureGrace: 24 * time.Hour,
	}
}

// stayTest is a Stay in the test environment with its activities mocked.
type stayTest struct {
	testsuite.WorkflowTestSuite
	env       *testsuite.TestWorkflowEnvironment
	t         *testing.T
	snapshots int // update ids
}

func newStayTest(t *testing.T) *stayTest {
	st := &stayTest{t: t}
	st.SetLogger(sdklog.NewStructuredLogger(slog.New(slog.DiscardHandler)))
	st.env = st.NewTestWorkflowEnvironment()
	st.env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: lifecycle.StayWorkflowID("rome", 1858, 3263)})
	st.env.SetStartTime(startTime)
	st.env.RegisterWorkflowWithOptions(Stay, workflow.RegisterOptions{Name: lifecycle.StayWorkflowName})
	st.env.RegisterActivity(&activities.Mews{})
	st.env.RegisterActivity(&activities.Passquare{})
	st.env.RegisterActivity(&activities.Accounts{})
	return st
}

func (st *stayTest) mewsSucceeds() {
	st.env.OnActivity(mewsActivities.UpdateMews, mock.Anything, mock.Anything).
		Return(activities.UpdateMewsResult{CustomerID: "mews-1", CustomerAdded: true}, nil)
}

func (st *stayTest) walletSucceeds() {
	st.env.OnActivity(accountActivities.OpenAccount, mock.Anything, mock.Anything).
		Return(lifecycle.AccountView{Key: "acct-1", Balance: decimal.Zero}, nil)
	st.env.OnActivity(passquareActivities.IssueCard, mock.Anything, mock.Anything).
		Return(lifecycle.Card{AccountKey: "acct-1", Number: "1001", Track: "T1001"}, nil)
	st.env.OnActivity(accountActivities.AttachCard, mock.Anything, mock.Anything).
		Return(lifecycle.AccountView{Key: "acct-1"}, nil)
	// Passquare says the card is not installed yet when the stay asks.
	st.env.OnActivity(passquareActivities.ReadCard, mock.Anything, mock.Anything).
		Return(lifecycle.Card{AccountKey: "acct-1", Number: "1001"}, nil).Maybe()
}

// notCalled fails the test when the workflow called any of the named
// activities. It asserts on recorded calls, so the activities must be mocked
// (mewsSucceeds, walletSucceeds): an activity without a mock runs the
// registered one and the mock never hears of it, so AssertNotCalled on it
// cannot fail.
func (st *stayTest) notCalled(names ...string) {
	st.t.Helper()
	for _, name := range names {
		st.env.AssertActivityNumberOfCalls(st.t, name, 0)
	}
}

func (st *stayTest) run(g lifecycle.Guest) lifecycle.StaySummary {
	st.t.Helper()
	st.env.ExecuteWorkflow(lifecycle.StayWorkflowName, lifecycle.StayInput{Guest: g, Rules: testRules()})
	require.True(st.t, st.env.IsWorkflowCompleted())
	require.NoError(st.t, st.env.GetWorkflowError())
	var sum lifecycle.StaySummary
	require.NoError(st.t, st.env.GetWorkflowResult(&sum))
	return sum
}

// at runs f when the workflow's clock reaches start+after.
func (st *stayTest) at(after time.Duration, f func()) {
	st.env.RegisterDelayedCallback(f, after)
}

// snapshot delivers a newer snapshot as the arrivals poll does, by update;
// the stay must accept it.
func (st *stayTest) snapshot(g lifecycle.Guest) {
	st.snapshots++
	st.env.UpdateWorkflow(lifecycle.UpdateGuestSnapshot, fmt.Sprintf("snapshot-%d", st.snapshots), &updateExpectsSuccess{t: st.t}, g)
}

func (st *stayTest) status() lifecycle.StayStatus {
	st.t.Helper()
	v, err := st.env.QueryWorkflow(lifecycle.QueryStatus)
	require.NoError(st.t, err)
	var s lifecycle.StayStatus
	require.NoError(st.t, v.Get(&s))
	return s
}

func stages(times []lifecycle.StageTime) []lifecycle.Stage {
	var out []lifecycle.Stage
	for _, t := range times {
		out = append(out, t.Stage)
	}
	return out
}

func TestStayHappyPath(t *testing.T) {
	st := newStayTest(t)
	st.mewsSucceeds()
	st.walletSucceeds()
	st.at(2*time.Hour, func() {
		s := st.status()
		require.Equal(t, lifecycle.StageWalletIssued, s.Stage)
		require.Equal(t, "mews-1", s.MewsCustomer)
		require.Equal(t, "1001", s.Card.Number)
		require.Equal(t, stayEnd, s.EndsAt.UTC())
		st.env.SignalWorkflow(lifecycle.SignalCardInstalled, lifecycle.Card{AccountKey: "acct-1", Number: "1001"})
		st.env.SignalWorkflow(lifecycle.SignalScanRecorded, lifecycle.ScanRecorded{AppScanID: "s1", Status: 2})
	})
	st.at(3*time.Hour, func() {
		require.Equal(t, lifecycle.StageScansRecorded, st.status().Stage)
		st.env.SignalWorkflow(lifecycle.SignalScanRecorded, lifecycle.ScanRecorded{AppScanID: "s2", Status: 2, Credit: decimal.RequireFromString("2.50")})
		// the account may repeat a notification: it changes nothing
		st.env.SignalWorkflow(lifecycle.SignalScanRecorded, lifecycle.ScanRecorded{AppScanID: "s2", Status: 2, Credit: decimal.RequireFromString("2.50")})
	})
	st.at(4*time.Hour, func() {
		s := st.status()
		require.Equal(t, lifecycle.StageBonusCredited, s.Stage)
		require.True(t, s.Card.Installed)
	})

	sum := st.run(testGuest())

	require.Equal(t, lifecycle.StageBonusCredited, sum.FinalStage)
	require.Equal(t, []lifecycle.Stage{
		lifecycle.StageArrivalFetched, lifecycle.StageDocumentVerified, lifecycle.StageMewsUpdated,
		lifecycle.StageWalletIssued, lifecycle.StageScansRecorded, lifecycle.StageBonusCredited, lifecycle.StageCompleted,
	}, stages(sum.StageTimes))
	require.Equal(t, 2, sum.Scans)
	require.Equal(t, "2.5", sum.Credited.String())
	require.Equal(t, "1001", sum.CardNumber)
	require.Equal(t, stayEnd, sum.StageTimes[len(sum.StageTimes)-1].At.UTC(), "the stay completes at departure plus grace")
}

func TestStayIssuesCardWithNormalisedPhoneAndBranchRules(t *testing.T) {
	st := newStayTest(t)
	st.mewsSucceeds()
	var opened activities.OpenAccountInput
	st.env.OnActivity(accountActivities.OpenAccount, mock.Anything, mock.Anything).
		Run(func(args mock.Arguments) { opened = args.Get(1).(activities.OpenAccountInput) }).
		Return(lifecycle.AccountView{Key: "acct-1", Balance: decimal.RequireFromString("12.00")}, nil)
	var issued activities.IssueCardInput
	st.env.OnActivity(passquareActivities.IssueCard, mock.Anything, mock.Anything).
		Run(func(args mock.Arguments) { issued = args.Get(1).(activities.IssueCardInput) }).
		Return(lifecycle.Card{AccountKey: "acct-1", Number: "1001"}, nil)
	st.env.OnActivity(accountActivities.AttachCard, mock.Anything, mock.Anything).Return(lifecycle.AccountView{}, nil)

	st.run(testGuest())

	require.Equal(t, "+393471234567", opened.Holder.Phone, "the phone is normalised with the branch's country")
	require.Equal(t, "stay/rome/1858/3263", opened.Stay.WorkflowID)
	require.Equal(t, "acct-1", issued.AccountKey)
	require.Equal(t, "12", issued.Balance.String(), "a returning guest's balance is kept on the new card")
	require.Equal(t, "5", issued.Bonus.String())
}

func TestStayWaitsForDocumentUntilDeparture(t *testing.T) {
	st := newStayTest(t)
	st.mewsSucceeds()
	st.walletSucceeds()
	g := testGuest()
	g.Document = nil
	st.at(time.Hour, func() {
		s := st.status()
		require.Equal(t, lifecycle.StageAwaitingDocument, s.Stage)
		require.Equal(t, rules.DocumentMissing, s.Reason)
		require.NotEmpty(t, s.WaitingFor)
	})

	sum := st.run(g)

	require.Equal(t, lifecycle.StageAwaitingDocument, sum.FinalStage)
	require.Equal(t, rules.DocumentMissing, sum.Reason)
	st.notCalled("UpdateMews", "OpenAccount", "IssueCard", "AttachCard")
}

func TestStayDocumentScannedHoursLater(t *testing.T) {
	st := newStayTest(t)
	st.mewsSucceeds()
	st.walletSucceeds()
	g := testGuest()
	g.Document = nil
	st.at(5*time.Hour, func() {
		require.Equal(t, lifecycle.StageAwaitingDocument, st.status().Stage)
		// Histories recorded before the snapshot update deliver by signal.
		st.env.SignalWorkflow(lifecycle.SignalGuestSnapshot, testGuest())
	})
	st.at(6*time.Hour, func() { require.Equal(t, lifecycle.StageWalletIssued, st.status().Stage) })

	sum := st.run(g)
	require.Equal(t, lifecycle.StageWalletIssued, sum.FinalStage)
}

func TestStayExpiredDocumentThenRescan(t *testing.T) {
	st := newStayTest(t)
	st.mewsSucceeds()
	st.walletSucceeds()
	g := testGuest()
	g.Document.ExpirationDate = date(2026, time.November, 22)
	st.at(time.Hour, func() {
		s := st.status()
		require.Equal(t, lifecycle.StageNeedsAttention, s.Stage)
		require.Equal(t, rules.DocumentExpired, s.Reason)
		// the same snapshot again is refused, and changes nothing
		st.snapshot(g)
		st.env.UpdateWorkflow(lifecycle.UpdateGuestSnapshot, "same", &updateExpectsError{t: t, contains: "already has this snapshot"}, g)
		other := g
		other.CustomerID++
		st.env.UpdateWorkflow(lifecycle.UpdateGuestSnapshot, "other", &updateExpectsError{t: t, contains: "another guest"}, other)
	})
	st.at(2*time.Hour, func() {
		require.Equal(t, lifecycle.StageNeedsAttention, st.status().Stage)
		st.snapshot(testGuest()) // the renewed passport
	})
	st.at(3*time.Hour, func() { require.Equal(t, lifecycle.StageWalletIssued, st.status().Stage) })

	st.run(g)
	st.env.AssertNumberOfCalls(t, "UpdateMews", 1)
}

func TestStayStaffApproval(t *testing.T) {
	st := newStayTest(t)
	var sent activities.UpdateMewsInput
	st.env.OnActivity(mewsActivities.UpdateMews, mock.Anything, mock.Anything).
		Run(func(args mock.Arguments) { sent = args.Get(1).(activities.UpdateMewsInput) }).
		Return(activities.UpdateMewsResult{CustomerID: "mews-1"}, nil)
	st.walletSucceeds()
	g := testGuest()
	g.Document.ExpirationDate = date(2026, time.November, 1)

	st.at(30*time.Minute, func() {
		// refused: who and why are required, and the state stays as it is
		st.env.UpdateWorkflow(lifecycle.UpdateApproveDocument, "1", &updateExpectsError{t: t, contains: "who acts"}, lifecycle.StaffAction{})
		require.Equal(t, lifecycle.StageNeedsAttention, st.status().Stage)
		require.Empty(t, st.status().Approvals)
		st.env.UpdateWorkflow(lifecycle.UpdateApproveDocument, "2", &updateExpectsSuccess{t: t},
			lifecycle.StaffAction{By: "front-desk-7", Reason: "EU citizen, expired passport accepted for entry"})
	})
	st.at(time.Hour, func() {
		s := st.status()
		require.Equal(t, lifecycle.StageWalletIssued, s.Stage)
		require.Equal(t, "front-desk-7", s.Approvals[0].By)
	})

	st.run(g)
	require.Equal(t, "2026-11-01", sent.Document.ExpirationDate.String())
	require.Equal(t, "IT", sent.Document.IssuingCountry)
}

func TestStayRefusesApprovalOfMissingDocument(t *testing.T) {
	st := newStayTest(t)
	g := testGuest()
	g.Document = nil
	st.at(time.Hour, func() {
		st.env.UpdateWorkflow(lifecycle.UpdateApproveDocument, "1", &updateExpectsError{t: t, contains: "only a document"},
			lifecycle.StaffAction{By: "night-manager", Reason: "trust me"})
		st.env.UpdateWorkflow(lifecycle.UpdateRetry, "2", &updateExpectsError{t: t, contains: "nothing to retry"},
			lifecycle.StaffAction{By: "night-manager", Reason: "try again"})
	})
	sum := st.run(g)
	require.Equal(t, lifecycle.StageAwaitingDocument, sum.FinalStage)
}

func mewsRefusal() error {
	return temporal.NewApplicationErrorWithOptions("mews POST customers/add: HTTP 403 (request id r-9)", activities.ErrVendorRefused,
		temporal.ApplicationErrorOptions{NonRetryable: true, Details: []any{activities.VendorFault{
			Vendor: "mews", Status: 403, Message: "The customer's classification forbids changes.", RequestID: "r-9",
		}}})
}

func TestStayMewsRefusalGoesToStaffThenRetry(t *testing.T) {
	st := newStayTest(t)
	st.env.OnActivity(mewsActivities.UpdateMews, mock.Anything, mock.Anything).Return(activities.UpdateMewsResult{}, mewsRefusal()).Once()
	st.env.OnActivity(mewsActivities.UpdateMews, mock.Anything, mock.Anything).Return(activities.UpdateMewsResult{CustomerID: "mews-1"}, nil).Once()
	st.walletSucceeds()
	st.at(time.Hour, func() {
		s := st.status()
		require.Equal(t, lifecycle.StageNeedsAttention, s.Stage)
		require.Equal(t, lifecycle.ReasonMewsRefused, s.Reason)
		require.Equal(t, "The customer's classification forbids changes.", s.LastError, "staff see Mews' own message")
		st.env.UpdateWorkflow(lifecycle.UpdateRetry, "r1", &updateExpectsSuccess{t: t}, lifecycle.StaffAction{By: "it-desk", Reason: "classification fixed"})
	})
	st.at(2*time.Hour, func() { require.Equal(t, lifecycle.StageWalletIssued, st.status().Stage) })

	st.run(testGuest())
	st.env.AssertNumberOfCalls(t, "UpdateMews", 2) // a 403 is not retried by Temporal
}

func TestStayMewsOutageIsRetriedThenSucceeds(t *testing.T) {
	st := newStayTest(t)
	down := temporal.NewApplicationErrorWithOptions("mews POST customers/getAll: HTTP 503", activities.ErrVendorUnavailable,
		temporal.ApplicationErrorOptions{NextRetryDelay: 30 * time.Second})
	st.env.OnActivity(mewsActivities.UpdateMews, mock.Anything, mock.Anything).Return(activities.UpdateMewsResult{}, down).Times(3)
	st.env.OnActivity(mewsActivities.UpdateMews, mock.Anything, mock.Anything).Return(activities.UpdateMewsResult{CustomerID: "mews-1"}, nil).Once()
	st.walletSucceeds()

	sum := st.run(testGuest())
	require.Equal(t, lifecycle.StageWalletIssued, sum.FinalStage)
	require.Equal(t, "mews-1", sum.MewsCustomer)
	st.env.AssertNumberOfCalls(t, "UpdateMews", 4)
}

func TestStayWithoutCard(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(*lifecycle.Guest)
		reason rules.Reason
	}{
		{"no phone", func(g *lifecycle.Guest) { g.Profile.Phone = "" }, rules.NoPhone},
		{"no consent", func(g *lifecycle.Guest) { g.LoyaltyConsent = no() }, rules.NoConsent},
		{"unanswered consent means no by default", func(g *lifecycle.Guest) { g.LoyaltyConsent = nil }, rules.NoConsent},
		{"minor", func(g *lifecycle.Guest) { g.Profile.BirthDate = date(2012, time.March, 3) }, rules.Minor},
		{"phone that is not a number", func(g *lifecycle.Guest) { g.Profile.Phone = "12" }, rules.PhoneInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := newStayTest(t)
			st.mewsSucceeds()
			st.walletSucceeds()
			g := testGuest()
			tt.edit(&g)
			sum := st.run(g)
			require.Equal(t, lifecycle.StageNoWallet, sum.FinalStage)
			require.Equal(t, tt.reason, sum.NoWallet)
			st.notCalled("OpenAccount", "IssueCard", "AttachCard")
		})
	}
}

func TestStayLaterSnapshotWithPhoneIssuesCard(t *testing.T) {
	st := newStayTest(t)
	st.mewsSucceeds()
	st.walletSucceeds()
	g := testGuest()
	g.Profile.Phone = ""
	st.at(3*time.Hour, func() {
		require.Equal(t, lifecycle.StageNoWallet, st.status().Stage)
		st.snapshot(testGuest())
	})
	sum := st.run(g)
	require.Equal(t, lifecycle.StageWalletIssued, sum.FinalStage)
	require.Equal(t, "1001", sum.CardNumber)
}

func TestStaySkipWallet(t *testing.T) {
	st := newStayTest(t)
	st.mewsSucceeds()
	st.walletSucceeds()
	g := testGuest()
	g.Profile.Phone = ""
	st.at(time.Hour, func() {
		st.env.UpdateWorkflow(lifecycle.UpdateSkipWallet, "1", &updateExpectsSuccess{t: t}, lifecycle.StaffAction{By: "reception", Reason: "guest declined at the desk"})
	})
	st.at(2*time.Hour, func() {
		st.env.UpdateWorkflow(lifecycle.UpdateSkipWallet, "2", &updateExpectsError{t: t, contains: "skipped already"}, lifecycle.StaffAction{By: "reception", Reason: "again"})
		st.snapshot(testGuest()) // a phone arrives, but staff said no card
	})
	sum := st.run(g)
	require.Equal(t, lifecycle.StageNoWallet, sum.FinalStage)
	require.Equal(t, lifecycle.ReasonWalletSkipped, sum.NoWallet)
	st.notCalled("OpenAccount", "IssueCard", "AttachCard")
}

func TestStayDepartureMovedBySnapshot(t *testing.T) {
	st := newStayTest(t)
	st.mewsSucceeds()
	st.walletSucceeds()
	st.at(time.Hour, func() {
		g := testGuest()
		g.Departure = rules.Date{Year: 2026, Month: time.November, Day: 28}
		st.snapshot(g)
	})
	sum := st.run(testGuest())
	end := sum.StageTimes[len(sum.StageTimes)-1].At.UTC()
	require.Equal(t, time.Date(2026, time.November, 29, 11, 0, 0, 0, time.UTC), end)
}

func TestStayRejectsUnknownTimeZone(t *testing.T) {
	st := newStayTest(t)
	r := testRules()
	r.TimeZone = "Mars/Olympus"
	st.env.ExecuteWorkflow(lifecycle.StayWorkflowName, lifecycle.StayInput{Guest: testGuest(), Rules: r})
	var app *temporal.ApplicationError
	require.True(t, errors.As(st.env.GetWorkflowError(), &app))
	require.Equal(t, "InvalidStayInput", app.Type())
}

type updateExpectsSuccess struct{ t *testing.T }

func (u *updateExpectsSuccess) Accept()          {}
func (u *updateExpectsSuccess) Reject(err error) { u.t.Errorf("update rejected: %v", err) }
func (u *updateExpectsSuccess) Complete(_ any, err error) {
	if err != nil {
		u.t.Errorf("update failed: %v", err)
	}
}

type updateExpectsError struct {
	t        *testing.T
	contains string
}

func (u *updateExpectsError) Accept() {
	u.t.Errorf("update accepted, want refusal containing %q", u.contains)
}
func (u *updateExpectsError) Reject(err error) {
	require.ErrorContains(u.t, err, u.contains)
}
func (u *updateExpectsError) Complete(any, error) {}

// A rescan that arrives while Mews refuses the guest is verified before Mews
// sees it: an expired document goes back to staff as that, not as Mews'.
func TestStayRescanWhileMewsRefusesIsVerifiedFirst(t *testing.T) {
	st := newStayTest(t)
	st.env.OnActivity(mewsActivities.UpdateMews, mock.Anything, mock.Anything).Return(activities.UpdateMewsResult{}, mewsRefusal()).Once()
	st.env.OnActivity(mewsActivities.UpdateMews, mock.Anything, mock.Anything).Return(activities.UpdateMewsResult{CustomerID: "mews-1"}, nil).Once()
	st.walletSucceeds()
	expired := testGuest()
	expired.Document.Number = "YA7654321"
	expired.Document.ExpirationDate = date(2026, time.October, 1)
	st.at(time.Hour, func() {
		require.Equal(t, lifecycle.ReasonMewsRefused, st.status().Reason)
		st.snapshot(expired)
	})
	st.at(2*time.Hour, func() {
		s := st.status()
		require.Equal(t, lifecycle.StageNeedsAttention, s.Stage)
		require.Equal(t, rules.DocumentExpired, s.Reason)
		renewed := testGuest()
		renewed.Document.Number = "YB0000001"
		st.snapshot(renewed)
	})
	st.at(3*time.Hour, func() { require.Equal(t, lifecycle.StageWalletIssued, st.status().Stage) })

	st.run(testGuest())
	st.env.AssertNumberOfCalls(t, "UpdateMews", 2)
}

// A rescan that arrives while Mews is down is verified before Mews sees
// it: an expired document goes to staff, and Mews never gets it.
func TestStayRescanDuringMewsOutageIsVerifiedFirst(t *testing.T) {
	st := newStayTest(t)
	down := temporal.NewApplicationError("mews POST customers/getAll: HTTP 503", activities.ErrVendorUnavailable)
	var sent []string
	st.env.OnActivity(mewsActivities.UpdateMews, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.UpdateMewsInput) (activities.UpdateMewsResult, error) {
			if st.env.Now().Before(startTime.Add(4 * time.Hour)) {
				return activities.UpdateMewsResult{}, down
			}
			sent = append(sent, in.Document.Number)
			return activities.UpdateMewsResult{CustomerID: "mews-1"}, nil
		})
	st.walletSucceeds()
	expired := testGuest()
	expired.Document.Number = "YA7654321"
	expired.Document.ExpirationDate = date(2026, time.October, 1)
	st.at(150*time.Minute, func() {
		require.Equal(t, lifecycle.ReasonMewsUnavailable, st.status().Reason)
		st.snapshot(expired)
	})
	st.at(6*time.Hour, func() {
		s := st.status()
		require.Equal(t, lifecycle.StageNeedsAttention, s.Stage)
		require.Equal(t, rules.DocumentExpired, s.Reason)
	})

	sum := st.run(testGuest())
	require.Equal(t, rules.DocumentExpired, sum.Reason)
	require.Empty(t, sent, "nothing was written to Mews for the expired document")
}

// endingStay is a stay whose account news waits in its channels when it
// ends, as it does when a signal comes in the same workflow task as the
// departure's timer (the test environment always delivers them apart).
func endingStay(ctx workflow.Context, in lifecycle.StayInput) (lifecycle.StaySummary, error) {
	s := &stay{id: "stay/test", rules: in.Rules, guest: in.Guest, loc: time.UTC, logger: workflow.GetLogger(ctx)}
	s.status = lifecycle.StayStatus{WorkflowID: s.id, StageTimes: []lifecycle.StageTime{}}
	s.installs = workflow.GetSignalChannel(ctx, lifecycle.SignalCardInstalled)
	s.scans = workflow.GetSignalChannel(ctx, lifecycle.SignalScanRecorded)
	if err := workflow.Sleep(ctx, time.Hour); err != nil {
		return lifecycle.StaySummary{}, err
	}
	return s.complete(ctx), nil
}

// A scan the account reports as the stay ends is in the stay's summary.
func TestStayEndReadsTheAccountsLastNews(t *testing.T) {
	st := newStayTest(t)
	st.env.RegisterWorkflowWithOptions(endingStay, workflow.RegisterOptions{Name: "EndingStay"})
	st.at(time.Minute, func() {
		st.env.SignalWorkflow(lifecycle.SignalCardInstalled, lifecycle.Card{AccountKey: "acct-1", Number: "1001"})
		st.env.SignalWorkflow(lifecycle.SignalScanRecorded, lifecycle.ScanRecorded{AppScanID: "last", Status: 2, Credit: decimal.RequireFromString("1.50")})
	})
	st.env.ExecuteWorkflow("EndingStay", lifecycle.StayInput{Guest: testGuest(), Rules: testRules()})
	require.NoError(t, st.env.GetWorkflowError())
	var sum lifecycle.StaySummary
	require.NoError(t, st.env.GetWorkflowResult(&sum))
	require.Equal(t, 1, sum.Scans)
	require.Equal(t, "1.5", sum.Credited.String())
	require.Equal(t, "1001", sum.CardNumber)
	require.Equal(t, lifecycle.StageBonusCredited, sum.FinalStage)
}

// Passquare may answer an issuance without a card number: the stay waits
// for the guest to install the card (the account tells it) and is issued
// then, without attaching an empty card to the account.
func TestStayCardIssuedWithoutNumberWaitsForTheInstall(t *testing.T) {
	st := newStayTest(t)
	st.mewsSucceeds()
	st.env.OnActivity(accountActivities.OpenAccount, mock.Anything, mock.Anything).
		Return(lifecycle.AccountView{Key: "acct-1", Balance: decimal.Zero}, nil)
	st.env.OnActivity(passquareActivities.IssueCard, mock.Anything, mock.Anything).
		Return(lifecycle.Card{AccountKey: "acct-1", Pending: true, FormURL: "https://form.example/x"}, nil)
	st.env.OnActivity(accountActivities.AttachCard, mock.Anything, mock.Anything).
		Return(lifecycle.AccountView{Key: "acct-1"}, nil).Maybe()
	st.at(time.Hour, func() {
		s := st.status()
		require.Equal(t, lifecycle.StageMewsUpdated, s.Stage)
		require.Contains(t, s.WaitingFor, "install")
		require.True(t, s.Card.Pending)
		st.env.SignalWorkflow(lifecycle.SignalCardInstalled, lifecycle.Card{AccountKey: "acct-1", Number: "1001", Track: "T1001", Installed: true})
	})
	st.at(2*time.Hour, func() {
		s := st.status()
		require.Equal(t, lifecycle.StageWalletIssued, s.Stage)
		require.Equal(t, "1001", s.Card.Number)
		require.False(t, s.Card.Pending)
	})

	sum := st.run(testGuest())
	require.Equal(t, "1001", sum.CardNumber)
	st.notCalled("AttachCard")
}

// A fixed-line number keeps the card out with its own reason, the status
// says which rule (never the number), and staff can issue the card anyway.
func TestStayFixedLinePhoneStaffIssueTheCardAnyway(t *testing.T) {
	st := newStayTest(t)
	st.mewsSucceeds()
	var issuedTo []string
	st.env.OnActivity(accountActivities.OpenAccount, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.OpenAccountInput) (lifecycle.AccountView, error) {
			issuedTo = append(issuedTo, in.Holder.Phone)
			return lifecycle.AccountView{Key: "acct-1", Balance: decimal.Zero}, nil
		})
	st.env.OnActivity(passquareActivities.IssueCard, mock.Anything, mock.Anything).
		Return(lifecycle.Card{AccountKey: "acct-1", Number: "1001"}, nil)
	st.env.OnActivity(accountActivities.AttachCard, mock.Anything, mock.Anything).
		Return(lifecycle.AccountView{Key: "acct-1"}, nil)
	g := testGuest()
	g.Profile.Phone = "06 6988 1234" // a Rome landline
	st.at(time.Hour, func() {
		s := st.status()
		require.Equal(t, lifecycle.StageNoWallet, s.Stage)
		require.Equal(t, rules.PhoneFixedLine, s.Reason)
		require.Contains(t, s.LastError, "fixed line")
		require.NotContains(t, s.LastError, "6988")
		require.Contains(t, s.WaitingFor, "issue-wallet")
		// The Web UI's page of the stay says the same (current details).
		v, err := st.env.QueryWorkflow("__temporal_workflow_metadata")
		require.NoError(t, err)
		var meta sdkpb.WorkflowMetadata
		require.NoError(t, v.Get(&meta))
		require.Contains(t, meta.GetCurrentDetails(), "Stage: NoWallet (PhoneFixedLine)")
		require.Contains(t, meta.GetCurrentDetails(), "starter issue-wallet")
		require.NotContains(t, meta.GetCurrentDetails(), "6988")
		st.env.UpdateWorkflow(lifecycle.UpdateIssueWallet, "force", &updateExpectsSuccess{t: t},
			lifecycle.StaffAction{By: "reception, Marta", Reason: "guest confirmed the landline takes SMS"})
	})
	st.at(2*time.Hour, func() {
		require.Equal(t, lifecycle.StageWalletIssued, st.status().Stage)
		st.env.UpdateWorkflow(lifecycle.UpdateIssueWallet, "again", &updateExpectsError{t: t, contains: "only a card kept"},
			lifecycle.StaffAction{By: "reception", Reason: "twice"})
	})

	st.run(g)
	require.Equal(t, []string{"+390669881234"}, issuedTo)
}

// A card issuance whose answers were lost returns after the guest installed
// the card and used it: the stay stays at BonusCredited, never back at
// WalletIssued.
func TestStayStageNeverGoesBack(t *testing.T) {
	st := newStayTest(t)
	st.mewsSucceeds()
	st.env.OnActivity(accountActivities.OpenAccount, mock.Anything, mock.Anything).
		Return(lifecycle.AccountView{Key: "acct-1", Balance: decimal.Zero}, nil)
	lost := temporal.NewApplicationError("passquare POST crm/user_create_or_update: no response", activities.ErrVendorUnavailable)
	st.env.OnActivity(passquareActivities.IssueCard, mock.Anything, mock.Anything).Return(lifecycle.Card{}, lost).Times(3)
	st.env.OnActivity(passquareActivities.IssueCard, mock.Anything, mock.Anything).
		Return(lifecycle.Card{AccountKey: "acct-1", Number: "1001"}, nil).Once()
	st.env.OnActivity(accountActivities.AttachCard, mock.Anything, mock.Anything).
		Return(lifecycle.AccountView{Key: "acct-1"}, nil)
	st.at(20*time.Second, func() { // between the issuance's retries
		st.env.SignalWorkflow(lifecycle.SignalCardInstalled, lifecycle.Card{AccountKey: "acct-1", Number: "1001", Installed: true})
		st.env.SignalWorkflow(lifecycle.SignalScanRecorded, lifecycle.ScanRecorded{
			AppScanID: "s1", Status: 3, Credit: decimal.RequireFromString("5")})
	})
	st.at(time.Hour, func() {
		s := st.status()
		require.Equal(t, lifecycle.StageBonusCredited, s.Stage)
		require.NotContains(t, stages(s.StageTimes)[len(s.StageTimes)-1:], lifecycle.StageWalletIssued)
	})

	sum := st.run(testGuest())
	require.Equal(t, lifecycle.StageBonusCredited, sum.FinalStage)
	st.env.AssertActivityNumberOfCalls(t, "IssueCard", 4)
}

// An install whose createCustomer hook never arrived (refused while
// Temporal was down) is found at Passquare and delivered to the account;
// once the account reports it, the stay stops asking.
func TestStayConfirmsAnInstallNoHookReported(t *testing.T) {
	st := newStayTest(t)
	st.mewsSucceeds()
	st.env.OnActivity(accountActivities.OpenAccount, mock.Anything, mock.Anything).
		Return(lifecycle.AccountView{Key: "acct-1", Balance: decimal.Zero}, nil)
	st.env.OnActivity(passquareActivities.IssueCard, mock.Anything, mock.Anything).
		Return(lifecycle.Card{AccountKey: "acct-1", Number: "1001", Track: "T1001"}, nil)
	st.env.OnActivity(accountActivities.AttachCard, mock.Anything, mock.Anything).
		Return(lifecycle.AccountView{Key: "acct-1"}, nil)
	st.env.OnActivity(passquareActivities.ReadCard, mock.Anything, mock.Anything).
		Return(lifecycle.Card{AccountKey: "acct-1", Number: "1001", Track: "T1001", Installed: true}, nil)
	var delivered []activities.InstallCardInput
	st.env.OnActivity(accountActivities.InstallCard, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.InstallCardInput) error {
			delivered = append(delivered, in)
			return nil
		})
	st.at(90*time.Minute, func() {
		require.Len(t, delivered, 1, "the install found at Passquare reached the account")
		require.Equal(t, "1001", delivered[0].Card.Number)
		require.Equal(t, "+393471234567", delivered[0].Holder.Phone)
		// The account reports the install to the stay, as it does.
		st.env.SignalWorkflow(lifecycle.SignalCardInstalled, lifecycle.Card{AccountKey: "acct-1", Number: "1001", Installed: true})
	})
	st.run(testGuest())
	st.env.AssertActivityNumberOfCalls(t, "ReadCard", 1)
	require.Len(t, delivered, 1)
}

// The history reads as the stay's story: a Mews outage retried hourly
// upserts its search attributes once, not once an hour.
func TestStayUpsertsSearchAttributesOnlyOnChange(t *testing.T) {
	st := newStayTest(t)
	down := temporal.NewApplicationError("mews POST customers/getAll: HTTP 503", activities.ErrVendorUnavailable)
	st.env.OnActivity(mewsActivities.UpdateMews, mock.Anything, mock.Anything).Return(
		func(context.Context, activities.UpdateMewsInput) (activities.UpdateMewsResult, error) {
			if st.env.Now().Before(startTime.Add(8 * time.Hour)) {
				return activities.UpdateMewsResult{}, down
			}
			return activities.UpdateMewsResult{CustomerID: "mews-1"}, nil
		})
	st.walletSucceeds()
	var upserts []string
	st.env.OnUpsertTypedSearchAttributes(mock.Anything).Run(func(args mock.Arguments) {
		sa := args.Get(0).(temporal.SearchAttributes)
		if v, ok := sa.GetKeyword(lifecycle.StuckReasonKey); ok {
			upserts = append(upserts, v)
		}
	}).Return(nil)
	sum := st.run(testGuest())
	require.Equal(t, lifecycle.StageWalletIssued, sum.FinalStage)
	require.Equal(t, []string{string(lifecycle.ReasonMewsUnavailable)}, upserts, "one upsert for the whole outage")
}

// After Mews stayed down for a whole window, the stay probes it every few
// minutes and moves on soon after Mews is back; stays recorded before
// mews-outage-probe keep waiting an hour between windows.
func TestStayProbesMewsAfterAnOutage(t *testing.T) {
	for _, tc := range []struct {
		version workflow.Version
		after   lifecycle.Stage // 20 minutes after Mews is back
	}{
		{1, lifecycle.StageWalletIssued},
		{workflow.DefaultVersion, lifecycle.StageNeedsAttention},
	} {
		t.Run(fmt.Sprintf("version %d", tc.version), func(t *testing.T) {
			st := newStayTest(t)
			// A stay recorded before these changes asks for each version;
			// a current one runs them all.
			st.env.OnGetVersion(searchAttributesPerTask, workflow.DefaultVersion, 1).Return(tc.version)
			st.env.OnGetVersion(mewsOutageProbe, workflow.DefaultVersion, 1).Return(tc.version)
			down := temporal.NewApplicationError("mews POST customers/getAll: HTTP 503", activities.ErrVendorUnavailable)
			back := startTime.Add(150 * time.Minute)
			st.env.OnActivity(mewsActivities.UpdateMews, mock.Anything, mock.Anything).Return(
				func(context.Context, activities.UpdateMewsInput) (activities.UpdateMewsResult, error) {
					if st.env.Now().Before(back) {
						return activities.UpdateMewsResult{}, down
					}
					return activities.UpdateMewsResult{CustomerID: "mews-1"}, nil
				})
			st.walletSucceeds()
			st.at(140*time.Minute, func() {
				require.Equal(t, lifecycle.ReasonMewsUnavailable, st.status().Reason, "parked after the whole window")
			})
			st.at(170*time.Minute, func() {
				require.Equal(t, tc.after, st.status().Stage)
			})
			sum := st.run(testGuest())
			require.Equal(t, lifecycle.StageWalletIssued, sum.FinalStage)
		})
	}
}

// A new guest's stay started by the arrivals poll (branch, arrival date and
// ArrivalFetched in the start) writes its search attributes once per
// workflow task: the first task, which verifies the document, writes only
// DocumentVerified, and nothing writes the branch or the arrival date again.
func TestStayWritesSearchAttributesOncePerTask(t *testing.T) {
	st := newStayTest(t)
	rome, _ := time.LoadLocation("Europe/Rome")
	require.NoError(t, st.env.SetTypedSearchAttributesOnStart(temporal.NewSearchAttributes(
		lifecycle.BranchIDKey.ValueSet("rome"),
		lifecycle.ArrivalDateKey.ValueSet(arrivalDay.At(rome, 0)),
		lifecycle.GuestStageKey.ValueSet(string(lifecycle.StageArrivalFetched)))))
	st.mewsSucceeds()
	st.walletSucceeds()
	var writes []string // each write's keys, GuestStage with its value
	st.env.OnUpsertTypedSearchAttributes(mock.Anything).Run(func(args mock.Arguments) {
		sa := args.Get(0).(temporal.SearchAttributes)
		var keys []string
		for k := range sa.GetUntypedValues() {
			keys = append(keys, k.GetName())
		}
		slices.Sort(keys)
		w := strings.Join(keys, ",")
		if v, ok := sa.GetKeyword(lifecycle.GuestStageKey); ok {
			w += "=" + v
		}
		writes = append(writes, w)
	}).Return(nil)
	sum := st.run(testGuest())
	require.Equal(t, lifecycle.StageWalletIssued, sum.FinalStage)
	require.Equal(t, []string{
		"GuestStage=DocumentVerified", "GuestStage=MewsUpdated", "GuestStage=WalletIssued", "GuestStage=Completed",
	}, writes)
}
