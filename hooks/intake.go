package hooks

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/shopspring/decimal"

	"github.com/guestflow/guestflow/vendors/passcreator"
	"github.com/guestflow/guestflow/vendors/vendorhttp"
)

// IntakeScan is what a hotel's point-of-sale device posts to /scans.
type IntakeScan struct {
	// DeviceScanID is the device's own id for the scan; a repeated post of
	// the same id is the same scan.
	DeviceScanID string `json:"deviceScanId"`
	Barcode      string `json:"barcode"` // the card number or track read
	BranchID     string `json:"branchId"`
	// Value is the amount spent, as a decimal string (a JSON number is
	// accepted too).
	Value *decimal.Decimal `json:"value"`
	// Status is the Passcreator scan status the device concluded; absent,
	// the app configuration's mode decides (voided or attendance saved).
	Status *int `json:"status,omitempty"`
}

// IntakeResult answers a recorded scan.
type IntakeResult struct {
	DeviceScanID string `json:"deviceScanId"`
	AppScanID    string `json:"appScanId"`
	ScanStatus   int    `json:"scanStatus"`
	// AccountFound is false when no loyalty account holds the card: the
	// scan is recorded at Passcreator but earns no one anything.
	AccountFound bool `json:"accountFound"`
}

// IntakeDeviceName is the deviceName a device's scan is recorded under at
// Passcreator, so staff (and a later reconciliation) can find it by the
// device's id.
func IntakeDeviceName(deviceScanID string) string { return "guestflow-intake:" + deviceScanID }

var deviceScanID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$`)

// intake records a device's scan at Passcreator and hands it to the
// account holding the card, under the appScanId Passcreator assigned: the
// same id the scan sync and Passcreator's webhook deliver it under later,
// so the account credits it once whichever arrives first.
//
// A repeated post of a deviceScanId records nothing again. Within one
// process the intake log answers it (and makes concurrent posts of one id
// wait for each other); across replicas and restarts Passcreator itself is
// the record: a scan is created with the device's id in its deviceName, and
// before creating one the webhook looks for it among the app
// configuration's scans of the last intakeLookback. Only two replicas
// handling the same id within the same moment could both create it.
func (s *server) intake(c *gin.Context) {
	defer func() { s.metrics.request("intake", "-", c.Writer.Status()) }()
	if !bearer(c, s.hook.IntakeToken.Value()) {
		s.refuse(c, http.StatusUnauthorized, "unauthorized")
		return
	}
	body, ok := s.readBody(c)
	if !ok {
		return
	}
	req, problem := decodeIntake(body)
	if problem != "" {
		s.refuse(c, http.StatusBadRequest, problem)
		return
	}
	b, ok := s.Config.Branch(req.BranchID)
	if !ok || b.PasscreatorAppConfigurationID == "" {
		s.refuse(c, http.StatusBadRequest, "branchId: not a branch with a Passcreator app configuration")
		return
	}

	entry := s.intakes.lock(req.DeviceScanID)
	defer entry.mu.Unlock()
	if entry.created == nil {
		created, at, err := s.recorded(c, b.PasscreatorAppConfigurationID, req.DeviceScanID)
		if err == nil && created == nil {
			at = s.Now()
			created, err = s.record(c, b.PasscreatorAppConfigurationID, b.TransactionValueProperty, req)
		}
		if err != nil {
			s.recordFailed(c, err)
			return
		}
		entry.created, entry.at = created, at
	}
	scan := scanAt(b, entry.created.AppScanID, req.Barcode, int(entry.created.ScanStatus), req.Value, entry.at)
	found, err := s.deliver(c, scan, sourceIntake)
	if err != nil {
		s.retryLater(c, err, "deliver-scan")
		return
	}
	s.Logger.InfoContext(c.Request.Context(), "device scan recorded", "device_scan_id", req.DeviceScanID,
		"app_scan_id", scan.AppScanID, "branch_id", b.ID, "account_found", found)
	c.JSON(http.StatusAccepted, IntakeResult{
		DeviceScanID: req.DeviceScanID, AppScanID: scan.AppScanID, ScanStatus: scan.Status, AccountFound: found,
	})
}

func decodeIntake(body []byte) (IntakeScan, string) {
	var req IntakeScan
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&req); err != nil {
		return req, "body is not a scan object"
	}
	switch {
	case !deviceScanID.MatchString(req.DeviceScanID):
		return req, "deviceScanId: required, up to 128 letters, digits and ._:/-"
	case req.Barcode == "" || len(req.Barcode) > 256:
		return req, "barcode: required"
	case req.BranchID == "":
		return req, "branchId: required"
	case req.Value == nil:
		return req, "value: required as a decimal string"
	case req.Value.IsNegative():
		return req, "value: must not be negative"
	case req.Status != nil && (*req.Status < 0 || *req.Status > 7):
		return req, "status: not a Passcreator scan status (0 to 7)"
	}
	return req, ""
}

// record creates the Passcreator scan, with the value under the branch's
// transaction value property when the app configuration has one.
func (s *server) record(c *gin.Context, configID, valueProperty string, req IntakeScan) (*passcreator.CreatedAppScan, error) {
	cfg, err := s.configurations.get(c.Request.Context(), configID)
	if err != nil {
		return nil, err
	}
	status := passcreator.ScanAttendanceSaved
	if cfg.ScanMode == passcreator.ScanModeVoid {
		status = passcreator.ScanVoided
	}
	if req.Status != nil {
		status = passcreator.ScanStatus(*req.Status)
	}
	scan := passcreator.NewAppScan{
		AppConfigurationID:  configID,
		ScanStatus:          status,
		CreatedOn:           passcreator.NewTimestamp(s.Now(), s.Config.Passcreator.Location),
		ScannedBarcodeValue: req.Barcode,
		DeviceName:          IntakeDeviceName(req.DeviceScanID),
	}
	if id, ok := passcreator.PropertyIDByName(cfg.AdditionalProperties, valueProperty); ok {
		scan.AdditionalProperties = map[passcreator.PropertyID]passcreator.PropertyValue{id: passcreator.DecimalValue(*req.Value)}
	}
	return s.Passcreator.CreateAppScan(c.Request.Context(), scan)
}

// intakeLookback is how far back a repeated deviceScanId is looked for at
// Passcreator: devices repeat a post within minutes.
const intakeLookback = 2 * time.Hour

// recorded finds the scan an earlier post of this deviceScanId recorded at
// Passcreator, through this or another replica; nil when there is none.
func (s *server) recorded(c *gin.Context, configID, deviceScanID string) (*passcreator.CreatedAppScan, time.Time, error) {
	loc := s.Config.Passcreator.Location
	scans, err := s.Passcreator.AllAppScans(c.Request.Context(), configID, s.Now().Add(-intakeLookback), loc)
	if err != nil {
		return nil, time.Time{}, err
	}
	for _, sc := range scans {
		if sc.DeviceName == IntakeDeviceName(deviceScanID) {
			at, err := sc.CreatedAt(loc)
			if err != nil {
				at = s.Now()
			}
			return &passcreator.CreatedAppScan{AppScanID: sc.AppScanID, ScanStatus: sc.ScanStatus}, at, nil
		}
	}
	return nil, time.Time{}, nil
}

// recordFailed: Passcreator down or rate limiting is retried by the device;
// a refusal is not, and is logged for staff.
func (s *server) recordFailed(c *gin.Context, err error) {
	var ve *vendorhttp.Error
	if errors.Is(err, passcreator.ErrScanNotSaved) || (errors.As(err, &ve) && !ve.Retryable()) {
		s.Logger.ErrorContext(c.Request.Context(), "Passcreator refused a device scan", "error", err)
		s.refuse(c, http.StatusBadGateway, "scan refused by Passcreator")
		return
	}
	s.passcreatorFailed(c, err)
}
