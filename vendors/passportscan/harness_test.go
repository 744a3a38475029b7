package passportscan_test

import (
	"log/slog"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/guestflow/guestflow/vendors/passportscan"
	"github.com/guestflow/guestflow/vendors/passportscan/sandbox"
)

func init() { gin.SetMode(gin.ReleaseMode) }

const (
	apiKey    = "pk-7f3a9c-branch-milano"
	accountID = "69"
	arrival   = "2026-05-04"
)

// clock is a settable time source for the sandbox and the client.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type harness struct {
	sb        *sandbox.Server
	url       string
	sandboxAt *clock
	clientAt  *clock
}

// newHarness runs a sandbox over real HTTP with one branch registered. The
// sandbox and the client have separate clocks so a test can let them drift.
func newHarness(t *testing.T, opts sandbox.Options) *harness {
	t.Helper()
	h := &harness{sandboxAt: newClock(), clientAt: newClock()}
	opts.Now = h.sandboxAt.Now
	h.sb = sandbox.New(opts)
	h.sb.AddBranch(apiKey, accountID)
	srv := httptest.NewServer(h.sb)
	t.Cleanup(srv.Close)
	h.url = srv.URL
	return h
}

func (h *harness) client(mod ...func(*passportscan.Options)) *passportscan.Client {
	opts := passportscan.Options{APIKey: apiKey, AccountID: accountID, BaseURL: h.url, Timeout: 5 * time.Second, Now: h.clientAt.Now, Logger: quiet}
	for _, m := range mod {
		m(&opts)
	}
	return passportscan.New(opts)
}

func (h *harness) logins() int { return h.sb.Recorder().Count("POST", "/v1/service/login") }
func (h *harness) gets() int   { return h.sb.Recorder().Count("GET", "/v1/reservations") }

// statuses lists the statuses of the reservation calls served, in order.
func (h *harness) statuses() []int {
	var out []int
	for _, c := range h.sb.Calls() {
		if c.Path == "/v1/reservations" {
			out = append(out, c.Status)
		}
	}
	return out
}

var quiet = slog.New(slog.DiscardHandler)

// Personal data seeded into the sandbox; no error string may contain any of it.
var personal = []string{"Anthony", "Soprano", "787667789", "Aspen Dr 14", "tony@example.com", "+15550100", "1959-08-22"}

func guest(id int64, first string) sandbox.Customer {
	return sandbox.Customer{
		ID:        id,
		FirstName: &first,
		LastName:  ptr("Soprano"),
		BirthDate: ptr("1959-08-22"),
		Gender:    ptr(sandbox.Gender("M")),
		LastDocument: sandbox.Document{
			DocumentType:   ptr("PAS"),
			DocumentNumber: ptr("787667789"),
			ExpirationDate: ptr("2031-06-19"),
			IssueCountry:   ptr("USA"),
		},
		LastAddress:  sandbox.Address{Address: ptr("Aspen Dr 14"), Country: ptr("USA")},
		LastContact:  sandbox.Contact{Email: ptr("tony@example.com"), Phone: ptr("+15550100")},
		PrivacyFlags: sandbox.PrivacyFlags{LoyaltyProgram: ptr(true), SMS: ptr(false)},
		PMSGuestID:   ptr("G-" + first),
	}
}

func reservation(id int64, date string, guests ...sandbox.Customer) sandbox.Reservation {
	r := sandbox.Reservation{ID: id, ArrivalDate: date, RoomNumber: ptr("F57"), PMSReservationID: ptr("AI387F")}
	for i, g := range guests {
		r.CustomerReservations = append(r.CustomerReservations, sandbox.CustomerReservation{Customer: g, IsLeader: i == 0})
	}
	return r
}

func seedArrivals(sb *sandbox.Server, n int) {
	for i := range n {
		sb.PutReservation(accountID, reservation(int64(1000+i), arrival, guest(int64(5000+i), "Anthony")))
	}
}
