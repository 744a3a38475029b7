package passcreator

import (
	"encoding/json"
	"strings"
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
		// Keyed by property id, as POST /api/appscan sends the values.
		{"string with dot", `{"additionalPropertiesScan":{"2":"12.50"}}`, "12.5", true, false},
		{"number", `{"additionalPropertiesScan":{"2":12.5}}`, "12.5", true, false},
		{"comma decimal", `{"additionalPropertiesScan":{"2":"12,50"}}`, "12.5", true, false},
		// rules.ParseAmount's Typed form: no grouping, no spaces inside.
		{"thousands and comma", `{"additionalPropertiesScan":{"2":"1.234,50"}}`, "0", false, true},
		{"thousands and dot", `{"additionalPropertiesScan":{"2":"1,234.50"}}`, "0", false, true},
		{"spaces inside", `{"additionalPropertiesScan":{"2":"1 234,50"}}`, "0", false, true},
		{"exponent", `{"additionalPropertiesScan":{"2":1e3}}`, "0", false, true},
		{"negative", `{"additionalPropertiesScan":{"2":"-3"}}`, "-3", true, false},
		// A value no till takes earns nothing rather than an absurd bonus.
		{"at the bound", `{"additionalPropertiesScan":{"2":"1000000000,00"}}`, "1000000000", true, false},
		{"above the bound", `{"additionalPropertiesScan":{"2":"1000000000,01"}}`, "0", false, true},
		{"absurdly large", `{"additionalPropertiesScan":{"2":1` + strings.Repeat("0", 30000) + `}}`, "0", false, true},
		{"several values", `{"additionalPropertiesScan":{"2":"7,00","0":true}}`, "7", true, false},
		// additionalProperties are the pass's values, not the transaction.
		{"empty list, pass properties keyed by id", `{"additionalPropertiesScan":[],"additionalProperties":{"2":"9.99"}}`, "0", false, false},
		{"scan values, not pass properties", `{"additionalPropertiesScan":{"2":"1"},"additionalProperties":{"2":"9.99"}}`, "1", true, false},
		{"pass properties keyed by name", `{"additionalPropertiesScan":[],"additionalProperties":{"Transaction value":"9.99"}}`, "0", false, false},
		{"not given", `{"additionalPropertiesScan":{"0":true}}`, "0", false, false},
		{"null", `{"additionalPropertiesScan":{"2":null}}`, "0", false, false},
		{"blank", `{"additionalPropertiesScan":{"2":" "}}`, "0", false, false},
		{"text", `{"additionalPropertiesScan":{"2":"twelve"}}`, "0", false, true},
		{"boolean", `{"additionalPropertiesScan":{"2":true}}`, "0", false, true},
		// The field is typed "array" and shown as []: a JSON array is keyed
		// by position, as an array of the document's ids 0, 1, 2 is written.
		{"array keyed by position", `{"additionalPropertiesScan":[true,"table 4","12.50"]}`, "12.5", true, false},
		{"array with nulls", `{"additionalPropertiesScan":[null,null,12.5]}`, "12.5", true, false},
		{"array too short", `{"additionalPropertiesScan":[true,"table 4"]}`, "0", false, false},
		// The App Scan Created page keys the values by the property's name.
		{"keyed by name", `{"additionalPropertiesScan":{"Allowed to send marketing mails?":"1","Transaction value":"12,50"}}`, "12.5", true, false},
		{"id wins over a name", `{"additionalPropertiesScan":{"Transaction value":"1","2":"3"}}`, "3", true, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var s AppScan
			require.NoError(t, json.Unmarshal([]byte(tc.scan), &s))
			d, ok, err := s.DecimalProperty(outletProps, " transaction VALUE ")
			assert.Equal(t, tc.hasErr, err != nil, "%v", err)
			assert.NotErrorIs(t, err, ErrPropertiesUnreadable)
			assert.Equal(t, tc.ok, ok)
			assert.True(t, d.Equal(decimal.RequireFromString(tc.want)), "got %s", d)
		})
	}
}

// additionalPropertiesScan in a form the document does not show (the shapes
// an earlier client guessed) keeps the scan, and the page it came in, but
// makes its values unreadable: DecimalProperty says so, never the value,
// and the scan earns nothing. A configuration without the property asks for
// nothing and gets no error.
func TestScanPropertiesInNoDocumentedFormAreUnreadable(t *testing.T) {
	for name, form := range map[string]string{
		"pairs of id and value":  `[{"id":2,"value":"12.50"}]`,
		"pairs of key and value": `[{"key":"Transaction value","value":"12.50"}]`,
		"pairs of propertyId":    `[{"propertyId":2,"value":"12.50"}]`,
		"name and value":         `[{"name":"Transaction value","type":"double","value":12.5}]`,
		"one-entry maps by name": `[{"Allowed to send marketing mails?":true},{"Transaction value":"12.50"}]`,
		"one-entry maps by id":   `[{"0":true},{"2":"12.50"}]`,
		"values beside objects":  `[7,"x",{"id":2,"value":"5"}]`,
		"a value that is a list": `{"2":["12.50"]}`,
		"an object value":        `{"2":{"value":"12.50"}}`,
		"null":                   `null`,
		"a string":               `"2=12.50"`,
		"a number":               `12.5`,
		"missing":                ``,
	} {
		t.Run(name, func(t *testing.T) {
			field := ""
			if form != "" {
				field = `,"additionalPropertiesScan":` + form
			}
			var page AppScanPage
			require.NoError(t, json.Unmarshal([]byte(`{"query":{"start":0,"pageSize":100,"self":"x"},"total":2,"results":[
				{"appScanId":"odd","scanStatus":3`+field+`},
				{"appScanId":"fine","scanStatus":3,"additionalPropertiesScan":{"2":"4.00"}}]}`), &page))
			require.Len(t, page.Results, 2)
			odd := page.Results[0]
			assert.Equal(t, "odd", odd.AppScanID)
			d, ok, err := odd.DecimalProperty(outletProps, "Transaction value")
			assert.ErrorIs(t, err, ErrPropertiesUnreadable)
			assert.Contains(t, err.Error(), "scan odd")
			assert.NotContains(t, err.Error(), "12.5")
			assert.False(t, ok)
			assert.True(t, d.IsZero())
			_, found := odd.Property("2")
			assert.False(t, found)
			_, ok, err = odd.DecimalProperty(outletProps, "Tip")
			assert.False(t, ok)
			assert.NoError(t, err, "no such property configured: nothing to read")

			d, ok, err = page.Results[1].DecimalProperty(outletProps, "Transaction value")
			require.NoError(t, err)
			assert.True(t, ok)
			assert.Equal(t, "4", d.String())
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

// Integers are JSON numbers without a fraction, as every one the document
// shows; a string, a fraction or null fails the answer, naming the field
// and not the value (null must not read as scan status 0, "voided").
func TestIntegersInTheDocumentedFormOnly(t *testing.T) {
	var cfg AppConfiguration
	require.NoError(t, json.Unmarshal([]byte(`{
		"scanMode":1,"type":0,"timeToShowAutoSaveConfirmation":5,
		"preventNegativeNumericValues":true,"preventNegativeStoredValueBalance":"false",
		"additionalProperties":[{"id":"5cb1a40ac68f80.15012600","name":"n","type":"unicode"},{"id":3,"name":"m","type":"double"}],
		"appConfigurationLinks":[{"isValid":"true","expired":null,"canChangeConfig":true,"usedOn":"2025-01-01 10:00:00"}],
		"someFieldAddedLater":{"x":1}
	}`), &cfg))
	assert.Equal(t, ScanModeAttendance, cfg.ScanMode)
	assert.Equal(t, ConfigurationApp, cfg.Type)
	assert.Equal(t, 5, cfg.TimeToShowAutoSaveConfirmation)
	assert.True(t, bool(cfg.PreventNegativeNumericValues))
	assert.False(t, bool(cfg.PreventNegativeStoredValueBalance))
	assert.Equal(t, PropertyID("5cb1a40ac68f80.15012600"), cfg.AdditionalProperties[0].ID)
	assert.Equal(t, PropertyID("3"), cfg.AdditionalProperties[1].ID)
	link := cfg.AppConfigurationLinks[0]
	assert.True(t, bool(link.IsValid))
	assert.False(t, bool(link.Expired))
	assert.True(t, bool(link.CanChangeConfig))
	require.NotNil(t, link.UsedOn)

	for _, tc := range []struct{ body, field string }{
		{`{"scanMode":"1"}`, "scanMode"},
		{`{"scanMode":"void"}`, "scanMode"},
		{`{"type":null}`, "type"},
		{`{"timeToShowAutoSaveConfirmation":"5"}`, "timeToShowAutoSaveConfirmation"},
		{`{"timeToShowAutoSaveConfirmation":5.0}`, "timeToShowAutoSaveConfirmation"},
		{`{"additionalProperties":[{"id":null}]}`, "additionalProperties.id"},
		{`{"preventNegativeNumericValues":"maybe"}`, "preventNegativeNumericValues"},
	} {
		var bad AppConfiguration
		assertWrongForm(t, json.Unmarshal([]byte(tc.body), &bad), tc.field, tc.body)
	}
	for _, tc := range []struct{ body, field string }{
		{`{"total":"147","results":[]}`, "total"},
		{`{"query":{"start":null,"pageSize":"100"},"results":[]}`, "query.pageSize"},
		{`{"total":1,"results":[{"appScanId":"a","scanStatus":null}]}`, "results.scanStatus"},
		{`{"total":1,"results":[{"appScanId":"a","scanStatus":"2"}]}`, "results.scanStatus"},
		{`{"total":1,"results":[{"appScanId":"a","scanStatus":2.0}]}`, "results.scanStatus"},
	} {
		var bad AppScanPage
		assertWrongForm(t, json.Unmarshal([]byte(tc.body), &bad), tc.field, tc.body)
	}
}

// assertWrongForm checks err names field and the JSON kind, never a value.
func assertWrongForm(t *testing.T, err error, field, msg string) {
	t.Helper()
	var typ *json.UnmarshalTypeError
	if assert.ErrorAs(t, err, &typ, msg) {
		assert.Equal(t, field, typ.Field, msg)
		assert.Contains(t, []string{"string", "number", "number 5.0", "number 2.0", "null", "object"}, typ.Value, msg)
	}
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

// The document writes every id and barcode as a string, except the
// additional properties' ids: numbers in a configuration ("id": 0, 1, 2),
// string keys where values are given ("1": "value1"). Those two forms are
// read; an id or barcode sent as a number anywhere else is in no documented
// form and fails the answer, naming the field.
func TestIDsInTheDocumentedForms(t *testing.T) {
	var cfg AppConfiguration
	require.NoError(t, json.Unmarshal([]byte(`{"name":"Bar","configurationId":"17","passTemplateId":"3","passTemplateIds":["3","b4"],
		"additionalProperties":[{"type":"double","name":"Transaction value","id":2},{"type":"unicode","name":"Table","id":"5cb1"}],
		"appConfigurationLinks":[{"identifier":"b7df","unlockPin":"066969"}]}`), &cfg))
	assert.Equal(t, []PropertyID{"2", "5cb1"}, []PropertyID{cfg.AdditionalProperties[0].ID, cfg.AdditionalProperties[1].ID})
	assert.Equal(t, "066969", cfg.AppConfigurationLinks[0].UnlockPin, "a PIN is text: its leading zero stays")

	for _, tc := range []struct{ body, field string }{
		{`{"configurationId":17}`, "configurationId"},
		{`{"passTemplateId":3}`, "passTemplateId"},
		{`{"passTemplateIds":[3,"b4"]}`, "passTemplateIds"},
		{`{"appConfigurationLinks":[{"unlockPin":66969}]}`, "appConfigurationLinks.unlockPin"},
	} {
		var bad AppConfiguration
		assertWrongForm(t, json.Unmarshal([]byte(tc.body), &bad), tc.field, tc.body)
	}
	for _, tc := range []struct{ body, field string }{
		{`{"appScanId":158}`, "appScanId"},
		{`{"appScanId":{"x":1}}`, "appScanId"},
		{`{"passId":362}`, "passId"},
		{`{"appConfigurationId":74019}`, "appConfigurationId"},
		{`{"scannedBarcodeValue":4006381333931}`, "scannedBarcodeValue"},
	} {
		var bad AppScan
		assertWrongForm(t, json.Unmarshal([]byte(tc.body), &bad), tc.field, tc.body)
	}
	var created CreatedAppScan
	assertWrongForm(t, json.Unmarshal([]byte(`{"appScanId":4,"scanStatus":2,"location":null,"success":true}`), &created), "appScanId", "created")
}
