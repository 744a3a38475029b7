package sandbox

import (
	"encoding/json"
	"strconv"
	"time"
)

// The sandbox's own wire types, written from the document independently of
// the client's, so a misreading in one does not hide in the other.

// AppConfiguration is an App Configuration as the API returns it.
type AppConfiguration struct {
	Name                              string                 `json:"name"`
	ConfigurationID                   string                 `json:"configurationId"`
	PassTemplateID                    *string                `json:"passTemplateId"`
	PassTemplateIDs                   []string               `json:"passTemplateIds"`
	PassTemplateName                  *string                `json:"passTemplateName"`
	CreatedOn                         string                 `json:"createdOn"`
	CreatedOnUtc                      string                 `json:"createdOnUtc"`
	ScanMode                          int                    `json:"scanMode"` // 0 void, 1 attendance
	Place                             string                 `json:"place"`
	ValidValidationPlaces             []string               `json:"validValidationPlaces"`
	AdditionalProperties              []AdditionalProperty   `json:"additionalProperties"`
	BackgroundColor                   *string                `json:"backgroundColor"`
	TextColor                         *string                `json:"textColor"`
	TimeToShowAutoSaveConfirmation    int                    `json:"timeToShowAutoSaveConfirmation"`
	Type                              int                    `json:"type"`
	PreventNegativeNumericValues      bool                   `json:"preventNegativeNumericValues"`
	PreventNegativeStoredValueBalance bool                   `json:"preventNegativeStoredValueBalance"`
	AppConfigurationLinks             []AppConfigurationLink `json:"appConfigurationLinks"`
}

// AdditionalProperty is a value asked for at each scan.
type AdditionalProperty struct {
	Type string `json:"type"` // unicode, double or boolean
	Name string `json:"name"`
	ID   int    `json:"id"`
}

// AppConfigurationLink is a set-up link of a configuration.
type AppConfigurationLink struct {
	Identifier      string  `json:"identifier"`
	BranchLink      string  `json:"branchLink"`
	CanChangeConfig bool    `json:"canChangeConfig"`
	CreatedOn       string  `json:"createdOn"`
	Expired         bool    `json:"expired"`
	UnlockPin       string  `json:"unlockPin"`
	UsedOn          *string `json:"usedOn"`
	ExpirationDate  string  `json:"expirationDate"`
	IsValid         bool    `json:"isValid"`
	ValidTo         string  `json:"validTo"`
}

// AppScan is a scan as the list endpoint returns it.
type AppScan struct {
	ScanStatus               int                        `json:"scanStatus"`
	CreatedOn                string                     `json:"createdOn"`    // account time zone
	CreatedOnUtc             string                     `json:"createdOnUtc"` // UTC
	PassID                   string                     `json:"passId"`
	PassGeneratedID          string                     `json:"passGeneratedId"`
	PassSearchString         string                     `json:"passSearchString"`
	PassData                 string                     `json:"passData"`
	PassVoided               bool                       `json:"passVoided"`
	PassUserProvidedID       string                     `json:"passUserProvidedId"`
	PassTemplateGuid         string                     `json:"passTemplateGuid"`
	PassTemplateName         string                     `json:"passTemplateName"`
	AppConfigurationID       string                     `json:"appConfigurationId"`
	Place                    string                     `json:"place"`
	ScannedBarcodeValue      string                     `json:"scannedBarcodeValue"`
	AppScanID                string                     `json:"appScanId"`
	DeviceName               string                     `json:"deviceName"`
	AdditionalPropertiesScan ScanProperties             `json:"additionalPropertiesScan"`
	AdditionalProperties     map[string]json.RawMessage `json:"additionalProperties"`
	StoredValue              *json.Number               `json:"storedValue"`

	// Created, when set on a seeded scan, is when it happened; it overrides
	// CreatedOn and CreatedOnUtc. Not sent.
	Created time.Time `json:"-"`
}

// MarshalJSON writes passId null when the scan found no pass: the create
// document's "Specify null if no pass was found", which is how Passcreator
// stores the scans of barcodes it did not issue (a Passquare card).
func (s AppScan) MarshalJSON() ([]byte, error) {
	type plain AppScan
	out := struct {
		plain
		PassID *string `json:"passId"`
	}{plain: plain(s)}
	if s.PassID != "" {
		out.PassID = &s.PassID
	}
	return json.Marshal(out)
}

// ScanProperty is a value recorded with a scan, under the configuration's
// property id. Value is raw JSON: a string, a number or a boolean.
type ScanProperty struct {
	ID    int
	Value json.RawMessage
}

// ScanProperties is additionalPropertiesScan, typed "array" and shown as []
// in the scan list. It is written as the values were given to POST
// /api/appscan: an object keyed by property id ("1": "value1"), and as []
// when there are none, as the list's example shows.
type ScanProperties []ScanProperty

func (p ScanProperties) MarshalJSON() ([]byte, error) {
	if len(p) == 0 {
		return []byte("[]"), nil
	}
	m := make(map[string]json.RawMessage, len(p))
	for _, sp := range p {
		m[strconv.Itoa(sp.ID)] = sp.Value
	}
	return json.Marshal(m)
}

// Pass is a pass the sandbox knows, so a scan of its barcode finds it.
type Pass struct {
	ID           string // UUID, the passId of scans
	Barcode      string // also its generated id, as in the document's sample
	TemplateGuid string
	TemplateName string
	Voided       bool
}

// createdConfiguration is the answer to POST /api/appconfiguration.
type createdConfiguration struct {
	Configuration       []AppConfiguration `json:"configuration"`
	ConfigurationLink   string             `json:"configurationLink"`
	ConfigurationLinkID string             `json:"configurationLinkId"`
	ValidTo             string             `json:"validTo"`
	ValidToUtc          string             `json:"validToUtc"`
}

// createdScan is the answer to POST /api/appscan.
type createdScan struct {
	AppScanID  string  `json:"appScanId"`
	ScanStatus int     `json:"scanStatus"`
	Location   *string `json:"location"`
	Success    bool    `json:"success"`
}

type scanPage struct {
	Query   pageQuery `json:"query"`
	Total   int       `json:"total"`
	Results []AppScan `json:"results"`
}

type pageQuery struct {
	Start    int    `json:"start"`
	PageSize int    `json:"pageSize"`
	Self     string `json:"self"`
	Next     string `json:"next,omitempty"`
}

// errorBody is the sandbox's error answer. Passcreator documents none; this
// mirrors the success flag of its create answers with a message beside it.
type errorBody struct {
	Success bool   `json:"success"`
	Message string `json:"message"`
}

func errorJSON(_ int, message string) any { return errorBody{Message: message} }
