package passportscan_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guestflow/guestflow/vendors/passportscan"
	"github.com/guestflow/guestflow/vendors/passportscan/sandbox"
	"github.com/guestflow/guestflow/vendors/sandboxkit"
	"github.com/guestflow/guestflow/vendors/vendorhttp"
)

func TestReservationsAgainstSandbox(t *testing.T) {
	h := newHarness(t, sandbox.Options{})
	h.sb.PutReservation(accountID, reservation(1858, arrival, guest(3263, "Anthony"), guest(3264, "Carmella")))
	h.sb.PutReservation(accountID, reservation(1859, "2026-05-05", guest(3265, "Meadow")))

	p, err := h.client().Reservations(context.Background(), passportscan.ReservationsQuery{ArrivalDate: arrival, AllCustomers: true})
	require.NoError(t, err)
	assert.Equal(t, ptr(1), p.Total)
	require.Len(t, p.Items, 1)
	r := p.Items[0]
	assert.Equal(t, passportscan.ID("1858"), r.ID)
	require.Len(t, r.CustomerReservations, 2)
	leader := r.CustomerReservations[0]
	assert.True(t, leader.IsLeader.True())
	assert.Equal(t, passportscan.DocumentPassport, leader.Customer.LastDocument.Type())
	assert.Equal(t, "male", leader.Customer.Sex())
	assert.Equal(t, ptr(passportscan.Text("787667789")), leader.Customer.LastDocument.DocumentNumber)
	assert.True(t, leader.Customer.PrivacyFlags.LoyaltyProgram.True())
	assert.Equal(t, ptr(false), leader.Customer.PrivacyFlags.SMS.Bool())
	assert.Nil(t, leader.Customer.PrivacyFlags.Email.Bool())
	assert.Equal(t, ptr(passportscan.ID("G-Anthony")), leader.Customer.PMSGuestID)

	// What went over the wire, as documented.
	calls := h.sb.Calls()
	require.Len(t, calls, 2)
	assert.Equal(t, "/v1/service/login", calls[0].Path)
	assert.JSONEq(t, `{"public_key":"`+apiKey+`","account_id":"`+accountID+`"}`, string(calls[0].Body))
	q, err := url.ParseQuery(calls[1].Query)
	require.NoError(t, err)
	assert.Equal(t, url.Values{"arrival_date": {arrival}, "all_customers": {"1"},
		"pagination[page]": {"1"}, "pagination[limit]": {"20"}}, q)
	assert.Contains(t, calls[1].Query, "pagination[page]=1", "brackets unescaped, as documented")
}

// errorCase provokes one class of failure against the sandbox.
type errorCase struct {
	name       string
	sandbox    sandbox.Options
	client     func(*passportscan.Options, *harness)
	query      passportscan.ReservationsQuery
	status     int
	retryable  bool
	message    string
	retryAfter bool
}

func TestErrorClasses(t *testing.T) {
	ok := passportscan.ReservationsQuery{ArrivalDate: arrival, AllCustomers: true}
	tests := []errorCase{
		{name: "unknown key", client: func(o *passportscan.Options, _ *harness) { o.APIKey = "pk-revoked" },
			query: ok, status: 401, message: "Invalid credentials"},
		{name: "limit above maximum", query: passportscan.ReservationsQuery{ArrivalDate: arrival, Limit: 500},
			status: 400, message: "at most 100"},
		{name: "malformed arrival date", query: passportscan.ReservationsQuery{ArrivalDate: "04/05/2026"},
			status: 400, message: "YYYY-MM-DD"},
		{name: "IP not whitelisted", sandbox: sandbox.Options{AllowedIPs: []string{"203.0.113.7"}},
			query: ok, status: 403, message: "IP address not allowed"},
		{name: "wrong base path", client: func(o *passportscan.Options, h *harness) { o.BaseURL = h.url + "/api" },
			query: ok, status: 404, message: "No route found"},
		{name: "rate limited", sandbox: sandbox.Options{RateLimit: 1}, query: ok,
			status: 429, retryable: true, message: "Too many requests", retryAfter: true},
		{name: "vendor down", sandbox: sandbox.Options{Faults: sandboxkit.Faults{ErrorRate: 1}}, query: ok,
			status: 500, retryable: true, message: "injected fault"},
		{name: "injected 429 burst", sandbox: sandbox.Options{Faults: sandboxkit.Faults{Burst429Every: 1, Burst429Len: 1, RetryAfter: 7 * time.Second}},
			query: ok, status: 429, retryable: true, retryAfter: true},
		{name: "connection dropped", sandbox: sandbox.Options{Faults: sandboxkit.Faults{DropRate: 1}}, query: ok,
			status: 0, retryable: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, tt.sandbox)
			seedArrivals(h.sb, 3)
			cl := h.client(func(o *passportscan.Options) {
				if tt.client != nil {
					tt.client(o, h)
				}
			})
			_, err := cl.Reservations(context.Background(), tt.query)
			require.Error(t, err)
			var ve *vendorhttp.Error
			require.True(t, errors.As(err, &ve), "%T %v", err, err)
			assert.Equal(t, passportscan.Vendor, ve.Vendor)
			assert.Equal(t, tt.status, ve.Status)
			assert.Equal(t, tt.retryable, ve.Retryable())
			assert.Contains(t, ve.Message, tt.message)
			if tt.status != 0 {
				assert.NotEmpty(t, ve.RequestID, "the sandbox sends X-Request-Id")
			}
			if tt.retryAfter {
				assert.Positive(t, ve.RetryAfter)
			}
			for _, secret := range append(personal, apiKey) {
				assert.NotContains(t, err.Error(), secret)
			}
		})
	}
}

func TestTokenExpiryAndRelogin(t *testing.T) {
	h := newHarness(t, sandbox.Options{TokenTTL: time.Hour})
	seedArrivals(h.sb, 2)
	cl := h.client()
	ctx := context.Background()
	read := func() {
		t.Helper()
		_, err := cl.Reservations(ctx, passportscan.ReservationsQuery{ArrivalDate: arrival, AllCustomers: true})
		require.NoError(t, err)
	}
	both := func(d time.Duration) { h.sandboxAt.Add(d); h.clientAt.Add(d) }

	read()
	read()
	assert.Equal(t, 1, h.logins(), "the token is reused while valid")

	both(59 * time.Minute)
	read()
	assert.Equal(t, 1, h.logins(), "still valid a minute before exp")

	both(time.Minute)
	read()
	assert.Equal(t, 2, h.logins(), "renewed from exp, before the API refuses it")
	assert.NotContains(t, h.statuses(), 401)

	// The API's clock runs ahead: the client still trusts its token, gets a
	// 401, logs in once and repeats the call once.
	h.sandboxAt.Add(2 * time.Hour)
	read()
	assert.Equal(t, 3, h.logins())
	assert.Equal(t, []int{200, 200, 200, 200, 401, 200}, h.statuses())
}

func TestOneLoginForManyConcurrentCalls(t *testing.T) {
	h := newHarness(t, sandbox.Options{RateLimit: -1})
	seedArrivals(h.sb, 1)
	cl := h.client()
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for range 40 {
		wg.Go(func() {
			_, err := cl.Reservations(context.Background(), passportscan.ReservationsQuery{ArrivalDate: arrival, AllCustomers: true})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assert.Equal(t, 1, h.logins())
	assert.Equal(t, 40, h.gets())
}

func TestChangeFeed(t *testing.T) {
	h := newHarness(t, sandbox.Options{})
	h.sb.PutReservation(accountID, reservation(1858, arrival, guest(3263, "Anthony"), guest(3264, "Carmella"), guest(3265, "Meadow")))
	cl := h.client()
	ctx := context.Background()
	changed := func() []passportscan.Reservation {
		t.Helper()
		items, err := cl.AllReservations(ctx, arrival, false, 0)
		require.NoError(t, err)
		return items
	}

	first := changed()
	require.Len(t, first, 1)
	assert.Len(t, first[0].CustomerReservations, 3, "the first call returns everything")
	assert.Empty(t, changed(), "nothing changed since")

	// Carmella's passport is scanned after check-in.
	carmella := guest(3264, "Carmella")
	carmella.LastDocument.DocumentNumber = ptr("YA1234567")
	require.NoError(t, h.sb.PutCustomer(accountID, 1858, carmella))
	got := changed()
	require.Len(t, got, 1)
	assert.Equal(t, passportscan.ID("1858"), got[0].ID)
	require.Len(t, got[0].CustomerReservations, 1, "only the updated guest")
	assert.Equal(t, passportscan.ID("3264"), got[0].CustomerReservations[0].Customer.ID)
	assert.Equal(t, ptr(passportscan.Text("YA1234567")), got[0].CustomerReservations[0].Customer.LastDocument.DocumentNumber)
	stored, _ := h.sb.Reservation(accountID, 1858)
	assert.Len(t, stored.CustomerReservations, 3)

	// A full read delivers everything and counts as the last query.
	require.NoError(t, h.sb.PutCustomer(accountID, 1858, guest(3265, "Meadow")))
	everything, err := cl.AllReservations(ctx, arrival, true, 0)
	require.NoError(t, err)
	assert.Len(t, everything[0].CustomerReservations, 3)
	assert.Empty(t, changed())
}

// Changes made while a change query is being walked come with the next query:
// neither lost nor repeated.
func TestChangeFeedWalkLosesNothing(t *testing.T) {
	h := newHarness(t, sandbox.Options{})
	seedArrivals(h.sb, 45)
	cl := h.client()
	ctx := context.Background()
	page := func(n int) *passportscan.ReservationPage {
		p, err := cl.Reservations(ctx, passportscan.ReservationsQuery{ArrivalDate: arrival, Page: n, Limit: 20})
		require.NoError(t, err)
		return p
	}
	seen := map[passportscan.ID]int{}
	for _, r := range page(1).Items {
		seen[r.ID]++
	}
	require.NoError(t, h.sb.PutCustomer(accountID, 1004, guest(5004, "Anthony")))     // on page 1
	h.sb.PutReservation(accountID, reservation(999, arrival, guest(4999, "Anthony"))) // would shift every page
	for _, n := range []int{2, 3} {
		for _, r := range page(n).Items {
			seen[r.ID]++
		}
	}
	assert.Len(t, seen, 45)
	for id, n := range seen {
		assert.Equal(t, 1, n, id)
	}

	next, err := cl.AllReservations(ctx, arrival, false, 20)
	require.NoError(t, err)
	var ids []passportscan.ID
	for _, r := range next {
		ids = append(ids, r.ID)
	}
	assert.Equal(t, []passportscan.ID{"999", "1004"}, ids)
}

func TestAllReservationsWalksSandboxPages(t *testing.T) {
	tests := []struct {
		seeded, limit, wantGets int
	}{
		{seeded: 45, limit: 20, wantGets: 3}, // last page short
		{seeded: 40, limit: 20, wantGets: 2}, // total a multiple of the limit: stop at total, no empty page
		{seeded: 0, limit: 20, wantGets: 1},
		{seeded: 7, limit: 0, wantGets: 1}, // default limit
	}
	for _, tt := range tests {
		h := newHarness(t, sandbox.Options{})
		seedArrivals(h.sb, tt.seeded)
		items, err := h.client().AllReservations(context.Background(), arrival, true, tt.limit)
		require.NoError(t, err)
		require.Len(t, items, tt.seeded)
		for i, r := range items {
			want, _ := r.ID.Int64()
			assert.EqualValues(t, 1000+i, want)
		}
		assert.Equal(t, tt.wantGets, h.gets(), "seeded %d limit %d", tt.seeded, tt.limit)
		assert.Equal(t, 1, h.logins())
	}
}

func TestNoPersonalDataInDecodeErrors(t *testing.T) {
	srv := fakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		// A vendor regression: a name where a number belongs.
		w.Write([]byte(`{"total": 1, "items": [{"id": 1, "adults": "Anthony Soprano"}]}`))
	})
	_, err := passportscan.New(passportscan.Options{APIKey: apiKey, AccountID: accountID, BaseURL: srv}).
		Reservations(context.Background(), passportscan.ReservationsQuery{ArrivalDate: arrival})
	require.Error(t, err)
	assert.False(t, strings.Contains(err.Error(), "Anthony") || strings.Contains(err.Error(), "Soprano"), err.Error())
}
