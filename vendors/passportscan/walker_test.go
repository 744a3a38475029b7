package passportscan_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guestflow/guestflow/vendors/passportscan"
)

// pager imitates the API's paging with the liberties a real one may take.
type pager struct {
	items    int
	pageCap  int  // the API serves at most this many per page, whatever was asked
	total    bool // send "total"
	lastLink bool // send _links.last

	// Other readings of the sample's "total": 1, "count": 1 and of its three
	// identical links.
	totalIsPages bool // "total" counts pages
	countIsAll   bool // "count" counts every item, "total" this page's
	lastIsSelf   bool // _links.last repeats the page asked
}

func (p pager) serve(calls *atomic.Int32) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		page, _ := strconv.Atoi(r.URL.Query().Get("pagination[page]"))
		limit, _ := strconv.Atoi(r.URL.Query().Get("pagination[limit]"))
		if p.pageCap > 0 {
			limit = min(limit, p.pageCap)
		}
		from := min((page-1)*limit, p.items)
		to := min(from+limit, p.items)
		items := []map[string]any{}
		for i := from; i < to; i++ {
			items = append(items, map[string]any{"id": i + 1, "arrival_date": arrival})
		}
		pages := max(1, (p.items+limit-1)/limit)
		var total, count any = p.items, len(items)
		switch {
		case p.totalIsPages:
			total = pages
		case p.countIsAll:
			total, count = len(items), p.items
		}
		body := map[string]any{"items": items, "count": count}
		if p.total {
			body["total"] = total
		}
		if p.lastLink {
			last := pages
			if p.lastIsSelf {
				last = page
			}
			body["_links"] = map[string]any{"last": fmt.Sprintf("/v1/reservations?arrival_date=%s&pagination[page]=%d&pagination[limit]=%d", arrival, last, limit)}
		}
		json.NewEncoder(w).Encode(body)
	}
}

func TestAllReservationsStopsCorrectly(t *testing.T) {
	tests := []struct {
		name      string
		pager     pager
		limit     int
		wantCalls int32
	}{
		{"total, short last page", pager{items: 45, total: true}, 20, 3},
		{"total, exact multiple", pager{items: 40, total: true}, 20, 2},
		{"API caps the page below the limit asked", pager{items: 25, total: true, pageCap: 10}, 20, 3},
		{"capped with last link only", pager{items: 25, lastLink: true, pageCap: 10}, 20, 3},
		{"last link only, exact multiple", pager{items: 40, lastLink: true}, 20, 2},
		{"nothing but items, short last page", pager{items: 45}, 20, 3},
		{"nothing but items, exact multiple: empty page ends it", pager{items: 40}, 20, 3},
		{"no reservations", pager{items: 0, total: true, lastLink: true}, 20, 1},
		{"total counts pages, last link right", pager{items: 45, total: true, totalIsPages: true, lastLink: true}, 20, 3},
		{"total counts pages, no last link", pager{items: 45, total: true, totalIsPages: true}, 20, 3},
		{"count counts every item", pager{items: 45, total: true, countIsAll: true}, 20, 3},
		{"count counts every item, exact multiple", pager{items: 40, total: true, countIsAll: true}, 20, 2},
		{"last link repeats self, total right", pager{items: 45, total: true, lastLink: true, lastIsSelf: true}, 20, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int32
			base := fakeAPI(t, tt.pager.serve(&calls))
			items, err := passportscan.New(passportscan.Options{BaseURL: base}).AllReservations(context.Background(), arrival, true, tt.limit)
			require.NoError(t, err)
			require.Len(t, items, tt.pager.items)
			for i, r := range items {
				assert.Equal(t, passportscan.ID(strconv.Itoa(i+1)), r.ID)
			}
			assert.Equal(t, tt.wantCalls, calls.Load())
		})
	}
}

func TestAllReservationsStopsOnError(t *testing.T) {
	var calls atomic.Int32
	base := fakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 2 {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		pager{items: 60, total: true}.serve(&atomic.Int32{})(w, r)
	})
	_, err := passportscan.New(passportscan.Options{BaseURL: base}).AllReservations(context.Background(), arrival, true, 20)
	require.Error(t, err)
	assert.EqualValues(t, 2, calls.Load(), "no retry inside the client")
}
