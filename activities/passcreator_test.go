package activities

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
