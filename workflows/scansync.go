package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/guestflow/guestflow/activities"
	"github.com/guestflow/guestflow/lifecycle"
)

var passcreatorActivities *activities.Passcreator

// firstSyncWindow is how far back the very first scan sync reads.
const firstSyncWindow = 24 * time.Hour

// SyncScans delivers the outlet scans of one app configuration made since
// the previous run's watermark. The Schedule hands the watermark over as the
// last completion result, so a failed run moves nothing and the next one
// reads again from the same point; the overlap it reads twice is dropped by
// the accounts, which record each appScanId once.
func SyncScans(ctx workflow.Context, in lifecycle.SyncScans) (lifecycle.ScanWatermark, error) {
	var last lifecycle.ScanWatermark
	if workflow.HasLastCompletionResult(ctx) {
		if err := workflow.GetLastCompletionResult(ctx, &last); err != nil {
			return last, err
		}
	}
	since := workflow.Now(ctx).Add(-firstSyncWindow)
	if !last.At.IsZero() {
		// createdSince has minute resolution: start a minute early at least.
		since = last.At.Add(-max(in.Lookback, time.Minute))
	}

	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		Summary:                "List outlet scans at Passcreator and credit them to the cards' accounts",
		StartToCloseTimeout:    5 * time.Minute,
		HeartbeatTimeout:       time.Minute,
		ScheduleToCloseTimeout: 15 * time.Minute,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval: 5 * time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute,
			NonRetryableErrorTypes: []string{activities.ErrVendorRefused, activities.ErrInvalidInput},
		},
	})
	var res activities.SyncScansResult
	if err := workflow.ExecuteActivity(ctx, passcreatorActivities.SyncScans, activities.SyncScansInput{
		AppConfigurationID: in.AppConfigurationID, Since: since, Seen: last.Seen,
	}).Get(ctx, &res); err != nil {
		return last, err
	}
	next := lifecycle.ScanWatermark{At: last.At, Scans: res.Scans, Delivered: res.Delivered, Unknown: res.Unknown}
	if res.Latest.After(next.At) {
		next.At = res.Latest
	}
	// The listing returns scans created or modified since, so a scan's
	// time says nothing of whether the next run lists it again: remember
	// every appScanId this run listed.
	next.Seen = res.Seen
	return next, nil
}
