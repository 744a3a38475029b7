package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/guestflow/guestflow/activities"
	"github.com/guestflow/guestflow/lifecycle"
)

// DeviceScan records a scan posted by a hotel's own point-of-sale device at
// Passcreator, then credits it to the account holding the card. Its
// workflow id is the device's scan id, so however often and to whichever
// webhook replica the device posts the scan, it is recorded once; the
// webhook waits for this result to answer the device.
//
// The account receives the scan under the appScanId Passcreator assigned,
// the id the scan sync and Passcreator's webhook deliver it under later, so
// it is credited once whichever arrives first.
func DeviceScan(ctx workflow.Context, in lifecycle.DeviceScan) (lifecycle.DeviceScanResult, error) {
	res := lifecycle.DeviceScanResult{DeviceScanID: in.DeviceScanID}
	takenIn := workflow.Now(ctx)
	workflow.SetCurrentDetails(ctx, "Recording the scan at Passcreator; the device is told to send it again until it is")

	// While Passcreator is down the device is told to retry, and its
	// retries join this run, for up to a day. This run is the only one the
	// scan id ever gets (lifecycle.RecordDeviceScan), and every attempt
	// dates the scan takenIn and looks for it from before takenIn, so the
	// look-back covers the run's whole life however long it lasts.
	recordCtx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		Summary: "Record the device's scan at Passcreator",
		// Room for a call retried inside the attempt (about 30 s at most),
		// heartbeating while it waits.
		StartToCloseTimeout:    2 * time.Minute,
		HeartbeatTimeout:       time.Minute,
		ScheduleToCloseTimeout: 24 * time.Hour,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: 5 * time.Minute,
			NonRetryableErrorTypes: []string{activities.ErrVendorRefused, activities.ErrInvalidInput},
		},
	})
	var scan lifecycle.Scan
	if err := workflow.ExecuteActivity(recordCtx, passcreatorActivities.RecordDeviceScan,
		activities.RecordDeviceScanInput{Scan: in, At: takenIn}).Get(ctx, &scan); err != nil {
		return res, err
	}
	res.AppScanID, res.ScanStatus, res.RecordedAt = scan.AppScanID, scan.Status, scan.At
	workflow.SetCurrentDetails(ctx, "Recorded at Passcreator as app scan "+scan.AppScanID+"; crediting the card's account")

	// Once the scan is recorded the run must not fail, or a device's retry
	// would start another run and record it again; only Temporal itself can
	// be in the way here, so it is retried for as long as it takes.
	deliverCtx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		Summary:                "Credit the scan to the card's loyalty account",
		StartToCloseTimeout:    10 * time.Second,
		ScheduleToCloseTimeout: 24 * time.Hour,
		RetryPolicy:            &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: 30 * time.Second},
	})
	if err := workflow.ExecuteActivity(deliverCtx, passcreatorActivities.DeliverScan, scan).Get(ctx, &res.AccountFound); err != nil {
		return res, err
	}
	return res, nil
}
