package hooks_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/guestflow/guestflow/activities"
	"github.com/guestflow/guestflow/hooks"
	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/vendors/sandboxkit"
)

// signatureHeader is the header the test webhook is configured to read
// Passcreator's signature from.
const signatureHeader = "X-Passcreator-Signature"

type scanEvent struct {
	id, config, barcode, value string
	status                     int
}

// signedScanEvent is an app_scan_created delivery as Passcreator's App Scan
// Created page documents it (the scan's fields in one JSON object), signed
// with our key in hex, the scan's value under property id 1, keyed by id as
// the document has the values sent to POST /api/appscan.
func signedScanEvent(s scanEvent) request {
	props := map[string]any{"0": "table 4"}
	if s.value != "" {
		props["1"] = s.value
	}
	return signedScanWithProperties(s, props)
}

func signedScanWithProperties(s scanEvent, props any) request {
	body, _ := json.Marshal(map[string]any{
		"appScanId": s.id, "appConfigurationId": s.config, "scannedBarcodeValue": s.barcode,
		"scanStatus": s.status, "createdOn": "2026-11-23 10:00:00", "createdOnUtc": "2026-11-23 09:00:00",
		"passId": nil, "deviceName": "Bar iPad", "additionalPropertiesScan": props,
	})
	return request{path: hooks.PasscreatorWebhookPath, body: string(body),
		header: map[string]string{signatureHeader: sign(body)}}
}

func sign(body []byte) string {
	mac := hmac.New(sha256.New, []byte(webhookKey))
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// waitForCard waits until visibility finds the account by the card, as
// scans are delivered through it.
func waitForCard(t *testing.T, card string) {
	t.Helper()
	require.EventuallyWithT(t, func(c *assertCollect) {
		_, err := lifecycle.FindAccountByCard(context.Background(), temporalClient, card)
		if err != nil {
			c.Errorf("card %s not yet visible: %v", card, err)
		}
	}, 20*time.Second, 100*time.Millisecond)
}

func (e *env) eventuallyBalance(g guest, want string) {
	e.t.Helper()
	require.EventuallyWithT(e.t, func(c *assertCollect) {
		if got := e.balance(g); got != want {
			c.Errorf("balance %s, want %s", got, want)
		}
	}, 20*time.Second, 100*time.Millisecond)
}

func TestPasscreatorWebhook(t *testing.T) {
	e := newEnv(t)
	g := newGuest()
	e.install(g)
	waitForCard(t, g.track)

	// The normal case: Passcreator does not know the Passquare card (3).
	scan := scanEvent{id: "pc-" + g.card + "-1", config: e.configID, barcode: g.track, status: 3, value: "100.00"}
	w := e.do(signedScanEvent(scan))
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.JSONEq(t, `{"delivered": 1, "unknownCards": 0, "skipped": 0}`, w.Body.String())
	e.eventuallyBalance(g, "5") // 5 % of 100.00

	// Passcreator redelivers the same scan, then sends a new one: only the
	// new one earns.
	require.Equal(t, http.StatusOK, e.do(signedScanEvent(scan)).Code)
	require.Equal(t, http.StatusOK, e.do(signedScanEvent(scanEvent{id: "pc-" + g.card + "-2", config: e.configID, barcode: g.card, status: 2, value: "20,00"})).Code)
	e.eventuallyBalance(g, "6")

	// A refused scan (already voided) and one without a value earn nothing.
	require.Equal(t, http.StatusOK, e.do(signedScanEvent(scanEvent{id: "pc-" + g.card + "-3", config: e.configID, barcode: g.card, status: 1, value: "50"})).Code)
	require.Equal(t, http.StatusOK, e.do(signedScanEvent(scanEvent{id: "pc-" + g.card + "-4", config: e.configID, barcode: g.card, status: 3})).Code)
	// Values in a form the document does not show ({id, value} pairs) are
	// unreadable: the scan is delivered, earns nothing and is logged by id.
	unreadable := scanEvent{id: "pc-" + g.card + "-pairs", config: e.configID, barcode: g.card, status: 3}
	w = e.do(signedScanWithProperties(unreadable, []map[string]any{{"id": 1, "value": "300"}}))
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.JSONEq(t, `{"delivered": 1, "unknownCards": 0, "skipped": 0}`, w.Body.String())
	require.Contains(t, e.logs.String(), `"app_scan_id":"`+unreadable.id+`"`)
	require.Equal(t, http.StatusOK, e.do(signedScanEvent(scanEvent{id: "pc-" + g.card + "-5", config: e.configID, barcode: g.card, status: 3, value: "40"})).Code)
	e.eventuallyBalance(g, "8")

	require.Equal(t, 1, e.pc.Recorder().Count(http.MethodGet, "/api/appconfiguration/"+e.configID),
		"the app configuration is read once and cached")
	require.Equal(t, float64(7), e.counter("guestflow_webhook_scans_delivered_total", "source", "passcreator_webhook", "branch", "rome"))
}

// The delivery as Passcreator's app_scan_created page describes it: the
// scan's fields bare at the top, no event name, passId null (the Passquare
// card is no Passcreator pass: status 3), passVoided a string, and the
// values staff typed keyed by the property's name.
func TestPasscreatorWebhookAsPasscreatorSendsIt(t *testing.T) {
	e := newEnv(t)
	g := newGuest()
	e.install(g)
	waitForCard(t, g.track)

	body, _ := json.Marshal(map[string]any{
		"scanStatus": 3, "createdOn": "2026-11-23 10:00:00", "createdOnUtc": "2026-11-23 09:00:00",
		"passId": nil, "passGeneratedId": "", "passSearchString": "", "passVoided": "false", "passUserProvidedId": "",
		"passTemplateGuid": "", "passTemplateName": "", "appConfigurationId": e.configID,
		"scannedBarcodeValue": g.track, "appScanId": "pc-" + g.card + "-bare", "deviceName": "Bar iPad",
		"additionalPropertiesScan": map[string]any{"Transaction value": "100,00"},
	})
	w := e.do(request{path: hooks.PasscreatorWebhookPath, body: string(body),
		header: map[string]string{signatureHeader: sign(body)}})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.JSONEq(t, `{"delivered": 1, "unknownCards": 0, "skipped": 0}`, w.Body.String())
	e.eventuallyBalance(g, "5") // 5 % of 100,00
}

func TestPasscreatorWebhookUnknownCardIsCountedNotDropped(t *testing.T) {
	e := newEnv(t)
	w := e.do(signedScanEvent(scanEvent{id: "pc-unknown-1", config: e.configID, barcode: "NOBODY-4711", status: 2, value: "10"}))
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.JSONEq(t, `{"delivered": 0, "unknownCards": 1, "skipped": 0}`, w.Body.String())
	require.Equal(t, float64(1), e.counter("guestflow_webhook_unknown_card_scans_total", "source", "passcreator_webhook", "branch", "rome"))
	require.Contains(t, e.logs.String(), "pc-unknown-1", "logged by appScanId")
	require.NotContains(t, e.logs.String(), "NOBODY-4711", "the barcode is not logged")

	w = e.do(signedScanEvent(scanEvent{id: "pc-elsewhere-1", config: "another-configuration", barcode: "1", status: 2}))
	require.Equal(t, http.StatusOK, w.Code)
	require.JSONEq(t, `{"delivered": 0, "unknownCards": 0, "skipped": 1}`, w.Body.String())
	require.Equal(t, float64(1), e.counter("guestflow_webhook_scans_skipped_total", "source", "passcreator_webhook", "reason", "unknown_configuration"))
}

func TestPasscreatorWebhookRefusals(t *testing.T) {
	e := newEnv(t)
	good := signedScanEvent(scanEvent{id: "pc-refused-1", config: e.configID, barcode: "1", status: 2})
	tampered := good
	tampered.body = strings.Replace(good.body, `"scanStatus":2`, `"scanStatus":0`, 1)
	unsigned := good
	unsigned.header = nil
	wrongHeader := good
	wrongHeader.header = map[string]string{"X-Other-Signature": good.header[signatureHeader]}
	signed := func(body string) request {
		return request{path: hooks.PasscreatorWebhookPath, body: body, header: map[string]string{signatureHeader: sign([]byte(body))}}
	}
	garbage := signed(`{"hello": "world"}`)
	enveloped := signed(`{"event": "app_scan_created", "data": ` + good.body + `}`)
	prefixed := good
	prefixed.header = map[string]string{signatureHeader: "sha256=" + good.header[signatureHeader]}

	for name, tt := range map[string]struct {
		r    request
		want int
	}{
		"tampered body":                    {tampered, 401},
		"no signature":                     {unsigned, 401},
		"signature elsewhere":              {wrongHeader, 401},
		"signed, not a scan":               {garbage, 400},
		"an undocumented envelope":         {enveloped, 400},
		"an undocumented signature prefix": {prefixed, 401},
	} {
		t.Run(name, func(t *testing.T) {
			w := e.do(tt.r)
			require.Equal(t, tt.want, w.Code, w.Body.String())
		})
	}
	require.Zero(t, e.counter("guestflow_webhook_scans_delivered_total"))
}

// The signature's header is not documented: it is read from the one
// header configured, never guessed among common names, and a webhook key
// without a header is refused at start.
func TestPasscreatorWebhookSignatureHeader(t *testing.T) {
	resigned := func(id, config, header string) request {
		r := signedScanEvent(scanEvent{id: id, config: config, barcode: "NOBODY-1", status: 3})
		r.header = map[string]string{header: r.header[signatureHeader]}
		return r
	}
	configured := newEnv(t, func(o *hooks.Options) { o.Config.Webhook.PasscreatorSignatureHeader = "X-PC-Sig" })
	require.Equal(t, http.StatusOK, configured.do(resigned("pc-header-c1", configured.configID, "X-PC-Sig")).Code)
	for i, h := range []string{signatureHeader, "X-Signature", "X-Hub-Signature-256", "Signature", "X-Webhook-Signature"} {
		w := configured.do(resigned(fmt.Sprintf("pc-header-%d", i), configured.configID, h))
		require.Equal(t, http.StatusUnauthorized, w.Code, "%s: %s", h, w.Body.String())
	}

	o := configured.opts
	cfg := *o.Config
	cfg.Webhook.PasscreatorSignatureHeader = ""
	o.Config = &cfg
	_, err := hooks.New(o)
	require.ErrorContains(t, err, "passcreator_signature_header")
}

func TestPasscreatorWebhookWhenPasscreatorIsDown(t *testing.T) {
	e := newEnv(t)
	e.pc.Faults().Set(sandboxkit.Faults{ErrorRate: 1})
	w := e.do(signedScanEvent(scanEvent{id: "pc-pcdown-1", config: e.configID, barcode: "1", status: 2, value: "10"}))
	requireRetryLater(t, w, retryLaterBody)
}

func intakeRequest(deviceScanID, barcode, value string) request {
	return request{path: hooks.IntakePath, header: map[string]string{"Authorization": "Bearer " + intakeToken},
		body: fmt.Sprintf(`{"deviceScanId": %q, "barcode": %q, "branchId": "rome", "value": %s}`, deviceScanID, barcode, value)}
}

func recordedScan(t *testing.T, w *httptest.ResponseRecorder) lifecycle.DeviceScanResult {
	t.Helper()
	require.Equal(t, http.StatusAccepted, w.Code, w.Body.String())
	var res lifecycle.DeviceScanResult
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &res))
	require.NotEmpty(t, res.AppScanID)
	return res
}

func TestIntakeRecordsAtPasscreatorAndCreditsOnce(t *testing.T) {
	e := newEnv(t)
	g := newGuest()
	e.install(g)
	waitForCard(t, g.card)

	first := intakeRequest(e.deviceScanID("pos-1"), g.card, `"40.00"`)
	res := recordedScan(t, e.do(first))
	require.Equal(t, e.deviceScanID("pos-1"), res.DeviceScanID)
	require.Equal(t, 3, res.ScanStatus, "Passcreator knows no pass of a Passquare card")
	require.True(t, res.AccountFound)
	e.eventuallyBalance(g, "2")

	scans := e.pc.Scans(e.configID)
	require.Len(t, scans, 1)
	require.Equal(t, res.AppScanID, scans[0].AppScanID)
	require.Equal(t, activities.DeviceName(e.deviceScanID("pos-1")), scans[0].DeviceName)
	require.Equal(t, g.card, scans[0].ScannedBarcodeValue)
	require.Empty(t, scans[0].PassID)
	require.Len(t, scans[0].AdditionalPropertiesScan, 1)
	require.Equal(t, 1, scans[0].AdditionalPropertiesScan[0].ID)
	require.JSONEq(t, `"40"`, string(scans[0].AdditionalPropertiesScan[0].Value), "sent as text, as the document's example values")

	// The device repeats the post, to this webhook and to a restarted one
	// that remembers nothing: the same answer, no second Passcreator scan.
	require.Equal(t, res, recordedScan(t, e.do(first)))
	e.restart()
	require.Equal(t, res, recordedScan(t, e.do(first)))
	require.Len(t, e.pc.Scans(e.configID), 1, "a repeated post recorded the device's scan again")

	// The scan sync later finds the scan at Passcreator, under the same
	// appScanId: it earns nothing more.
	require.NoError(t, lifecycle.DeliverScan(context.Background(), temporalClient, lifecycle.Scan{
		AppScanID: res.AppScanID, BranchID: "rome", Barcode: g.card, Status: 2, Value: ptr(decimal.RequireFromString("100")),
		At: time.Now(), BonusPercent: decimal.RequireFromString("5"), RealUseStatuses: []int{0, 2, 4},
	}))
	recordedScan(t, e.do(intakeRequest(e.deviceScanID("pos-2"), g.card, `20`)))
	e.eventuallyBalance(g, "3")
}

// Two webhook replicas behind a load balancer get the same scan at the
// same moment, several times over (a device retrying on a short timeout):
// Passcreator records it once, and every post is answered with that scan.
func TestIntakeConcurrentPostsToReplicasRecordOnce(t *testing.T) {
	e := newEnv(t)
	replicas := []http.Handler{e.h, e.replica()}
	post := intakeRequest(e.deviceScanID("pos-race"), "NOBODY-4711", `"12.50"`)
	answers := make([]*httptest.ResponseRecorder, 8)
	var wg sync.WaitGroup
	for i := range answers {
		wg.Go(func() { answers[i] = serve(replicas[i%2], post) })
	}
	wg.Wait()
	first := recordedScan(t, answers[0])
	for _, w := range answers[1:] {
		require.Equal(t, first, recordedScan(t, w))
	}
	require.Len(t, e.pc.Scans(e.configID), 1)
	require.Equal(t, float64(1), testutil.ToFloat64(e.unknownCards.WithLabelValues("rome")), "the unknown card is counted once")
}

func TestIntakeUnknownCard(t *testing.T) {
	e := newEnv(t)
	res := recordedScan(t, e.do(intakeRequest(e.deviceScanID("pos-unknown"), "NOBODY-0815", `"9.99"`)))
	require.False(t, res.AccountFound)
	require.Equal(t, 3, res.ScanStatus, "Passcreator knows no such pass")
	require.Len(t, e.pc.Scans(e.configID), 1, "the scan is recorded at Passcreator all the same")
	require.Equal(t, float64(1), testutil.ToFloat64(e.unknownCards.WithLabelValues("rome")))
	require.NotContains(t, e.logs.String(), "NOBODY-0815")
}

func TestIntakeRefusals(t *testing.T) {
	e := newEnv(t)
	valid := intakeRequest("pos-bad-1", "1234", `"10.00"`)
	body := func(s string) request { r := valid; r.body = s; return r }
	tests := map[string]struct {
		r    request
		want int
	}{
		"no token":             {request{path: hooks.IntakePath, body: valid.body}, 401},
		"wrong token":          {request{path: hooks.IntakePath, body: valid.body, header: map[string]string{"Authorization": "Bearer " + crmKey}}, 401},
		"token without Bearer": {request{path: hooks.IntakePath, body: valid.body, header: map[string]string{"Authorization": intakeToken}}, 401},
		"not JSON":             {body(`deviceScanId=1`), 400},
		"no deviceScanId":      {body(`{"barcode": "1234", "branchId": "rome", "value": "1"}`), 400},
		"odd deviceScanId":     {body(`{"deviceScanId": "a b", "barcode": "1234", "branchId": "rome", "value": "1"}`), 400},
		"no barcode":           {body(`{"deviceScanId": "d1", "branchId": "rome", "value": "1"}`), 400},
		"unknown branch":       {body(`{"deviceScanId": "d1", "barcode": "1234", "branchId": "paris", "value": "1"}`), 400},
		"no value":             {body(`{"deviceScanId": "d1", "barcode": "1234", "branchId": "rome"}`), 400},
		"value not a number":   {body(`{"deviceScanId": "d1", "barcode": "1234", "branchId": "rome", "value": "ten"}`), 400},
		"negative value":       {body(`{"deviceScanId": "d1", "barcode": "1234", "branchId": "rome", "value": "-1"}`), 400},
		// rules.ParseAmount's Plain form only: no exponent, comma or space.
		"value with an exponent":  {body(`{"deviceScanId": "d1", "barcode": "1234", "branchId": "rome", "value": "1e3"}`), 400},
		"number with an exponent": {body(`{"deviceScanId": "d1", "barcode": "1234", "branchId": "rome", "value": 1e3}`), 400},
		"value with a comma":      {body(`{"deviceScanId": "d1", "barcode": "1234", "branchId": "rome", "value": "10,50"}`), 400},
		"value with a space":      {body(`{"deviceScanId": "d1", "barcode": "1234", "branchId": "rome", "value": " 10"}`), 400},
		"value as a boolean":      {body(`{"deviceScanId": "d1", "barcode": "1234", "branchId": "rome", "value": true}`), 400},
		"status out of range":     {body(`{"deviceScanId": "d1", "barcode": "1234", "branchId": "rome", "value": "1", "status": 9}`), 400},
		"a pass known":            {body(`{"deviceScanId": "d1", "barcode": "1234", "branchId": "rome", "value": "1", "status": 2}`), 400},
		"oversize":                {body(`{"deviceScanId": "d1", "barcode": "` + strings.Repeat("1", hooks.DefaultMaxBody) + `"}`), 413},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			w := e.do(tt.r)
			require.Equal(t, tt.want, w.Code, w.Body.String())
			require.NotEmpty(t, str(t, decode(t, w), "error"))
		})
	}
	require.Empty(t, e.pc.Scans(e.configID), "nothing refused reached Passcreator")
}

// Passcreator down: the device is told to retry while the scan's workflow
// keeps trying, and the device's retry after Passcreator is back gets the
// scan recorded once.
func TestIntakeWhenPasscreatorIsDown(t *testing.T) {
	e := newEnv(t, func(o *hooks.Options) { o.TemporalTimeout = 2 * time.Second })
	e.pc.Faults().Set(sandboxkit.Faults{ErrorRate: 1})
	post := intakeRequest(e.deviceScanID("pos-pcdown"), "NOBODY-1", `"1"`)
	requireRetryLater(t, e.do(post), retryLaterBody)
	require.Empty(t, e.pc.Scans(e.configID))

	e.pc.Faults().Set(sandboxkit.Faults{})
	deadline := time.Now().Add(time.Minute)
	w := e.do(post)
	for w.Code == http.StatusServiceUnavailable && time.Now().Before(deadline) {
		w = e.do(post)
	}
	res := recordedScan(t, w)
	require.Len(t, e.pc.Scans(e.configID), 1)
	require.Equal(t, res.AppScanID, e.pc.Scans(e.configID)[0].AppScanID)
}

// Passcreator refusing the scan (here: the branch's app configuration no
// longer exists there) is not worth retrying: a bad gateway, and a line for
// staff in the log.
func TestIntakeWhenPasscreatorRefuses(t *testing.T) {
	e := newEnv(t, func(o *hooks.Options) {
		o.Config.Branches["rome"].PasscreatorAppConfigurationID = "0b7e2a6c-1f00-4d1e-9b55-00000000dead"
	})
	w := e.do(intakeRequest(e.deviceScanID("pos-refused"), "1234", `"1"`))
	require.Equal(t, http.StatusBadGateway, w.Code, w.Body.String())
	require.JSONEq(t, `{"error": "scan refused by Passcreator"}`, w.Body.String())
	require.Contains(t, e.logs.String(), "Passcreator refused a device scan")
}

// A scan id gets one run, even one that failed: a second run could not
// know what the first recorded before it failed, so a repeat of a refused
// post gets the same answer and starts nothing.
func TestIntakeRepeatOfAFailedScanStartsNoRun(t *testing.T) {
	e := newEnv(t, func(o *hooks.Options) {
		o.Config.Branches["rome"].PasscreatorAppConfigurationID = "0b7e2a6c-1f00-4d1e-9b55-00000000dead"
	})
	id := e.deviceScanID("pos-refused-twice")
	first := e.do(intakeRequest(id, "1234", `"1"`))
	require.Equal(t, http.StatusBadGateway, first.Code, first.Body.String())
	firstRun := latestRun(t, lifecycle.DeviceScanWorkflowID("rome", id))
	again := e.do(intakeRequest(id, "1234", `"1"`))
	require.Equal(t, first.Code, again.Code)
	require.Equal(t, first.Body.String(), again.Body.String())
	require.Equal(t, firstRun, latestRun(t, lifecycle.DeviceScanWorkflowID("rome", id)), "no second run for the scan id")
}

func latestRun(t *testing.T, workflowID string) string {
	t.Helper()
	d, err := temporalClient.DescribeWorkflowExecution(context.Background(), workflowID, "")
	require.NoError(t, err)
	return d.GetWorkflowExecutionInfo().GetExecution().GetRunId()
}

// A scan of a card installed a moment before is credited at its first
// delivery: the card's account is found through the card's own workflow,
// never through visibility, which is eventually consistent (here it is
// down altogether).
func TestScanOfACardInstalledJustNowIsCredited(t *testing.T) {
	e := newEnv(t, func(o *hooks.Options) { o.Temporal = hooks.NewTemporal(withoutVisibility{temporalClient}) })
	g := newGuest()
	e.install(g)
	scan := scanEvent{id: "pc-" + g.card + "-now", config: e.configID, barcode: g.track, status: 3, value: "100.00"}
	w := e.do(signedScanEvent(scan))
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.JSONEq(t, `{"delivered": 1, "unknownCards": 0, "skipped": 0}`, w.Body.String())
	e.eventuallyBalance(g, "5")
}

// withoutVisibility is a Temporal client whose visibility store is down.
type withoutVisibility struct{ client.Client }

func (withoutVisibility) ListWorkflow(context.Context, *workflowservice.ListWorkflowExecutionsRequest) (*workflowservice.ListWorkflowExecutionsResponse, error) {
	return nil, serviceerror.NewUnavailable("visibility is down")
}
