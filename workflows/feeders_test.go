package workflows

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/guestflow/guestflow/activities"
	"github.com/guestflow/guestflow/lifecycle"
)

func feederEnv(t *testing.T, start time.Time) *testsuite.TestWorkflowEnvironment {
	var s testsuite.WorkflowTestSuite
	s.SetLogger(sdklog.NewStructuredLogger(slog.New(slog.DiscardHandler)))
	env := s.NewTestWorkflowEnvironment()
	env.SetStartTime(start)
	Register(env)
	env.RegisterActivity(&activities.PassportScan{})
	env.RegisterActivity(&activities.Passcreator{})
	return env
}

// The days polled are the branch's own: at 23:30 UTC it is already the next
// day in Rome. Changes are asked for today only, the full read covers
// tomorrow and yesterday too (a document scanned after its arrival day).
func TestPollArrivalsDatesInTheBranchTimeZone(t *testing.T) {
	tests := []struct {
		name      string
		start     time.Time
		full      bool
		wantDates []string
		wantAll   bool
	}{
		{"changes, morning", time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC), false, []string{"2026-11-23"}, false},
		{"changes, after midnight in Rome", time.Date(2026, 11, 23, 23, 30, 0, 0, time.UTC), false, []string{"2026-11-24"}, false},
		{"full read", time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC), true, []string{"2026-11-23", "2026-11-24", "2026-11-22"}, true},
		{"full read at year end", time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC), true, []string{"2027-01-01", "2027-01-02", "2026-12-31"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := feederEnv(t, tt.start)
			var got activities.PollArrivalsInput
			env.OnActivity(passportScanActivities.FetchArrivals, mock.Anything, mock.Anything).
				Run(func(args mock.Arguments) { got = args.Get(1).(activities.PollArrivalsInput) }).
				Return(activities.FetchArrivalsResult{}, nil)
			env.ExecuteWorkflow(lifecycle.PollArrivalsWorkflowName, lifecycle.PollArrivals{BranchID: "rome", TimeZone: "Europe/Rome", Full: tt.full})
			require.NoError(t, env.GetWorkflowError())
			require.Equal(t, tt.wantDates, got.Dates)
			require.Equal(t, tt.wantAll, got.AllCustomers)
		})
	}
}

// Each scan sync starts before the previous run's newest scan by the
// lookback (at least a minute, createdSince's resolution), and hands the
// newest scan it saw on as the next watermark; a run that saw nothing keeps
// the old one.
func TestSyncScansWatermark(t *testing.T) {
	start := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	last := time.Date(2026, 11, 23, 9, 58, 40, 0, time.UTC)
	tests := []struct {
		name      string
		previous  *lifecycle.ScanWatermark
		lookback  time.Duration
		latest    time.Time
		wantSince time.Time
		wantMark  time.Time
	}{
		{"first run reads a day", nil, 10 * time.Minute, last, start.Add(-24 * time.Hour), last},
		{"overlap by the lookback", &lifecycle.ScanWatermark{At: last}, 10 * time.Minute, last.Add(time.Minute), last.Add(-10 * time.Minute), last.Add(time.Minute)},
		{"at least a minute", &lifecycle.ScanWatermark{At: last}, 0, last, last.Add(-time.Minute), last},
		{"nothing new keeps the mark", &lifecycle.ScanWatermark{At: last}, 5 * time.Minute, time.Time{}, last.Add(-5 * time.Minute), last},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := feederEnv(t, start)
			if tt.previous != nil {
				env.SetLastCompletionResult(*tt.previous)
			}
			var got activities.SyncScansInput
			env.OnActivity(passcreatorActivities.SyncScans, mock.Anything, mock.Anything).
				Run(func(args mock.Arguments) { got = args.Get(1).(activities.SyncScansInput) }).
				Return(activities.SyncScansResult{Latest: tt.latest, Scans: 3, Delivered: 2, Unknown: 1}, nil)
			env.ExecuteWorkflow(lifecycle.SyncScansWorkflowName, lifecycle.SyncScans{AppConfigurationID: "cfg", Lookback: tt.lookback})
			require.NoError(t, env.GetWorkflowError())
			var mark lifecycle.ScanWatermark
			require.NoError(t, env.GetWorkflowResult(&mark))
			require.True(t, got.Since.Equal(tt.wantSince), "since %v, want %v", got.Since, tt.wantSince)
			require.True(t, mark.At.Equal(tt.wantMark), "watermark %v, want %v", mark.At, tt.wantMark)
			require.Equal(t, 1, mark.Unknown)
		})
	}
}

func TestBackfillRefusesABadRange(t *testing.T) {
	env := feederEnv(t, time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC))
	env.ExecuteWorkflow(lifecycle.BackfillArrivalsWorkflowName, lifecycle.BackfillArrivals{
		BranchID: "rome", From: arrivalDay, To: arrivalDay.AddDays(-1),
	})
	require.ErrorContains(t, env.GetWorkflowError(), "From <= To")
}

// A device scan is recorded under the time the workflow took it in, then
// delivered; a refusal by Passcreator fails the run without delivering,
// and a delivery that fails for a while is retried, never failing a run
// whose scan is recorded.
func TestDeviceScan(t *testing.T) {
	start := time.Date(2026, 11, 23, 19, 42, 7, 0, time.UTC)
	in := lifecycle.DeviceScan{DeviceScanID: "till-1/42", BranchID: "rome", AppConfigurationID: "cfg", Barcode: "C-1", Value: decimal.RequireFromString("9.90")}
	recorded := lifecycle.Scan{AppScanID: "scan-1", BranchID: "rome", Barcode: "C-1", Status: 2, At: start}
	refused := temporal.NewNonRetryableApplicationError("passcreator POST /api/appscan: 400", activities.ErrVendorRefused, nil)
	unavailable := temporal.NewApplicationError("temporal visibility unavailable", "Unavailable")
	tests := []struct {
		name        string
		recordErr   error
		deliverErrs int // deliveries failing before one succeeds
		want        lifecycle.DeviceScanResult
		wantErr     string
	}{
		{name: "recorded and credited", want: lifecycle.DeviceScanResult{DeviceScanID: "till-1/42", AppScanID: "scan-1", ScanStatus: 2, RecordedAt: start, AccountFound: true}},
		{name: "delivery retried", deliverErrs: 3, want: lifecycle.DeviceScanResult{DeviceScanID: "till-1/42", AppScanID: "scan-1", ScanStatus: 2, RecordedAt: start, AccountFound: true}},
		{name: "refused by Passcreator", recordErr: refused, wantErr: "400"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := feederEnv(t, start)
			var got activities.RecordDeviceScanInput
			env.OnActivity(passcreatorActivities.RecordDeviceScan, mock.Anything, mock.Anything).
				Run(func(args mock.Arguments) { got = args.Get(1).(activities.RecordDeviceScanInput) }).
				Return(recorded, tt.recordErr)
			deliveries := 0
			env.OnActivity(passcreatorActivities.DeliverScan, mock.Anything, mock.Anything).
				Return(func(_ context.Context, scan lifecycle.Scan) (bool, error) {
					if scan.AppScanID != recorded.AppScanID {
						return false, temporal.NewNonRetryableApplicationError("delivered "+scan.AppScanID, "Test", nil)
					}
					if deliveries++; deliveries <= tt.deliverErrs {
						return false, unavailable
					}
					return true, nil
				})
			env.ExecuteWorkflow(lifecycle.DeviceScanWorkflowName, in)
			require.True(t, got.Scan.Value.Equal(in.Value), "value %s", got.Scan.Value)
			got.Scan.Value = in.Value
			require.Equal(t, in, got.Scan)
			require.True(t, got.At.Equal(start), "recorded at %v, want the workflow's start %v", got.At, start)
			if tt.wantErr != "" {
				require.ErrorContains(t, env.GetWorkflowError(), tt.wantErr)
				require.Zero(t, deliveries)
				return
			}
			require.NoError(t, env.GetWorkflowError())
			var res lifecycle.DeviceScanResult
			require.NoError(t, env.GetWorkflowResult(&res))
			require.Equal(t, tt.want, res)
			require.Equal(t, tt.deliverErrs+1, deliveries)
		})
	}
}

// The sync hands the scans the previous run handled to the activity, and
// keeps for the next run every scan it listed, whatever its time (the list
// returns scans modified since, however old).
func TestSyncScansRemembersWhatTheNextRunReReads(t *testing.T) {
	start := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	last := start.Add(-2 * time.Minute)
	previous := []lifecycle.SeenScan{{AppScanID: "a", At: last.Add(-10 * time.Minute)}}
	env := feederEnv(t, start)
	env.SetLastCompletionResult(lifecycle.ScanWatermark{At: last, Seen: previous})
	var got activities.SyncScansInput
	env.OnActivity(passcreatorActivities.SyncScans, mock.Anything, mock.Anything).
		Run(func(args mock.Arguments) { got = args.Get(1).(activities.SyncScansInput) }).
		Return(activities.SyncScansResult{Latest: start.Add(-30 * time.Second), Scans: 3, Delivered: 2, Repeated: 1, Seen: []lifecycle.SeenScan{
			{AppScanID: "a", At: last.Add(-10 * time.Minute)},                // modified since: listed again
			{AppScanID: "b", At: start.Add(-5*time.Minute - 50*time.Second)}, // in the minute the next window starts in
			{AppScanID: "c", At: start.Add(-30 * time.Second), Unknown: true},
		}}, nil)
	env.ExecuteWorkflow(lifecycle.SyncScansWorkflowName, lifecycle.SyncScans{AppConfigurationID: "cfg", Lookback: 5 * time.Minute})
	require.NoError(t, env.GetWorkflowError())
	require.Equal(t, previous, got.Seen)
	var mark lifecycle.ScanWatermark
	require.NoError(t, env.GetWorkflowResult(&mark))
	var kept []string
	for _, sc := range mark.Seen {
		kept = append(kept, sc.AppScanID)
	}
	require.Equal(t, []string{"a", "b", "c"}, kept)
	require.True(t, mark.Seen[2].Unknown)
}
