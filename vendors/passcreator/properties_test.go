package passcreator

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var outletProps = []AdditionalProperty{
	{Type: PropertyBoolean, Name: "Allowed to send marketing mails?", ID: "0"},
	{Type: PropertyDouble, Name: "Transaction value", ID: "2"},
}

func TestDecimalProperty(t *testing.T) {
	cases := []struct {
		name   string
		scan   string // JSON of the scan's property fields
		want   string
		ok     bool
		hasErr bool
	}{
		{"string with dot", `{"additionalPropertiesScan":[{"id":2,"value":"12.50"}]}`, "12.5", true, false},
		{"number", `{"additionalPropertiesScan":[{"id":"2","value":12.5}]}`, "12.5", true, false},
		{"comma decimal", `{"additionalPropertiesScan":[{"id":2,"value":"12,50"}]}`, "12.5", true, false},
		// rules.ParseAmount's Typed form: no grouping, no spaces inside.
		{"thousands and comma", `{"additionalPropertiesScan":[{"id":2,"value":"1.234,50"}]}`, "0", false, true},
		{"thousands and dot", `{"additionalPropertiesScan":[{"id":2,"value":"1,234.50"}]}`, "0", false, true},
		{"spaces inside", `{"additionalPropertiesScan":[{"id":2,"value":"1 234,50"}]}`, "0", false, true},
		{"exponent", `{"additionalPropertiesScan":[{"id":2,"value":1e3}]}`, "0", false, true},
		{"negative", `{"additionalPropertiesScan":[{"id":2,"value":"-3"}]}`, "-3", true, false},
		{"map form", `{"additionalPropertiesScan":{"2":"7,00","0":true}}`, "7", true, false},
		// additionalProperties are the pass's values, not the transaction.
		{"pass properties keyed by id", `{"additionalPropertiesScan":[],"additionalProperties":{"2":"9.99"}}`, "0", false, false},
		{"scan list, not pass properties", `{"additionalPropertiesScan":[{"id":2,"value":"1"}],"additionalProperties":{"2":"9.99"}}`, "1", true, false},
		{"absent", `{"additionalPropertiesScan":[{"id":0,"value":true}]}`, "0", false, false},
		{"null", `{"additionalPropertiesScan":[{"id":2,"value":null}]}`, "0", false, false},
		{"blank", `{"additionalPropertiesScan":[{"id":2,"value":" "}]}`, "0", false, false},
		{"text", `{"additionalPropertiesScan":[{"id":2,"value":"twelve"}]}`, "0", false, true},
		{"boolean", `{"additionalPropertiesScan":[{"id":2,"value":true}]}`, "0", false, true},
		{"bare values are positional beside objects", `{"additionalPropertiesScan":[7,"x",{"id":2,"value":"5"}]}`, "5", true, false},
		// The document types additionalPropertiesScan only as "array" (line
		// 1079). PHP writes an {id: value} map whose ids run 0, 1, 2 as a
		// plain list; Passcreator's webhook page keys the pairs by the
		// property's name.
		{"PHP list of values by position", `{"additionalPropertiesScan":[true,"table 4","12.50"]}`, "12.5", true, false},
		{"PHP list with nulls", `{"additionalPropertiesScan":[null,null,12.5]}`, "12.5", true, false},
		{"map keyed by name", `{"additionalPropertiesScan":{"Allowed to send marketing mails?":"1","Transaction value":"12,50"}}`, "12.5", true, false},
		{"key-value pairs by name", `{"additionalPropertiesScan":[{"key":"Transaction value","value":"12.50"}]}`, "12.5", true, false},
		{"key-value pairs by id", `{"additionalPropertiesScan":[{"key":"2","value":"12.50"}]}`, "12.5", true, false},
		{"name and value", `{"additionalPropertiesScan":[{"name":"Transaction value","type":"double","value":12.5}]}`, "12.5", true, false},
		{"one-entry maps by name", `{"additionalPropertiesScan":[{"Allowed to send marketing mails?":true},{"Transaction value":"12.50"}]}`, "12.5", true, false},
		{"one-entry maps by id", `{"additionalPropertiesScan":[{"0":true},{"2":"12.50"}]}`, "12.5", true, false},
		{"pass properties keyed by name", `{"additionalPropertiesScan":[],"additionalProperties":{"Transaction value":"9.99"}}`, "0", false, false},
		{"id wins over a name", `{"additionalPropertiesScan":{"Transaction value":"1","2":"3"}}`, "3", true, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var s AppScan
			require.NoError(t, json.Unmarshal([]byte(tc.scan), &s))
			d, ok, err := s.DecimalProperty(outletProps, " transaction VALUE ")
			assert.Equal(t, tc.hasErr, err != nil, "%v", err)
			assert.Equal(t, tc.ok, ok)
			assert.True(t, d.Equal(decimal.RequireFromString(tc.want)), "got %s", d)
		})
	}
}

func TestDecimalPropertyUnknownName(t *testing.T) {
	s := AppScan{AdditionalPropertiesScan: ScanProperties{{ID: "2", Value: TextValue("5")}}}
	_, ok, err := s.DecimalProperty(outletProps, "Tip")
	assert.False(t, ok)
	assert.NoError(t, err)
}

func TestPropertyValueForms(t *testing.T) {
	b, err := json.Marshal(map[PropertyID]PropertyValue{
		"1": TextValue("Tisch 4"),
		"2": DecimalValue(decimal.RequireFromString("12.50")),
		"0": BoolValue(true),
		"3": {},
	})
	require.NoError(t, err)
	assert.JSONEq(t, `{"0":true,"1":"Tisch 4","2":"12.5","3":null}`, string(b), "a decimal is sent as text, as the document's example values")

	var v PropertyValue
	require.NoError(t, json.Unmarshal([]byte(`"1"`), &v))
	assert.Equal(t, "1", v.Text())
}

func TestPassPropertiesFromPHPEmptyArray(t *testing.T) {
	var s AppScan
	require.NoError(t, json.Unmarshal([]byte(`{"additionalProperties":[],"additionalPropertiesScan":null,"storedValue":"4.20"}`), &s))
	assert.Equal(t, PassProperties{}, s.AdditionalProperties)
	assert.Nil(t, s.AdditionalPropertiesScan)
}

func TestFlexibleScalars(t *testing.T) {
	var cfg AppConfiguration
	require.NoError(t, json.Unmarshal([]byte(`{
		"scanMode":"1","type":null,"timeToShowAutoSaveConfirmation":"5",
		"preventNegativeNumericValues":true,"preventNegativeStoredValueBalance":"false",
		"additionalProperties":[{"id":"5cb1a40ac68f80.15012600","name":"n","type":"unicode"},{"id":3,"name":"m","type":"double"}],
		"appConfigurationLinks":[{"isValid":"true","expired":null,"canChangeConfig":true,"usedOn":"2025-01-01 10:00:00"}],
		"someFieldAddedLater":{"x":1}
	}`), &cfg))
	assert.Equal(t, ScanModeAttendance, cfg.ScanMode)
	assert.Equal(t, ConfigurationApp, cfg.Type)
	assert.Equal(t, FlexInt(5), cfg.TimeToShowAutoSaveConfirmation)
	assert.True(t, bool(cfg.PreventNegativeNumericValues))
	assert.False(t, bool(cfg.PreventNegativeStoredValueBalance))
	assert.Equal(t, PropertyID("5cb1a40ac68f80.15012600"), cfg.AdditionalProperties[0].ID)
	assert.Equal(t, PropertyID("3"), cfg.AdditionalProperties[1].ID)
	link := cfg.AppConfigurationLinks[0]
	assert.True(t, bool(link.IsValid))
	assert.False(t, bool(link.Expired))
	assert.True(t, bool(link.CanChangeConfig))
	require.NotNil(t, link.UsedOn)

	var bad AppConfiguration
	assert.Error(t, json.Unmarshal([]byte(`{"scanMode":"void"}`), &bad))
	assert.Error(t, json.Unmarshal([]byte(`{"preventNegativeNumericValues":"maybe"}`), &bad))
}

// A boolean is read as the document writes one: true or false, or those
// words as a string (the webhook page's passVoided). Numbers and other
// words are not in the document: the answer fails, naming the field and
// not the value.
func TestFlexBoolReadsTheDocumentedForms(t *testing.T) {
	for in, want := range map[string]bool{`true`: true, `false`: false, `"true"`: true, `"false"`: false, `null`: false} {
		var s AppScan
		require.NoError(t, json.Unmarshal([]byte(`{"passVoided":`+in+`}`), &s), in)
		assert.Equal(t, want, bool(s.PassVoided), in)
	}
	for _, in := range []string{`"yes"`, `"no"`, `"on"`, `"off"`, `1`, `0`, `"1"`, `"0"`, `""`, `"TRUE"`, `{}`} {
		var s AppScan
		err := json.Unmarshal([]byte(`{"passVoided":`+in+`}`), &s)
		var typ *json.UnmarshalTypeError
		if assert.ErrorAs(t, err, &typ, in) {
			assert.Equal(t, "passVoided", typ.Field, in)
			assert.Contains(t, []string{"string", "number", "object"}, typ.Value, "the kind, never the value")
		}
	}
}

func TestScanStatus(t *testing.T) {
	assert.Equal(t, "not checked in so cannot check out", ScanNotCheckedIn.String())
	assert.Equal(t, "scan status 9", ScanStatus(9).String())
}

func TestCreatedAtPrefersUTCAcrossTheDSTFold(t *testing.T) {
	rome, err := time.LoadLocation("Europe/Rome")
	require.NoError(t, err)
	// 02:30 happens twice in Rome on 2025-10-26; only the UTC field tells which.
	s := AppScan{CreatedOn: "2025-10-26 02:30:00", CreatedOnUTC: "2025-10-26 01:30:00"}
	at, err := s.CreatedAt(rome)
	require.NoError(t, err)
	assert.Equal(t, time.Date(2025, 10, 26, 1, 30, 0, 0, time.UTC), at.UTC())

	s.CreatedOnUTC = ""
	_, err = s.CreatedAt(nil)
	assert.Error(t, err, "a local time without a zone must not be guessed")
	at, err = s.CreatedAt(rome)
	require.NoError(t, err)
	assert.Equal(t, "2025-10-26 02:30:00", at.In(rome).Format(TimestampLayout))
}

func TestTimestampRoundTrip(t *testing.T) {
	rome, err := time.LoadLocation("Europe/Rome")
	require.NoError(t, err)
	at := time.Date(2025, 7, 1, 8, 0, 5, 0, time.UTC)
	ts := NewTimestamp(at, rome)
	assert.Equal(t, Timestamp("2025-07-01 10:00:05"), ts)
	back, err := ts.In(rome)
	require.NoError(t, err)
	assert.True(t, back.Equal(at))
	assert.Equal(t, "2025-07-01 08:00", sinceParam(at.Add(54*time.Second), rome), "east of UTC: UTC's clock is the earlier")
	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	assert.Equal(t, "2025-07-01 04:00", sinceParam(at.Add(54*time.Second), ny), "west of UTC: the account's clock is the earlier")
	_, err = Timestamp("01.07.2025 10:00").In(rome)
	assert.Error(t, err)
	_, err = Timestamp("").UTC()
	assert.ErrorIs(t, err, ErrNoTimestamp)
}

// The document types every id and barcode as a string, but the property ids
// beside them are numbers (lines 212-222) and an untyped array may hold
// either (passTemplateIds, line 48): one id sent as a number must not fail a
// page of scans or the configuration the sync and the webhook depend on.
func TestIDsAsNumbers(t *testing.T) {
	var page AppScanPage
	require.NoError(t, json.Unmarshal([]byte(`{"query":{"start":0,"pageSize":100,"self":"x"},"total":1,"results":[{
		"scanStatus":2,"createdOn":"2025-10-17 03:38:43","createdOnUtc":"2025-10-17 07:38:43",
		"passId":362,"passGeneratedId":77,"passSearchString":"","passData":"","passVoided":false,"passUserProvidedId":4711,
		"passTemplateGuid":5,"passTemplateName":"Guest card","appConfigurationId":74019,"place":"Bar",
		"scannedBarcodeValue":4006381333931,"appScanId":158,"deviceName":"iPhone",
		"additionalPropertiesScan":[{"id":2,"value":"12.50"}],"additionalProperties":{},"storedValue":null}]}`), &page))
	require.Len(t, page.Results, 1)
	s := page.Results[0]
	assert.Equal(t, "158", s.AppScanID)
	assert.Equal(t, "362", s.PassID)
	assert.Equal(t, "4711", s.PassUserProvidedID)
	assert.Equal(t, "74019", s.AppConfigurationID)
	assert.Equal(t, "4006381333931", s.ScannedBarcodeValue)
	assert.Equal(t, ScanAttendanceSaved, s.ScanStatus)

	var cfg AppConfiguration
	require.NoError(t, json.Unmarshal([]byte(`{"name":"Bar","configurationId":17,"passTemplateId":3,"passTemplateIds":[3,"b4"],
		"passTemplateName":null,"createdOn":"2025-11-12 16:06:09","createdOnUtc":"2025-11-12 16:06:09","scanMode":1,"place":"",
		"validValidationPlaces":{"1":"Bar","2":"Spa"},"additionalProperties":[{"type":"double","name":"Transaction value","id":2}],
		"backgroundColor":null,"textColor":null,"timeToShowAutoSaveConfirmation":5,"type":0,
		"preventNegativeNumericValues":false,"preventNegativeStoredValueBalance":false,
		"appConfigurationLinks":[{"identifier":"b7df","branchLink":"https://l","canChangeConfig":false,"createdOn":"2025-11-12 16:06:09",
		"expired":false,"unlockPin":66969,"usedOn":null,"expirationDate":"2025-11-12 18:06:09","isValid":true,"validTo":"2025-11-12 18:06:09"}]}`), &cfg))
	assert.Equal(t, "17", cfg.ConfigurationID)
	require.NotNil(t, cfg.PassTemplateID)
	assert.Equal(t, "3", *cfg.PassTemplateID)
	assert.Equal(t, []string{"3", "b4"}, cfg.PassTemplateIDs)
	assert.Len(t, cfg.ValidValidationPlaces, 2)
	assert.Equal(t, "66969", cfg.AppConfigurationLinks[0].UnlockPin)

	var created CreatedAppScan
	require.NoError(t, json.Unmarshal([]byte(`{"appScanId":4,"scanStatus":"2","location":null,"success":true}`), &created))
	assert.Equal(t, "4", created.AppScanID)

	var bad AppScan
	assert.Error(t, json.Unmarshal([]byte(`{"appScanId":{"x":1}}`), &bad), "an object is no id")
}
