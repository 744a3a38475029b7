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

// createdSince is sent in the documented form, "Y-m-d H:i" (line 913),
// and only in it: a client that switched to another form after one 400
// would make two workers send different requests. A server refusing it
// answers a 400, which is returned once and not retried.
func TestCreatedSinceIsSentInTheDocumentedFormOnly(t *testing.T) {
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.URL.Query().Get("createdSince"))
		w.Header().Set("X-Request-Id", "req-since")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"message":"createdSince is invalid"}`))
	}))
	t.Cleanup(srv.Close)
	c := passcreator.New(passcreator.Options{APIKey: apiKey, BaseURL: srv.URL})
	for range 2 {
		_, err := c.AllAppScans(context.Background(), "c", time.Date(2025, 3, 1, 9, 15, 40, 0, time.UTC), time.UTC)
		ve := vendorError(t, err)
		assert.Equal(t, http.StatusBadRequest, ve.Status)
		assert.False(t, ve.Retryable())
		assert.Equal(t, "req-since", ve.RequestID)
	}
	assert.Equal(t, []string{"2025-03-01 09:15", "2025-03-01 09:15"}, got, "one call each, in the documented form")
}

// additionalProperties of a new scan is "An array consisting of the IDs of
// the additional property as key and it's value as value" (line 1246), the
// example's values all strings (lines 1257-1260): a transaction value is
// sent as text, always, and a 400 is not answered by sending another form.
func TestCreateAppScanSendsTheTransactionValueAsText(t *testing.T) {
	var values []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			AdditionalProperties map[string]json.RawMessage `json:"additionalProperties"`
		}
		_ = json.NewDecoder(r.Body).Decode(&body)
		values = append(values, string(body.AdditionalProperties["2"]))
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"message":"additional property 2 is invalid"}`))
	}))
	t.Cleanup(srv.Close)
	c := passcreator.New(passcreator.Options{APIKey: apiKey, BaseURL: srv.URL})
	for range 2 {
		_, err := c.CreateAppScan(context.Background(), passcreator.NewAppScan{
			AppConfigurationID: "c", ScanStatus: passcreator.ScanPassNotFound, CreatedOn: "2025-03-01 10:00:00",
			ScannedBarcodeValue: "CARD", DeviceName: "till",
			AdditionalProperties: map[passcreator.PropertyID]passcreator.PropertyValue{
				"2": passcreator.DecimalValue(decimal.RequireFromString("12.50")),
			},
		})
		assert.False(t, vendorError(t, err).Retryable())
	}
	assert.Equal(t, []string{`"12.5"`, `"12.5"`}, values, "one call each, the value as text")
}
