package hooks_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"

	"github.com/guestflow/guestflow/config"
	"github.com/guestflow/guestflow/hooks"
	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/rules"
	"github.com/guestflow/guestflow/vendors/passquare"
	passquaresandbox "github.com/guestflow/guestflow/vendors/passquare/sandbox"
)

// The three documented hooks, sent verbatim as the doc shows them, answer
// in the documented shapes; addBalance delivered twice credits once.
func TestDocumentedHooks(t *testing.T) {
	e := newEnv(t)
	phone, err := rules.NormalisePhone("+420000000001", "IT")
	if err != nil {
		phone = "+420000000001" // valid in form; kept as sent
	}
	key := rules.AccountKey(phone, []byte(accountSecret))

	w := e.hook(fixture(t, "hook_create_customer.json"))
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	created := decode(t, w)
	require.Len(t, created, 1, "the documented answer has customerId only")
	require.Equal(t, key, str(t, created, "customerId"))

	w = e.hook(fixture(t, "hook_read_balance.json"))
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	read := decode(t, w)
	require.JSONEq(t, "true", string(read["success"]))
	require.Equal(t, "300", str(t, read, "balance"), "the new account starts from what the card holds; amounts are decimal strings")
	require.Equal(t, "0", str(t, read, "bonus"))
	require.Equal(t, "0", str(t, read, "discount"))

	for range 2 { // Passquare delivered the same transaction twice
		w = e.hook(fixture(t, "hook_add_balance.json"))
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		require.JSONEq(t, fixture(t, "hook_add_balance_response.json"), w.Body.String())
	}
	require.Equal(t, "350", e.balance(guest{phone: "+420000000001", card: "120"}), "one credit for one transactionId")

	// lifetime 86400 reached the account as a day.
	adds := addBalanceUpdates(t, key)
	require.NotEmpty(t, adds)
	require.Equal(t, 24*time.Hour, adds[0].Lifetime)
	require.Equal(t, "id/guid", adds[0].TransactionID)
	require.Equal(t, "50", adds[0].Sum.String())
}

// addBalanceUpdates reads the add-balance updates the account accepted.
func addBalanceUpdates(t *testing.T, key string) []lifecycle.AddBalance {
	return acceptedUpdates[lifecycle.AddBalance](t, key, lifecycle.UpdateAddBalance)
}

// acceptedUpdates reads the updates of one name the account accepted,
// decoded with the payload codec, from its history.
func acceptedUpdates[T any](t *testing.T, key, name string) []T {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	it := temporalClient.GetWorkflowHistory(ctx, lifecycle.AccountWorkflowID(key), "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	var out []T
	for it.HasNext() {
		ev, err := it.Next()
		require.NoError(t, err)
		acc := ev.GetWorkflowExecutionUpdateAcceptedEventAttributes()
		if acc == nil || acc.GetAcceptedRequest().GetInput().GetName() != name {
			continue
		}
		var v T
		require.NoError(t, codec.DataConverter().FromPayloads(acc.GetAcceptedRequest().GetInput().GetArgs(), &v))
		out = append(out, v)
	}
	return out
}

// createCustomer carries what Passquare says the card holds (the doc's
// "balance": "300.00", "bonus": "10.00", "discount": "25.00"); the account
// is told, so one opened by the hook can start from it.
func TestCreateCustomerCarriesTheCardsAmounts(t *testing.T) {
	e := newEnv(t)
	g := newGuest()
	require.Equal(t, http.StatusOK, e.hook(g.createCustomer(t)).Code)
	installs := acceptedUpdates[lifecycle.InstallCard](t, g.key(), lifecycle.UpdateInstallCard)
	require.Len(t, installs, 1)
	in := installs[0]
	require.NotNil(t, in.Balance)
	require.NotNil(t, in.Bonus)
	require.NotNil(t, in.Discount)
	require.Equal(t, "300.00", in.Balance.StringFixed(2))
	require.Equal(t, "10.00", in.Bonus.StringFixed(2))
	require.Equal(t, "25.00", in.Discount.StringFixed(2))

	other := newGuest()
	body := strings.NewReplacer(`"balance": "300.00",`, "", `"bonus": "10.00",`, "", `"discount": "25.00",`, "").Replace(other.createCustomer(t))
	require.Equal(t, http.StatusOK, e.hook(body).Code)
	installs = acceptedUpdates[lifecycle.InstallCard](t, other.key(), lifecycle.UpdateInstallCard)
	require.Len(t, installs, 1)
	require.Nil(t, installs[0].Balance, "a field the hook left out is not a zero")
}

// E.164 is digits: a phone Passquare sends without the plus (as its own
// push example writes it) reaches the account the stay keyed.
func TestHookPhoneWithoutPlus(t *testing.T) {
	e := newEnv(t)
	g := newGuest()
	digits := strings.TrimPrefix(g.phone, "+")
	w := e.hook(strings.Replace(g.createCustomer(t), `"`+g.phone+`"`, `"`+digits+`"`, 1))
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.Equal(t, g.key(), str(t, decode(t, w), "customerId"))
	w = e.hook(strings.Replace(g.readBalance(t), `"`+g.phone+`"`, `"`+digits+`"`, 1))
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
}

func TestAddBalanceCreditsEachTransactionOnce(t *testing.T) {
	e := newEnv(t)
	g := newGuest()
	e.install(g)
	for _, tx := range []string{"tx-1", "tx-2", "tx-1", "tx-2", "tx-3"} {
		w := e.hook(g.addBalance(t, "10.50", tx))
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	}
	require.Equal(t, "31.5", e.balance(g))
	require.Len(t, addBalanceUpdates(t, g.key()), 3, "a repeated transactionId does not reach the account again")
}

// A transactionId sent again with another sum is refused with Passquare's
// error body and changes nothing; the same sum again, in any form, is a
// harmless repeat.
func TestAddBalanceRefusesATransactionIdWithAnotherSum(t *testing.T) {
	e := newEnv(t)
	g := newGuest()
	e.install(g)
	require.Equal(t, http.StatusOK, e.hook(g.addBalance(t, "10.50", "tx-1")).Code)
	for _, sum := range []string{"20.00", "10.51", "1"} {
		w := e.hook(g.addBalance(t, sum, "tx-1"))
		require.Equal(t, http.StatusBadRequest, w.Code, "sum %s: %s", sum, w.Body.String())
		require.JSONEq(t, `{"success": false, "error": "transactionId already used with another sum"}`, w.Body.String())
	}
	for _, sum := range []string{"10.50", "10.5"} {
		w := e.hook(g.addBalance(t, sum, "tx-1"))
		require.Equal(t, http.StatusOK, w.Code, "sum %s: %s", sum, w.Body.String())
	}
	require.Equal(t, "10.5", e.balance(g))
}

// The group's configured bounds replace the defaults: a hook at the bound is
// credited, one beyond it refused before the account is asked.
func TestAddBalanceConfiguredBounds(t *testing.T) {
	e := newEnv(t, func(o *hooks.Options) {
		o.Config.Loyalty.MaxHookSum.Decimal = decimal.RequireFromString("20.00")
		o.Config.Loyalty.MaxHookLifetime.Duration = time.Hour
	})
	g := newGuest()
	e.install(g)
	withLifetime := func(sum, tx, secs string) string {
		return strings.Replace(g.addBalance(t, sum, tx), "86400", secs, 1)
	}
	require.Equal(t, http.StatusOK, e.hook(withLifetime("20.00", "tx-at-bound", "3600")).Code)
	for body, want := range map[string]string{
		withLifetime("20.01", "tx-sum", "3600"):                 "sum: must be at most 20.00",
		withLifetime("0.001", "tx-tiny", "3600"):                "sum: must have at most two decimals",
		withLifetime("5", "tx-lifetime", "3601"):                "lifetime: must be at most 3600 seconds",
		withLifetime("5", "tx-overflow", "9223372036854775807"): "lifetime: must be at most 3600 seconds",
	} {
		w := e.hook(body)
		require.Equal(t, http.StatusBadRequest, w.Code, w.Body.String())
		require.JSONEq(t, `{"success": false, "error": `+quote(want)+`}`, w.Body.String())
	}
	require.Equal(t, "20", e.balance(g))
}

func TestCreateCustomerAgainKeepsOneAccount(t *testing.T) {
	e := newEnv(t)
	g := newGuest()
	e.install(g)
	e.install(g) // Passquare repeated the hook
	second := g
	second.card, second.track = g.card+"9", g.track+"9"
	e.install(second) // a second card for the same phone
	w := e.hook(second.readBalance(t))
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	w = e.hook(g.readBalance(t))
	require.Equal(t, http.StatusOK, w.Code, "the first card still belongs to the account")
}

// A phone Passquare sends in national form is refused (the doc requires
// E.164); the same guest in E.164 form reaches the account the stay keyed.
func TestCreateCustomerKeysByNormalisedPhone(t *testing.T) {
	e := newEnv(t)
	g := newGuest()
	body := strings.Replace(g.createCustomer(t), `"`+g.phone+`"`, `"`+strings.TrimPrefix(g.phone, "+39")+`"`, 1)
	w := e.hook(body)
	require.Equal(t, http.StatusBadRequest, w.Code)
	require.NotContains(t, w.Body.String(), strings.TrimPrefix(g.phone, "+39"))
	e.install(g)
}

func TestUnknownCustomer(t *testing.T) {
	e := newEnv(t)
	stranger := newGuest()
	g := newGuest()
	e.install(g)
	otherCard := g
	otherCard.card = "999" + g.card

	for name, body := range map[string]string{
		"readBalance of a phone without account":  stranger.readBalance(t),
		"addBalance of a phone without account":   stranger.addBalance(t, "5", "tx-stranger"),
		"readBalance of a card not the account's": otherCard.readBalance(t),
		"addBalance of a card not the account's":  otherCard.addBalance(t, "5", "tx-other-card"),
	} {
		t.Run(name, func(t *testing.T) {
			w := e.hook(body)
			require.Equal(t, http.StatusBadRequest, w.Code)
			require.JSONEq(t, `{"success": false, "error": "unknown customer"}`, w.Body.String())
		})
	}
	require.Equal(t, "0", e.balance(g), "nothing was credited")
	_, err := temporalClient.DescribeWorkflowExecution(context.Background(), lifecycle.AccountWorkflowID(stranger.key()), "")
	require.Error(t, err, "addBalance for an unknown customer opened no account")
}

func TestMalformedHooks(t *testing.T) {
	e := newEnv(t)
	g := newGuest()
	doc := func(name string) string { return fixture(t, name) }
	tests := []struct {
		name   string
		body   string
		status int
		error  string // the answer's error, exactly
	}{
		{"not JSON", `crm_key=` + crmKey + `&method=readBalance`, 400, "body: not a JSON object"},
		{"empty body", ``, 400, "body: not a JSON object"},
		{"JSON array", `[{"crm_key": "` + crmKey + `"}]`, 400, "body: not a JSON object"},
		{"truncated", doc("hook_create_customer.json")[:200], 400, "body: not a JSON object"},
		{"unknown method", strings.Replace(doc("hook_read_balance.json"), "readBalance", "deleteCustomer", 1), 400, "unknown method"},
		{"missing method", strings.Replace(doc("hook_read_balance.json"), `"method": "readBalance",`, "", 1), 400, "method: required"},
		{"method of another type", strings.Replace(doc("hook_read_balance.json"), `"readBalance"`, `42`, 1), 400, "body: not a JSON object"},
		{"missing customer", `{"crm_key": "` + crmKey + `", "method": "readBalance"}`, 400, "customer: required as an object"},
		{"customer is a string", `{"crm_key": "` + crmKey + `", "method": "readBalance", "customer": "+420000000001"}`, 400, "customer: required as an object"},
		{"customer null", `{"crm_key": "` + crmKey + `", "method": "addBalance", "customer": null}`, 400, "customer: required as an object"},
		{"createCustomer without phone", strings.Replace(g.createCustomer(t), `"phone": "`+g.phone+`",`, "", 1), 400, "phone: required"},
		{"createCustomer with a national phone", strings.Replace(g.createCustomer(t), g.phone, "3471234567", 1), 400, "phone: not a possible number for its country code"},
		{"createCustomer with a national phone with its 0", strings.Replace(g.createCustomer(t), g.phone, "0612345678", 1), 400, "phone: not in E.164 form (+ and up to 15 digits)"},
		{"createCustomer with a balance in another form", strings.Replace(g.createCustomer(t), `"300.00"`, `"300,00"`, 1), 400, "balance: cannot be read"},
		{"createCustomer without cards", strings.Replace(g.createCustomer(t), `"cardNumbers": ["`+g.card+`"],`, "", 1), 400, "cardNumbers: required"},
		{"createCustomer with a bad birthday", strings.Replace(g.createCustomer(t), "1980-01-25", "25th of January", 1), 400, "birthday: cannot be read"},
		{"createCustomer with cardNumbers an object", strings.Replace(g.createCustomer(t), `["`+g.card+`"]`, `{"a": 1}`, 1), 400, "customer: not a createCustomer customer object"},
		{"readBalance without cardNumbers", strings.Replace(g.readBalance(t), `,
    "cardNumbers": ["`+g.card+`"]`, "", 1), 400, "cardNumbers: required"},
		{"addBalance negative sum", g.addBalance(t, "-5.00", "tx-neg"), 400, "sum: must be positive"},
		{"addBalance sum not a number", g.addBalance(t, "fifty", "tx-nan"), 400, "sum: cannot be read"},
		{"addBalance without transactionId", g.addBalance(t, "5", ""), 400, "transactionId: required"},
		{"addBalance with a lifetime of words", strings.Replace(g.addBalance(t, "5", "tx-l"), "86400", `"a day"`, 1), 400, "lifetime: cannot be read"},
		{"addBalance with a negative lifetime", strings.Replace(g.addBalance(t, "5", "tx-l"), "86400", `-1`, 1), 400, "lifetime: must be a positive number of seconds"},
		{"addBalance sum 1e400", strings.Replace(g.addBalance(t, "X", "tx-e400"), `"X"`, `1e400`, 1), 400, "sum: cannot be read"},
		{"addBalance sum 1e-24", strings.Replace(g.addBalance(t, "X", "tx-e-24"), `"X"`, `1e-24`, 1), 400, "sum: cannot be read"},
		{"addBalance sum of 401 digits", g.addBalance(t, "1"+strings.Repeat("0", 400), "tx-401"), 400, "sum: must be at most 1000.00"},
		{"addBalance sum of 60,000 digits", g.addBalance(t, strings.Repeat("9", 60000), "tx-60k"), 400, "sum: must be at most 1000.00"},
		{"addBalance sum above the bound", g.addBalance(t, "1000.01", "tx-big"), 400, "sum: must be at most 1000.00"},
		{"addBalance sum of 10^-24", g.addBalance(t, "0.000000000000000000000001", "tx-tiny"), 400, "sum: must have at most two decimals"},
		{"addBalance sum with three decimals", g.addBalance(t, "10.005", "tx-3d"), 400, "sum: must have at most two decimals"},
		{"addBalance lifetime overflowing a Duration", strings.Replace(g.addBalance(t, "5", "tx-l"), "86400", `18446744074`, 1), 400, "lifetime: must be at most 31536000 seconds"},
		{"addBalance lifetime above the bound", strings.Replace(g.addBalance(t, "5", "tx-l"), "86400", `31536001`, 1), 400, "lifetime: must be at most 31536000 seconds"},
		{"oversize", `{"crm_key": "` + crmKey + `", "method": "readBalance", "customer": {"phone": "` + g.phone + `", "cardNumbers": ["` + strings.Repeat("1", hooks.DefaultMaxBody) + `"]}}`, 413, "request body too large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := e.do(request{body: tt.body, remote: passquareIP + ":1", user: ptr(""), password: ptr(crmKey)})
			require.Equal(t, tt.status, w.Code, w.Body.String())
			require.JSONEq(t, `{"success": false, "error": `+quote(tt.error)+`}`, w.Body.String())
			require.NotContains(t, w.Body.String(), g.phone, "no personal data in the answer")
		})
	}
	require.NotContains(t, e.logs.String(), g.phone, "no personal data in the log")
}

func quote(s string) string { b, _ := json.Marshal(s); return string(b) }

func TestWrongHTTPMethodAndPath(t *testing.T) {
	e := newEnv(t)
	require.Equal(t, http.StatusMethodNotAllowed, e.do(request{method: http.MethodGet, remote: passquareIP + ":1"}).Code)
	require.Equal(t, http.StatusNotFound, e.do(request{path: "/passquare/other", body: "{}"}).Code)
}

// The Passquare sandbox plays Passquare end to end: it sends the hooks
// over HTTP with Basic authentication and the organization headers, and
// reads the answers as Passquare does.
func TestPassquareSandboxCallsTheWebhook(t *testing.T) {
	e := newEnv(t, func(o *hooks.Options) {
		o.Config.Webhook.CRMKey = ""
		o.Config.Webhook.BasicUser, o.Config.Webhook.BasicPassword = "passquare", "basic-password"
		o.Config.Webhook.OrganizationID, o.Config.Webhook.ProgramID, o.Config.Webhook.WalletID = "org-7", "prog-3", "wallet-1"
	})
	hook := httptest.NewServer(e.h)
	defer hook.Close()
	sb := passquaresandbox.New(passquaresandbox.Options{
		Accounts:  []passquaresandbox.AccountConfig{{AppKey: "e2e-app-key", Plan: "exclusive"}},
		PerSecond: 100,
		HookURL:   hook.URL + config.DefaultWebhookPath, HookUser: "passquare", HookPassword: "basic-password",
		HookHeaders: map[string]string{"X-organization-id": "org-7", "X-program-id": "prog-3", "X-wallet-id": "wallet-1"},
	})
	sbServer := httptest.NewServer(sb)
	defer sbServer.Close()
	g := newGuest()
	client := passquare.New(passquare.Options{AppKey: "e2e-app-key", BaseURL: sbServer.URL + "/api/v2", MinInterval: -1})
	ctx := context.Background()
	_, err := client.UserCreateOrUpdate(ctx, passquare.CustomerUpdate{Phone: g.phone, Name: "Anna"})
	require.NoError(t, err)

	installed, err := sb.InstallCard(ctx, g.phone)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, installed.Status, string(installed.Body))
	require.Equal(t, g.key(), installed.CustomerID)

	customer, err := client.ReadCustomer(ctx, g.phone, passquare.ReadOptions{})
	require.NoError(t, err)
	card := customer.CardNumbers[0]
	added, err := sb.AddBalance(ctx, g.phone, card, "12.50", "e2e-tx-1", ptr(3600))
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, added.Status, string(added.Body))
	require.True(t, *added.Success)

	read, err := sb.ReadBalance(ctx, g.phone, card)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, read.Status, string(read.Body))
	require.Equal(t, "12.5", read.Balance.String())
}

// Other readings of the documented hooks, as an independent Passquare may
// send them: lifetime always written (0 or null for none), amounts and ids
// as JSON numbers, a birthday with a time, a content type other than JSON.
func TestHookFormsOfOtherSenders(t *testing.T) {
	e := newEnv(t)
	g := newGuest()
	create := strings.Replace(g.createCustomer(t), `"1980-01-25"`, `"1980-01-25 00:00:00"`, 1)
	w := e.do(request{body: create, remote: passquareIP + ":1", header: map[string]string{"Content-Type": "text/plain; charset=utf-8"}})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.Equal(t, g.key(), str(t, decode(t, w), "customerId"))

	for i, lifetime := range []string{`0`, `null`, `"0"`} {
		tx := fmt.Sprintf("tx-none-%d", i)
		body := strings.Replace(g.addBalance(t, "5", tx), "86400", lifetime, 1)
		w := e.hook(body)
		require.Equal(t, http.StatusOK, w.Code, "lifetime %s: %s", lifetime, w.Body.String())
		require.JSONEq(t, `{"success": true}`, w.Body.String())
	}
	numeric := strings.NewReplacer(`"5.25"`, `5.25`, `"tx-num"`, `778`, `["`+g.card+`"]`, `[`+g.card+`]`).
		Replace(g.addBalance(t, "5.25", "tx-num"))
	w = e.hook(numeric)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.Equal(t, "320.25", e.balance(g), "the card's 300.00 the install opened the account with, and three hooks")
	for _, add := range addBalanceUpdates(t, g.key()) {
		if add.TransactionID != "778" {
			require.Zero(t, add.Lifetime, "lifetime 0 or null never burns")
		}
	}
}

// The sandbox in the doc's crm_key setting (the key as a password, login
// blank) reaches the webhook configured with that crm_key.
func TestPassquareSandboxWithCRMKeySetting(t *testing.T) {
	e := newEnv(t)
	hook := httptest.NewServer(e.h)
	defer hook.Close()
	sb := passquaresandbox.New(passquaresandbox.Options{
		Accounts:  []passquaresandbox.AccountConfig{{AppKey: "crm-mode-app-key", Plan: "exclusive"}},
		PerSecond: 100, HookURL: hook.URL + config.DefaultWebhookPath, HookPassword: crmKey,
	})
	sbServer := httptest.NewServer(sb)
	defer sbServer.Close()
	g := newGuest()
	client := passquare.New(passquare.Options{AppKey: "crm-mode-app-key", BaseURL: sbServer.URL + "/api/v2", MinInterval: -1})
	_, err := client.UserCreateOrUpdate(context.Background(), passquare.CustomerUpdate{Phone: g.phone, Name: "Anna"})
	require.NoError(t, err)
	installed, err := sb.InstallCard(context.Background(), g.phone)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, installed.Status, string(installed.Body))
	require.Equal(t, g.key(), installed.CustomerID)
}
