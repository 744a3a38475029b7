package scenario_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/guestflow/guestflow/rules"
	"github.com/guestflow/guestflow/scenario"
	mewssandbox "github.com/guestflow/guestflow/vendors/mews/sandbox"
	pcsandbox "github.com/guestflow/guestflow/vendors/passcreator/sandbox"
	pssandbox "github.com/guestflow/guestflow/vendors/passportscan/sandbox"
	pqsandbox "github.com/guestflow/guestflow/vendors/passquare/sandbox"
)

func init() { gin.SetMode(gin.ReleaseMode) }

var day = rules.Date{Year: 2026, Month: 11, Day: 23}

const appKey = "test-passquare-app-key"

// branches are the dev stack's three, with their differing rules.
func branches() []scenario.Branch {
	return []scenario.Branch{
		{ID: "rome", PassportScanAccountID: "101", PassportScanAPIKey: "rome-key", Country: "IT", TimeZone: "Europe/Rome",
			MewsAccessToken: "rome-token", PasscreatorAppConfigurationID: "0b7e2a6c-1f00-4d1e-9b55-000000000101",
			BonusPercent: decimal.RequireFromString("5")},
		{ID: "lisbon", PassportScanAccountID: "102", PassportScanAPIKey: "lisbon-key", Country: "PT", TimeZone: "Europe/Lisbon",
			MewsAccessToken: "lisbon-token", PasscreatorAppConfigurationID: "0b7e2a6c-1f00-4d1e-9b55-000000000102",
			ConsentWhenUnanswered: true, BonusPercent: decimal.RequireFromString("3")},
		{ID: "vienna", PassportScanAccountID: "103", PassportScanAPIKey: "vienna-key", Country: "AT", TimeZone: "Europe/Vienna",
			MewsAccessToken: "vienna-token", PasscreatorAppConfigurationID: "0b7e2a6c-1f00-4d1e-9b55-000000000103",
			AcceptedDocuments: []rules.DocumentType{rules.Passport, rules.IdentityCard}, BonusPercent: decimal.RequireFromString("4"),
			TransactionValueProperty: "Umsatz"},
	}
}

func options(seed int64, arrivals int) scenario.Options {
	return scenario.Options{
		Seed: seed, Day: day, Branches: branches(), ArrivalsPerBranch: arrivals,
		Passquare: scenario.PassquareAccount{AppKey: appKey, Plan: "expert"},
	}
}

// sandboxes are fresh sandboxes; Passquare's hooks go to a test server
// that answers createCustomer as guestflow's webhook would.
func sandboxes(t *testing.T) (scenario.Sandboxes, *hookLog) {
	t.Helper()
	hooks := &hookLog{}
	srv := httptest.NewServer(hooks)
	t.Cleanup(srv.Close)
	return scenario.Sandboxes{
		PassportScan: pssandbox.New(pssandbox.Options{}),
		Mews:         mewssandbox.New(mewssandbox.Options{}),
		Passquare:    pqsandbox.New(pqsandbox.Options{HookURL: srv.URL, PerSecond: 1000}),
		Passcreator:  pcsandbox.New(pcsandbox.Options{APIKey: "passcreator-key", TimeZone: "Europe/Rome"}),
	}, hooks
}

type hookLog struct {
	mu     sync.Mutex
	bodies [][]byte
}

func (h *hookLog) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	h.bodies = append(h.bodies, b)
	h.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"customerId": "account-1"})
}

func (h *hookLog) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.bodies)
}

// issueCards does guestflow's part: a card for every guest who should
// get one.
func issueCards(t *testing.T, d *scenario.Day, pq *pqsandbox.Server) {
	t.Helper()
	for _, g := range d.Guests() {
		if g.Outcome.Card {
			require.NoError(t, pq.SeedCustomer(appKey, pqsandbox.Customer{Phone: g.E164, Name: g.FirstName}))
		}
	}
}

// steppingClock jumps to the end of every sleep, and stops the day at
// until.
type steppingClock struct {
	now, until time.Time
}

var errDayOver = errors.New("the test's day is over")

func (c *steppingClock) Now() time.Time { return c.now }

func (c *steppingClock) Sleep(ctx context.Context, d time.Duration) error {
	c.now = c.now.Add(d)
	if c.now.After(c.until) {
		return errDayOver
	}
	return ctx.Err()
}

func play(t *testing.T, d *scenario.Day, s scenario.Sandboxes) ([]scenario.Applied, error) {
	t.Helper()
	var applied []scenario.Applied
	clock := &steppingClock{now: d.Start, until: d.Start.Add(72 * time.Hour)}
	err := d.Play(context.Background(), s, clock, func(a scenario.Applied) { applied = append(applied, a) })
	return applied, err
}
