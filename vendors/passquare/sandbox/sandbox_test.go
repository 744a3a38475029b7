package sandbox

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type stepClock struct{ now time.Time }

func (c *stepClock) Now() time.Time { return c.now }

func newTest(t *testing.T, o Options) (*Server, *stepClock) {
	t.Helper()
	gin.SetMode(gin.ReleaseMode)
	clk := &stepClock{now: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	o.Now = clk.Now
	s := New(o)
	s.AddAccount("key-a", "expert")
	s.AddAccount("key-b", "base")
	return s, clk
}

// post sends body and returns status, decoded answer and headers; the
// clock moves a second first so the per-second limit stays out of the way.
func post(t *testing.T, s *Server, clk *stepClock, path, body string) (int, map[string]any, http.Header) {
	t.Helper()
	clk.now = clk.now.Add(time.Second)
	w := httptest.NewRecorder()
	s.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/api/v2"+path, strings.NewReader(body)))
	var out map[string]any
	_ = json.Unmarshal(w.Body.Bytes(), &out)
	return w.Code, out, w.Header()
}

func TestValidation(t *testing.T) {
	s, clk := newTest(t, Options{})
	_, _, _ = post(t, s, clk, "/crm/user_create_or_update", `{"app_key": "key-a", "phone": "+420777000111", "name": "Eva"}`)
	cases := []struct {
		name, path, body string
		status           int
		message          string
	}{
		{"missing app_key", "/status", `{}`, 401, "app_key is required"},
		{"wrong app_key", "/status", `{"app_key": "nope"}`, 401, "invalid app_key"},
		{"not JSON", "/status", `app_key=key-a`, 400, "invalid JSON"},
		{"phone missing", "/crm/user_create_or_update", `{"app_key": "key-a", "name": "Eva"}`, 400, "phone is required"},
		{"phone in national form", "/crm/user_create_or_update", `{"app_key": "key-a", "phone": "0777000111", "name": "Eva"}`, 400, "phone must be in international E.164 format"},
		{"phone with spaces", "/crm/read_customer", `{"app_key": "key-a", "phone": "+420 777 000 111"}`, 400, "phone must be in international E.164 format"},
		{"birthday ISO", "/crm/user_create_or_update", `{"app_key": "key-a", "phone": "+420777000111", "birthday": "1980-05-03"}`, 400, "birthday must be in dd.mm.yyyy format"},
		{"birthday impossible", "/crm/user_create_or_update", `{"app_key": "key-a", "phone": "+420777000111", "birthday": "31.02.1980"}`, 400, "birthday must be in dd.mm.yyyy format"},
		{"amount not decimal", "/crm/user_create_or_update", `{"app_key": "key-a", "phone": "+420777000111", "bonus": "lots"}`, 400, "bonus must be a number"},
		{"amount bool", "/crm/user_create_or_update", `{"app_key": "key-a", "phone": "+420777000111", "balance": true}`, 400, "balance must be a number"},
		{"name required to create", "/crm/user_create_or_update", `{"app_key": "key-a", "phone": "+420777000999", "push": "hi"}`, 400, "name is required to create a customer"},
		{"unknown customer", "/crm/read_customer", `{"app_key": "key-a", "phone": "+420777000999"}`, 404, "customer not found"},
		{"bad installs flag", "/crm/read_customer", `{"app_key": "key-a", "phone": "+420777000111", "installs": "maybe"}`, 400, "invites and installs must be booleans"},
		{"bad start_date", "/crm/read_customers", `{"app_key": "key-a", "start_date": "2020-01-01"}`, 400, "start_date must be dd.mm.yyyy or dd.mm.yyyy hh:mm:ss"},
		{"negative offset", "/crm/read_customers", `{"app_key": "key-a", "offset": -1}`, 400, "offset must be a non-negative integer"},
		{"push without message", "/crm/push/create", `{"app_key": "key-a", "type": "text"}`, 400, "message is required"},
		{"push bad type", "/crm/push/create", `{"app_key": "key-a", "message": "m", "type": "sms"}`, 400, "type must be text, webpush or telegram"},
		{"send without uuid", "/crm/push/send", `{"app_key": "key-a"}`, 400, "push_uuid is required"},
		{"unknown method", "/crm/delete_everything", `{"app_key": "key-a"}`, 404, "method not found"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, out, _ := post(t, s, clk, tc.path, tc.body)
			assert.Equal(t, tc.status, status)
			assert.Equal(t, map[string]any{"success": false, "error": tc.message}, out)
		})
	}
	// Nothing refused was stored.
	assert.Len(t, s.Customers("key-a"), 1)
}

// Every plausible form of an accepted value is accepted.
func TestLenientForms(t *testing.T) {
	s, clk := newTest(t, Options{})
	status, out, _ := post(t, s, clk, "/crm/user_create_or_update",
		`{"app_key": "key-a", "phone": "+420777000111", "name": "Eva", "birthday": "3.5.1980", "bonus": 3.5, "discount": "", "balance": "100.00"}`)
	require.Equal(t, 200, status, out)
	c, _ := s.Customer("key-a", "+420777000111")
	assert.Equal(t, "03.05.1980", c.Birthday)
	assert.Equal(t, "3.5", c.Bonus.String())
	assert.True(t, c.Discount.IsZero())
	assert.Equal(t, "100", c.Balance.String())

	status, out, _ = post(t, s, clk, "/crm/read_customers", `{"app_key": "key-a", "offset": "0", "installed": "0", "end_date": "01.03.2026 09:00"}`)
	require.Equal(t, 200, status)
	assert.Equal(t, []any{"+420777000111"}, out["customers"])
	status, out, _ = post(t, s, clk, "/crm/read_customer", `{"app_key": "key-a", "phone": "+420777000111", "installs": 1}`)
	require.Equal(t, 200, status)
	assert.Equal(t, []any{map[string]any{"card": "1000", "install": false}}, out["customer"].(map[string]any)["cardInstalls"])
}

func TestCardsAndHashes(t *testing.T) {
	s, clk := newTest(t, Options{FirstCardNumber: 700})
	_, a1, _ := post(t, s, clk, "/crm/user_create_or_update", `{"app_key": "key-a", "phone": "+420777000111", "name": "Eva"}`)
	_, a2, _ := post(t, s, clk, "/crm/user_create_or_update", `{"app_key": "key-a", "phone": "+420777000222", "name": "Jan"}`)
	_, b1, _ := post(t, s, clk, "/crm/user_create_or_update", `{"app_key": "key-b", "phone": "+420777000111", "name": "Eva"}`)
	assert.Equal(t, "700", a1["card_number"])
	assert.Equal(t, "701", a2["card_number"])
	assert.Equal(t, "700", b1["card_number"], "each account has its own range")
	assert.NotEqual(t, a1["user_hash"], b1["user_hash"])
	assert.Equal(t, true, a1["card"])
	assert.Equal(t, false, a1["sms_send"])
	assert.Equal(t, "", a1["form_url"])

	// Deterministic: a fresh sandbox gives the same hash and track.
	s2, clk2 := newTest(t, Options{FirstCardNumber: 700})
	_, again, _ := post(t, s2, clk2, "/crm/user_create_or_update", `{"app_key": "key-a", "phone": "+420777000111", "name": "Eva"}`)
	assert.Equal(t, a1["user_hash"], again["user_hash"])
	assert.Equal(t, a1["card_track"], again["card_track"])
}

func TestSMSNeedsLinkAndSubstitutes(t *testing.T) {
	s, clk := newTest(t, Options{})
	_, out, _ := post(t, s, clk, "/crm/user_create_or_update", `{"app_key": "key-a", "phone": "+420777000111", "name": "Eva", "sms": "Card: %link%"}`)
	assert.Equal(t, false, out["sms_send"])
	assert.Empty(t, s.SMS())
	_, out, _ = post(t, s, clk, "/crm/user_create_or_update",
		`{"app_key": "key-a", "phone": "+420777000111", "link": "https://form.passquare.com/abc/", "sms": "Card: %link% (again: %link%)"}`)
	assert.Equal(t, true, out["sms_send"])
	form := "https://form.passquare.com/abc/?hash=" + out["user_hash"].(string)
	assert.Equal(t, form, out["form_url"])
	assert.Equal(t, []SentSMS{{AppKey: "key-a", Phone: "+420777000111", Text: "Card: " + form + " (again: " + form + ")"}}, s.SMS())
}

func TestRateLimitPerKey(t *testing.T) {
	s, clk := newTest(t, Options{})
	send := func(key string) (int, http.Header) {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/api/v2/status", strings.NewReader(`{"app_key": "`+key+`"}`)))
		return w.Code, w.Header()
	}
	code, _ := send("key-a")
	assert.Equal(t, 200, code)
	code, h := send("key-a")
	assert.Equal(t, 429, code)
	assert.Equal(t, "1", h.Get("Retry-After"))
	// Another account has its own limit; refused keys count against nobody.
	code, _ = send("key-b")
	assert.Equal(t, 200, code)
	code, _ = send("nope")
	assert.Equal(t, 401, code)

	// base: 60 an hour for key-b.
	for range 59 {
		clk.now = clk.now.Add(time.Second)
		code, _ = send("key-b")
		require.Equal(t, 200, code)
	}
	clk.now = clk.now.Add(time.Second)
	code, h = send("key-b")
	assert.Equal(t, 429, code)
	assert.Equal(t, "3540", h.Get("Retry-After"))
	assert.Equal(t, 64, s.Recorder().Count(http.MethodPost, "/api/v2/status"))
}

func TestAccountsFromOptions(t *testing.T) {
	s := New(Options{Accounts: []AccountConfig{{AppKey: "k", Plan: "advanced", Name: "Roma", Balance: "12.30"}}})
	w := httptest.NewRecorder()
	s.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/api/v2/status", strings.NewReader(`{"app_key": "k"}`)))
	assert.JSONEq(t, `{"app": "Roma", "balance": "12.3"}`, w.Body.String())
}

// The doc's crm_key setting is a password with a blank login: the sandbox
// then sends it both ways Passquare may, as Basic with an empty login and
// as crm_key in the body.
func TestHookCRMKeyAsPasswordWithBlankLogin(t *testing.T) {
	var gotUser, gotPass, gotKey string
	var hasBasic bool
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotUser, gotPass, hasBasic = r.BasicAuth()
		var b struct {
			CRMKey string `json:"crm_key"`
		}
		_ = json.NewDecoder(r.Body).Decode(&b)
		gotKey = b.CRMKey
		_, _ = w.Write([]byte(`{"success": true, "bonus": "0", "balance": "0", "discount": "0"}`))
	}))
	defer hook.Close()
	s, _ := newTest(t, Options{HookURL: hook.URL, HookPassword: "crm-key-1"})
	res, err := s.ReadBalance(t.Context(), "+420777000111", "120")
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, res.Status)
	assert.True(t, hasBasic)
	assert.Equal(t, "", gotUser)
	assert.Equal(t, "crm-key-1", gotPass)
	assert.Equal(t, "crm-key-1", gotKey)
}

// An integrator that cannot answer yet says when to try again; the
// sandbox, playing Passquare, hands that on to whoever re-sends the hook.
func TestHookAnswerCarriesRetryAfter(t *testing.T) {
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "7")
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer hook.Close()
	s, _ := newTest(t, Options{HookURL: hook.URL, HookPassword: "crm-key-1"})
	res, err := s.AddBalance(t.Context(), "+420777000111", "120", "5.00", "tx-1", nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusServiceUnavailable, res.Status)
	assert.Equal(t, "7", res.RetryAfter)
}

// The document's push example writes the phone as digits without a plus.
func TestPushExampleWithoutPlus(t *testing.T) {
	s, clk := newTest(t, Options{})
	status, out, _ := post(t, s, clk, "/crm/user_create_or_update", `{"app_key": "key-a", "phone": "+420000000001", "name": "Joe"}`)
	require.Equal(t, http.StatusOK, status, out)
	status, out, _ = post(t, s, clk, "/crm/user_create_or_update", `{"app_key": "key-a", "phone": "420000000001", "push": "Your order is already in stock!"}`)
	require.Equal(t, http.StatusOK, status, out)
	assert.Equal(t, []SentPush{{AppKey: "key-a", Phone: "+420000000001", Kind: "push", Text: "Your order is already in stock!"}}, s.Pushes())
	assert.Len(t, s.Customers("key-a"), 1, "the same customer")
}

// The document: "If you send a push and simultaneously change such a
// variable, a push with a system notification will be sent that the card has
// been modified." A change alone sends the system notification too; a push
// alone, or with a variable that is unchanged or not bound, arrives as sent.
func TestPushWithBoundVariableChangeIsReplaced(t *testing.T) {
	s, clk := newTest(t, Options{NotificationVariables: []string{"balance", "bonus", "discount", "level"}})
	call := func(body string) {
		t.Helper()
		status, out, _ := post(t, s, clk, "/crm/user_create_or_update", `{"app_key": "key-a", "phone": "+420777000111", `+body+`}`)
		require.Equal(t, http.StatusOK, status, out)
	}
	call(`"name": "Eva", "balance": "10"`)
	require.Empty(t, s.Pushes(), "creating a customer changes no card")

	call(`"balance": "25.00", "push": "You earned 15"`)
	call(`"push": "Spa open till 22"`)
	call(`"balance": "25", "push": "Same balance"`)
	call(`"level": "gold", "push": "Welcome to gold"`)
	call(`"room": "214", "push": "Room ready"`)
	call(`"discount": "5"`)

	modified := SentPush{AppKey: "key-a", Phone: "+420777000111", Kind: "push", Text: CardModified, System: true}
	custom := func(text string) SentPush {
		return SentPush{AppKey: "key-a", Phone: "+420777000111", Kind: "push", Text: text}
	}
	assert.Equal(t, []SentPush{
		modified,                   // balance changed: "You earned 15" replaced
		custom("Spa open till 22"), // a push alone
		custom("Same balance"),     // 25.00 is 25: no change
		modified,                   // a bound custom variable changed
		custom("Room ready"),       // an unbound variable
		modified,                   // a change without a push
	}, s.Pushes())
}
