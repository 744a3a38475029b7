package hooks

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"github.com/shopspring/decimal"
	"go.temporal.io/sdk/temporal"

	"github.com/guestflow/guestflow/activities"
	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/rules"
	"github.com/guestflow/guestflow/vendors/passcreator"
)

// IntakeScan is what a hotel's point-of-sale device posts to /scans.
type IntakeScan struct {
	// DeviceScanID is the device's own id for the scan; a repeated post of
	// the same id is the same scan.
	DeviceScanID string `json:"deviceScanId"`
	Barcode      string `json:"barcode"` // the card number or track read
	BranchID     string `json:"branchId"`
	// Value is the amount spent, as a decimal string ("12.50") or a JSON
	// number, in rules.ParseAmount's Plain form.
	Value *decimal.Decimal `json:"-"`
	// Status, when sent, must be 3: guestflow's cards are not Passcreator
	// passes, so Passcreator records every device scan as pass not found,
	// and the card's account decides whether it earns a bonus.
	Status *int `json:"status,omitempty"`
}

var deviceScanID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$`)

// intake hands a device's scan to its DeviceScan workflow, which records it
// at Passcreator and credits it to the account holding the card, and
// answers the device with that workflow's result. The workflow's id is the
// device's scan id, so a repeated post, to this replica or another, after
// a restart, joins the first one's workflow for as long as the namespace
// retains it, and records nothing again.
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

	ctx, cancel := s.temporalCtx(c)
	defer cancel()
	res, err := s.Temporal.RecordDeviceScan(ctx, s.TaskQueue, lifecycle.DeviceScan{
		DeviceScanID: req.DeviceScanID, BranchID: b.ID, AppConfigurationID: b.PasscreatorAppConfigurationID,
		Barcode: req.Barcode, Value: *req.Value,
	})
	switch {
	case refusedByPasscreator(err):
		s.Logger.ErrorContext(c.Request.Context(), "Passcreator refused a device scan",
			"device_scan_id", req.DeviceScanID, "branch_id", b.ID, "error", err)
		s.refuse(c, http.StatusBadGateway, "scan refused by Passcreator")
	case err != nil:
		// Temporal unreachable, or Passcreator slow or down while the
		// workflow keeps trying: the device's retry joins the workflow.
		s.retryLater(c, err, "record-device-scan")
	default:
		s.Logger.InfoContext(c.Request.Context(), "device scan recorded", "device_scan_id", req.DeviceScanID,
			"app_scan_id", res.AppScanID, "branch_id", b.ID, "account_found", res.AccountFound)
		c.JSON(http.StatusAccepted, res)
	}
}

// refusedByPasscreator: the scan's workflow failed because Passcreator
// refused the scan, which no retry changes.
func refusedByPasscreator(err error) bool {
	var app *temporal.ApplicationError
	return errors.As(err, &app) && (app.Type() == activities.ErrVendorRefused || app.Type() == activities.ErrInvalidInput)
}

func decodeIntake(body []byte) (IntakeScan, string) {
	var w struct {
		IntakeScan
		Value json.RawMessage `json:"value"`
	}
	// JSON is UTF-8; the decoder would turn other bytes into U+FFFD, so two
	// different barcodes or scan ids could read as one.
	if !utf8.Valid(body) {
		return w.IntakeScan, "body is not UTF-8"
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&w); err != nil {
		return w.IntakeScan, "body is not a scan object"
	}
	req := w.IntakeScan
	if text, ok := amountText(w.Value); ok {
		if v, ok := rules.ParseAmount(text, rules.Plain); ok {
			req.Value = &v
		}
	}
	switch {
	case !deviceScanID.MatchString(req.DeviceScanID):
		return req, "deviceScanId: required, up to 128 letters, digits and ._:/-"
	case req.Barcode == "" || len(req.Barcode) > 256:
		return req, "barcode: required, up to 256 characters"
	case req.BranchID == "":
		return req, "branchId: required"
	case req.Value == nil:
		return req, "value: required as a decimal string"
	case req.Value.IsNegative():
		return req, "value: must not be negative"
	case req.Value.GreaterThan(rules.MaxTransactionValue):
		return req, "value: must be at most " + rules.MaxTransactionValue.String()
	case req.Status != nil && *req.Status != int(passcreator.ScanPassNotFound):
		return req, "status: leave it out; a guestflow card is no Passcreator pass, so the scan is recorded as 3 (pass not found)"
	}
	return req, ""
}

// amountText is the text of a JSON string or number; false for anything
// else (null, an object, a boolean).
func amountText(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	var text string
	switch {
	case len(raw) == 0:
		return "", false
	case raw[0] == '"':
		return text, json.Unmarshal(raw, &text) == nil
	case raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9'):
		return string(raw), true
	}
	return "", false
}
