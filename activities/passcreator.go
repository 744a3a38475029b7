package activities

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"

	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/vendors/passcreator"
)

// Passcreator reads the scans made at the group's outlets and hands each to
// the loyalty account holding the scanned card.
type Passcreator struct {
	Client   *passcreator.Client
	Location *time.Location // the Passcreator account's time zone
	Temporal client.Client
	// Outlets maps an app configuration id to the branch whose outlets scan
	// with it, and that branch's bonus rules.
	Outlets map[string]Outlet
	// UnknownCards counts scans of cards no account holds, by branch.
	UnknownCards *prometheus.CounterVec
}

// Outlet is the branch behind an app configuration.
type Outlet struct {
	BranchID                 string
	TransactionValueProperty string
	Rules                    lifecycle.BranchRules
}

// scan is a scan of barcode at this outlet, under its branch's bonus rules.
func (o Outlet) scan(barcode string, at time.Time) lifecycle.Scan {
	return lifecycle.Scan{
		BranchID: o.BranchID, Barcode: barcode, At: at.UTC(),
		BonusPercent: o.Rules.BonusPercent, RealUseStatuses: o.Rules.RealUseStatuses,
	}
}

// SyncScansInput asks for the scans of one app configuration since a time.
type SyncScansInput struct {
	AppConfigurationID string    `json:"appConfigurationId"`
	Since              time.Time `json:"since"`
	// Seen are scans earlier runs handled: delivered ones are not
	// delivered again, unknown ones are not counted again.
	Seen []lifecycle.SeenScan `json:"seen,omitempty"`
}

// SyncScansResult counts the scans and says how far they reached.
type SyncScansResult struct {
	// Latest is the newest scan's time: the next sync's watermark.
	Latest    time.Time `json:"latest"`
	Scans     int       `json:"scans"`
	Delivered int       `json:"delivered"`
	// Repeated scans were delivered by an earlier run.
	Repeated int `json:"repeated"`
	Unknown  int `json:"unknown"`
	Invalid  int `json:"invalid"`
	// Unreadable scans carried a transaction value that is not a number,
	// or additionalPropertiesScan in no documented form: they are
	// delivered without a value, so they earn nothing, and logged.
	Unreadable int `json:"unreadable,omitempty"`
	// Seen is every scan this run listed, handled this run or before: what
	// the next run may list again. It is kept by appScanId, whatever the
	// scan's time.
	Seen []lifecycle.SeenScan `json:"seen,omitempty"`
}

// SyncScans lists every scan created or modified since in.Since and
// delivers each to its account, except those an earlier run delivered.
// Scans are told apart by appScanId only: the list returns a scan modified
// since, however long ago it was created, and Passcreator reads createdSince
// to the minute in a zone it does not state, so the listing reaches before
// in.Since and a scan's time says nothing about whether it was handled. The
// account records each appScanId once all the same, as the scan also
// arrives by Passcreator's webhook and the intake.
func (a *Passcreator) SyncScans(ctx context.Context, in SyncScansInput) (SyncScansResult, error) {
	var res SyncScansResult
	outlet, ok := a.Outlets[in.AppConfigurationID]
	if !ok {
		return res, invalidInput("app configuration " + in.AppConfigurationID + " belongs to no configured branch")
	}
	ctx = vendorCalls(ctx, nil)
	cfg, err := a.Client.GetAppConfiguration(ctx, in.AppConfigurationID)
	if err != nil {
		return res, vendorFailure(err)
	}
	scans, err := a.Client.AllAppScans(ctx, in.AppConfigurationID, in.Since, a.Location)
	if err != nil {
		return res, vendorFailure(err)
	}
	seen := make(map[string]lifecycle.SeenScan, len(in.Seen))
	for _, sc := range in.Seen {
		seen[sc.AppScanID] = sc
	}
	logger := activity.GetLogger(ctx)
	for _, s := range scans {
		res.Scans++
		at, err := s.CreatedAt(a.Location)
		if err != nil || s.AppScanID == "" {
			res.Invalid++
			logger.Warn("scan without id or time skipped", "app_scan_id", s.AppScanID)
			continue
		}
		if at.After(res.Latest) {
			res.Latest = at
		}
		before, handled := seen[s.AppScanID]
		if handled && !before.Unknown {
			res.Repeated++
			res.Seen = append(res.Seen, before)
			continue
		}
		scan := outlet.scan(s.ScannedBarcodeValue, at)
		scan.AppScanID, scan.Status = s.AppScanID, int(s.ScanStatus)
		switch v, ok, err := s.DecimalProperty(cfg.AdditionalProperties, outlet.TransactionValueProperty); {
		case err != nil:
			res.Unreadable++
			logger.Warn("transaction value is unreadable: the scan earns no bonus", "app_scan_id", s.AppScanID)
		case ok:
			scan.Value = &v
		}
		found, err := a.deliver(ctx, scan)
		switch {
		case err != nil:
			return res, err
		case found:
			res.Delivered++
		case !handled:
			res.Unknown++
			a.unknownCard(ctx, scan)
		}
		res.Seen = append(res.Seen, lifecycle.SeenScan{AppScanID: s.AppScanID, At: at, Unknown: !found})
		activity.RecordHeartbeat(ctx, res.Scans)
	}
	logger.Info("scans synced", "app_configuration_id", in.AppConfigurationID, "scans", res.Scans,
		"delivered", res.Delivered, "repeated", res.Repeated, "unknown", res.Unknown, "unreadable", res.Unreadable)
	return res, nil
}
