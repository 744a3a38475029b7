package passcreator_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/gin-gonic/gin"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guestflow/guestflow/vendors/passcreator"
	"github.com/guestflow/guestflow/vendors/passcreator/sandbox"
	"github.com/guestflow/guestflow/vendors/vendorhttp"
)

const apiKey = "pc-key-rome-7f3a"

func init() { gin.SetMode(gin.ReleaseMode) }

type env struct {
	sb     *sandbox.Server
	client *passcreator.Client
	url    string
	rome   *time.Location
	now    time.Time // the sandbox's clock at start
	clock  atomic.Pointer[time.Time]
}

// advance moves the sandbox's clock; the sandbox reads it from its own goroutines.
func (e *env) advance(d time.Duration) {
	t := e.clock.Load().Add(d)
	e.clock.Store(&t)
}

func newEnv(t *testing.T, tweak ...func(*sandbox.Options)) *env {
	t.Helper()
	rome, err := time.LoadLocation("Europe/Rome")
	require.NoError(t, err)
	e := &env{rome: rome, now: time.Date(2025, 3, 1, 10, 20, 0, 0, rome)}
	e.clock.Store(&e.now)
	o := sandbox.Options{APIKey: apiKey, TimeZone: "Europe/Rome", Seed: 7, Now: func() time.Time { return *e.clock.Load() }}
	for _, f := range tweak {
		f(&o)
	}
	e.sb = sandbox.New(o)
	srv := httptest.NewServer(e.sb)
	t.Cleanup(srv.Close)
	e.url = srv.URL
	e.client = passcreator.New(passcreator.Options{APIKey: apiKey, BaseURL: srv.URL + "/", Timeout: 5 * time.Second})
	return e
}

func (e *env) otherKey(key string) *passcreator.Client {
	return passcreator.New(passcreator.Options{APIKey: key, BaseURL: e.url})
}

func vendorError(t *testing.T, err error) *vendorhttp.Error {
	t.Helper()
	var ve *vendorhttp.Error
	require.ErrorAs(t, err, &ve)
	return ve
}

func ptr[T any](v T) *T { return &v }

var outletProps = []sandbox.AdditionalProperty{
	{Type: "boolean", Name: "Allowed to send marketing mails?", ID: 0},
	{Type: "double", Name: "Transaction value", ID: 1},
}

func TestListAndGetAppConfigurations(t *testing.T) {
	e := newEnv(t)
	bar := e.sb.AddAppConfiguration(sandbox.AppConfiguration{
		Name: "Rome bar", ScanMode: 1, Place: "Bar", AdditionalProperties: outletProps,
		PassTemplateIDs: []string{"tpl-1", "tpl-2"}, BackgroundColor: ptr("#112233"), TimeToShowAutoSaveConfirmation: 5,
	})
	e.sb.AddAppConfiguration(sandbox.AppConfiguration{Name: "Rome spa", ScanMode: 0})
	ctx := context.Background()

	list, err := e.client.ListAppConfigurations(ctx)
	require.NoError(t, err)
	require.Len(t, list, 2)
	assert.Equal(t, "Rome bar", list[0].Name)
	assert.Equal(t, "Rome spa", list[1].Name)
	assert.Equal(t, passcreator.ScanModeVoid, list[1].ScanMode)

	got, err := e.client.GetAppConfiguration(ctx, bar.ConfigurationID)
	require.NoError(t, err)
	assert.Equal(t, bar.ConfigurationID, got.ConfigurationID)
	assert.Equal(t, passcreator.ScanModeAttendance, got.ScanMode)
	assert.Equal(t, []string{"tpl-1", "tpl-2"}, got.PassTemplateIDs)
	assert.Equal(t, "#112233", *got.BackgroundColor)
	assert.Nil(t, got.TextColor)
	assert.Equal(t, 5, got.TimeToShowAutoSaveConfirmation)
	assert.Equal(t, []passcreator.AdditionalProperty{
		{Type: passcreator.PropertyBoolean, Name: "Allowed to send marketing mails?", ID: "0"},
		{Type: passcreator.PropertyDouble, Name: "Transaction value", ID: "1"},
	}, got.AdditionalProperties)
	created, err := got.CreatedOn.In(e.rome)
	require.NoError(t, err)
	assert.True(t, created.Equal(e.now))

	_, err = e.client.GetAppConfiguration(ctx, "5d6f0000-0000-4000-8000-000000000000")
	ve := vendorError(t, err)
	assert.Equal(t, http.StatusNotFound, ve.Status)
	assert.Equal(t, "app configuration not found", ve.Message)
	assert.False(t, ve.Retryable())
	assert.Equal(t, "GET /api/appconfiguration/{identifier}", ve.Endpoint)
	assert.Equal(t, 3, e.sb.Recorder().Count(http.MethodGet, ""))
}

func TestCreateAppConfiguration(t *testing.T) {
	e := newEnv(t)
	out, err := e.client.CreateAppConfiguration(context.Background(), passcreator.NewAppConfiguration{
		Name:     "Rome restaurant",
		ScanMode: passcreator.ScanModeAttendance,
		Place:    "Restaurant",
		Type:     ptr(passcreator.ConfigurationApp),
		AdditionalProperties: []passcreator.NewAdditionalProperty{
			{Type: passcreator.PropertyDouble, Name: "Transaction value"},
			{Type: passcreator.PropertyUnicode, Name: "Table"},
		},
		PreventNegativeNumericValues: ptr(true),
	})
	require.NoError(t, err)
	cfg, ok := out.Created()
	require.True(t, ok)
	assert.Equal(t, "Rome restaurant", cfg.Name)
	assert.Equal(t, "Restaurant", cfg.Place)
	assert.True(t, bool(cfg.PreventNegativeNumericValues))
	id, ok := passcreator.PropertyIDByName(cfg.AdditionalProperties, "transaction value")
	require.True(t, ok)
	assert.Equal(t, passcreator.PropertyID("0"), id)
	assert.NotEmpty(t, out.ConfigurationLink)
	assert.NotEmpty(t, out.ConfigurationLinkID)
	validTo, err := out.ValidToUTC.UTC()
	require.NoError(t, err)
	assert.True(t, validTo.Equal(e.now.Add(2*time.Hour)), "validToUtc %s", out.ValidToUTC)

	stored := e.sb.Configurations()
	require.Len(t, stored, 1)
	assert.Equal(t, cfg.ConfigurationID, stored[0].ConfigurationID)

	calls := e.sb.Calls()
	require.Len(t, calls, 1)
	assert.JSONEq(t, `{"name":"Rome restaurant","scanMode":1,"place":"Restaurant","type":0,
		"additionalProperties":[{"type":"double","name":"Transaction value"},{"type":"unicode","name":"Table"}],
		"preventNegativeNumericValues":true}`, string(calls[0].Body))
}

func TestCreateAppScanStatusesAndProperties(t *testing.T) {
	e := newEnv(t)
	void := e.sb.AddAppConfiguration(sandbox.AppConfiguration{Name: "Spa", ScanMode: 0, AdditionalProperties: outletProps})
	attend := e.sb.AddAppConfiguration(sandbox.AppConfiguration{Name: "Bar", ScanMode: 1, AdditionalProperties: outletProps})
	card := e.sb.AddPass("CARD-1001")
	e.sb.AddPass("CARD-1002")
	at := passcreator.NewTimestamp(e.now, e.rome)

	steps := []struct {
		name    string
		config  string
		barcode string
		passID  *string
		want    passcreator.ScanStatus
	}{
		{"unknown barcode", void.ConfigurationID, "NOT-A-CARD", nil, passcreator.ScanPassNotFound},
		{"attendance keeps the pass valid", attend.ConfigurationID, "CARD-1001", nil, passcreator.ScanAttendanceSaved},
		{"void mode voids it", void.ConfigurationID, "CARD-1001", &card.ID, passcreator.ScanVoided},
		{"voided pass refused", void.ConfigurationID, "CARD-1001", nil, passcreator.ScanAlreadyVoided},
		{"voided pass refused in attendance mode too", attend.ConfigurationID, "CARD-1001", nil, passcreator.ScanAlreadyVoided},
		{"another pass", attend.ConfigurationID, "CARD-1002", nil, passcreator.ScanAttendanceSaved},
	}
	for _, st := range steps {
		out, err := e.client.CreateAppScan(context.Background(), passcreator.NewAppScan{
			AppConfigurationID:  st.config,
			PassID:              st.passID,
			ScanStatus:          passcreator.ScanAttendanceSaved,
			CreatedOn:           at,
			ScannedBarcodeValue: st.barcode,
			DeviceName:          "Bar till 2",
			AdditionalProperties: map[passcreator.PropertyID]passcreator.PropertyValue{
				"1": passcreator.TextValue("12,50"),
			},
		})
		require.NoError(t, err, st.name)
		assert.Equal(t, st.want, out.ScanStatus, st.name)
		assert.NotEmpty(t, out.AppScanID, st.name)
	}

	page, err := e.client.ListAppScans(context.Background(), attend.ConfigurationID, passcreator.ScanQuery{})
	require.NoError(t, err)
	require.Len(t, page.Results, 3)
	first := page.Results[0]
	assert.Equal(t, passcreator.ScanAttendanceSaved, first.ScanStatus)
	assert.Equal(t, card.ID, first.PassID)
	assert.Equal(t, "CARD-1001", first.ScannedBarcodeValue)
	assert.Equal(t, "Bar till 2", first.DeviceName)
	cfg, err := e.client.GetAppConfiguration(context.Background(), attend.ConfigurationID)
	require.NoError(t, err)
	amount, ok, err := first.DecimalProperty(cfg.AdditionalProperties, "Transaction value")
	require.NoError(t, err)
	require.True(t, ok)
	assert.True(t, amount.Equal(decimal.RequireFromString("12.50")), amount.String())
	when, err := first.CreatedAt(e.rome)
	require.NoError(t, err)
	assert.True(t, when.Equal(e.now))
}
