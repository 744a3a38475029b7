package hooks

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/shopspring/decimal"

	"github.com/guestflow/guestflow/config"
	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/vendors/passcreator"
)

// Passcreator is what the webhook asks of Passcreator; *passcreator.Client
// is one.
type Passcreator interface {
	GetAppConfiguration(ctx context.Context, id string) (*passcreator.AppConfiguration, error)
}

// sourceWebhook labels the metrics of scans Passcreator's webhook delivers.
const sourceWebhook = "passcreator_webhook"

// passcreatorWebhook takes Passcreator's app_scan_created deliveries, one
// scan each, and hands the scan to the account holding the card. The account records
// each appScanId once, so a scan the poll also finds is credited once, and
// a redelivery after a 503 is harmless.
func (s *server) passcreatorWebhook(c *gin.Context) {
	defer func() { s.metrics.request("passcreator", "-", c.Writer.Status()) }()
	body, ok := s.readBody(c)
	if !ok {
		return
	}
	if !s.passcreatorSigned(c, body) {
		s.Logger.WarnContext(c.Request.Context(), "Passcreator webhook with a bad signature refused", "client_ip", c.ClientIP())
		s.refuse(c, http.StatusUnauthorized, "unauthorized")
		return
	}
	ps, err := passcreator.ParseScanEvent(body)
	if err != nil {
		s.refuse(c, http.StatusBadRequest, "not an app scan event")
		return
	}
	b, ok := s.outlets[ps.AppConfigurationID]
	if !ok {
		s.metrics.skipped.WithLabelValues(sourceWebhook, "unknown_configuration").Inc()
		s.Logger.WarnContext(c.Request.Context(), "scan of an app configuration no branch uses",
			"app_scan_id", ps.AppScanID, "app_configuration_id", ps.AppConfigurationID)
		c.JSON(http.StatusOK, gin.H{"delivered": 0, "unknownCards": 0, "skipped": 1})
		return
	}
	value, err := s.transactionValue(c, b, ps)
	if err != nil {
		s.passcreatorFailed(c, err)
		return
	}
	at, err := ps.CreatedAt(s.Config.Passcreator.Location)
	if err != nil {
		at = s.Now()
	}
	scan := scanAt(b, ps.AppScanID, ps.ScannedBarcodeValue, int(ps.ScanStatus), value, at)
	found, err := s.deliver(c, scan)
	if err != nil {
		s.retryLater(c, err, "deliver-scan")
		return
	}
	delivered, unknown := 0, 1
	if found {
		delivered, unknown = 1, 0
	}
	c.JSON(http.StatusOK, gin.H{"delivered": delivered, "unknownCards": unknown, "skipped": 0})
}

// transactionValue reads the branch's transaction value property of the
// scan. A value that is not a number, or values in no documented form
// (passcreator.ErrPropertiesUnreadable), earn nothing and are logged.
func (s *server) transactionValue(c *gin.Context, b *config.Branch, ps passcreator.AppScan) (*decimal.Decimal, error) {
	cfg, err := s.configurations.get(c.Request.Context(), b.PasscreatorAppConfigurationID)
	if err != nil {
		return nil, err
	}
	v, ok, err := ps.DecimalProperty(cfg.AdditionalProperties, b.TransactionValueProperty)
	if err != nil {
		s.Logger.WarnContext(c.Request.Context(), "scan's transaction value is unreadable: the scan earns no bonus", "app_scan_id", ps.AppScanID)
		return nil, nil
	}
	if !ok {
		return nil, nil
	}
	return &v, nil
}

// deliver hands a scan to its account. found is false for a card no account
// holds, which is counted and logged by appScanId, never dropped silently;
// err is Temporal failing.
func (s *server) deliver(c *gin.Context, scan lifecycle.Scan) (found bool, err error) {
	ctx, cancel := s.temporalCtx(c)
	defer cancel()
	err = s.Temporal.DeliverScan(ctx, scan)
	if errors.Is(err, lifecycle.ErrUnknownCard) || (err != nil && classify(err) == notFound) {
		s.metrics.unknownCards.WithLabelValues(sourceWebhook, scan.BranchID).Inc()
		s.Logger.WarnContext(ctx, "scan of a card no account holds", "app_scan_id", scan.AppScanID, "branch_id", scan.BranchID, "source", sourceWebhook)
		return false, nil
	}
	if err != nil {
		return false, err
	}
	s.metrics.delivered.WithLabelValues(sourceWebhook, scan.BranchID).Inc()
	return true, nil
}

func scanAt(b *config.Branch, appScanID, barcode string, status int, value *decimal.Decimal, at time.Time) lifecycle.Scan {
	return lifecycle.Scan{
		AppScanID: appScanID, BranchID: b.ID, Barcode: barcode, Status: status, Value: value, At: at.UTC(),
		BonusPercent: b.Rules.BonusPercent.Decimal, RealUseStatuses: b.Rules.RealUseStatuses,
	}
}

// passcreatorSigned: the body carries the HMAC of the shared key in the one
// configured header. No document names the header, so there is no default
// and no list of likely names is tried.
func (s *server) passcreatorSigned(c *gin.Context, body []byte) bool {
	return passcreator.VerifySignature(body, c.GetHeader(s.hook.PasscreatorSignatureHeader), []byte(s.hook.PasscreatorWebhookKey.Value()))
}

// passcreatorFailed answers a Passcreator call that failed: the caller
// retries later, as the scan must not be lost.
func (s *server) passcreatorFailed(c *gin.Context, err error) {
	s.Logger.ErrorContext(c.Request.Context(), "Passcreator call failed, caller told to retry", "route", c.FullPath(), "error", err)
	c.Header("Retry-After", retryAfterSeconds(s.RetryAfter))
	s.refuse(c, http.StatusServiceUnavailable, "temporarily unavailable, retry later")
}

// configurationCache reads each app configuration once: its property ids
// do not change while the webhook runs.
type configurationCache struct {
	client Passcreator
	mu     sync.Mutex
	byID   map[string]*passcreator.AppConfiguration
}

func (cc *configurationCache) get(ctx context.Context, id string) (*passcreator.AppConfiguration, error) {
	cc.mu.Lock()
	cfg, ok := cc.byID[id]
	cc.mu.Unlock()
	if ok {
		return cfg, nil
	}
	cfg, err := cc.client.GetAppConfiguration(ctx, id)
	if err != nil {
		return nil, err
	}
	cc.mu.Lock()
	cc.byID[id] = cfg
	cc.mu.Unlock()
	return cfg, nil
}
