package passcreator

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
)

// AppConfiguration says which passes an outlet validates and what a scan
// does to them. Its additionalProperties give the ids under which scan
// values (such as a transaction value) are recorded.
type AppConfiguration struct {
	Name                              string                 `json:"name"`
	ConfigurationID                   string                 `json:"configurationId"`
	PassTemplateID                    *string                `json:"passTemplateId"`   // nil: every pass is validated
	PassTemplateIDs                   []string               `json:"passTemplateIds"`  // when set, PassTemplateID is ignored
	PassTemplateName                  *string                `json:"passTemplateName"` // nil: every pass is validated
	CreatedOn                         Timestamp              `json:"createdOn"`        // account time zone
	CreatedOnUTC                      Timestamp              `json:"createdOnUtc"`
	ScanMode                          ScanMode               `json:"scanMode"`
	Place                             string                 `json:"place"`
	ValidValidationPlaces             Places                 `json:"validValidationPlaces"` // element shape undocumented
	AdditionalProperties              []AdditionalProperty   `json:"additionalProperties"`
	BackgroundColor                   *string                `json:"backgroundColor"`
	TextColor                         *string                `json:"textColor"`
	TimeToShowAutoSaveConfirmation    int                    `json:"timeToShowAutoSaveConfirmation"` // seconds
	Type                              ConfigurationType      `json:"type"`
	PreventNegativeNumericValues      FlexBool               `json:"preventNegativeNumericValues"`
	PreventNegativeStoredValueBalance FlexBool               `json:"preventNegativeStoredValueBalance"`
	AppConfigurationLinks             []AppConfigurationLink `json:"appConfigurationLinks"`
}

// Places is validValidationPlaces, typed only "array | null": a list, or
// the values of an object, which is how PHP writes a list with gaps.
type Places []json.RawMessage

func (p *Places) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '{' {
		return json.Unmarshal(b, (*[]json.RawMessage)(p))
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	*p = make(Places, 0, len(m))
	for _, e := range entries(m) {
		*p = append(*p, e.Value.raw)
	}
	return nil
}

// AdditionalProperty is a value staff are asked for at each scan.
type AdditionalProperty struct {
	Type PropertyType `json:"type"`
	Name string       `json:"name"`
	ID   PropertyID   `json:"id"`
}

// AppConfigurationLink is a deep link that sets up the validation app.
type AppConfigurationLink struct {
	Identifier      string     `json:"identifier"`
	BranchLink      string     `json:"branchLink"`
	CanChangeConfig FlexBool   `json:"canChangeConfig"`
	CreatedOn       Timestamp  `json:"createdOn"`
	Expired         FlexBool   `json:"expired"`
	UnlockPin       string     `json:"unlockPin"`
	UsedOn          *Timestamp `json:"usedOn"` // nil: never used
	ExpirationDate  Timestamp  `json:"expirationDate"`
	IsValid         FlexBool   `json:"isValid"`
	ValidTo         Timestamp  `json:"validTo"`
}

// NewAppConfiguration is the body of POST /api/appconfiguration. Optional
// fields left nil are not sent, so Passcreator applies its defaults.
type NewAppConfiguration struct {
	Name                              string                  `json:"name"`
	PassTemplateID                    *string                 `json:"passTemplateId,omitempty"` // nil or "": every pass
	ScanMode                          ScanMode                `json:"scanMode"`
	Type                              *ConfigurationType      `json:"type,omitempty"`
	Place                             string                  `json:"place,omitempty"`
	BackgroundColor                   *string                 `json:"backgroundColor,omitempty"`
	TextColor                         *string                 `json:"textColor,omitempty"`
	AdditionalProperties              []NewAdditionalProperty `json:"additionalProperties,omitempty"`
	ShowStoredValue                   *bool                   `json:"showStoredValue,omitempty"`
	IncrementStoredValue              *bool                   `json:"incrementStoredValue,omitempty"`
	PreventNegativeNumericValues      *bool                   `json:"preventNegativeNumericValues,omitempty"`
	PreventNegativeStoredValueBalance *bool                   `json:"preventNegativeStoredValueBalance,omitempty"`
}

// NewAdditionalProperty asks for a value at each scan; Passcreator assigns its id.
type NewAdditionalProperty struct {
	Type PropertyType `json:"type"`
	Name string       `json:"name"`
}

// CreatedAppConfiguration is the answer to POST /api/appconfiguration.
type CreatedAppConfiguration struct {
	Configuration       []AppConfiguration `json:"configuration"`
	ConfigurationLink   string             `json:"configurationLink"`
	ConfigurationLinkID string             `json:"configurationLinkId"`
	ValidTo             Timestamp          `json:"validTo"` // account time zone
	ValidToUTC          Timestamp          `json:"validToUtc"`
}

// The document says configuration is an array of one; a bare object is
// accepted too.
func (c *CreatedAppConfiguration) UnmarshalJSON(b []byte) error {
	type plain CreatedAppConfiguration
	var aux struct {
		plain
		Configuration json.RawMessage `json:"configuration"`
	}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	*c = CreatedAppConfiguration(aux.plain)
	raw := bytes.TrimSpace(aux.Configuration)
	switch {
	case len(raw) == 0 || string(raw) == "null":
		c.Configuration = nil
	case raw[0] == '{':
		var one AppConfiguration
		if err := json.Unmarshal(raw, &one); err != nil {
			return err
		}
		c.Configuration = []AppConfiguration{one}
	default:
		return json.Unmarshal(raw, &c.Configuration)
	}
	return nil
}

// Created returns the configuration that was created.
func (c CreatedAppConfiguration) Created() (AppConfiguration, bool) {
	if len(c.Configuration) == 0 {
		return AppConfiguration{}, false
	}
	return c.Configuration[0], true
}

// ListAppConfigurations returns every App Configuration the key can see.
func (c *Client) ListAppConfigurations(ctx context.Context) ([]AppConfiguration, error) {
	var out []AppConfiguration
	err := c.do(ctx, http.MethodGet, "GET /api/appconfiguration", "/api/appconfiguration", nil, &out)
	return out, err
}

// GetAppConfiguration returns one App Configuration; an unknown id is a 404
// *vendorhttp.Error.
func (c *Client) GetAppConfiguration(ctx context.Context, id string) (*AppConfiguration, error) {
	if id == "" {
		return nil, errors.New("passcreator: GetAppConfiguration needs a configuration id")
	}
	var out AppConfiguration
	err := c.do(ctx, http.MethodGet, "GET /api/appconfiguration/{identifier}",
		"/api/appconfiguration/"+url.PathEscape(id), nil, &out)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// CreateAppConfiguration creates an App Configuration. Passcreator validates
// the body (400) and assigns the property ids.
func (c *Client) CreateAppConfiguration(ctx context.Context, cfg NewAppConfiguration) (*CreatedAppConfiguration, error) {
	var out CreatedAppConfiguration
	if err := c.do(ctx, http.MethodPost, "POST /api/appconfiguration", "/api/appconfiguration", cfg, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
