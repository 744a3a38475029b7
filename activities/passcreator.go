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

// SyncScansInput asks for the scans of one app configuration since a time.
type SyncScansInput struct {
	AppConfigurationID string    `json:"appConfigurationId"`
	Since              time.Time `json:"since"`
}

// SyncScansResult counts the scans and says how far they reached.
type SyncScansResult struct {
	// Latest is the newest scan's time: the next sync's watermark.
	Latest    time.Time `json:"latest"`
	Scans     int       `json:"scans"`
	Delivered int       `json:"delivered"`
	Unknown   int       `json:"unknown"`
	Invalid   int       `json:"invalid"`
}

// SyncScans lists every scan since in.Since (Passcreator reads createdSince
// to the minute, so the caller overlaps) and delivers each to its account,
// which records each appScanId once.
func (a *Passcreator) SyncScans(ctx context.Context, in SyncScansInput) (SyncScansResult, error) {
	var res SyncScansResult
	outlet, ok := a.Outlets[in.AppConfigurationID]
	if !ok {
		return res, invalidInput("app configuration " + in.AppConfigurationID + " belongs to no configured branch")
	}
	cfg, err := a.Client.GetAppConfiguration(ctx, in.AppConfigurationID)
	if err != nil {
		return res, vendorFailure(err)
	}
	scans, err := a.Client.AllAppScans(ctx, in.AppConfigurationID, in.Since, a.Location)
	if err != nil {
		return res, vendorFailure(err)
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
		scan := lifecycle.Scan{
			AppScanID: s.AppScanID, BranchID: outlet.BranchID, Barcode: s.ScannedBarcodeValue,
			Status: int(s.ScanStatus), At: at,
			BonusPercent: outlet.Rules.BonusPercent, RealUseStatuses: outlet.Rules.RealUseStatuses,
		}
		if v, ok, err := s.DecimalProperty(cfg.AdditionalProperties, outlet.TransactionValueProperty); ok && err == nil {
			scan.Value = &v
		}
		switch found, err := a.DeliverScan(ctx, scan); {
		case err != nil:
			return res, err
		case found:
			res.Delivered++
		default:
			res.Unknown++
		}
		activity.RecordHeartbeat(ctx, res.Scans)
	}
	logger.Info("scans synced", "app_configuration_id", in.AppConfigurationID, "scans", res.Scans,
		"delivered", res.Delivered, "unknown", res.Unknown)
	return res, nil
}
