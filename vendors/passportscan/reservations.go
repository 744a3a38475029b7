package passportscan

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/guestflow/guestflow/vendors/vendorhttp"
)

// DefaultLimit is the page size when a query sets none; the API asks for
// modest values.
const DefaultLimit = 20

// maxPages stops a walk over a vendor that never signals its last page.
const maxPages = 10000

// ReservationsQuery selects one page of reservations arriving on a date.
type ReservationsQuery struct {
	ArrivalDate  string // YYYY-MM-DD, required
	AllCustomers bool   // false: only what changed since this key's last call
	Page         int    // from 1; 0 means 1
	Limit        int    // 0 means DefaultLimit
}

// ReservationPage is one page of the answer. Total and Count are integers
// as in the sample, nil when the API leaves them out.
type ReservationPage struct {
	Total *int          `json:"total"`
	Count *int          `json:"count"`
	Items []Reservation `json:"items"`
	Links Links         `json:"_links"`
}

// Links are the page addresses the API returns.
type Links struct {
	Self  Link `json:"self"`
	First Link `json:"first"`
	Last  Link `json:"last"`
	Next  Link `json:"next"`
}

// UnmarshalJSON reads [] as no links; see emptyArray.
func (l *Links) UnmarshalJSON(b []byte) error {
	type plain Links
	*l = Links{}
	if emptyArray(b) {
		return nil
	}
	return json.Unmarshal(b, (*plain)(l))
}

// Link is a page address, sent as a string or HAL-style as {"href": ...}.
type Link string

func (l *Link) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		*l = Link(s)
		return nil
	}
	var h struct {
		Href string `json:"href"`
	}
	_ = json.Unmarshal(b, &h) // any other shape is no link
	*l = Link(h.Href)
	return nil
}

// Page returns the pagination[page] (or page) the link points at.
func (l Link) Page() (int, bool) {
	u, err := url.Parse(string(l))
	if err != nil || l == "" {
		return 0, false
	}
	q := u.Query()
	for _, k := range []string{"pagination[page]", "page"} {
		if n, err := strconv.Atoi(q.Get(k)); err == nil {
			return n, true
		}
	}
	return 0, false
}

// Reservations fetches one page.
func (cl *Client) Reservations(ctx context.Context, q ReservationsQuery) (*ReservationPage, error) {
	if q.ArrivalDate == "" {
		return nil, errors.New("passportscan: reservations need an arrival date")
	}
	page, limit := max(q.Page, 1), q.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	all := "0"
	if q.AllCustomers {
		all = "1"
	}
	// Brackets as documented; url.Values would escape them.
	path := fmt.Sprintf("/v1/reservations?arrival_date=%s&all_customers=%s&pagination[page]=%d&pagination[limit]=%d",
		url.QueryEscape(q.ArrivalDate), all, page, limit)
	const endpoint = "GET /v1/reservations"
	var out ReservationPage
	err := cl.authorized(ctx, vendorhttp.Call{
		Method:   http.MethodGet,
		Endpoint: endpoint,
		Path:     path,
		Header:   http.Header{"Content-Type": {"application/json"}}, // documented for this GET too
		// A change poll moves the key's change mark: sent twice, the
		// second answer is empty and the first one's changes are lost.
		NotReplayable: !q.AllCustomers,
		// A full read changes nothing at PassportScan.
		Idempotent: q.AllCustomers,
		Inspect: func(_ http.Header, raw []byte) error {
			return decodeInto(endpoint, raw, &out)
		},
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// AllReservations walks every page of one query. With allCustomers false the
// pages after the first read the change window the first one opened, so a
// full walk loses nothing.
//
// It stops at an empty page, or when every sign the page gives agrees that
// nothing remains: the number of reservations (see itemTotal) has arrived,
// and the page _links.last names is reached. When the API sends neither, a
// page shorter than asked is the last. A short page does not stop it while a
// sign says more remain: the API may cap the page size below the limit asked.
func (cl *Client) AllReservations(ctx context.Context, arrivalDate string, allCustomers bool, limit int) ([]Reservation, error) {
	return cl.WalkReservations(ctx, arrivalDate, allCustomers, limit, nil)
}

// WalkReservations is AllReservations telling onPage, when not nil, of
// each page read (an activity heartbeats there).
func (cl *Client) WalkReservations(ctx context.Context, arrivalDate string, allCustomers bool, limit int, onPage func(page int)) ([]Reservation, error) {
	if limit <= 0 {
		limit = DefaultLimit
	}
	var all []Reservation
	for page := 1; page <= maxPages; page++ {
		p, err := cl.Reservations(ctx, ReservationsQuery{ArrivalDate: arrivalDate, AllCustomers: allCustomers, Page: page, Limit: limit})
		if err != nil {
			return nil, err
		}
		if onPage != nil {
			onPage(page)
		}
		all = append(all, p.Items...)
		if p.lastPage(page, limit, len(all)) {
			return all, nil
		}
	}
	return nil, fmt.Errorf("passportscan: reservations for one date span more than %d pages", maxPages)
}

// lastPage needs every sign present to agree, because the sample ("total": 1,
// "count": 1, three identical links) leaves each one open to another reading;
// a sign read wrongly then costs one more call, never lost reservations.
// ChangedReservations reads the first page of what changed on a date since
// the key's previous call. complete is false when the page says more
// remain: the document does not say that page 2 reads the same change set,
// so the caller reads the date in full instead.
func (cl *Client) ChangedReservations(ctx context.Context, arrivalDate string, limit int) (items []Reservation, complete bool, err error) {
	if limit <= 0 {
		limit = DefaultLimit
	}
	p, err := cl.Reservations(ctx, ReservationsQuery{ArrivalDate: arrivalDate, Page: 1, Limit: limit})
	if err != nil {
		return nil, false, err
	}
	return p.Items, p.lastPage(1, limit, len(p.Items)), nil
}

func (p *ReservationPage) lastPage(page, limit, seen int) bool {
	if len(p.Items) == 0 {
		return true
	}
	total, hasTotal := p.itemTotal(seen)
	last, hasLast := p.Links.Last.Page()
	if !hasTotal && !hasLast {
		return len(p.Items) < limit
	}
	return (!hasTotal || seen >= total) && (!hasLast || page >= last)
}

// itemTotal is how many reservations the query holds, as far as the page
// says. "total" is read as that number, and "count" too when it differs from
// this page's own size (some APIs name the grand total so). A figure below
// what already arrived counts something else, pages say, and is ignored.
func (p *ReservationPage) itemTotal(seen int) (int, bool) {
	n, ok := 0, false
	consider := func(v *int) {
		if v != nil && *v >= seen {
			n, ok = max(n, *v), true
		}
	}
	consider(p.Total)
	if p.Count != nil && *p.Count != len(p.Items) {
		consider(p.Count)
	}
	return n, ok
}
