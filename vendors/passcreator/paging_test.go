package passcreator_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guestflow/guestflow/vendors/passcreator"
	"github.com/guestflow/guestflow/vendors/passcreator/sandbox"
)

// createdSince has minute resolution and no stated zone: the caller (in
// UTC) is sent scans from before its watermark, both for the minute cut
// and for the hour Rome is ahead of UTC, since Rome's clock is read back
// against the UTC wall clock that was sent.
func TestCreatedSinceTruncatesToTheAccountsMinute(t *testing.T) {
	e := newEnv(t)
	cfg := e.sb.AddAppConfiguration(sandbox.AppConfiguration{Name: "Bar", ScanMode: 1})
	at := func(h, m, s int) time.Time { return time.Date(2025, 3, 1, h, m, s, 0, e.rome) }
	for _, when := range []time.Time{at(9, 14, 59), at(10, 14, 59), at(10, 15, 40), at(10, 16, 5)} {
		_, err := e.sb.AddScan(cfg.ConfigurationID, sandbox.AppScan{ScannedBarcodeValue: "CARD", Created: when})
		require.NoError(t, err)
	}
	// The watermark is kept in UTC by the caller (09:15:59Z is 10:15:59 in Rome).
	since := at(10, 15, 59).UTC()

	scans, err := e.client.AllAppScans(context.Background(), cfg.ConfigurationID, since, e.rome)
	require.NoError(t, err)
	require.Len(t, scans, 3)
	assert.Equal(t, passcreator.Timestamp("2025-03-01 10:14:59"), scans[0].CreatedOn)
	assert.Equal(t, passcreator.Timestamp("2025-03-01 10:15:40"), scans[1].CreatedOn)
	assert.Equal(t, passcreator.Timestamp("2025-03-01 09:15:40"), scans[1].CreatedOnUTC)
	assert.Equal(t, passcreator.Timestamp("2025-03-01 10:16:05"), scans[2].CreatedOn)
	second, err := scans[1].CreatedAt(e.rome)
	require.NoError(t, err)
	assert.True(t, second.Before(since), "the minute overlap must be visible to the caller")

	calls := e.sb.Calls()
	require.Len(t, calls, 1)
	q, err := url.ParseQuery(calls[0].Query)
	require.NoError(t, err)
	assert.Equal(t, "2025-03-01 09:15", q.Get("createdSince"))
	assert.Equal(t, "0", q.Get("start"))
	assert.Equal(t, "100", q.Get("pageSize"))
	assert.Equal(t, "/api/appscan/list/"+cfg.ConfigurationID, calls[0].Path)
}

func TestCreatedSinceNeedsTheAccountZone(t *testing.T) {
	e := newEnv(t)
	_, err := e.client.ListAppScans(context.Background(), "x", passcreator.ScanQuery{Since: e.now})
	assert.ErrorIs(t, err, passcreator.ErrInvalidQuery)
	assert.Empty(t, e.sb.Calls())
}

func TestAllAppScansWalksEveryPage(t *testing.T) {
	cases := []struct {
		scans, calls int
		newestFirst  bool
	}{
		{0, 1, false},
		{1, 1, false},
		{99, 1, false},
		{100, 1, false}, // no next link: the end, though the page is full
		{250, 3, false},
		{300, 3, false},
		{250, 3, true},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%d scans newest first %v", tc.scans, tc.newestFirst), func(t *testing.T) {
			e := newEnv(t, func(o *sandbox.Options) { o.NewestFirst = tc.newestFirst; o.RateLimit = -1 })
			cfg := e.sb.AddAppConfiguration(sandbox.AppConfiguration{Name: "Bar", ScanMode: 1})
			other := e.sb.AddAppConfiguration(sandbox.AppConfiguration{Name: "Spa", ScanMode: 1})
			want := map[string]bool{}
			for i := range tc.scans {
				s, err := e.sb.AddScan(cfg.ConfigurationID, sandbox.AppScan{
					ScannedBarcodeValue: "CARD-" + strconv.Itoa(i),
					Created:             e.now.Add(time.Duration(i) * time.Second),
				})
				require.NoError(t, err)
				want[s.AppScanID] = true
			}
			_, err := e.sb.AddScan(other.ConfigurationID, sandbox.AppScan{ScannedBarcodeValue: "SPA"})
			require.NoError(t, err)

			scans, err := e.client.AllAppScans(context.Background(), cfg.ConfigurationID, time.Time{}, e.rome)
			require.NoError(t, err)
			got := map[string]bool{}
			for _, s := range scans {
				assert.False(t, got[s.AppScanID], "scan %s twice", s.AppScanID)
				got[s.AppScanID] = true
			}
			assert.Equal(t, want, got)
			assert.Equal(t, tc.calls, e.sb.Recorder().Count(http.MethodGet, "/api/appscan/list/"+cfg.ConfigurationID))
		})
	}
}

// fakeList serves scans the way a vendor might that pages differently than
// asked: at most capped per page, or ignoring start altogether.
func fakeList(t *testing.T, total, capped int, ignoreStart bool) (*passcreator.Client, *int) {
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		start, _ := strconv.Atoi(r.URL.Query().Get("start"))
		if ignoreStart {
			start = 0
		}
		var results []map[string]any
		for i := start; i < total && i < start+capped; i++ {
			results = append(results, map[string]any{"appScanId": "scan-" + strconv.Itoa(i), "scanStatus": 2})
		}
		q := map[string]any{"start": start, "pageSize": capped, "self": r.URL.String()}
		if start+capped < total {
			q["next"] = "/api/appscan/list/c?start=" + strconv.Itoa(start+capped)
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"query": q, "total": total, "results": results})
	}))
	t.Cleanup(srv.Close)
	return passcreator.New(passcreator.Options{APIKey: apiKey, BaseURL: srv.URL}), &calls
}

func TestAllAppScansFollowsAVendorThatCapsPages(t *testing.T) {
	client, calls := fakeList(t, 70, 30, false)
	scans, err := client.AllAppScans(context.Background(), "c", time.Time{}, time.UTC)
	require.NoError(t, err)
	assert.Len(t, scans, 70)
	assert.Equal(t, 3, *calls)
	assert.Equal(t, passcreator.ScanAttendanceSaved, scans[69].ScanStatus)
}

func TestAllAppScansStopsWhenTheVendorIgnoresStart(t *testing.T) {
	client, calls := fakeList(t, 500, 100, true)
	scans, err := client.AllAppScans(context.Background(), "c", time.Time{}, time.UTC)
	require.Error(t, err)
	assert.Len(t, scans, 100)
	assert.Equal(t, 2, *calls)
}

func TestListAppScansRefusesOversizedPagesWithoutACall(t *testing.T) {
	e := newEnv(t)
	for _, q := range []passcreator.ScanQuery{{PageSize: 101}, {PageSize: -1}, {Start: -5}} {
		_, err := e.client.ListAppScans(context.Background(), "c", q)
		assert.True(t, errors.Is(err, passcreator.ErrInvalidQuery), "%+v", q)
	}
	assert.Empty(t, e.sb.Calls())
}

func TestListAppScansPageEchoesPaging(t *testing.T) {
	e := newEnv(t)
	cfg := e.sb.AddAppConfiguration(sandbox.AppConfiguration{Name: "Bar", ScanMode: 1})
	for i := range 5 {
		_, err := e.sb.AddScan(cfg.ConfigurationID, sandbox.AppScan{ScannedBarcodeValue: "C", Created: e.now.Add(time.Duration(i) * time.Minute)})
		require.NoError(t, err)
	}
	page, err := e.client.ListAppScans(context.Background(), cfg.ConfigurationID, passcreator.ScanQuery{Start: 2, PageSize: 2})
	require.NoError(t, err)
	assert.Equal(t, 5, page.Total)
	assert.Equal(t, 2, page.Query.Start)
	assert.Equal(t, 2, page.Query.PageSize)
	assert.Contains(t, page.Query.Next, "start=4")
	assert.Len(t, page.Results, 2)

	all, err := e.client.ListAppScans(context.Background(), "", passcreator.ScanQuery{Start: 4, PageSize: 2})
	require.NoError(t, err)
	assert.Len(t, all.Results, 1)
	assert.Empty(t, all.Query.Next)
}

// The document calls the answer a "JSON-Array": a bare array echoes no
// next link, so a full one is followed by the next page.
func TestAllAppScansPagesABareArrayWhileItIsFull(t *testing.T) {
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		start, _ := strconv.Atoi(r.URL.Query().Get("start"))
		results := []map[string]any{}
		for i := start; i < 130 && i < start+passcreator.MaxPageSize; i++ {
			results = append(results, map[string]any{"appScanId": "scan-" + strconv.Itoa(i), "scanStatus": 3})
		}
		_ = json.NewEncoder(w).Encode(results)
	}))
	t.Cleanup(srv.Close)
	scans, err := passcreator.New(passcreator.Options{APIKey: apiKey, BaseURL: srv.URL}).AllAppScans(context.Background(), "c", time.Time{}, time.UTC)
	require.NoError(t, err)
	assert.Len(t, scans, 130)
	assert.Equal(t, 2, calls)
}
