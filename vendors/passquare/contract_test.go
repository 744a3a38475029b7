package passquare_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guestflow/guestflow/vendors/passquare"
	"github.com/guestflow/guestflow/vendors/passquare/sandbox"
	"github.com/guestflow/guestflow/vendors/sandboxkit"
	"github.com/guestflow/guestflow/vendors/vendorhttp"
)

const appKey = "11111111-2222-3333-4444-555555555555"

// clock is the sandbox's time. With tick set, every reading moves it on, so
// back-to-back calls do not trip the one-per-second limit.
type clock struct {
	mu   sync.Mutex
	now  time.Time
	tick time.Duration
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(c.tick)
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

type env struct {
	sb     *sandbox.Server
	clock  *clock
	client *passquare.Client
	url    string
}

func newEnv(t *testing.T, o sandbox.Options, plan string) *env {
	t.Helper()
	gin.SetMode(gin.ReleaseMode)
	clk := &clock{now: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC), tick: time.Second}
	o.Now = clk.Now
	sb := sandbox.New(o)
	sb.AddAccount(appKey, plan)
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	return &env{sb: sb, clock: clk, url: srv.URL + "/api/v2", client: client(srv.URL+"/api/v2", appKey)}
}

func client(base, key string) *passquare.Client {
	return passquare.New(passquare.Options{AppKey: key, BaseURL: base, MinInterval: -1, Timeout: 5 * time.Second})
}

func vendorErr(t *testing.T, err error) *vendorhttp.Error {
	t.Helper()
	var ve *vendorhttp.Error
	require.True(t, errors.As(err, &ve), "want *vendorhttp.Error, got %v", err)
	return ve
}

func dec(s string) *decimal.Decimal { d := decimal.RequireFromString(s); return &d }

// The personal data used below; no error string may contain any of it.
var personal = []string{"+420777000111", "+420777000222", "Ludmila", "Nováková", "ludmila@example.cz", "03.05.1980"}

func assertNoPersonalData(t *testing.T, err error) {
	t.Helper()
	for _, p := range personal {
		assert.NotContains(t, err.Error(), p)
	}
}

func ludmila() passquare.CustomerUpdate {
	return passquare.CustomerUpdate{
		Phone: "+420777000111", Name: "Ludmila", Surname: "Nováková", Email: "ludmila@example.cz",
		Birthday: &passquare.Date{Year: 1980, Month: 5, Day: 3},
		Discount: dec("5"), Bonus: dec("3.50"), Balance: dec("100"),
		CustomerID: "guest-42", TemplateUUID: "tpl-1",
		Link: "https://form.passquare.com/0000", SMS: "Your card: %link%",
		Variables: map[string]string{"room": "214"},
	}
}

func TestStatus(t *testing.T) {
	e := newEnv(t, sandbox.Options{Accounts: []sandbox.AccountConfig{{AppKey: "other", Name: "Hotel Roma", Balance: "980.00"}}}, "base")
	st, err := client(e.url, "other").Status(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "Hotel Roma", st.App)
	assert.Equal(t, "980", st.Balance.String())
	assert.Equal(t, 1, e.sb.Recorder().Count(http.MethodPost, "/api/v2/status"))
}

func TestCreateThenUpdateCustomer(t *testing.T) {
	e := newEnv(t, sandbox.Options{FirstCardNumber: 5000}, "expert")
	ctx := context.Background()

	res, err := e.client.UserCreateOrUpdate(ctx, ludmila())
	require.NoError(t, err)
	assert.True(t, res.Success.OK)
	assert.True(t, res.Card.OK)
	assert.True(t, res.SMSSent.OK)
	assert.Equal(t, "5000", res.CardNumber)
	assert.Len(t, res.CardTrack, 10)
	assert.Len(t, res.UserHash, 32)
	assert.Equal(t, "https://form.passquare.com/0000/?hash="+res.UserHash, res.FormURL)
	assert.Contains(t, res.CardURL, res.UserHash)
	assert.Contains(t, res.CardGPayURL, res.UserHash)

	// The SMS carries the personalised link in place of %link%.
	assert.Equal(t, []sandbox.SentSMS{{AppKey: appKey, Phone: "+420777000111", Text: "Your card: " + res.FormURL}}, e.sb.SMS())

	stored, ok := e.sb.Customer(appKey, "+420777000111")
	require.True(t, ok)
	assert.Equal(t, "Ludmila", stored.Name)
	assert.Equal(t, "Nováková", stored.Surname)
	assert.Equal(t, "ludmila@example.cz", stored.Email)
	assert.Equal(t, "03.05.1980", stored.Birthday)
	assert.Equal(t, "5", stored.Discount.String())
	assert.Equal(t, "3.5", stored.Bonus.String())
	assert.Equal(t, "100", stored.Balance.String())
	assert.Equal(t, "guest-42", stored.RemoteID)
	assert.Equal(t, "tpl-1", stored.TemplateUUID)
	assert.Equal(t, map[string]any{"room": "214"}, stored.Variables)

	// The wire body used the documented names and forms.
	calls := e.sb.Calls()
	require.Len(t, calls, 1)
	assert.JSONEq(t, `{"app_key": "`+appKey+`", "phone": "+420777000111", "name": "Ludmila", "surname": "Nováková",
		"email": "ludmila@example.cz", "birthday": "03.05.1980", "discount": "5", "bonus": "3.50", "balance": "100",
		"customerId": "guest-42", "template_uuid": "tpl-1", "link": "https://form.passquare.com/0000",
		"sms": "Your card: %link%", "room": "214"}`, string(calls[0].Body))

	// A second call updates: no new card, same number; the bonus is bound
	// to a notification, so Passquare says the card was modified.
	res2, err := e.client.UserCreateOrUpdate(ctx, passquare.CustomerUpdate{Phone: "+420777000111", Bonus: dec("7")})
	require.NoError(t, err)
	assert.False(t, res2.Card.OK)
	assert.False(t, res2.SMSSent.OK)
	assert.Empty(t, res2.CardNumber, `"created card number": none was created`)
	assert.Equal(t, res.UserHash, res2.UserHash)
	stored, _ = e.sb.Customer(appKey, "+420777000111")
	assert.Equal(t, "7", stored.Bonus.String())
	assert.Equal(t, "Ludmila", stored.Name)
	// A push goes alone, so it is not replaced.
	require.NoError(t, e.client.PushToCard(ctx, "+420777000111", "Welcome back"))
	assert.Equal(t, []sandbox.SentPush{
		{AppKey: appKey, Phone: "+420777000111", Kind: "push", Text: sandbox.CardModified, System: true},
		{AppKey: appKey, Phone: "+420777000111", Kind: "push", Text: "Welcome back"},
	}, e.sb.Pushes())
	assert.JSONEq(t, `{"app_key": "`+appKey+`", "phone": "+420777000111", "push": "Welcome back"}`, string(e.sb.Calls()[2].Body))

	// The next customer gets the next card of the range.
	res3, err := e.client.UserCreateOrUpdate(ctx, passquare.CustomerUpdate{Phone: "+420777000222", Name: "Jan",
		SendWebpush: "w", SendTelegram: "tg"})
	require.NoError(t, err)
	assert.Equal(t, "5001", res3.CardNumber)
	assert.Len(t, e.sb.Pushes(), 4)
}

// The other reading of the documentation: flags as sentences, amounts as
// numbers. The client reads both; a sentence is kept, not read for a verdict,
// and the card is known by its number.
func TestLooseAnswerForms(t *testing.T) {
	e := newEnv(t, sandbox.Options{FlagsAsMessages: true, AmountsAsNumbers: true}, "expert")
	ctx := context.Background()
	res, err := e.client.UserCreateOrUpdate(ctx, ludmila())
	require.NoError(t, err)
	assert.Equal(t, passquare.Outcome{Message: "Customer updated"}, res.Success)
	assert.Equal(t, passquare.Outcome{Message: "Card created"}, res.Card)
	assert.NotEmpty(t, res.CardNumber)
	res, err = e.client.UserCreateOrUpdate(ctx, passquare.CustomerUpdate{Phone: "+420777000111"})
	require.NoError(t, err, "a sentence with a negation is not a refusal")
	assert.Equal(t, passquare.Outcome{Message: "Card not created"}, res.Card)
	assert.False(t, res.SMSSent.OK)

	c, err := e.client.ReadCustomer(ctx, "+420777000111", passquare.ReadOptions{})
	require.NoError(t, err)
	assert.Equal(t, "3.5", c.Bonus.String())
	st, err := e.client.Status(ctx)
	require.NoError(t, err)
	assert.Equal(t, "1000", st.Balance.String())
}

func TestReadCustomer(t *testing.T) {
	e := newEnv(t, sandbox.Options{}, "expert")
	ctx := context.Background()
	require.NoError(t, e.sb.SeedCustomer(appKey, sandbox.Customer{Phone: "+420777000111", Name: "Ludmila", Surname: "Nováková",
		Email: "ludmila@example.cz", Birthday: "03.05.1980", Discount: *dec("4.5"), RemoteID: "6326",
		CardNumber: "120", CardTrack: "78374598987", Installed: true, InvitedBy: "+420000000000"}))
	require.NoError(t, e.sb.SeedCustomer(appKey, sandbox.Customer{Phone: "+420777000222", Name: "Jan", InvitedBy: "+420777000111"}))

	c, err := e.client.ReadCustomer(ctx, "+420777000111", passquare.ReadOptions{Invites: true, Installs: true})
	require.NoError(t, err)
	assert.Equal(t, "+420777000111", c.Phone)
	assert.Equal(t, "Ludmila", c.Name)
	assert.Equal(t, "Nováková", *c.Surname)
	assert.Equal(t, "ludmila@example.cz", *c.Email)
	assert.Equal(t, passquare.Date{Year: 1980, Month: 5, Day: 3}, *c.Birthday)
	assert.Equal(t, []string{"120"}, c.CardNumbers)
	assert.Equal(t, []passquare.CardTrack{{Card: "120", Track: "78374598987"}}, c.CardTracks)
	assert.Equal(t, []passquare.CardInstall{{Card: "120", Installed: true}}, c.CardInstalls)
	assert.Equal(t, "4.5", c.Discount.String())
	assert.Equal(t, "6326", *c.RemoteID)
	assert.Equal(t, "+420000000000", *c.InvitedBy)
	assert.Equal(t, []string{"+420777000222"}, c.Invites)

	// Without the options the optional parts are not asked for.
	c, err = e.client.ReadCustomer(ctx, "+420777000111", passquare.ReadOptions{})
	require.NoError(t, err)
	assert.Nil(t, c.CardInstalls)
	assert.Nil(t, c.Invites)
	assert.JSONEq(t, `{"app_key": "`+appKey+`", "phone": "+420777000111", "invites": false, "installs": false}`,
		string(e.sb.Calls()[1].Body))
}

// Every error class, its retryability, and that no error string carries
// the personal data sent.
func TestErrorClasses(t *testing.T) {
	ctx := context.Background()
	t.Run("401 wrong app_key", func(t *testing.T) {
		e := newEnv(t, sandbox.Options{}, "expert")
		_, err := client(e.url, "wrong").UserCreateOrUpdate(ctx, ludmila())
		ve := vendorErr(t, err)
		assert.Equal(t, http.StatusUnauthorized, ve.Status)
		assert.Equal(t, "invalid app_key", ve.Message)
		assert.False(t, ve.Retryable())
		assertNoPersonalData(t, err)
	})
	t.Run("401 missing app_key", func(t *testing.T) {
		e := newEnv(t, sandbox.Options{}, "expert")
		_, err := client(e.url, "").Status(ctx)
		assert.Equal(t, http.StatusUnauthorized, vendorErr(t, err).Status)
	})
	t.Run("400 with the vendor's message", func(t *testing.T) {
		e := newEnv(t, sandbox.Options{}, "expert")
		u := ludmila()
		u.Name = "" // a new customer needs a name
		_, err := e.client.UserCreateOrUpdate(ctx, u)
		ve := vendorErr(t, err)
		assert.Equal(t, http.StatusBadRequest, ve.Status)
		assert.Equal(t, "name is required to create a customer", ve.Message)
		assert.False(t, ve.Retryable())
		assertNoPersonalData(t, err)
	})
	t.Run("404 unknown customer", func(t *testing.T) {
		e := newEnv(t, sandbox.Options{}, "expert")
		_, err := e.client.ReadCustomer(ctx, "+420777000222", passquare.ReadOptions{})
		ve := vendorErr(t, err)
		assert.Equal(t, http.StatusNotFound, ve.Status)
		assert.Equal(t, "customer not found", ve.Message)
		assert.False(t, ve.Retryable())
		assertNoPersonalData(t, err)
	})
	t.Run("404 unknown campaign", func(t *testing.T) {
		e := newEnv(t, sandbox.Options{}, "expert")
		err := e.client.PushSend(ctx, "00000000-0000-0000-0000-000000000000")
		assert.Equal(t, http.StatusNotFound, vendorErr(t, err).Status)
	})
	t.Run("429 injected burst", func(t *testing.T) {
		e := newEnv(t, sandbox.Options{Faults: sandboxkit.Faults{Burst429Every: 1, Burst429Len: 1, RetryAfter: 7 * time.Second}}, "expert")
		_, err := e.client.UserCreateOrUpdate(ctx, ludmila())
		ve := vendorErr(t, err)
		assert.Equal(t, http.StatusTooManyRequests, ve.Status)
		assert.Equal(t, 7*time.Second, ve.RetryAfter)
		assert.True(t, ve.Retryable())
		assertNoPersonalData(t, err)
	})
	t.Run("500", func(t *testing.T) {
		e := newEnv(t, sandbox.Options{Faults: sandboxkit.Faults{ErrorRate: 1}}, "expert")
		_, err := e.client.UserCreateOrUpdate(ctx, ludmila())
		ve := vendorErr(t, err)
		assert.Equal(t, http.StatusInternalServerError, ve.Status)
		assert.True(t, ve.Retryable())
		assertNoPersonalData(t, err)
	})
	t.Run("dropped connection", func(t *testing.T) {
		e := newEnv(t, sandbox.Options{Faults: sandboxkit.Faults{DropRate: 1}}, "expert")
		_, err := e.client.ReadCustomer(ctx, "+420777000111", passquare.ReadOptions{})
		ve := vendorErr(t, err)
		assert.Equal(t, 0, ve.Status)
		assert.True(t, ve.Retryable())
		assertNoPersonalData(t, err)
	})
	t.Run("a push with a variable change is refused before sending", func(t *testing.T) {
		e := newEnv(t, sandbox.Options{}, "expert")
		for _, u := range []passquare.CustomerUpdate{
			{Phone: "+420777000111", Balance: dec("10"), Push: "You earned 10"},
			{Phone: "+420777000111", Bonus: dec("5"), Push: "x"},
			{Phone: "+420777000111", Variables: map[string]string{"level": "gold"}, Push: "x"},
		} {
			_, err := e.client.UserCreateOrUpdate(ctx, u)
			var fe *passquare.FieldError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, "push", fe.Field)
		}
		assert.Empty(t, e.sb.Calls())
	})
	t.Run("phone not E.164 is refused before sending", func(t *testing.T) {
		e := newEnv(t, sandbox.Options{}, "expert")
		u := ludmila()
		u.Phone = "420777000111"
		_, err := e.client.UserCreateOrUpdate(ctx, u)
		assert.ErrorIs(t, err, passquare.ErrInvalid)
		_, err2 := e.client.ReadCustomer(ctx, "0777 000 111", passquare.ReadOptions{})
		assert.ErrorIs(t, err2, passquare.ErrInvalid)
		assert.Empty(t, e.sb.Calls())
		for _, err := range []error{err, err2} {
			assert.NotContains(t, err.Error(), "420777000111")
			assert.NotContains(t, err.Error(), "0777 000 111")
		}
	})
}

// Passquare's own limits: one request per second and the plan's hourly quota.
func TestRateLimits(t *testing.T) {
	ctx := context.Background()
	t.Run("one per second", func(t *testing.T) {
		e := newEnv(t, sandbox.Options{}, "expert")
		e.clock.tick = 0
		_, err := e.client.Status(ctx)
		require.NoError(t, err)
		e.clock.Advance(400 * time.Millisecond)
		_, err = e.client.Status(ctx)
		ve := vendorErr(t, err)
		assert.Equal(t, http.StatusTooManyRequests, ve.Status)
		assert.Equal(t, time.Second, ve.RetryAfter) // 600 ms, rounded up to whole seconds
		assert.True(t, ve.Retryable())
		e.clock.Advance(600 * time.Millisecond)
		_, err = e.client.Status(ctx)
		require.NoError(t, err)
	})
	t.Run("hourly quota of the base plan", func(t *testing.T) {
		e := newEnv(t, sandbox.Options{}, "base")
		e.clock.tick = 0
		for i := range 60 {
			_, err := e.client.Status(ctx)
			require.NoError(t, err, "call %d", i+1)
			e.clock.Advance(time.Second)
		}
		_, err := e.client.Status(ctx)
		ve := vendorErr(t, err)
		assert.Equal(t, http.StatusTooManyRequests, ve.Status)
		assert.Equal(t, time.Hour-60*time.Second, ve.RetryAfter)
		e.clock.Advance(time.Hour - 60*time.Second)
		_, err = e.client.Status(ctx)
		require.NoError(t, err)
	})
	t.Run("quota overridden in options", func(t *testing.T) {
		e := newEnv(t, sandbox.Options{HourlyQuota: map[string]int{"base": 2}}, "base")
		for range 2 {
			_, err := e.client.Status(ctx)
			require.NoError(t, err)
		}
		_, err := e.client.Status(ctx)
		assert.Equal(t, http.StatusTooManyRequests, vendorErr(t, err).Status)
	})
}

// The client spaces its own calls so the one-per-second limit is not hit.
func TestClientSpacesCalls(t *testing.T) {
	e := newEnv(t, sandbox.Options{}, "expert")
	c := passquare.New(passquare.Options{AppKey: appKey, BaseURL: e.url, MinInterval: 80 * time.Millisecond})
	start := time.Now()
	for range 3 {
		_, err := c.Status(context.Background())
		require.NoError(t, err)
	}
	assert.GreaterOrEqual(t, time.Since(start), 160*time.Millisecond)

	// A context that cannot wait long enough fails without calling. The
	// interval is long so that no scheduling delay on a loaded machine can
	// use it up between the two calls.
	slow := passquare.New(passquare.Options{AppKey: appKey, BaseURL: e.url, MinInterval: time.Minute})
	_, err := slow.Status(context.Background())
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	_, err = slow.Status(ctx)
	require.Error(t, err)
	assert.Equal(t, 4, e.sb.Recorder().Count("", "/api/v2/status"))
}

func seed(t *testing.T, e *env, n int, installedEvery int) []string {
	t.Helper()
	var phones []string
	for i := range n {
		p := fmt.Sprintf("+42077710%04d", i)
		phones = append(phones, p)
		require.NoError(t, e.sb.SeedCustomer(appKey, sandbox.Customer{
			Phone: p, Name: "Guest", Installed: installedEvery > 0 && i%installedEvery == 0,
			RegisteredAt: time.Date(2026, 1, 1+i%28, 12, 0, 0, 0, time.UTC),
		}))
	}
	return phones
}

func TestAllCustomersPages(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name      string
		customers int
		calls     int
	}{
		{"none", 0, 1},
		{"one short page", 42, 1},
		{"not a multiple of the page", 250, 3},
		{"exact multiple ends on an empty page", 200, 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, sandbox.Options{}, "expert")
			phones := seed(t, e, tc.customers, 0)
			got, err := e.client.AllCustomers(ctx, passquare.CustomersQuery{})
			require.NoError(t, err)
			assert.Equal(t, phones, got)
			assert.Equal(t, tc.calls, e.sb.Recorder().Count(http.MethodPost, "/api/v2/crm/read_customers"))
		})
	}
}

func TestReadCustomersFilters(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, sandbox.Options{}, "expert")
	phones := seed(t, e, 56, 2) // every even one installed; days 1..28 twice
	yes, no := true, false

	got, err := e.client.AllCustomers(ctx, passquare.CustomersQuery{Installed: &yes})
	require.NoError(t, err)
	assert.Len(t, got, 28)
	got, err = e.client.AllCustomers(ctx, passquare.CustomersQuery{Installed: &no})
	require.NoError(t, err)
	assert.Len(t, got, 28)

	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(2026, 1, 2, 23, 59, 59, 0, time.UTC)
	got, err = e.client.ReadCustomers(ctx, passquare.CustomersQuery{Start: &start, End: &end})
	require.NoError(t, err)
	assert.Equal(t, []string{phones[0], phones[1], phones[28], phones[29]}, got)

	got, err = e.client.ReadCustomers(ctx, passquare.CustomersQuery{Offset: 50})
	require.NoError(t, err)
	assert.Equal(t, phones[50:], got)

	calls := e.sb.Calls()
	assert.JSONEq(t, `{"app_key": "`+appKey+`", "start_date": "01.01.2026 00:00:00", "end_date": "02.01.2026 23:59:59", "offset": 0}`,
		string(calls[2].Body))
	assert.JSONEq(t, `{"app_key": "`+appKey+`", "installed": true, "offset": 0}`, string(calls[0].Body))
}

// A vendor that ignores the offset would make a naive walker loop forever.
func TestAllCustomersStopsWhenOffsetIgnored(t *testing.T) {
	var calls int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		var list []string
		for i := range passquare.PageSize {
			list = append(list, fmt.Sprintf(`"+4207770%05d"`, i))
		}
		fmt.Fprintf(w, `{"customers": [%s]}`, strings.Join(list, ","))
	}))
	defer srv.Close()
	_, err := client(srv.URL, appKey).AllCustomers(context.Background(), passquare.CustomersQuery{})
	require.Error(t, err)
	assert.Equal(t, 2, calls)
}

func TestPushCampaign(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, sandbox.Options{}, "expert")
	seed(t, e, 3, 2) // customers 0 and 2 have installed cards

	camp, err := e.client.PushCreate(ctx, passquare.NewCampaign{Message: "Spa 20% off today"})
	require.NoError(t, err)
	assert.Equal(t, "Push#0001", camp.Name)
	assert.Len(t, camp.UUID, 36)
	assert.Equal(t, "Spa 20% off today", camp.Message)
	require.NoError(t, e.client.PushSend(ctx, camp.UUID))

	pushes := e.sb.Pushes()
	require.Len(t, pushes, 2)
	assert.Equal(t, sandbox.SentPush{AppKey: appKey, Phone: "+420777100000", Kind: "push", Text: "Spa 20% off today", Campaign: camp.UUID}, pushes[0])
	assert.Equal(t, []sandbox.Campaign{{AppKey: appKey, UUID: camp.UUID, Name: "Push#0001", Message: "Spa 20% off today", Type: "text", Sends: 1}},
		e.sb.Campaigns(appKey))

	calls := e.sb.Calls()
	assert.JSONEq(t, `{"app_key": "`+appKey+`", "message": "Spa 20% off today", "type": "text"}`, string(calls[0].Body))
	assert.JSONEq(t, `{"app_key": "`+appKey+`", "push_uuid": "`+camp.UUID+`"}`, string(calls[1].Body))

	_, err = e.client.PushCreate(ctx, passquare.NewCampaign{Message: "x", Type: "fax"})
	assert.ErrorIs(t, err, passquare.ErrInvalid)
}

// A backend that reports errors inside a 200 ({"success": false, ...} or
// {"error": ...}) must not read as an empty success: no status, no
// campaign, and above all no empty customer list.
func TestRefusalInsideA200(t *testing.T) {
	ctx := context.Background()
	for _, answer := range []string{
		`{"success": false, "error": "Invalid app_key"}`,
		`{"error": "Invalid app_key"}`,
	} {
		t.Run(answer, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				fmt.Fprint(w, answer)
			}))
			defer srv.Close()
			c := client(srv.URL, appKey)
			calls := map[string]func() error{
				"status":         func() error { _, err := c.Status(ctx); return err },
				"push/create":    func() error { _, err := c.PushCreate(ctx, passquare.NewCampaign{Message: "m"}); return err },
				"push/send":      func() error { return c.PushSend(ctx, "00000000-0000-0000-0000-000000000000") },
				"read_customers": func() error { _, err := c.ReadCustomers(ctx, passquare.CustomersQuery{}); return err },
				"all customers":  func() error { _, err := c.AllCustomers(ctx, passquare.CustomersQuery{}); return err },
				"user_create_or_update": func() error {
					_, err := c.UserCreateOrUpdate(ctx, passquare.CustomerUpdate{Phone: "+420777000111"})
					return err
				},
			}
			for name, call := range calls {
				ve := vendorErr(t, call())
				assert.Equal(t, http.StatusOK, ve.Status, name)
				assert.Equal(t, "Invalid app_key", ve.Message, name)
				assert.False(t, ve.Retryable(), name)
			}
		})
	}
}

// An answer in a form the document does not show fails the call, not to be
// retried (the same answer would come again), with the request id for
// Passquare's support and without the values it carried.
func TestUndocumentedAnswerIsAPermanentError(t *testing.T) {
	answers := map[string]string{
		"/status":                    `{"app": "account_name", "balance": "980,00"}`,
		"/crm/user_create_or_update": `{"success": 1, "card_number": "120"}`,
		"/crm/read_customer":         `{"customer": {"phone": "+420777000111", "name": "Ludmila", "balance": "1.234,50"}}`,
		"/crm/read_customers":        `{"customers": [{"phone": "+420777000111"}]}`,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "req-7")
		fmt.Fprint(w, answers[r.URL.Path])
	}))
	defer srv.Close()
	c := client(srv.URL, appKey)
	ctx := context.Background()
	calls := map[string]func() error{
		"status": func() error { _, err := c.Status(ctx); return err },
		"user_create_or_update": func() error {
			_, err := c.UserCreateOrUpdate(ctx, passquare.CustomerUpdate{Phone: "+420777000111"})
			return err
		},
		"read_customer":  func() error { _, err := c.ReadCustomer(ctx, "+420777000111", passquare.ReadOptions{}); return err },
		"read_customers": func() error { _, err := c.ReadCustomers(ctx, passquare.CustomersQuery{}); return err },
	}
	field := map[string]string{"status": "balance", "user_create_or_update": "success",
		"read_customer": "balance", "read_customers": "customers"}
	for name, call := range calls {
		err := call()
		var ae *vendorhttp.AnswerError
		require.ErrorAs(t, err, &ae, name)
		assert.Equal(t, "req-7", ae.RequestID, name)
		assert.Contains(t, ae.Reason, field[name], "the reason names the field")
		for _, v := range []string{"Ludmila", "420777000111", "980,00", "1.234,50"} {
			assert.NotContains(t, err.Error(), v, name)
		}
	}
}

// A 200 that carries its payload is a success even beside an empty or
// false error field.
func TestEmptyErrorFieldIsNoRefusal(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/status":
			fmt.Fprint(w, `{"app": "account_name", "balance": "980.00", "error": null}`)
		case "/crm/read_customers":
			fmt.Fprint(w, `{"customers": [], "error": ""}`)
		case "/crm/push/create":
			fmt.Fprint(w, `{"result": {"name": "Push#1", "uuid": "u-1", "message": "m"}, "error": false}`)
		}
	}))
	defer srv.Close()
	c := client(srv.URL, appKey)
	ctx := context.Background()
	st, err := c.Status(ctx)
	require.NoError(t, err)
	assert.Equal(t, "account_name", st.App)
	phones, err := c.ReadCustomers(ctx, passquare.CustomersQuery{})
	require.NoError(t, err)
	assert.Empty(t, phones)
	camp, err := c.PushCreate(ctx, passquare.NewCampaign{Message: "m"})
	require.NoError(t, err)
	assert.Equal(t, "u-1", camp.UUID)
}

// slowFirst delays the first request on its way out, as a new TLS
// connection does while later ones reuse it.
type slowFirst struct {
	delay time.Duration
	mu    sync.Mutex
	n     int
}

func (s *slowFirst) RoundTrip(r *http.Request) (*http.Response, error) {
	s.mu.Lock()
	s.n++
	first := s.n == 1
	s.mu.Unlock()
	if first {
		time.Sleep(s.delay)
	}
	return http.DefaultTransport.RoundTrip(r)
}

// Passquare counts requests when they arrive. Spacing the sends is not
// enough when the first one is slow on the way: the next is spaced from
// the end of the previous call, so they arrive at least the interval apart.
func TestClientSpacesArrivals(t *testing.T) {
	var mu sync.Mutex
	var arrivals []time.Time
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		arrivals = append(arrivals, time.Now())
		mu.Unlock()
		fmt.Fprint(w, `{"app": "a", "balance": "1"}`)
	}))
	defer srv.Close()
	const interval = 200 * time.Millisecond
	c := passquare.New(passquare.Options{AppKey: appKey, BaseURL: srv.URL, MinInterval: interval,
		HTTP: &http.Client{Transport: &slowFirst{delay: 150 * time.Millisecond}}})
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.Status(context.Background())
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	require.Len(t, arrivals, 3)
	for i := 1; i < len(arrivals); i++ {
		assert.GreaterOrEqual(t, arrivals[i].Sub(arrivals[i-1]), interval, "arrival %d", i)
	}
}
