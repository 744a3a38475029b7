package passcreator_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guestflow/guestflow/vendors/passcreator"
	"github.com/guestflow/guestflow/vendors/passcreator/sandbox"
)

// Where the document leaves a choice open, a server may have made either
// one; these tests hold guestflow to working with each.

// createdSince (line 913) names no zone, while every date the API returns
// says whether it is the customer's or UTC. A server reading it as UTC must
// not make the sync skip the scans of the hours Rome is ahead.
func TestCreatedSinceMissesNothingWhicheverZoneTheServerReads(t *testing.T) {
	for _, tc := range []struct {
		zone      string
		sinceUTC  bool
		wantParam string
	}{
		{"Europe/Rome", false, "2025-03-01 09:15"},
		{"Europe/Rome", true, "2025-03-01 09:15"},
		{"America/New_York", false, "2025-03-01 04:15"},
		{"America/New_York", true, "2025-03-01 04:15"},
	} {
		t.Run(tc.zone+map[bool]string{false: " read in the account's zone", true: " read as UTC"}[tc.sinceUTC], func(t *testing.T) {
			loc, err := time.LoadLocation(tc.zone)
			require.NoError(t, err)
			e := newEnv(t, func(o *sandbox.Options) { o.TimeZone = tc.zone; o.CreatedSinceUTC = tc.sinceUTC })
			cfg := e.sb.AddAppConfiguration(sandbox.AppConfiguration{Name: "Bar", ScanMode: 1})
			since := time.Date(2025, 3, 1, 9, 15, 59, 0, time.UTC)
			for _, d := range []time.Duration{-time.Second, 41 * time.Second, 5 * time.Minute} {
				_, err := e.sb.AddScan(cfg.ConfigurationID, sandbox.AppScan{ScannedBarcodeValue: "CARD", Created: since.Add(d)})
				require.NoError(t, err)
			}
			scans, err := e.client.AllAppScans(context.Background(), cfg.ConfigurationID, since, loc)
			require.NoError(t, err)
			var after int
			for _, s := range scans {
				at, err := s.CreatedAt(loc)
				require.NoError(t, err)
				if !at.Before(since) {
					after++
				}
			}
			assert.Equal(t, 2, after, "every scan at or after since is listed")
			q, err := url.ParseQuery(e.sb.Calls()[0].Query)
			require.NoError(t, err)
			assert.Equal(t, tc.wantParam, q.Get("createdSince"))
		})
	}
}

// The document's text says createdSince is "Y-m-d H:i" (line 913), its
// example URL sends "2017-05-01 20:55:00" (line 918): a server strict about
// either must still answer.
func TestCreatedSinceWithOrWithoutSeconds(t *testing.T) {
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02 15:04:05"} {
		t.Run(layout, func(t *testing.T) {
			var got []string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				v := r.URL.Query().Get("createdSince")
				got = append(got, v)
				if _, err := time.Parse(layout, v); err != nil {
					w.WriteHeader(http.StatusBadRequest)
					_, _ = w.Write([]byte(`{"message":"createdSince is invalid"}`))
					return
				}
				_, _ = w.Write([]byte(`{"query":{"start":0,"pageSize":100,"self":"x"},"total":1,"results":[{"appScanId":"s1","scanStatus":2}]}`))
			}))
			t.Cleanup(srv.Close)
			c := passcreator.New(passcreator.Options{APIKey: apiKey, BaseURL: srv.URL})
			scans, err := c.AllAppScans(context.Background(), "c", time.Date(2025, 3, 1, 9, 15, 0, 0, time.UTC), time.UTC)
			require.NoError(t, err)
			assert.Len(t, scans, 1)
			assert.Equal(t, "2025-03-01 09:15", got[0], "the documented form is tried first")
		})
	}
}

// additionalProperties of a new scan is "An array consisting of the IDs of
// the additional property as key and it's value as value" (line 1246), the
// example's values all strings (lines 1257-1260); a double property holds
// "numeric values" (line 626). A server may take a number, a string, or
// insist on one of them.
func TestCreateAppScanTransactionValueWhicheverFormTheServerWants(t *testing.T) {
	for _, want := range []string{"string", "number"} {
		t.Run(want, func(t *testing.T) {
			calls := 0
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				calls++
				var body struct {
					AdditionalProperties map[string]json.RawMessage `json:"additionalProperties"`
				}
				_ = json.NewDecoder(r.Body).Decode(&body)
				v := body.AdditionalProperties["2"]
				if (want == "string") != (len(v) > 0 && v[0] == '"') {
					w.WriteHeader(http.StatusBadRequest)
					_, _ = w.Write([]byte(`{"message":"additional property 2 is invalid"}`))
					return
				}
				w.WriteHeader(http.StatusCreated)
				_, _ = w.Write([]byte(`{"appScanId":"s1","scanStatus":2,"location":null,"success":true}`))
			}))
			t.Cleanup(srv.Close)
			c := passcreator.New(passcreator.Options{APIKey: apiKey, BaseURL: srv.URL})
			out, err := c.CreateAppScan(context.Background(), passcreator.NewAppScan{
				AppConfigurationID: "c", ScanStatus: passcreator.ScanAttendanceSaved, CreatedOn: "2025-03-01 10:00:00",
				ScannedBarcodeValue: "CARD", DeviceName: "till",
				AdditionalProperties: map[passcreator.PropertyID]passcreator.PropertyValue{
					"2": passcreator.DecimalValue(decimal.RequireFromString("12.50")),
				},
			})
			require.NoError(t, err)
			assert.Equal(t, "s1", out.AppScanID)
			assert.LessOrEqual(t, calls, 2)
		})
	}

	// A 400 for anything else is not sent twice.
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		w.WriteHeader(http.StatusBadRequest)
	}))
	t.Cleanup(srv.Close)
	_, err := passcreator.New(passcreator.Options{APIKey: apiKey, BaseURL: srv.URL}).CreateAppScan(context.Background(),
		passcreator.NewAppScan{AppConfigurationID: "c", ScannedBarcodeValue: "CARD"})
	vendorError(t, err)
	assert.Equal(t, 1, calls)
}
