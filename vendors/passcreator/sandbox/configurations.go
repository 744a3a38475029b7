package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// linkLifetime matches the document's sample: a set-up link valid two hours.
const linkLifetime = 2 * time.Hour

var hexColor = regexp.MustCompile(`^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$`)

// AddAppConfiguration seeds a configuration as given, filling an empty id,
// creation time and nil lists. It returns what is stored.
func (s *Server) AddAppConfiguration(cfg AppConfiguration) AppConfiguration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.store(cfg)
}

func (s *Server) store(cfg AppConfiguration) AppConfiguration {
	if cfg.ConfigurationID == "" {
		cfg.ConfigurationID = s.newID()
	}
	now := s.opts.Now()
	if cfg.CreatedOn == "" {
		cfg.CreatedOn = s.wallClock(now)
	}
	if cfg.CreatedOnUtc == "" {
		cfg.CreatedOnUtc = utcClock(now)
	}
	if cfg.AdditionalProperties == nil {
		cfg.AdditionalProperties = []AdditionalProperty{}
	}
	if cfg.AppConfigurationLinks == nil {
		cfg.AppConfigurationLinks = []AppConfigurationLink{}
	}
	if _, known := s.configs[cfg.ConfigurationID]; !known {
		s.order = append(s.order, cfg.ConfigurationID)
	}
	stored := cfg
	s.configs[cfg.ConfigurationID] = &stored
	return stored
}

// Configurations returns the stored configurations in creation order.
func (s *Server) Configurations() []AppConfiguration {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]AppConfiguration, 0, len(s.order))
	for _, id := range s.order {
		out = append(out, *s.configs[id])
	}
	return out
}

func (s *Server) listConfigurations(c *gin.Context) {
	c.JSON(http.StatusOK, s.Configurations())
}

func (s *Server) getConfiguration(c *gin.Context) {
	s.mu.Lock()
	cfg, ok := s.configs[c.Param("id")]
	var out AppConfiguration
	if ok {
		out = *cfg
	}
	s.mu.Unlock()
	if !ok {
		fail(c, http.StatusNotFound, "app configuration not found")
		return
	}
	c.JSON(http.StatusOK, out)
}

func (s *Server) createConfiguration(c *gin.Context) {
	var f fields
	if err := json.NewDecoder(c.Request.Body).Decode(&f); err != nil || f == nil {
		fail(c, http.StatusBadRequest, "body must be a JSON object")
		return
	}
	cfg, err := configurationFrom(f)
	if err != nil {
		fail(c, http.StatusBadRequest, err.Error())
		return
	}

	s.mu.Lock()
	now := s.opts.Now()
	link := AppConfigurationLink{
		Identifier:     s.newID(),
		BranchLink:     "https://sandbox.passcreator.test/link/" + s.newID()[:8],
		CreatedOn:      s.wallClock(now),
		UnlockPin:      fmt.Sprintf("%06d", s.rnd.IntN(1_000_000)),
		ExpirationDate: s.wallClock(now.Add(linkLifetime)),
		IsValid:        true,
		ValidTo:        s.wallClock(now.Add(linkLifetime)),
	}
	cfg.AppConfigurationLinks = []AppConfigurationLink{link}
	stored := s.store(cfg)
	s.mu.Unlock()

	c.JSON(http.StatusOK, createdConfiguration{
		Configuration:       []AppConfiguration{stored},
		ConfigurationLink:   link.BranchLink,
		ConfigurationLinkID: link.Identifier,
		ValidTo:             link.ValidTo,
		ValidToUtc:          utcClock(now.Add(linkLifetime)),
	})
}

// configurationFrom validates a create body. Property ids are numbered from
// 0 in the order given, as in the document's sample.
func configurationFrom(f fields) (AppConfiguration, error) {
	var cfg AppConfiguration
	name, err := f.str("name")
	if err != nil || strings.TrimSpace(name) == "" {
		return cfg, fmt.Errorf("name is required")
	}
	cfg.Name = name
	if !f.present("scanMode") {
		return cfg, fmt.Errorf("scanMode is required")
	}
	mode, err := f.integer("scanMode")
	if err != nil || (mode != 0 && mode != 1) {
		return cfg, fmt.Errorf("scanMode must be 0 or 1")
	}
	cfg.ScanMode = mode
	tpl, err := f.str("passTemplateId")
	if err != nil {
		return cfg, err
	}
	if tpl != "" {
		cfg.PassTemplateID = &tpl
		cfg.PassTemplateName = &tpl
	}
	if f.present("type") {
		if t, err := f.integer("type"); err == nil && t == 1 {
			cfg.Type = 1 // anything else is the documented default, 0
		}
	}
	if cfg.Place, err = f.str("place"); err != nil {
		return cfg, err
	}
	for _, k := range []string{"backgroundColor", "textColor"} {
		v, err := f.str(k)
		if err != nil || (v != "" && !hexColor.MatchString(v)) {
			return cfg, fmt.Errorf("%s must be a hex color", k)
		}
		if v != "" {
			if k == "backgroundColor" {
				cfg.BackgroundColor = &v
			} else {
				cfg.TextColor = &v
			}
		}
	}
	for _, k := range []string{"showStoredValue", "incrementStoredValue"} {
		if _, err := f.boolean(k); err != nil {
			return cfg, err
		}
	}
	if cfg.PreventNegativeNumericValues, err = f.boolean("preventNegativeNumericValues"); err != nil {
		return cfg, err
	}
	if cfg.PreventNegativeStoredValueBalance, err = f.boolean("preventNegativeStoredValueBalance"); err != nil {
		return cfg, err
	}
	cfg.TimeToShowAutoSaveConfirmation = 5
	cfg.AdditionalProperties = []AdditionalProperty{}
	if f.present("additionalProperties") {
		var props []fields
		if err := json.Unmarshal(f["additionalProperties"], &props); err != nil {
			return cfg, fmt.Errorf("additionalProperties must be a list of {name, type}")
		}
		for i, p := range props {
			name, err := p.str("name")
			if err != nil || strings.TrimSpace(name) == "" {
				return cfg, fmt.Errorf("additionalProperties[%d].name is required", i)
			}
			typ, _ := p.str("type")
			switch typ {
			case "unicode", "double", "boolean":
			default:
				return cfg, fmt.Errorf("additionalProperties[%d].type must be unicode, double or boolean", i)
			}
			cfg.AdditionalProperties = append(cfg.AdditionalProperties, AdditionalProperty{Type: typ, Name: name, ID: i})
		}
	}
	return cfg, nil
}
