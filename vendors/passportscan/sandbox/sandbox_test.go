package sandbox

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/gin-gonic/gin"
	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guestflow/guestflow/vendors/sandboxkit"
)

func init() { gin.SetMode(gin.ReleaseMode) }

const (
	key       = "pk-branch-one"
	accountID = "69"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newSandbox(t *testing.T, opts Options) (*Server, *clock) {
	t.Helper()
	clk := &clock{t: time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)}
	if opts.Now == nil {
		opts.Now = clk.Now
	}
	s := New(opts)
	s.AddBranch(key, accountID)
	return s, clk
}

type answer struct {
	status int
	header http.Header
	body   map[string]any
}

func call(t *testing.T, s *Server, method, target string, header http.Header, body string) answer {
	t.Helper()
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	for k, v := range header {
		req.Header[k] = v
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, req)
	a := answer{status: w.Code, header: w.Header()}
	_ = json.Unmarshal(w.Body.Bytes(), &a.body)
	return a
}

func loginHeader() http.Header {
	return http.Header{"X-Service": {"Identity"}, "Content-Type": {"application/json"}}
}

func login(t *testing.T, s *Server, apiKey, accountID string) string {
	t.Helper()
	a := call(t, s, http.MethodPost, "/v1/service/login", loginHeader(),
		`{"public_key":"`+apiKey+`","account_id":"`+accountID+`"}`)
	require.Equal(t, http.StatusOK, a.status, a.body)
	tok, _ := a.body["token"].(string)
	require.NotEmpty(t, tok)
	return tok
}

func bearer(tok string) http.Header { return http.Header{"Authorization": {"Bearer " + tok}} }

func TestLoginValidation(t *testing.T) {
	json := func(k, a string) string { return `{"public_key":"` + k + `","account_id":"` + a + `"}` }
	form := http.Header{"X-Service": {"Identity"}, "Content-Type": {"application/x-www-form-urlencoded"}}
	tests := []struct {
		name    string
		header  http.Header
		body    string
		status  int
		message string
	}{
		{"valid", loginHeader(), json(key, accountID), 200, ""},
		{"accountID id as a number", loginHeader(), `{"public_key":"` + key + `","account_id":69}`, 200, ""},
		{"charset on the content type", http.Header{"X-Service": {"Identity"}, "Content-Type": {"application/json; charset=utf-8"}}, json(key, accountID), 200, ""},
		// The document gives the header as "X-Service: Identity" and the body
		// as JSON with "Content-Type: application/json"; anything else may be
		// refused by the real API, so the sandbox refuses it.
		{"service header in lower case", http.Header{"X-Service": {"identity"}, "Content-Type": {"application/json"}}, json(key, accountID), 400, "X-Service"},
		{"form body", form, url.Values{"public_key": {key}, "account_id": {accountID}}.Encode(), 415, "application/json"},
		{"JSON without a content type", http.Header{"X-Service": {"Identity"}}, json(key, accountID), 415, "application/json"},
		{"no X-Service", http.Header{"Content-Type": {"application/json"}}, json(key, accountID), 400, "X-Service"},
		{"wrong X-Service", http.Header{"X-Service": {"Billing"}, "Content-Type": {"application/json"}}, json(key, accountID), 400, "X-Service"},
		{"not JSON", loginHeader(), `public_key=` + key, 400, "required"},
		{"no accountID id", loginHeader(), `{"public_key":"` + key + `"}`, 400, "required"},
		{"no public key", loginHeader(), `{"account_id":"69"}`, 400, "required"},
		{"unknown key", loginHeader(), json("pk-guess", accountID), 401, "Invalid credentials"},
		{"key of another accountID", loginHeader(), json(key, "70"), 401, "Invalid credentials"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newSandbox(t, Options{})
			a := call(t, s, http.MethodPost, "/v1/service/login", tt.header, tt.body)
			assert.Equal(t, tt.status, a.status)
			assert.NotEmpty(t, a.header.Get("X-Request-Id"))
			if tt.status == 200 {
				assert.NotEmpty(t, a.body["token"])
				return
			}
			assert.EqualValues(t, tt.status, a.body["code"])
			assert.Contains(t, a.body["message"], tt.message)
		})
	}
}

func TestTokenCarriesExpiry(t *testing.T) {
	s, clk := newSandbox(t, Options{TokenTTL: 10 * time.Minute})
	claims := jwt.MapClaims{}
	_, _, err := jwt.NewParser().ParseUnverified(login(t, s, key, accountID), claims)
	require.NoError(t, err)
	exp, err := claims.GetExpirationTime()
	require.NoError(t, err)
	assert.Equal(t, clk.Now().Add(10*time.Minute), exp.Time.UTC())
	assert.NotContains(t, claims, "public_key", "the token must not carry the API key")
}

func TestReservationsValidation(t *testing.T) {
	other := New(Options{SigningKey: "someone-else"})
	other.AddBranch(key, accountID)
	foreign := login(t, other, key, accountID)

	tests := []struct {
		name    string
		query   string
		auth    func(s *Server, clk *clock) http.Header
		status  int
		message string
	}{
		{"documented query", "arrival_date=2020-02-07&all_customers=1&pagination[page]=1&pagination[limit]=20", nil, 200, ""},
		{"escaped brackets", "arrival_date=2020-02-07&all_customers=1&pagination%5Bpage%5D=2&pagination%5Blimit%5D=5", nil, 200, ""},
		{"bare page and limit are not the documented names, so unknown parameters", "arrival_date=2020-02-07&page=0&limit=500", nil, 200, ""},
		{"all_customers true", "arrival_date=2020-02-07&all_customers=true", nil, 200, ""},
		{"no token", "arrival_date=2020-02-07", func(*Server, *clock) http.Header { return nil }, 401, "JWT Token not found"},
		{"garbage token", "arrival_date=2020-02-07", func(*Server, *clock) http.Header { return bearer("abc.def.ghi") }, 401, "Invalid JWT Token"},
		{"token without the Bearer scheme", "arrival_date=2020-02-07", func(s *Server, _ *clock) http.Header {
			return http.Header{"Authorization": {login(t, s, key, accountID)}}
		}, 401, "Bearer"},
		{"bearer scheme in lower case", "arrival_date=2020-02-07", func(s *Server, _ *clock) http.Header {
			return http.Header{"Authorization": {"bearer " + login(t, s, key, accountID)}}
		}, 200, ""},
		{"token of another signer", "arrival_date=2020-02-07", func(*Server, *clock) http.Header { return bearer(foreign) }, 401, "Invalid JWT Token"},
		{"expired token", "arrival_date=2020-02-07", func(s *Server, clk *clock) http.Header {
			tok := login(t, s, key, accountID)
			clk.Add(time.Hour + time.Second)
			return bearer(tok)
		}, 401, "Expired JWT Token"},
		{"no arrival date", "all_customers=1", nil, 400, "arrival_date is required"},
		{"arrival date without zero padding", "arrival_date=2020-2-7", nil, 400, "YYYY-MM-DD"},
		{"impossible arrival date", "arrival_date=2020-02-30", nil, 400, "YYYY-MM-DD"},
		{"arrival date in another format", "arrival_date=07.02.2020", nil, 400, "YYYY-MM-DD"},
		{"unknown all_customers", "arrival_date=2020-02-07&all_customers=maybe", nil, 400, "all_customers"},
		{"limit above maximum", "arrival_date=2020-02-07&pagination[limit]=101", nil, 400, "at most 100"},
		{"limit zero", "arrival_date=2020-02-07&pagination[limit]=0", nil, 400, "pagination[limit]"},
		{"page zero", "arrival_date=2020-02-07&pagination[page]=0", nil, 400, "pagination[page]"},
		{"page not a number", "arrival_date=2020-02-07&pagination[page]=two", nil, 400, "pagination[page]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, clk := newSandbox(t, Options{})
			h := bearer(login(t, s, key, accountID))
			if tt.auth != nil {
				h = tt.auth(s, clk)
			}
			a := call(t, s, http.MethodGet, "/v1/reservations?"+tt.query, h, "")
			assert.Equal(t, tt.status, a.status, a.body)
			if tt.status != 200 {
				assert.EqualValues(t, tt.status, a.body["code"])
				assert.Contains(t, a.body["message"], tt.message)
			}
		})
	}
}

// The documented sample, seeded and served back, must come out as documented.
func TestServesTheDocumentedSample(t *testing.T) {
	sample, err := os.ReadFile("testdata/reservations.json")
	require.NoError(t, err)
	var doc struct{ Items []Reservation }
	require.NoError(t, json.Unmarshal(sample, &doc))
	require.Len(t, doc.Items, 1)

	s, _ := newSandbox(t, Options{})
	s.PutReservation(accountID, doc.Items[0])
	req := httptest.NewRequest(http.MethodGet,
		"/v1/reservations?arrival_date=2020-02-07&all_customers=1&pagination[page]=1&pagination[limit]=20", nil)
	req.Header.Set("Authorization", "Bearer "+login(t, s, key, accountID))
	w := httptest.NewRecorder()
	s.ServeHTTP(w, req)
	require.Equal(t, http.StatusOK, w.Code)
	assert.JSONEq(t, string(sample), w.Body.String())
}

func TestRateLimitPerKey(t *testing.T) {
	s, clk := newSandbox(t, Options{RateLimit: 3})
	s.AddBranch("pk-branch-two", "70")
	tok := login(t, s, key, accountID) // the login counts against the key too
	get := func(tok string) answer {
		return call(t, s, http.MethodGet, "/v1/reservations?arrival_date=2020-02-07", bearer(tok), "")
	}
	assert.Equal(t, 200, get(tok).status)
	assert.Equal(t, 200, get(tok).status)
	limited := get(tok)
	assert.Equal(t, http.StatusTooManyRequests, limited.status)
	assert.Equal(t, "60", limited.header.Get("Retry-After"))
	assert.EqualValues(t, 429, limited.body["code"])

	assert.Equal(t, 200, get(login(t, s, "pk-branch-two", "70")).status, "another key has its own budget")

	clk.Add(61 * time.Second)
	assert.Equal(t, 200, get(tok).status)
}

func TestBranchesSeeOnlyTheirOwnReservations(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	s.AddBranch("pk-branch-two", "70")
	s.PutReservation(accountID, Reservation{ID: 1, ArrivalDate: "2026-05-04"})
	s.PutReservation("70", Reservation{ID: 2, ArrivalDate: "2026-05-04"})
	s.PutReservation("70", Reservation{ID: 3, ArrivalDate: "2026-05-05"})

	a := call(t, s, http.MethodGet, "/v1/reservations?arrival_date=2026-05-04&all_customers=1", bearer(login(t, s, "pk-branch-two", "70")), "")
	require.Equal(t, 200, a.status)
	items := a.body["items"].([]any)
	require.Len(t, items, 1)
	assert.EqualValues(t, 2, items[0].(map[string]any)["id"])
}

func TestChangeFeedMarkIsPerKey(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	s.AddBranch("pk-second-key", accountID) // a second key on the same branch
	s.PutReservation(accountID, Reservation{ID: 1, ArrivalDate: "2026-05-04",
		CustomerReservations: []CustomerReservation{{Customer: Customer{ID: 10}, IsLeader: true}}})
	changes := func(tok string) float64 {
		a := call(t, s, http.MethodGet, "/v1/reservations?arrival_date=2026-05-04&all_customers=0", bearer(tok), "")
		require.Equal(t, 200, a.status)
		return a.body["total"].(float64)
	}
	first, second := login(t, s, key, accountID), login(t, s, "pk-second-key", accountID)
	assert.Equal(t, 1.0, changes(first))
	assert.Equal(t, 0.0, changes(first))
	assert.Equal(t, 1.0, changes(second), "the first key's call must not move the second key's mark")
}

func TestPutCustomerUnknownReservation(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	assert.Error(t, s.PutCustomer(accountID, 404, Customer{ID: 1}))
}

func TestSeedDataIsCopied(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	name := "Anthony"
	r := Reservation{ID: 1, ArrivalDate: "2026-05-04", FirstName: &name}
	s.PutReservation(accountID, r)
	name = "changed after seeding"
	got, ok := s.Reservation(accountID, 1)
	require.True(t, ok)
	assert.Equal(t, "Anthony", *got.FirstName)
	_, ok = s.Reservation(accountID, 2)
	assert.False(t, ok)
}

func TestWhitelistAndFaults(t *testing.T) {
	s, _ := newSandbox(t, Options{AllowedIPs: []string{"10.1.2.3"}})
	a := call(t, s, http.MethodPost, "/v1/service/login", loginHeader(), `{"public_key":"`+key+`","account_id":"69"}`)
	assert.Equal(t, http.StatusForbidden, a.status)

	s, _ = newSandbox(t, Options{Faults: sandboxkit.Faults{ErrorRate: 1}})
	a = call(t, s, http.MethodPost, "/v1/service/login", loginHeader(), `{"public_key":"`+key+`","account_id":"69"}`)
	assert.Equal(t, http.StatusInternalServerError, a.status)
	assert.EqualValues(t, 500, a.body["code"])
	require.Len(t, s.Calls(), 1)
	assert.True(t, s.Calls()[0].Injected)

	s.SetFaults(sandboxkit.Faults{})
	assert.Equal(t, http.StatusNotFound, call(t, s, http.MethodGet, "/v1/nothing", nil, "").status)
}

func TestOptionsFromTOML(t *testing.T) {
	var opts Options
	_, err := toml.Decode(`
token_ttl = "30m"
max_limit = 50
rate_limit = -1
[[branches]]
api_key = "pk-a"
account_id = "1"
[faults]
error_rate = 0.1
`, &opts)
	require.NoError(t, err)
	assert.Equal(t, 30*time.Minute, opts.TokenTTL)
	assert.Equal(t, 50, opts.MaxLimit)
	assert.Equal(t, []Branch{{APIKey: "pk-a", AccountID: "1"}}, opts.Branches)
	assert.Equal(t, 0.1, opts.Faults.ErrorRate)

	opts.Faults = sandboxkit.Faults{}
	s := New(opts)
	for range 200 { // rate_limit -1: no limit at all
		require.Equal(t, 200, call(t, s, http.MethodPost, "/v1/service/login", loginHeader(), `{"public_key":"pk-a","account_id":"1"}`).status)
	}
}

func TestPutReservationReplacesAndMarksEveryGuest(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	tok := login(t, s, key, accountID)
	guests := func(ids ...int64) []CustomerReservation {
		var out []CustomerReservation
		for _, id := range ids {
			out = append(out, CustomerReservation{Customer: Customer{ID: id}})
		}
		return out
	}
	changedGuests := func() []any {
		a := call(t, s, http.MethodGet, "/v1/reservations?arrival_date=2026-05-04&all_customers=0", bearer(tok), "")
		require.Equal(t, 200, a.status)
		items := a.body["items"].([]any)
		if len(items) == 0 {
			return nil
		}
		return items[0].(map[string]any)["customer_reservations"].([]any)
	}
	s.PutReservation(accountID, Reservation{ID: 1, ArrivalDate: "2026-05-04", CustomerReservations: guests(10, 11)})
	assert.Len(t, changedGuests(), 2)
	require.NoError(t, s.PutCustomer(accountID, 1, Customer{ID: 12})) // a guest added later
	assert.Len(t, changedGuests(), 1)

	s.PutReservation(accountID, Reservation{ID: 1, ArrivalDate: "2026-05-04", CustomerReservations: guests(10, 12, 13)})
	assert.Len(t, changedGuests(), 3, "a replaced reservation brings all its guests")
	got, _ := s.Reservation(accountID, 1)
	assert.Len(t, got.CustomerReservations, 3)

	s.PutReservation(accountID, Reservation{ID: 2, ArrivalDate: "2026-05-04"})
	a := call(t, s, http.MethodGet, "/v1/reservations?arrival_date=2026-05-04&all_customers=0", bearer(tok), "")
	items := a.body["items"].([]any)
	require.Len(t, items, 1, "a changed reservation without guests still appears")
	assert.Equal(t, []any{}, items[0].(map[string]any)["customer_reservations"])
}

// Only pagination[page] and pagination[limit] page the answer; a client
// sending page=2 gets page 1 back, as from an API that ignores the unknown.
func TestOnlyTheDocumentedPaginationNamesPage(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	for id := int64(1); id <= 3; id++ {
		s.PutReservation(accountID, Reservation{ID: id, ArrivalDate: "2026-05-04"})
	}
	tok := login(t, s, key, accountID)
	a := call(t, s, http.MethodGet, "/v1/reservations?arrival_date=2026-05-04&all_customers=1&page=2&limit=1", bearer(tok), "")
	require.Equal(t, 200, a.status)
	assert.Len(t, a.body["items"], 3, "bare page and limit ignored")
	a = call(t, s, http.MethodGet, "/v1/reservations?arrival_date=2026-05-04&all_customers=1&pagination[page]=2&pagination[limit]=1", bearer(tok), "")
	require.Equal(t, 200, a.status)
	require.Len(t, a.body["items"], 1)
	assert.EqualValues(t, 2, a.body["items"].([]any)[0].(map[string]any)["id"])
}
