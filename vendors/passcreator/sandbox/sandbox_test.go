package sandbox

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const key = "sandbox-key"

func init() { gin.SetMode(gin.ReleaseMode) }

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func newServer(t *testing.T, tweak ...func(*Options)) (*Server, *clock) {
	t.Helper()
	rome, err := time.LoadLocation("Europe/Rome")
	require.NoError(t, err)
	clk := &clock{t: time.Date(2025, 3, 1, 10, 20, 0, 0, rome)}
	o := Options{APIKey: key, TimeZone: "Europe/Rome", Seed: 1, Now: clk.now}
	for _, f := range tweak {
		f(&o)
	}
	return New(o), clk
}

// do serves one request in-process and decodes the JSON answer.
func do(s *Server, method, target, auth, body string) (int, map[string]any, http.Header) {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, req)
	var out map[string]any
	_ = json.Unmarshal(w.Body.Bytes(), &out)
	return w.Code, out, w.Header()
}

func TestAuthentication(t *testing.T) {
	s, _ := newServer(t)
	for _, auth := range []string{"", "wrong", "Bearer " + key, key + " ", "Basic " + key} {
		code, body, _ := do(s, http.MethodGet, "/api/appconfiguration", auth, "")
		assert.Equal(t, http.StatusUnauthorized, code, "%q", auth)
		assert.Equal(t, map[string]any{"success": false, "message": "invalid or missing API key"}, body)
	}
	code, _, _ := do(s, http.MethodGet, "/api/appconfiguration", key, "")
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, 6, s.Recorder().Count(http.MethodGet, "/api/appconfiguration"))

	locked := New(Options{TimeZone: "UTC"})
	code, _, _ = do(locked, http.MethodGet, "/api/appconfiguration", "", "")
	assert.Equal(t, http.StatusUnauthorized, code, "a sandbox without a key accepts nothing")
}

func TestCreateConfigurationValidation(t *testing.T) {
	s, _ := newServer(t)
	cases := []struct {
		body, message string
	}{
		{`not json`, "body must be a JSON object"},
		{`{"scanMode":1}`, "name is required"},
		{`{"name":"  ","scanMode":1}`, "name is required"},
		{`{"name":"Bar"}`, "scanMode is required"},
		{`{"name":"Bar","scanMode":2}`, "scanMode must be 0 or 1"},
		{`{"name":"Bar","scanMode":1,"backgroundColor":"red"}`, "backgroundColor must be a hex color"},
		{`{"name":"Bar","scanMode":1,"additionalProperties":[{"name":"x","type":"integer"}]}`, "additionalProperties[0].type must be unicode, double or boolean"},
		{`{"name":"Bar","scanMode":1,"additionalProperties":[{"type":"double"}]}`, "additionalProperties[0].name is required"},
		{`{"name":"Bar","scanMode":1,"additionalProperties":{"name":"x"}}`, "additionalProperties must be a list of {name, type}"},
		{`{"name":"Bar","scanMode":1,"showStoredValue":"perhaps"}`, "showStoredValue must be a boolean"},
	}
	for _, tc := range cases {
		code, body, _ := do(s, http.MethodPost, "/api/appconfiguration", key, tc.body)
		assert.Equal(t, http.StatusBadRequest, code, tc.body)
		assert.Equal(t, tc.message, body["message"], tc.body)
	}
	assert.Empty(t, s.Configurations())

	code, body, _ := do(s, http.MethodPost, "/api/appconfiguration", key,
		`{"name":"Bar","scanMode":"0","type":7,"passTemplateId":"","textColor":"#FFF","preventNegativeStoredValueBalance":1,
		  "additionalProperties":[{"type":"double","name":"Transaction value"},{"type":"boolean","name":"Marketing"}]}`)
	require.Equal(t, http.StatusOK, code)
	cfgs := s.Configurations()
	require.Len(t, cfgs, 1)
	cfg := cfgs[0]
	assert.Equal(t, 0, cfg.ScanMode)
	assert.Equal(t, 0, cfg.Type, "an invalid type falls back to 0 as documented")
	assert.Nil(t, cfg.PassTemplateID, "an empty passTemplateId means every pass")
	assert.Equal(t, "#FFF", *cfg.TextColor)
	assert.True(t, cfg.PreventNegativeStoredValueBalance)
	assert.Equal(t, []AdditionalProperty{{Type: "double", Name: "Transaction value", ID: 0}, {Type: "boolean", Name: "Marketing", ID: 1}}, cfg.AdditionalProperties)
	assert.Equal(t, "2025-03-01 10:20:00", cfg.CreatedOn)
	assert.Equal(t, "2025-03-01 09:20:00", cfg.CreatedOnUtc)
	require.Len(t, cfg.AppConfigurationLinks, 1)
	assert.Equal(t, "2025-03-01 12:20:00", body["validTo"])
	assert.Equal(t, "2025-03-01 11:20:00", body["validToUtc"])
	assert.Equal(t, cfg.AppConfigurationLinks[0].Identifier, body["configurationLinkId"])

	code, body, _ = do(s, http.MethodGet, "/api/appconfiguration/"+cfg.ConfigurationID, key, "")
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, cfg.ConfigurationID, body["configurationId"])
	code, _, _ = do(s, http.MethodGet, "/api/appconfiguration/nope", key, "")
	assert.Equal(t, http.StatusNotFound, code)
}

func TestCreateScanValidation(t *testing.T) {
	s, _ := newServer(t)
	cfg := s.AddAppConfiguration(AppConfiguration{Name: "Bar", ScanMode: 1, AdditionalProperties: []AdditionalProperty{
		{Type: "boolean", Name: "Marketing", ID: 0}, {Type: "double", Name: "Transaction value", ID: 1}, {Type: "unicode", Name: "Note", ID: 2},
	}})
	valid := map[string]any{
		"appConfigurationId": cfg.ConfigurationID, "passId": nil, "scanStatus": 2,
		"createdOn": "2025-03-01 10:19:00", "scannedBarcodeValue": "CARD", "deviceName": "till",
	}
	with := func(k string, v any) string {
		m := map[string]any{}
		for kk, vv := range valid {
			m[kk] = vv
		}
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
		b, _ := json.Marshal(m)
		return string(b)
	}
	cases := []struct {
		body    string
		status  int
		message string
	}{
		{`[]`, 400, "body must be a JSON object"},
		{with("appConfigurationId", nil), 400, "appConfigurationId is required"},
		{with("scanStatus", nil), 400, "scanStatus is required"},
		{with("scanStatus", 8), 400, "scanStatus must be an integer from 0 to 7"},
		{with("scanStatus", "x"), 400, "scanStatus must be an integer from 0 to 7"},
		{with("scannedBarcodeValue", nil), 400, "scannedBarcodeValue is required"},
		{with("scannedBarcodeValue", ""), 400, "scannedBarcodeValue is required"},
		{with("deviceName", nil), 400, "deviceName is required"},
		{with("createdOn", nil), 400, "createdOn is required"},
		{with("createdOn", "01/03/2025 10:19"), 400, "createdOn must be Y-m-d H:i:s"},
		// "(format: 2017-05-01 20:10:04)" (line 1234): a client sending
		// another form would be refused by a strict server.
		{with("createdOn", "2025-03-01 10:19"), 400, "createdOn must be Y-m-d H:i:s"},
		{with("createdOn", "2025-03-01T09:19:00Z"), 400, "createdOn must be Y-m-d H:i:s"},
		// passId is "string | null - (mandatory)" (lines 1212-1216).
		{with("passId", nil), 400, "passId is required (null when no pass was found)"},
		{with("setVoided", "sometimes"), 400, "setVoided must be a boolean"},
		{with("additionalProperties", map[string]any{"1": "lots"}), 400, "additional property 1 must be a number"},
		{with("additionalProperties", map[string]any{"0": "perhaps"}), 400, "additional property 0 must be a boolean"},
		{with("additionalProperties", map[string]any{"9": "x"}), 400, "additionalProperties names a property this configuration does not have"},
		{with("additionalProperties", "x"), 400, "additionalProperties must map property ids to values"},
		// The document shows the values keyed by id, not as pairs.
		{with("additionalProperties", []map[string]any{{"id": 1, "value": "3.20"}}), 400, "additionalProperties must map property ids to values"},
		{with("appConfigurationId", "0e8a7c1e-0000-4000-8000-000000000000"), 404, "app configuration not found"},
		{with("passId", "0e8a7c1e-0000-4000-8000-000000000000"), 404, "pass not found"},
	}
	for _, tc := range cases {
		code, body, _ := do(s, http.MethodPost, "/api/appscan", key, tc.body)
		assert.Equal(t, tc.status, code, tc.body)
		assert.Equal(t, tc.message, body["message"], tc.body)
	}
	assert.Empty(t, s.Scans(""))

	// Every plausible form of the optional fields is accepted.
	accepted := []string{
		with("scanStatus", "3"),
		with("setVoided", 0),
		with("createdOn", "2025-03-01 10:19:00"),
		with("additionalProperties", map[string]any{"1": "12,50", "0": "1", "2": "Tavolo 4"}),
		with("additionalProperties", map[string]any{"1": 12.5, "0": true}),
	}
	for _, b := range accepted {
		code, body, _ := do(s, http.MethodPost, "/api/appscan", key, b)
		assert.Equal(t, http.StatusCreated, code, b)
		assert.Equal(t, true, body["success"], b)
		assert.Equal(t, float64(StatusPassNotFound), body["scanStatus"], b)
		assert.Nil(t, body["location"])
	}
	scans := s.Scans(cfg.ConfigurationID)
	require.Len(t, scans, len(accepted))
	assert.Equal(t, "2025-03-01 10:19:00", scans[2].CreatedOn, "createdOn is read in the account's zone")
	assert.Equal(t, "2025-03-01 09:19:00", scans[2].CreatedOnUtc)
	assert.Equal(t, ScanProperties{{ID: 0, Value: json.RawMessage(`"1"`)}, {ID: 1, Value: json.RawMessage(`"12,50"`)}, {ID: 2, Value: json.RawMessage(`"Tavolo 4"`)}},
		scans[3].AdditionalPropertiesScan)
}

// "Passcreator is also able to store Scans of unknown pass IDs": a barcode
// the sandbox did not issue, such as a Passquare card's number, is stored
// as pass not found, with passId null, whatever status the device sent.
func TestBarcodeNotIssuedIsPassNotFoundWithNullPassID(t *testing.T) {
	s, _ := newServer(t)
	cfg := s.AddAppConfiguration(AppConfiguration{Name: "Bar", ScanMode: 1})
	b, _ := json.Marshal(map[string]any{"appConfigurationId": cfg.ConfigurationID, "passId": nil, "scanStatus": 2,
		"createdOn": "2025-03-01 10:00:00", "scannedBarcodeValue": "PASSQUARE-1042", "deviceName": "till"})
	code, body, _ := do(s, http.MethodPost, "/api/appscan", key, string(b))
	require.Equal(t, http.StatusCreated, code)
	assert.Equal(t, float64(StatusPassNotFound), body["scanStatus"])

	code, page, _ := do(s, http.MethodGet, "/api/appscan/list/"+cfg.ConfigurationID, key, "")
	require.Equal(t, http.StatusOK, code)
	results := page["results"].([]any)
	require.Len(t, results, 1)
	listed := results[0].(map[string]any)
	assert.Equal(t, float64(StatusPassNotFound), listed["scanStatus"])
	assert.Contains(t, listed, "passId")
	assert.Nil(t, listed["passId"], "no pass was found")
	assert.Equal(t, "PASSQUARE-1042", listed["scannedBarcodeValue"])
	_, known := s.PassByBarcode("PASSQUARE-1042")
	assert.False(t, known, "a scan registers no pass")
}

func TestScanStatusFollowsModeAndPass(t *testing.T) {
	s, _ := newServer(t)
	void := s.AddAppConfiguration(AppConfiguration{Name: "Spa", ScanMode: 0})
	attend := s.AddAppConfiguration(AppConfiguration{Name: "Bar", ScanMode: 1, Place: "Bar"})
	card := s.AddPass("CARD-1")
	s.AddPass("CARD-2")
	scan := func(cfg, barcode string, setVoided bool) float64 {
		b, _ := json.Marshal(map[string]any{"appConfigurationId": cfg, "passId": nil, "scanStatus": 0,
			"createdOn": "2025-03-01 10:00:00", "scannedBarcodeValue": barcode, "deviceName": "till", "setVoided": setVoided})
		code, body, _ := do(s, http.MethodPost, "/api/appscan", key, string(b))
		require.Equal(t, http.StatusCreated, code)
		return body["scanStatus"].(float64)
	}
	assert.Equal(t, float64(StatusPassNotFound), scan(void.ConfigurationID, "UNKNOWN", false))
	assert.Equal(t, float64(StatusAttendanceSaved), scan(attend.ConfigurationID, "CARD-1", false))
	assert.Equal(t, float64(StatusAttendanceSaved), scan(attend.ConfigurationID, "CARD-1", false))
	assert.Equal(t, float64(StatusVoided), scan(void.ConfigurationID, "CARD-1", false))
	assert.Equal(t, float64(StatusAlreadyVoided), scan(void.ConfigurationID, "CARD-1", false))
	assert.Equal(t, float64(StatusAlreadyVoided), scan(attend.ConfigurationID, "CARD-1", false))
	assert.Equal(t, float64(StatusAttendanceSaved), scan(attend.ConfigurationID, "CARD-2", true))
	assert.Equal(t, float64(StatusAlreadyVoided), scan(attend.ConfigurationID, "CARD-2", false))

	p, ok := s.PassByBarcode("CARD-1")
	require.True(t, ok)
	assert.True(t, p.Voided)
	bar := s.Scans(attend.ConfigurationID)
	require.Len(t, bar, 5)
	assert.Equal(t, card.ID, bar[0].PassID)
	assert.Equal(t, "CARD-1", bar[0].PassGeneratedID)
	assert.Equal(t, "Bar", bar[0].Place)
	assert.False(t, bar[0].PassVoided)
	assert.True(t, bar[2].PassVoided)
	assert.Equal(t, "2025-03-01 09:00:00", bar[0].CreatedOnUtc)
	assert.Equal(t, 8, s.Recorder().Count(http.MethodPost, "/api/appscan"))
}

func TestListScansQuery(t *testing.T) {
	s, _ := newServer(t)
	cfg := s.AddAppConfiguration(AppConfiguration{Name: "Bar", ScanMode: 1})
	for _, at := range []string{"2025-03-01 10:14:59", "2025-03-01 10:15:00", "2025-03-01 10:15:40", "2025-03-01 10:16:00"} {
		_, err := s.AddScan(cfg.ConfigurationID, AppScan{ScannedBarcodeValue: "C", CreatedOn: at})
		require.NoError(t, err)
	}
	_, err := s.AddScan("nope", AppScan{})
	assert.Error(t, err)
	_, err = s.AddScan(cfg.ConfigurationID, AppScan{CreatedOn: "yesterday"})
	assert.Error(t, err)

	base := "/api/appscan/list/" + cfg.ConfigurationID
	bad := []struct{ query, message string }{
		{"?pageSize=101", "pageSize must be between 1 and 100"},
		{"?pageSize=0", "pageSize must be between 1 and 100"},
		{"?pageSize=ten", "pageSize must be between 1 and 100"},
		{"?start=-1", "start must be a non-negative integer"},
		{"?createdSince=2025-03-01T10:15", "createdSince must be Y-m-d H:i"},
		{"?createdSince=01.03.2025+10:15", "createdSince must be Y-m-d H:i"},
	}
	for _, tc := range bad {
		code, body, _ := do(s, http.MethodGet, base+tc.query, key, "")
		assert.Equal(t, http.StatusBadRequest, code, tc.query)
		assert.Equal(t, tc.message, body["message"], tc.query)
	}
	code, _, _ := do(s, http.MethodGet, "/api/appscan/list/0e8a7c1e-0000-4000-8000-000000000000", key, "")
	assert.Equal(t, http.StatusNotFound, code)

	count := func(target string) int {
		code, body, _ := do(s, http.MethodGet, target, key, "")
		require.Equal(t, http.StatusOK, code, target)
		return int(body["total"].(float64))
	}
	assert.Equal(t, 3, count(base+"?createdSince=2025-03-01%2010:15"))
	assert.Equal(t, 3, count(base+"?createdSince=2025-03-01%2010:15:59"), "seconds are dropped: minute resolution")
	assert.Equal(t, 1, count(base+"?createdSince=2025-03-01%2010:16"))
	assert.Equal(t, 4, count(base))
	assert.Equal(t, 4, count("/api/appscan/list"))
	assert.Equal(t, 4, count("/api/appscan/list/"))

	code, body, _ := do(s, http.MethodGet, base+"?start=1&pageSize=2", key, "")
	require.Equal(t, http.StatusOK, code)
	q := body["query"].(map[string]any)
	assert.Equal(t, float64(1), q["start"])
	assert.Equal(t, float64(2), q["pageSize"])
	assert.Equal(t, "http://example.com"+base+"?pageSize=2&start=1", q["self"])
	assert.Equal(t, "http://example.com"+base+"?pageSize=2&start=3", q["next"])
	results := body["results"].([]any)
	require.Len(t, results, 2)
	assert.Equal(t, "2025-03-01 10:15:00", results[0].(map[string]any)["createdOn"])

	_, body, _ = do(s, http.MethodGet, base+"?start=3&pageSize=2", key, "")
	_, hasNext := body["query"].(map[string]any)["next"]
	assert.False(t, hasNext, "the last page has no next")
	_, body, _ = do(s, http.MethodGet, base+"?start=10", key, "")
	assert.Equal(t, []any{}, body["results"], "past the end is an empty list, not null")
}

func TestNewestFirst(t *testing.T) {
	s, _ := newServer(t, func(o *Options) { o.NewestFirst = true })
	cfg := s.AddAppConfiguration(AppConfiguration{Name: "Bar"})
	for _, at := range []string{"2025-03-01 10:00:00", "2025-03-01 11:00:00"} {
		_, err := s.AddScan(cfg.ConfigurationID, AppScan{CreatedOn: at})
		require.NoError(t, err)
	}
	_, body, _ := do(s, http.MethodGet, "/api/appscan/list/"+cfg.ConfigurationID, key, "")
	assert.Equal(t, "2025-03-01 11:00:00", body["results"].([]any)[0].(map[string]any)["createdOn"])
}

func TestRateLimit(t *testing.T) {
	s, clk := newServer(t, func(o *Options) { o.RateLimit = 3; o.RatePeriod = time.Minute })
	for range 3 {
		code, _, _ := do(s, http.MethodGet, "/api/appconfiguration", key, "")
		require.Equal(t, http.StatusOK, code)
	}
	clk.add(20 * time.Second)
	code, body, h := do(s, http.MethodGet, "/api/appconfiguration", key, "")
	assert.Equal(t, http.StatusTooManyRequests, code)
	assert.Equal(t, "40", h.Get("Retry-After"))
	assert.Equal(t, "rate limit exceeded", body["message"])

	code, _, _ = do(s, http.MethodGet, "/api/appconfiguration", "wrong", "")
	assert.Equal(t, http.StatusUnauthorized, code, "a bad key is refused before it is counted")

	clk.add(40 * time.Second)
	code, _, _ = do(s, http.MethodGet, "/api/appconfiguration", key, "")
	assert.Equal(t, http.StatusOK, code)

	unlimited, _ := newServer(t, func(o *Options) { o.RateLimit = -1 })
	for range 400 {
		code, _, _ := do(unlimited, http.MethodGet, "/api/appconfiguration", key, "")
		require.Equal(t, http.StatusOK, code)
	}
}

func TestDefaultsAndUnknownRoutes(t *testing.T) {
	s := New(Options{APIKey: key})
	assert.Equal(t, DefaultTimeZone, s.Location().String())
	code, body, _ := do(s, http.MethodGet, "/api/passes", key, "")
	assert.Equal(t, http.StatusNotFound, code)
	assert.Equal(t, "not found", body["message"])
	assert.Panics(t, func() { New(Options{TimeZone: "Mars/Olympus"}) })

	a, b := New(Options{APIKey: key, Seed: 9}), New(Options{APIKey: key, Seed: 9})
	assert.Equal(t, a.AddPass("X").ID, b.AddPass("X").ID, "a seed makes ids repeatable")
	assert.NotEqual(t, New(Options{APIKey: key}).AddPass("X").ID, New(Options{APIKey: key}).AddPass("X").ID)
}

// "only return scans that have been created or modified since the given
// date": a scan modified after createdSince is listed, created long before.
func TestListScansIncludesScansModifiedSince(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	s := New(Options{APIKey: key, TimeZone: "Europe/Rome", Now: func() time.Time { return now }})
	cfg := s.AddAppConfiguration(AppConfiguration{Name: "Bar", ScanMode: 1})
	old, err := s.AddScan(cfg.ConfigurationID, AppScan{ScannedBarcodeValue: "C", ScanStatus: StatusCheckedIn, Created: now.Add(-3 * time.Hour)})
	require.NoError(t, err)
	list := func() []any {
		_, page, _ := do(s, http.MethodGet, "/api/appscan/list/"+cfg.ConfigurationID+"?createdSince=2025-03-01+12:30", key, "")
		return page["results"].([]any)
	}
	assert.Empty(t, list(), "created before createdSince (11:30 UTC)")
	require.NoError(t, s.ModifyScan(old.AppScanID, func(sc *AppScan) { sc.ScanStatus = StatusCheckedOut; sc.AppScanID = "changed" }))
	got := list()
	require.Len(t, got, 1)
	scan := got[0].(map[string]any)
	assert.Equal(t, old.AppScanID, scan["appScanId"])
	assert.Equal(t, old.CreatedOnUtc, scan["createdOnUtc"], "its creation time is kept")
	assert.Equal(t, float64(StatusCheckedOut), scan["scanStatus"])
	assert.Error(t, s.ModifyScan("nope", func(*AppScan) {}))
}

// additionalPropertiesScan is written as the document has the values sent
// to POST /api/appscan, an object keyed by property id, and as [] when there
// are none (the list's example): never as a list of {id, value} pairs.
func TestScanPropertiesAreWrittenKeyedByID(t *testing.T) {
	b, err := json.Marshal(AppScan{AdditionalPropertiesScan: ScanProperties{{ID: 0, Value: json.RawMessage(`"1"`)}, {ID: 2, Value: json.RawMessage(`"12,50"`)}}})
	require.NoError(t, err)
	var got struct{ AdditionalPropertiesScan json.RawMessage }
	require.NoError(t, json.Unmarshal(b, &got))
	assert.JSONEq(t, `{"0":"1","2":"12,50"}`, string(got.AdditionalPropertiesScan))

	for _, none := range []ScanProperties{nil, {}} {
		b, err = json.Marshal(AppScan{AdditionalPropertiesScan: none})
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(b, &got))
		assert.Equal(t, `[]`, string(got.AdditionalPropertiesScan))
	}
}
