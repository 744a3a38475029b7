package lifecycle

import (
	"context"
	"time"

	"github.com/shopspring/decimal"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
)

// DeviceScanWorkflowName records one scan posted by a hotel's own
// point-of-sale device.
const DeviceScanWorkflowName = "DeviceScan"

// DeviceScanWorkflowID is stable for a device's scan id at a branch, so
// every post of that scan, to any webhook replica, reaches one workflow.
func DeviceScanWorkflowID(branchID, deviceScanID string) string {
	return "device-scan/" + branchID + "/" + deviceScanID
}

// DeviceScan is a scan a device posted to the webhook's intake, checked.
type DeviceScan struct {
	DeviceScanID       string          `json:"deviceScanId"`
	BranchID           string          `json:"branchId"`
	AppConfigurationID string          `json:"appConfigurationId"`
	Barcode            string          `json:"barcode"` // the card number or track read
	Value              decimal.Decimal `json:"value"`
	// Status is no longer read: a device scan is recorded as 3 (pass not
	// found), since guestflow's cards are not Passcreator passes. It stays
	// so that DeviceScan workflows started with it decode their input.
	Status *int `json:"status,omitempty"`
}

// DeviceScanResult is what the device is answered.
type DeviceScanResult struct {
	DeviceScanID string    `json:"deviceScanId"`
	AppScanID    string    `json:"appScanId"`
	ScanStatus   int       `json:"scanStatus"`
	RecordedAt   time.Time `json:"recordedAt"`
	// AccountFound is false when no loyalty account holds the card: the
	// scan is recorded at Passcreator but earns no one anything.
	AccountFound bool `json:"accountFound"`
}

// RecordDeviceScan runs the scan's DeviceScan workflow on taskQueue, or
// joins the one already running or closed for the same scan id, and waits
// for its result. A scan id gets one run within the namespace's retention,
// even when that run failed: a second run could not know what the first
// recorded before it failed. So a device repeating a post gets the first
// post's result, and nothing is recorded twice.
func RecordDeviceScan(ctx context.Context, c client.Client, taskQueue string, scan DeviceScan) (DeviceScanResult, error) {
	var res DeviceScanResult
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                       DeviceScanWorkflowID(scan.BranchID, scan.DeviceScanID),
		TaskQueue:                taskQueue,
		WorkflowIDConflictPolicy: enums.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		WorkflowIDReusePolicy:    enums.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		TypedSearchAttributes:    temporal.NewSearchAttributes(BranchIDKey.ValueSet(scan.BranchID)),
		StaticSummary:            "Device scan " + scan.DeviceScanID + " at " + scan.BranchID,
	}, DeviceScanWorkflowName, scan)
	if err != nil {
		return res, err
	}
	return res, run.Get(ctx, &res)
}
