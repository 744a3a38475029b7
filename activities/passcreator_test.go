package activities

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/converter"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/mocks"
	"go.temporal.io/sdk/testsuite"

	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/rules"
	"github.com/guestflow/guestflow/vendors/passcreator"
	pcsandbox "github.com/guestflow/guestflow/vendors/passcreator/sandbox"
)

const pcKey = "activities-test-key"

// newPasscreator is the Passcreator activities on a sandbox holding one
// attendance-mode app configuration of branch rome, with its transaction
// value property; temporal may be nil where nothing is delivered.
func newPasscreator(t *testing.T, sb *pcsandbox.Server) (*Passcreator, string) {
	t.Helper()
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	cfg := sb.AddAppConfiguration(pcsandbox.AppConfiguration{
		Name: "guestflow Rome", ScanMode: 1,
		AdditionalProperties: []pcsandbox.AdditionalProperty{{Type: "double", Name: "Transaction value", ID: 0}},
	})
	return &Passcreator{
		Client:   passcreator.New(passcreator.Options{APIKey: pcKey, BaseURL: srv.URL}),
		Location: sb.Location(),
		Outlets: map[string]Outlet{cfg.ConfigurationID: {
			BranchID: "rome", TransactionValueProperty: "Transaction value",
			Rules: lifecycle.BranchRules{BonusPercent: decimal.RequireFromString("5"), RealUseStatuses: rules.DefaultRealUseStatuses},
		}},
	}, cfg.ConfigurationID
}

func newPasscreatorSandbox(o ...func(*pcsandbox.Options)) *pcsandbox.Server {
	opts := pcsandbox.Options{APIKey: pcKey, TimeZone: "Europe/Rome", RateLimit: -1, Seed: 7}
	for _, f := range o {
		f(&opts)
	}
	return pcsandbox.New(opts)
}

// A device's scan of a guestflow card is recorded as what it is at
// Passcreator, a barcode it did not issue: status 3 with passId null, not
// a status that says the pass was known. It still earns the bonus: the
// card's account decides that.
func TestRecordDeviceScanIsPassNotFoundAndStillARealUse(t *testing.T) {
	sb := newPasscreatorSandbox()
	a, configID := newPasscreator(t, sb)
	env := (&testsuite.WorkflowTestSuite{}).NewTestActivityEnvironment()
	env.RegisterActivity(a)

	val, err := env.ExecuteActivity(a.RecordDeviceScan, RecordDeviceScanInput{
		Scan: lifecycle.DeviceScan{DeviceScanID: "till-1/0001", BranchID: "rome", AppConfigurationID: configID,
			Barcode: "PQ-1042", Value: decimal.RequireFromString("40.00")},
		At: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC),
	})
	require.NoError(t, err)
	var scan lifecycle.Scan
	require.NoError(t, val.Get(&scan))

	var sent map[string]json.RawMessage
	for _, c := range sb.Calls() {
		if c.Method == http.MethodPost && c.Path == "/api/appscan" {
			require.NoError(t, json.Unmarshal(c.Body, &sent))
		}
	}
	require.NotNil(t, sent, "the scan was posted")
	assert.JSONEq(t, `3`, string(sent["scanStatus"]))
	assert.JSONEq(t, `null`, string(sent["passId"]))
	assert.Equal(t, 3, scan.Status)
	assert.True(t, rules.IsRealUse(scan.Status, scan.RealUseStatuses), "the normal case earns the bonus")
	require.NotNil(t, scan.Value)
	assert.Equal(t, "40", scan.Value.String())
}

// accountsHolding is a Temporal client on which each of cards has its Card
// workflow naming an account, and that records the scans signalled to the
// accounts. Visibility knows nothing.
func accountsHolding(t *testing.T, cards ...string) (*mocks.Client, *[]lifecycle.Scan) {
	c := mocks.NewClient(t)
	c.On("QueryWorkflow", mock.Anything, mock.Anything, "", lifecycle.QueryCardAccount).Return(
		func(_ context.Context, id, _, _ string, _ ...any) (converter.EncodedValue, error) {
			for _, card := range cards {
				if id == lifecycle.CardWorkflowID(card) {
					v := &mocks.Value{}
					v.On("Get", mock.Anything).Run(func(args mock.Arguments) { *args.Get(0).(*string) = card }).Return(nil)
					return v, nil
				}
			}
			return nil, serviceerror.NewNotFound("workflow not found")
		}).Maybe()
	c.On("ListWorkflow", mock.Anything, mock.Anything).Return(&workflowservice.ListWorkflowExecutionsResponse{}, nil).Maybe()
	var signalled []lifecycle.Scan
	c.On("SignalWorkflow", mock.Anything, mock.Anything, "", lifecycle.SignalRecordScan, mock.Anything).Return(
		func(_ context.Context, _, _, _ string, arg any) error {
			signalled = append(signalled, arg.(lifecycle.Scan))
			return nil
		}).Maybe()
	return c, &signalled
}

// The list returns what was created or modified since createdSince, and
// reaches before since by the minute cut and the zone: scans are told apart
// by appScanId, never by their time. A scan created long before the window
// but modified in it is delivered; one an earlier run delivered is not,
// whenever it was created.
func TestSyncScansDeduplicatesByAppScanIDOnly(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	sb := newPasscreatorSandbox(func(o *pcsandbox.Options) { o.Now = func() time.Time { return now } })
	a, configID := newPasscreator(t, sb)
	temporal, signalled := accountsHolding(t, "PQ-1")
	a.Temporal = temporal
	since := now.Add(-10 * time.Minute)
	value := []pcsandbox.ScanProperty{{ID: 0, Value: json.RawMessage(`"12.50"`)}}
	for _, sc := range []pcsandbox.AppScan{
		{AppScanID: "modified", ScannedBarcodeValue: "PQ-1", ScanStatus: 3, Created: now.Add(-3 * time.Hour), AdditionalPropertiesScan: value},
		{AppScanID: "handled-before", ScannedBarcodeValue: "PQ-1", ScanStatus: 3, Created: since.Add(-30 * time.Second)},
		{AppScanID: "early", ScannedBarcodeValue: "PQ-1", ScanStatus: 3, Created: since.Add(-40 * time.Second)},
		{AppScanID: "new", ScannedBarcodeValue: "PQ-1", ScanStatus: 3, Created: since.Add(time.Minute), AdditionalPropertiesScan: value},
		{AppScanID: "nobody", ScannedBarcodeValue: "NOT-OURS", ScanStatus: 3, Created: since.Add(2 * time.Minute)},
	} {
		_, err := sb.AddScan(configID, sc)
		require.NoError(t, err)
	}
	require.NoError(t, sb.ModifyScan("modified", func(*pcsandbox.AppScan) {}))

	env := (&testsuite.WorkflowTestSuite{}).NewTestActivityEnvironment()
	env.RegisterActivity(a)
	val, err := env.ExecuteActivity(a.SyncScans, SyncScansInput{
		AppConfigurationID: configID, Since: since,
		Seen: []lifecycle.SeenScan{{AppScanID: "handled-before", At: since.Add(-30 * time.Second)}},
	})
	require.NoError(t, err)
	var res SyncScansResult
	require.NoError(t, val.Get(&res))

	assert.Equal(t, []string{"early", "modified", "new"}, scanIDs(*signalled))
	assert.Equal(t, 5, res.Scans)
	assert.Equal(t, 3, res.Delivered)
	assert.Equal(t, 1, res.Repeated)
	assert.Equal(t, 1, res.Unknown)
	var seen []string
	for _, sc := range res.Seen {
		seen = append(seen, sc.AppScanID)
	}
	slices.Sort(seen)
	assert.Equal(t, []string{"early", "handled-before", "modified", "new", "nobody"}, seen,
		"every scan listed is handed to the next run, whatever its time")
	assert.Equal(t, since.Add(2*time.Minute), res.Latest)
}

func scanIDs(scans []lifecycle.Scan) []string {
	ids := make([]string, 0, len(scans))
	for _, s := range scans {
		ids = append(ids, s.AppScanID)
	}
	slices.Sort(ids)
	return ids
}

// A scan whose transaction value cannot be read (a value that is not a
// number, or additionalPropertiesScan in a form the document does not show)
// is still delivered, without a value, so it earns nothing; it is counted
// and logged by appScanId, never with the value.
func TestSyncScansLogsAScanWhoseValueIsUnreadable(t *testing.T) {
	sb := newPasscreatorSandbox()
	a, configID := newPasscreator(t, sb)
	temporal, signalled := accountsHolding(t, "PQ-1")
	a.Temporal = temporal
	since := time.Now().Add(-time.Hour)
	for id, value := range map[string]string{"readable": `"12.50"`, "text": `"twelve euros"`, "pairs": `"93.17"`} {
		_, err := sb.AddScan(configID, pcsandbox.AppScan{AppScanID: id, ScannedBarcodeValue: "PQ-1", ScanStatus: 3,
			Created: since.Add(time.Minute), AdditionalPropertiesScan: pcsandbox.ScanProperties{{ID: 0, Value: json.RawMessage(value)}}})
		require.NoError(t, err)
	}
	// A server writing the values as {id, value} pairs, a form the document
	// does not show: the sandbox's answer rewritten for scan "pairs".
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		sb.ServeHTTP(rec, r)
		w.WriteHeader(rec.Code)
		_, _ = w.Write(bytes.ReplaceAll(rec.Body.Bytes(), []byte(`{"0":"93.17"}`), []byte(`[{"id":0,"value":"93.17"}]`)))
	}))
	t.Cleanup(srv.Close)
	a.Client = passcreator.New(passcreator.Options{APIKey: pcKey, BaseURL: srv.URL})

	var logs bytes.Buffer
	suite := &testsuite.WorkflowTestSuite{}
	suite.SetLogger(sdklog.NewStructuredLogger(slog.New(slog.NewJSONHandler(&logs, nil))))
	env := suite.NewTestActivityEnvironment()
	env.RegisterActivity(a)
	val, err := env.ExecuteActivity(a.SyncScans, SyncScansInput{AppConfigurationID: configID, Since: since})
	require.NoError(t, err)
	var res SyncScansResult
	require.NoError(t, val.Get(&res))

	assert.Equal(t, 3, res.Delivered)
	assert.Equal(t, 2, res.Unreadable)
	values := map[string]string{}
	for _, s := range *signalled {
		values[s.AppScanID] = "none"
		if s.Value != nil {
			values[s.AppScanID] = s.Value.String()
		}
	}
	assert.Equal(t, map[string]string{"readable": "12.5", "text": "none", "pairs": "none"}, values)
	for _, id := range []string{"text", "pairs"} {
		assert.Contains(t, logs.String(), `"app_scan_id":"`+id+`"`)
	}
	assert.Contains(t, logs.String(), "transaction value is unreadable")
	assert.NotContains(t, logs.String(), "twelve")
	assert.NotContains(t, logs.String(), "93.17")
}
