package activities

import (
	"context"
	"errors"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/vendors/passcreator"
)

// DeviceName is the deviceName a device's scan is recorded under at
// Passcreator. It is how a retried recording finds the scan an earlier
// attempt created, and how staff find a device's scan at Passcreator.
func DeviceName(deviceScanID string) string { return "guestflow-intake:" + deviceScanID }

// RecordDeviceScanInput is a device's scan and the time guestflow took it
// in, which the scan is recorded under at Passcreator.
type RecordDeviceScanInput struct {
	Scan lifecycle.DeviceScan `json:"scan"`
	At   time.Time            `json:"at"`
}

// recordedLookback is how far before the run's intake time RecordDeviceScan
// looks for a scan an earlier attempt created. Every attempt of the run
// dates the scan at that intake time, and the scan id has no other run
// (lifecycle.RecordDeviceScan), so a margin for clocks is all it needs.
const recordedLookback = 2 * time.Hour

// RecordDeviceScan records a device's scan at Passcreator (POST
// /api/appscan) as a scan of a barcode Passcreator did not issue (status 3,
// passId null) and returns it, with the status Passcreator settled on, as
// the account will credit it. An attempt
// whose answer was lost, or an earlier run that failed later, may already
// have created the scan, so every attempt first looks for it by its
// deviceName.
func (a *Passcreator) RecordDeviceScan(ctx context.Context, in RecordDeviceScanInput) (lifecycle.Scan, error) {
	outlet, ok := a.Outlets[in.Scan.AppConfigurationID]
	if !ok || outlet.BranchID != in.Scan.BranchID {
		return lifecycle.Scan{}, invalidInput("app configuration " + in.Scan.AppConfigurationID + " belongs to no configured branch")
	}
	scan := outlet.scan(in.Scan.Barcode, in.At)
	scan.Value = &in.Scan.Value
	ctx = vendorCalls(ctx, nil)

	earlier, err := a.Client.AllAppScans(ctx, in.Scan.AppConfigurationID, in.At.Add(-recordedLookback), a.Location)
	if err != nil {
		return scan, vendorFailure(err)
	}
	for _, s := range earlier {
		if s.DeviceName == DeviceName(in.Scan.DeviceScanID) {
			activity.GetLogger(ctx).Info("device scan found already recorded", "app_scan_id", s.AppScanID)
			scan.AppScanID, scan.Status = s.AppScanID, int(s.ScanStatus)
			if at, err := s.CreatedAt(a.Location); err == nil {
				scan.At = at.UTC()
			}
			return scan, nil
		}
	}

	cfg, err := a.Client.GetAppConfiguration(ctx, in.Scan.AppConfigurationID)
	if err != nil {
		return scan, vendorFailure(err)
	}
	// The card is Passquare's, not a Passcreator pass: what is true is
	// "pass not found" with no pass id. Whether the scan earns anything is
	// decided by the account holding the card, not by this status.
	create := passcreator.NewAppScan{
		AppConfigurationID:  in.Scan.AppConfigurationID,
		PassID:              nil,
		ScanStatus:          passcreator.ScanPassNotFound,
		CreatedOn:           passcreator.NewTimestamp(in.At, a.Location),
		ScannedBarcodeValue: in.Scan.Barcode,
		DeviceName:          DeviceName(in.Scan.DeviceScanID),
	}
	if id, ok := passcreator.PropertyIDByName(cfg.AdditionalProperties, outlet.TransactionValueProperty); ok {
		create.AdditionalProperties = map[passcreator.PropertyID]passcreator.PropertyValue{id: passcreator.DecimalValue(in.Scan.Value)}
	}
	created, err := a.Client.CreateAppScan(ctx, create)
	if errors.Is(err, passcreator.ErrScanNotSaved) {
		return scan, temporal.NewNonRetryableApplicationError("Passcreator did not save the scan", ErrVendorRefused, nil)
	}
	if err != nil {
		return scan, vendorFailure(err)
	}
	scan.AppScanID, scan.Status = created.AppScanID, int(created.ScanStatus)
	return scan, nil
}

// DeliverScan hands a scan to the account holding its card; false when no
// account does (counted and logged, never dropped silently).
func (a *Passcreator) DeliverScan(ctx context.Context, scan lifecycle.Scan) (bool, error) {
	found, err := a.deliver(ctx, scan)
	if err == nil && !found {
		a.unknownCard(ctx, scan)
	}
	return found, err
}

// deliver hands a scan to the account holding its card; false when none
// does.
func (a *Passcreator) deliver(ctx context.Context, scan lifecycle.Scan) (bool, error) {
	err := lifecycle.DeliverScan(ctx, a.Temporal, scan)
	if errors.Is(err, lifecycle.ErrUnknownCard) {
		return false, nil
	}
	return err == nil, err
}

// unknownCard counts and logs, by ids only, a scan of a card no account
// holds.
func (a *Passcreator) unknownCard(ctx context.Context, scan lifecycle.Scan) {
	if a.UnknownCards != nil {
		a.UnknownCards.WithLabelValues(scan.BranchID).Inc()
	}
	activity.GetLogger(ctx).Warn("scan of a card no account holds", "app_scan_id", scan.AppScanID, "branch_id", scan.BranchID)
}
