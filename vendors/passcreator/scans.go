package passcreator

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"
)

// AppScan is one scan of a pass at an outlet, as Passcreator lists it.
// PassSearchString, PassData, PassUserProvidedID and AdditionalProperties
// describe the pass and may hold the guest's personal data: log AppScanID,
// PassID and AppConfigurationID only.
type AppScan struct {
	ScanStatus               ScanStatus     `json:"scanStatus"`
	CreatedOn                Timestamp      `json:"createdOn"` // account time zone
	CreatedOnUTC             Timestamp      `json:"createdOnUtc"`
	PassID                   string         `json:"passId"` // empty when the pass was not found
	PassGeneratedID          string         `json:"passGeneratedId"`
	PassSearchString         string         `json:"passSearchString"` // pass data fields joined by pipes
	PassData                 string         `json:"passData"`
	PassVoided               FlexBool       `json:"passVoided"`
	PassUserProvidedID       string         `json:"passUserProvidedId"`
	PassTemplateGUID         string         `json:"passTemplateGuid"`
	PassTemplateName         string         `json:"passTemplateName"`
	AppConfigurationID       string         `json:"appConfigurationId"`
	Place                    string         `json:"place"`
	ScannedBarcodeValue      string         `json:"scannedBarcodeValue"` // the card number or track read
	AppScanID                string         `json:"appScanId"`
	DeviceName               string         `json:"deviceName"`
	AdditionalPropertiesScan ScanProperties `json:"additionalPropertiesScan"` // nil: missing or unreadable
	AdditionalProperties     PassProperties `json:"additionalProperties"`
	// storedValue (number | null) is not read: guestflow keeps no money
	// of Passcreator's passes.

}

// CreatedAt is when the scan happened. createdOnUtc is preferred because the
// local wall clock is ambiguous for an hour when clocks go back; loc (the
// account's zone) is used only when the UTC field is missing.
func (s AppScan) CreatedAt(loc *time.Location) (time.Time, error) {
	if s.CreatedOnUTC != "" {
		return s.CreatedOnUTC.UTC()
	}
	return s.CreatedOn.In(loc)
}

// AppScanPage is one page of GET /api/appscan/list.
type AppScanPage struct {
	Query   PageQuery `json:"query"`
	Total   int       `json:"total"`
	Results []AppScan `json:"results"`
	// bare: the answer was a bare array of scans, with no paging echoed.
	bare bool
}

// PageQuery echoes the paging of a list call. Next is empty on the last page.
type PageQuery struct {
	Start    int    `json:"start"`
	PageSize int    `json:"pageSize"`
	Self     string `json:"self"`
	Next     string `json:"next"`
}

// The document calls the answer a "JSON-Array" before showing an object; a
// bare array of scans is accepted as the results.
func (p *AppScanPage) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '[' {
		*p = AppScanPage{bare: true}
		return json.Unmarshal(b, &p.Results)
	}
	type plain AppScanPage
	return json.Unmarshal(b, (*plain)(p))
}

// NewAppScan is the body of POST /api/appscan. ScanStatus is what the device
// concluded; Passcreator answers with the status it settled on.
type NewAppScan struct {
	AppConfigurationID   string                       `json:"appConfigurationId"`
	PassID               *string                      `json:"passId"` // nil (sent as null) when no pass was found
	ScanStatus           ScanStatus                   `json:"scanStatus"`
	CreatedOn            Timestamp                    `json:"createdOn"` // NewTimestamp(t, account zone)
	ScannedBarcodeValue  string                       `json:"scannedBarcodeValue"`
	DeviceName           string                       `json:"deviceName"`
	SetVoided            *bool                        `json:"setVoided,omitempty"`
	AdditionalProperties map[PropertyID]PropertyValue `json:"additionalProperties,omitempty"`
}

// CreatedAppScan is the answer to POST /api/appscan.
type CreatedAppScan struct {
	AppScanID  string     `json:"appScanId"`
	ScanStatus ScanStatus `json:"scanStatus"` // may differ from the status sent
	Location   *string    `json:"location"`
	Success    *FlexBool  `json:"success"`
}

// ErrScanNotSaved is returned when Passcreator answers 2xx but says
// success: false. It is permanent: sending the same scan again will not help.
var ErrScanNotSaved = errors.New("passcreator: app scan was not saved")

// CreateAppScan records a scan. An unknown configuration or pass is a 404
// *vendorhttp.Error, invalid fields a 400.
func (c *Client) CreateAppScan(ctx context.Context, scan NewAppScan) (*CreatedAppScan, error) {
	var out CreatedAppScan
	if err := c.do(ctx, http.MethodPost, "POST /api/appscan", "/api/appscan", scan, &out); err != nil {
		return nil, err
	}
	if out.Success != nil && !*out.Success {
		return &out, ErrScanNotSaved
	}
	return &out, nil
}
