package sandbox

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// Scan statuses. The sandbox decides only 0 to 3; 4 to 7 belong to the
// check-in modes it does not model, but seeded scans may carry them.
const (
	StatusVoided           = 0
	StatusAlreadyVoided    = 1
	StatusAttendanceSaved  = 2
	StatusPassNotFound     = 3
	StatusCheckedIn        = 4
	StatusAlreadyCheckedIn = 5
	StatusCheckedOut       = 6
	StatusNotCheckedIn     = 7
)

const maxPageSize = 100

// AddPass registers a pass under its barcode so that scans of it are found.
// Registering a barcode twice returns the pass already there.
func (s *Server) AddPass(barcode string) Pass {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p, ok := s.passes[barcode]; ok {
		return *p
	}
	p := &Pass{ID: s.newID(), Barcode: barcode, TemplateGuid: s.newID(), TemplateName: "Guest card"}
	s.passes[barcode] = p
	s.passByID[p.ID] = p
	return *p
}

// PassByBarcode returns a registered pass, to check whether a scan voided it.
func (s *Server) PassByBarcode(barcode string) (Pass, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.passes[barcode]
	if !ok {
		return Pass{}, false
	}
	return *p, true
}

// AddScan seeds a scan of configID as given: the status is not recomputed and
// no pass is voided. Its time is scan.Created, else CreatedOn read in the
// account's zone, else now; the configuration's id and place and a fresh
// appScanId fill what is empty.
func (s *Server) AddScan(configID string, scan AppScan) (AppScan, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cfg, ok := s.configs[configID]
	if !ok {
		return AppScan{}, fmt.Errorf("passcreator sandbox: no app configuration %s", configID)
	}
	at := scan.Created
	if at.IsZero() && scan.CreatedOn != "" {
		t, ok := parseWallClock(scan.CreatedOn, s.loc)
		if !ok {
			return AppScan{}, fmt.Errorf("passcreator sandbox: createdOn %q is not Y-m-d H:i:s", scan.CreatedOn)
		}
		at = t
	}
	if at.IsZero() {
		at = s.opts.Now()
	}
	scan.AppConfigurationID = configID
	if scan.Place == "" {
		scan.Place = cfg.Place
	}
	if scan.AppScanID == "" {
		scan.AppScanID = s.newID()
	}
	return s.keep(scan, at), nil
}

// keep stores a scan with its time normalised; s.mu is held.
func (s *Server) keep(scan AppScan, at time.Time) AppScan {
	scan.Created = time.Time{}
	scan.CreatedOn, scan.CreatedOnUtc = s.wallClock(at), utcClock(at)
	if scan.AdditionalPropertiesScan == nil {
		scan.AdditionalPropertiesScan = ScanProperties{}
	}
	if scan.AdditionalProperties == nil {
		scan.AdditionalProperties = map[string]json.RawMessage{}
	}
	s.scans = append(s.scans, storedScan{scan: scan, at: at, seq: len(s.scans)})
	return scan
}

// ModifyScan changes a stored scan now (Options.Now), keeping its id, its
// configuration and its creation time; the list then returns it to a
// createdSince up to now, as the document says of scans "created or
// modified since the given date".
func (s *Server) ModifyScan(appScanID string, change func(*AppScan)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.scans {
		st := &s.scans[i]
		if st.scan.AppScanID != appScanID {
			continue
		}
		keep := st.scan
		change(&st.scan)
		st.scan.AppScanID, st.scan.AppConfigurationID = keep.AppScanID, keep.AppConfigurationID
		st.scan.CreatedOn, st.scan.CreatedOnUtc = keep.CreatedOn, keep.CreatedOnUtc
		st.modified = s.opts.Now()
		return nil
	}
	return fmt.Errorf("passcreator sandbox: no app scan %s", appScanID)
}

// Scans returns the scans of configID ("" for all) in the order they were stored.
func (s *Server) Scans(configID string) []AppScan {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []AppScan
	for _, st := range s.scans {
		if configID == "" || st.scan.AppConfigurationID == configID {
			out = append(out, st.scan)
		}
	}
	return out
}

// listScans serves GET /api/appscan/list/{appConfigurationId}: scans created
// or modified at or after createdSince (a minute in the account's zone;
// seconds, when sent, are dropped), ordered by creation, paged by start and
// pageSize.
func (s *Server) listScans(c *gin.Context) {
	start, size := 0, maxPageSize
	var err error
	if v, ok := c.GetQuery("start"); ok {
		if start, err = strconv.Atoi(v); err != nil || start < 0 {
			fail(c, http.StatusBadRequest, "start must be a non-negative integer")
			return
		}
	}
	if v, ok := c.GetQuery("pageSize"); ok {
		if size, err = strconv.Atoi(v); err != nil || size < 1 || size > maxPageSize {
			fail(c, http.StatusBadRequest, "pageSize must be between 1 and 100")
			return
		}
	}
	var since time.Time
	if v := c.Query("createdSince"); v != "" {
		zone := s.loc
		if s.opts.CreatedSinceUTC {
			zone = time.UTC
		}
		t, err := time.ParseInLocation("2006-01-02 15:04", v, zone)
		if err != nil {
			// the document's own example URL sends seconds
			t, err = time.ParseInLocation("2006-01-02 15:04:05", v, zone)
		}
		if err != nil {
			fail(c, http.StatusBadRequest, "createdSince must be Y-m-d H:i")
			return
		}
		since = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), 0, 0, zone)
	}
	configID := c.Param("id")

	s.mu.Lock()
	if _, ok := s.configs[configID]; configID != "" && !ok {
		s.mu.Unlock()
		fail(c, http.StatusNotFound, "app configuration not found")
		return
	}
	var matched []storedScan
	for _, st := range s.scans {
		changed := !st.at.Before(since) || (!st.modified.IsZero() && !st.modified.Before(since))
		if (configID == "" || st.scan.AppConfigurationID == configID) && changed {
			matched = append(matched, st)
		}
	}
	s.mu.Unlock()

	slices.SortStableFunc(matched, func(a, b storedScan) int {
		return cmp.Or(a.at.Compare(b.at), cmp.Compare(a.seq, b.seq))
	})
	if s.opts.NewestFirst {
		slices.Reverse(matched)
	}
	page := scanPage{
		Query:   pageQuery{Start: start, PageSize: size, Self: pageURL(c, start, size)},
		Total:   len(matched),
		Results: []AppScan{},
	}
	for i := start; i < len(matched) && i < start+size; i++ {
		page.Results = append(page.Results, matched[i].scan)
	}
	if start+size < len(matched) {
		page.Query.Next = pageURL(c, start+size, size)
	}
	c.JSON(http.StatusOK, page)
}

func pageURL(c *gin.Context, start, size int) string {
	q := c.Request.URL.Query()
	q.Set("start", strconv.Itoa(start))
	q.Set("pageSize", strconv.Itoa(size))
	scheme := "http"
	if c.Request.TLS != nil {
		scheme = "https"
	}
	u := url.URL{Scheme: scheme, Host: c.Request.Host, Path: c.Request.URL.Path, RawQuery: q.Encode()}
	return u.String()
}

// createScan serves POST /api/appscan. The status answered is the sandbox's
// own decision, not the one sent: pass not found (3) when neither passId nor
// the barcode is registered with AddPass, already voided (1) when the pass
// was voided before, else voided (0) in void mode, which voids the pass, or
// attendance saved (2) in attendance mode, which voids it only when
// setVoided is true.
func (s *Server) createScan(c *gin.Context) {
	var f fields
	if err := json.NewDecoder(c.Request.Body).Decode(&f); err != nil || f == nil {
		fail(c, http.StatusBadRequest, "body must be a JSON object")
		return
	}
	req, err := scanRequestFrom(f, s.loc)
	if err != nil {
		fail(c, http.StatusBadRequest, err.Error())
		return
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	cfg, ok := s.configs[req.configID]
	if !ok {
		fail(c, http.StatusNotFound, "app configuration not found")
		return
	}
	var pass *Pass
	if req.passID != "" {
		if pass, ok = s.passByID[req.passID]; !ok {
			fail(c, http.StatusNotFound, "pass not found")
			return
		}
	} else {
		pass = s.passes[req.barcode]
	}
	values, err := propertyValues(cfg, req.properties)
	if err != nil {
		fail(c, http.StatusBadRequest, err.Error())
		return
	}

	scan := AppScan{
		AppConfigurationID:       cfg.ConfigurationID,
		Place:                    cfg.Place,
		ScannedBarcodeValue:      req.barcode,
		AppScanID:                s.newID(),
		DeviceName:               req.device,
		AdditionalPropertiesScan: values,
	}
	switch {
	case pass == nil:
		scan.ScanStatus = StatusPassNotFound
	case pass.Voided:
		scan.ScanStatus = StatusAlreadyVoided
	case cfg.ScanMode == 0:
		scan.ScanStatus = StatusVoided
		pass.Voided = true
	default:
		scan.ScanStatus = StatusAttendanceSaved
		pass.Voided = pass.Voided || req.setVoided
	}
	if pass != nil {
		scan.PassID, scan.PassGeneratedID, scan.PassVoided = pass.ID, pass.Barcode, pass.Voided
		scan.PassTemplateGuid, scan.PassTemplateName = pass.TemplateGuid, pass.TemplateName
	}
	stored := s.keep(scan, req.at)
	c.JSON(http.StatusCreated, createdScan{AppScanID: stored.AppScanID, ScanStatus: stored.ScanStatus, Success: true})
}

type scanRequest struct {
	configID, passID, barcode, device string
	at                                time.Time
	setVoided                         bool
	properties                        map[string]json.RawMessage
}

func scanRequestFrom(f fields, loc *time.Location) (scanRequest, error) {
	var r scanRequest
	var err error
	if r.configID, err = f.str("appConfigurationId"); err != nil || r.configID == "" {
		return r, fmt.Errorf("appConfigurationId is required")
	}
	if !f.present("scanStatus") {
		return r, fmt.Errorf("scanStatus is required")
	}
	if st, err := f.integer("scanStatus"); err != nil || st < 0 || st > StatusNotCheckedIn {
		return r, fmt.Errorf("scanStatus must be an integer from 0 to 7")
	}
	if _, there := f["passId"]; !there {
		return r, fmt.Errorf("passId is required (null when no pass was found)")
	}
	if r.passID, err = f.str("passId"); err != nil {
		return r, err
	}
	if r.barcode, err = f.str("scannedBarcodeValue"); err != nil || r.barcode == "" {
		return r, fmt.Errorf("scannedBarcodeValue is required")
	}
	if _, there := f["deviceName"]; !there {
		return r, fmt.Errorf("deviceName is required")
	}
	if r.device, err = f.str("deviceName"); err != nil {
		return r, err
	}
	created, err := f.str("createdOn")
	if err != nil || created == "" {
		return r, fmt.Errorf("createdOn is required")
	}
	// The document gives one format (2017-05-01 20:10:04), unlike the
	// seeding helpers, which also take ISO times.
	if r.at, err = time.ParseInLocation("2006-01-02 15:04:05", strings.TrimSpace(created), loc); err != nil {
		return r, fmt.Errorf("createdOn must be Y-m-d H:i:s")
	}
	if r.setVoided, err = f.boolean("setVoided"); err != nil {
		return r, err
	}
	if f.present("additionalProperties") {
		if r.properties, err = rawProperties(f["additionalProperties"]); err != nil {
			return r, err
		}
	}
	return r, nil
}

// rawProperties reads the documented {id: value} object ("An array
// consisting of the IDs of the additional property as key and it's value
// as value", shown as {"1": "value1", "2": "value2"}); nothing else.
func rawProperties(raw json.RawMessage) (map[string]json.RawMessage, error) {
	out := map[string]json.RawMessage{}
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("additionalProperties must map property ids to values")
	}
	return out, nil
}

// propertyValues checks each value against the configuration's property of
// that id: it must exist, a double must be a number (12.5, "12.50", "12,50"),
// a boolean a boolean.
func propertyValues(cfg *AppConfiguration, given map[string]json.RawMessage) ([]ScanProperty, error) {
	out := []ScanProperty{}
	for _, p := range cfg.AdditionalProperties {
		v, ok := given[strconv.Itoa(p.ID)]
		if !ok {
			continue
		}
		switch p.Type {
		case "double":
			if !numberValue(v) {
				return nil, fmt.Errorf("additional property %d must be a number", p.ID)
			}
		case "boolean":
			if _, ok := boolValue(v); !ok {
				return nil, fmt.Errorf("additional property %d must be a boolean", p.ID)
			}
		}
		out = append(out, ScanProperty{ID: p.ID, Value: append(json.RawMessage(nil), v...)})
	}
	if len(out) != len(given) {
		return nil, fmt.Errorf("additionalProperties names a property this configuration does not have")
	}
	return out, nil
}
