package passcreator

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// MaxPageSize is the largest pageSize Passcreator accepts (and its default).
const MaxPageSize = 100

// ErrInvalidQuery is wrapped by list calls refused before any request is sent.
var ErrInvalidQuery = errors.New("passcreator: invalid scan query")

// ScanQuery selects a page of scans.
type ScanQuery struct {
	Start    int // offset, from 0
	PageSize int // 1..MaxPageSize; 0 means MaxPageSize
	// Since, when not zero, asks for scans created (or modified) at or after
	// it. Passcreator takes it as a wall-clock minute in a zone the document
	// does not name, so it is sent cut to the minute on the earlier of the
	// account's and UTC's clocks: the answer may start up to the account's
	// UTC offset plus 59 seconds before Since. Expect overlap and
	// deduplicate by AppScanID.
	Since    time.Time
	Location *time.Location // the account's time zone; required with Since
}

// ListAppScans returns one page of scans for an App Configuration (configID
// "" lists every configuration's scans). A page size above MaxPageSize is
// refused without a call, since the vendor would only refuse it too.
func (c *Client) ListAppScans(ctx context.Context, configID string, q ScanQuery) (*AppScanPage, error) {
	switch {
	case q.PageSize < 0 || q.PageSize > MaxPageSize:
		return nil, fmt.Errorf("%w: pageSize %d is outside 1..%d", ErrInvalidQuery, q.PageSize, MaxPageSize)
	case q.Start < 0:
		return nil, fmt.Errorf("%w: negative start %d", ErrInvalidQuery, q.Start)
	case !q.Since.IsZero() && q.Location == nil:
		return nil, fmt.Errorf("%w: createdSince needs the account's time zone", ErrInvalidQuery)
	}
	if q.PageSize == 0 {
		q.PageSize = MaxPageSize
	}
	v := url.Values{}
	v.Set("start", strconv.Itoa(q.Start))
	v.Set("pageSize", strconv.Itoa(q.PageSize))
	if !q.Since.IsZero() {
		v.Set("createdSince", sinceParam(q.Since, q.Location))
	}
	path := "/api/appscan/list"
	if configID != "" {
		path += "/" + url.PathEscape(configID)
	}
	var page AppScanPage
	err := c.do(ctx, http.MethodGet, "GET /api/appscan/list/{appConfigurationId}", path+"?"+v.Encode(), nil, &page)
	if err != nil {
		return nil, err
	}
	return &page, nil
}

// AllAppScans walks every page of scans created or modified at or after
// since (zero: all), with loc the account's time zone. The same minute
// truncation as in ScanQuery applies, and a scan modified since is listed
// however long ago it was created, so callers must expect scans from
// before since and deduplicate by AppScanID, never by time; within one
// walk repeats are dropped.
//
// It stops when a page has no next link ("If no next parameter is returned
// this means you've reached the end of the list") or no scans. A page with
// a next link goes on from the scans actually received (a vendor capping
// the page), and a page of only repeats ends the walk with an error rather
// than looping if the vendor ignores start. A bare array of scans, which
// carries no next link, goes on while pages are full. The order of the
// result is the vendor's; callers must not rely on it. On an error the
// scans read so far are returned with it.
func (c *Client) AllAppScans(ctx context.Context, configID string, since time.Time, loc *time.Location) ([]AppScan, error) {
	var all []AppScan
	seen := map[string]bool{}
	start := 0
	for {
		page, err := c.ListAppScans(ctx, configID, ScanQuery{Start: start, PageSize: MaxPageSize, Since: since, Location: loc})
		if err != nil {
			return all, err
		}
		n := len(page.Results)
		if n == 0 {
			return all, nil
		}
		fresh := 0
		for _, s := range page.Results {
			if s.AppScanID != "" && seen[s.AppScanID] {
				continue
			}
			seen[s.AppScanID] = true
			all = append(all, s)
			fresh++
		}
		if fresh == 0 {
			return all, fmt.Errorf("passcreator: scan page at start %d repeats earlier scans; paging stopped", start)
		}
		start += n
		if page.Query.Next == "" && !(page.bare && n == MaxPageSize) {
			return all, nil
		}
	}
}
