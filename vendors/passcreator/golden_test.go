package passcreator_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guestflow/guestflow/vendors/passcreator"
)

// The documented sample payloads, copied verbatim into testdata/.

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

func decodeFixture(t *testing.T, name string, v any) {
	t.Helper()
	require.NoError(t, json.Unmarshal(fixture(t, name), v))
}

func samplePropsDefs() []passcreator.AdditionalProperty {
	return []passcreator.AdditionalProperty{
		{Type: passcreator.PropertyBoolean, Name: "Allowed to send marketing mails?", ID: "0"},
		{Type: passcreator.PropertyUnicode, Name: "Tell us about you", ID: "1"},
		{Type: passcreator.PropertyDouble, Name: "Transaction value", ID: "2"},
	}
}

// exampleConfiguration is the document's "Example configuration" with its
// id and links passed in, since the create sample differs there.
func exampleConfiguration(id string, links []passcreator.AppConfigurationLink) passcreator.AppConfiguration {
	return passcreator.AppConfiguration{
		Name:                              "Example configuration",
		ConfigurationID:                   id,
		PassTemplateID:                    nil,
		PassTemplateIDs:                   nil,
		PassTemplateName:                  nil,
		CreatedOn:                         "2025-11-12 16:06:09",
		CreatedOnUTC:                      "2025-11-12 16:06:09",
		ScanMode:                          passcreator.ScanModeAttendance,
		Place:                             "",
		ValidValidationPlaces:             nil,
		AdditionalProperties:              samplePropsDefs(),
		BackgroundColor:                   nil,
		TextColor:                         nil,
		TimeToShowAutoSaveConfirmation:    5,
		Type:                              passcreator.ConfigurationApp,
		PreventNegativeNumericValues:      false,
		PreventNegativeStoredValueBalance: false,
		AppConfigurationLinks:             links,
	}
}

var sampleLink = passcreator.AppConfigurationLink{
	Identifier:      "b7df61cd-3ead-4379-8a94-e192c87096ff",
	BranchLink:      "https://example.test-app.link/CSYw9rjTeYb",
	CanChangeConfig: false,
	CreatedOn:       "2025-11-12 16:06:09",
	Expired:         false,
	UnlockPin:       "066969",
	UsedOn:          nil,
	ExpirationDate:  "2025-11-12 18:06:09",
	IsValid:         true,
	ValidTo:         "2025-11-12 18:06:09",
}

func TestGoldenListAppConfigurations(t *testing.T) {
	var got []passcreator.AppConfiguration
	decodeFixture(t, "list_app_configurations.json", &got)
	want := []passcreator.AppConfiguration{
		exampleConfiguration("098b099f-4ec2-4281-bd08-d3cec64642ef", []passcreator.AppConfigurationLink{sampleLink}),
		{
			Name:                           "Second example configuration",
			ConfigurationID:                "e5c9eee4-038b-41e1-acac-e0edb344c993",
			CreatedOn:                      "2025-01-03 09:33:15",
			CreatedOnUTC:                   "2025-01-03 09:33:15",
			ScanMode:                       passcreator.ScanModeVoid,
			Place:                          "Room 1",
			AdditionalProperties:           []passcreator.AdditionalProperty{},
			TimeToShowAutoSaveConfirmation: 5,
			Type:                           passcreator.ConfigurationApp,
			AppConfigurationLinks:          []passcreator.AppConfigurationLink{},
		},
	}
	assert.Equal(t, want, got)
}

func TestGoldenGetAppConfiguration(t *testing.T) {
	var got passcreator.AppConfiguration
	decodeFixture(t, "get_app_configuration.json", &got)
	assert.Equal(t, exampleConfiguration("098b099f-4ec2-4281-bd08-d3cec64642ef", []passcreator.AppConfigurationLink{sampleLink}), got)
	validTo, err := got.AppConfigurationLinks[0].ValidTo.UTC()
	require.NoError(t, err)
	assert.Equal(t, time.Date(2025, 11, 12, 18, 6, 9, 0, time.UTC), validTo)
}

func TestGoldenCreateAppConfiguration(t *testing.T) {
	want := passcreator.NewAppConfiguration{
		Name:           "Example configuration",
		PassTemplateID: ptr(""),
		ScanMode:       passcreator.ScanModeAttendance,
		AdditionalProperties: []passcreator.NewAdditionalProperty{
			{Type: passcreator.PropertyBoolean, Name: "Allowed to send marketing mails?"},
			{Type: passcreator.PropertyUnicode, Name: "Tell us about you"},
			{Type: passcreator.PropertyDouble, Name: "Transaction value"},
		},
	}
	var req passcreator.NewAppConfiguration
	decodeFixture(t, "create_app_configuration_request.json", &req)
	assert.Equal(t, want, req)
	sent, err := json.Marshal(want)
	require.NoError(t, err)
	assert.JSONEq(t, string(fixture(t, "create_app_configuration_request.json")), string(sent))

	var got passcreator.CreatedAppConfiguration
	decodeFixture(t, "create_app_configuration_response.json", &got)
	assert.Equal(t, passcreator.CreatedAppConfiguration{
		Configuration:       []passcreator.AppConfiguration{exampleConfiguration("be0937ca-3bac-40b9-b189-45ec70e0cbe5", []passcreator.AppConfigurationLink{})},
		ConfigurationLink:   "https://example.test-app.link/CSYw9rjTeYb",
		ConfigurationLinkID: "b7df61cd-3ead-4379-8a94-e192c87096ff",
		ValidTo:             "2025-11-12 18:06:09",
		ValidToUTC:          "2025-11-12 18:06:09",
	}, got)
}

func TestGoldenListAppScans(t *testing.T) {
	var got passcreator.AppScanPage
	decodeFixture(t, "list_app_scans.json", &got)
	assert.Equal(t, passcreator.PageQuery{
		Start:    0,
		PageSize: 2,
		Self:     "https://app.passcreator.com/api/appscan/list/74019cd8-f8e1-4ca5-a366-7c64d494cf2f?start=0&pageSize=2",
		Next:     "https://app.passcreator.com/api/appscan/list/74019cd8-f8e1-4ca5-a366-7c64d494cf2f?start=2&pageSize=2",
	}, got.Query)
	assert.Equal(t, 147, got.Total)
	require.Len(t, got.Results, 2)
	assert.Equal(t, passcreator.AppScan{
		ScanStatus:               passcreator.ScanAlreadyVoided,
		CreatedOn:                "2025-10-17 03:38:43",
		CreatedOnUTC:             "2025-10-17 07:38:43",
		PassID:                   "362f41e0-287c-47ee-a041-0231c40e0627",
		PassGeneratedID:          "swvcgbqzvz1reovpto60100e7c02b52",
		PassSearchString:         "",
		PassData:                 "",
		PassVoided:               false,
		PassUserProvidedID:       "",
		PassTemplateGUID:         "a57911fa-e2ff-4178-a100-b2eec8e4a254",
		PassTemplateName:         "Demo Template",
		AppConfigurationID:       "74019cd8-f8e1-4ca5-a366-7c64d494cf2f",
		Place:                    "Room 1",
		ScannedBarcodeValue:      "swvcgbqzvz1reovpto60100e7c02b52",
		AppScanID:                "0158a0b3-d9f8-498c-a8c1-ebf662842704",
		DeviceName:               "iPhone",
		AdditionalPropertiesScan: passcreator.ScanProperties{},
		AdditionalProperties: passcreator.PassProperties{
			"5cb1a40ac68f80.15012600": passcreator.TextValue("John Doe"),
			"600fcc67eb2a77.20005647": passcreator.TextValue("example@example.com"),
		},
	}, got.Results[0])
	second := got.Results[1]
	assert.Equal(t, "90af53f3-5eee-48ca-949f-348d32551445", second.AppScanID)
	assert.Equal(t, "6c1858ce-e206-4372-881b-0c84a947bf66", second.AppConfigurationID)
	assert.Equal(t, "f277d988-500b-4ed2-aa0e-e1692a19bc44", second.PassTemplateGUID)
	assert.Equal(t, "Event Ticket", second.PassTemplateName)
	assert.Equal(t, "Entrance A", second.Place)
	assert.Equal(t, "iPad", second.DeviceName)
	assert.Equal(t, passcreator.PassProperties{}, second.AdditionalProperties)

	// The sample's account is four hours behind UTC (03:38 local, 07:38 UTC).
	at, err := got.Results[0].CreatedAt(nil)
	require.NoError(t, err)
	assert.Equal(t, time.Date(2025, 10, 17, 7, 38, 43, 0, time.UTC), at)
}

func TestGoldenCreateAppScan(t *testing.T) {
	want := passcreator.NewAppScan{
		AppConfigurationID:  "d348b157-e15b-445b-a1e3-0d26101f3b20",
		PassID:              ptr("198b5f2f-ae59-4b1f-8d43-7726dc9a738c"),
		ScanStatus:          passcreator.ScanAlreadyVoided,
		CreatedOn:           "2017-05-17 08:00:00",
		ScannedBarcodeValue: "58ff47678758f4.39729240",
		DeviceName:          "My iPhone",
		SetVoided:           ptr(true),
		AdditionalProperties: map[passcreator.PropertyID]passcreator.PropertyValue{
			"1": passcreator.TextValue("value1"),
			"2": passcreator.TextValue("value2"),
		},
	}
	var req passcreator.NewAppScan
	decodeFixture(t, "create_app_scan_request.json", &req)
	assert.Equal(t, want, req)
	sent, err := json.Marshal(want)
	require.NoError(t, err)
	assert.JSONEq(t, string(fixture(t, "create_app_scan_request.json")), string(sent))

	var got passcreator.CreatedAppScan
	decodeFixture(t, "create_app_scan_response.json", &got)
	assert.Equal(t, passcreator.CreatedAppScan{
		AppScanID:  "4c19c1e8-b14a-4846-a597-5b53fcdb8a92",
		ScanStatus: passcreator.ScanAttendanceSaved,
		Location:   nil,
		Success:    ptr(passcreator.FlexBool(true)),
	}, got)
}
