package passquare

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func decp(s string) *decimal.Decimal { d := dec(s); return &d }

func strp(s string) *string { return &s }

func TestGoldenHookCreateCustomer(t *testing.T) {
	h, err := DecodeHook(fixture(t, "hook_create_customer.json"))
	require.NoError(t, err)
	assert.Equal(t, "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", h.CRMKey)
	assert.Equal(t, MethodCreateCustomer, h.Method)
	assert.True(t, h.KeyMatches("xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"))
	assert.False(t, h.KeyMatches("other"))

	c, err := h.CreateCustomer()
	require.NoError(t, err)
	require.NoError(t, c.Validate())
	want := CreateCustomer{
		Name: "Joe", Surname: "Master", Middlename: "Remaster", Email: "joe@passquare.com",
		Phone: "+420000000001", Birthday: &Date{1980, 1, 25},
		CardNumbers: []string{"120"}, CardTracks: []CardTrack{{Card: "120", Track: "7862374687"}},
		Extra:   Extra{Sex: "male", Promo: "BBBBB"},
		Balance: decp("300.00"), Bonus: decp("10.00"), Discount: decp("25.00"),
		Promo: "AAAAA", ReferCustomerPhone: "+420000000002",
	}
	assert.Equal(t, want, *c)

	// The wrong accessor for the method is refused.
	_, err = h.AddBalance()
	assert.ErrorIs(t, err, ErrInvalid)
}

func TestGoldenHookReadBalance(t *testing.T) {
	h, err := DecodeHook(fixture(t, "hook_read_balance.json"))
	require.NoError(t, err)
	assert.Equal(t, MethodReadBalance, h.Method)
	c, err := h.ReadBalance()
	require.NoError(t, err)
	require.NoError(t, c.Validate())
	assert.Equal(t, ReadBalance{Phone: "+420000000001", CardNumbers: []string{"120"}}, *c)
}

func TestGoldenHookAddBalance(t *testing.T) {
	h, err := DecodeHook(fixture(t, "hook_add_balance.json"))
	require.NoError(t, err)
	assert.Equal(t, MethodAddBalance, h.Method)
	c, err := h.AddBalance()
	require.NoError(t, err)
	require.NoError(t, c.Validate())
	assert.Equal(t, "+420000000001", c.Phone)
	assert.Equal(t, []string{"120"}, c.CardNumbers)
	assert.Equal(t, "50.00", amountString(c.Sum))
	assert.Equal(t, "id/guid", c.TransactionID)
	require.NotNil(t, c.Lifetime)
	assert.Equal(t, int64(86400), *c.Lifetime)
	d, ok := c.LifetimeDuration()
	assert.True(t, ok)
	assert.Equal(t, "24h0m0s", d.String())
}

// The responses we build must be exactly the documented samples.
func TestGoldenHookResponses(t *testing.T) {
	cases := []struct {
		file string
		v    any
	}{
		{"hook_create_customer_response.json", CreateCustomerResponse{CustomerID: "6d2845ff-0a07-11e7-25df-d8d18565926f"}},
		{"hook_read_balance_response.json", ReadBalanceResponse{Success: true, Bonus: dec("12.5"), Balance: dec("5"), Discount: dec("17.88")}},
		{"hook_add_balance_response.json", AddBalanceResponse{Success: true}},
		{"hook_error_response_success_false.json", HookErrorResponse{Error: "Detailed error description..."}},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			got, err := json.Marshal(tc.v)
			require.NoError(t, err)
			assert.JSONEq(t, string(fixture(t, tc.file)), string(got))
		})
	}
}

func TestGoldenStatusResponse(t *testing.T) {
	var s AccountStatus
	require.NoError(t, json.Unmarshal(fixture(t, "status_response.json"), &s))
	assert.Equal(t, "account_name", s.App)
	assert.Equal(t, "980.00", amountString(s.Balance))
}

func TestGoldenUserCreateOrUpdateResponse(t *testing.T) {
	var r UpdateResult
	require.NoError(t, json.Unmarshal(fixture(t, "user_create_or_update_response.json"), &r))
	// The doc's flags are sentences marked //bool: a sentence is kept and
	// read as neither yes nor no.
	assert.Equal(t, Outcome{Message: "message about customer creation"}, r.Success)
	assert.Equal(t, Outcome{Message: "message about SMS sending"}, r.SMSSent)
	assert.Equal(t, Outcome{Message: "message about card creation"}, r.Card)
	assert.Equal(t, "created card number", r.CardNumber)
	assert.Equal(t, "created card track", r.CardTrack)
	assert.Equal(t, "personalized link to Apple Wallet card", r.CardURL)
	assert.Equal(t, "personalized link to Google Pay card", r.CardGPayURL)
	assert.Equal(t, "personalized link to the form", r.FormURL)
	assert.Equal(t, "hash for form personalization", r.UserHash)
}

func TestGoldenReadCustomerResponse(t *testing.T) {
	var out struct {
		Customer Customer `json:"customer"`
	}
	require.NoError(t, json.Unmarshal(fixture(t, "read_customer_response.json"), &out))
	want := Customer{
		Phone: "+420000000001", Email: strp("joe@passquare.com"), Name: "Joe",
		Surname: strp("Master"), Middlename: strp("Remaster"), Birthday: &Date{1980, 11, 11},
		CardNumbers:  []string{"120"},
		CardTracks:   []CardTrack{{Card: "120", Track: "78374598987"}},
		CardInstalls: []CardInstall{{Card: "120", Installed: true}},
		Discount:     dec("4.5"), Bonus: dec("0"), Balance: dec("0"),
		RemoteID: strp("6326"), InvitedBy: strp("+420000000000"),
		Invites: []string{"+420000000011", "+420000000012"},
	}
	assert.Equal(t, want, out.Customer)
}

func TestGoldenReadCustomersResponse(t *testing.T) {
	var out struct {
		Customers []string `json:"customers"`
	}
	require.NoError(t, json.Unmarshal(fixture(t, "read_customers_response.json"), &out))
	assert.Equal(t, []string{"+420000000011", "+420000000012"}, out.Customers)
}

func TestGoldenPushCreateResponse(t *testing.T) {
	var out struct {
		Result Campaign `json:"result"`
	}
	require.NoError(t, json.Unmarshal(fixture(t, "push_create_response.json"), &out))
	assert.Equal(t, Campaign{Name: "Push#0000", UUID: "00000000-0000-0000-0000-000000000000", Message: "Test push!"}, out.Result)
}

// The bodies we send for the documented examples are the examples.
func TestGoldenUserCreateOrUpdateRequests(t *testing.T) {
	const key = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"
	cases := []struct {
		file string
		u    CustomerUpdate
	}{
		{"user_create_or_update_create_example.json", CustomerUpdate{
			Phone: "+420000000001", Email: "joe@passquare.com", Name: "Joe", Surname: "Master",
			Middlename: "Remaster", Birthday: &Date{1980, 11, 11},
			Discount: decp("0"), Bonus: decp("3.50"), Balance: decp("100"),
			Link: "https://form.passquare.com/00000000-0000-0000-0000-000000000000", SMS: "Your card: %link%",
		}},
		{"user_create_or_update_webpush_example.json", CustomerUpdate{Phone: "+420000000001", SendWebpush: "Your order is already in stock!"}},
		{"user_create_or_update_telegram_example.json", CustomerUpdate{Phone: "+420000000001", SendTelegram: "Your order is already in stock!"}},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			body, err := tc.u.body(key)
			require.NoError(t, err)
			got, err := json.Marshal(body)
			require.NoError(t, err)
			assert.JSONEq(t, string(fixture(t, tc.file)), string(got))
		})
	}

	// The doc's push example writes the phone without "+"; E.164 is required
	// in every method, so the client refuses it rather than guess.
	var push map[string]string
	require.NoError(t, json.Unmarshal(fixture(t, "user_create_or_update_push_example.json"), &push))
	_, err := CustomerUpdate{Phone: push["phone"], Push: push["push"]}.body(key)
	var fe *FieldError
	require.True(t, errors.As(err, &fe))
	assert.Equal(t, "phone", fe.Field)
	assert.NotContains(t, err.Error(), push["phone"])
}

// Every documented field of user_create_or_update can be sent under its
// documented name.
func TestUserCreateOrUpdateCoversDocumentedFields(t *testing.T) {
	var doc map[string]any
	require.NoError(t, json.Unmarshal(fixture(t, "user_create_or_update_fields.json"), &doc))
	u := CustomerUpdate{
		Phone: "+420000000001", Name: "n", Email: "e", Surname: "s", Middlename: "m",
		Birthday: &Date{1980, 1, 2}, Discount: decp("1"), Bonus: decp("2"), Balance: decp("3"),
		TemplateUUID: "t", CustomerID: "c", Link: "l", SMS: "x",
	}
	body, err := u.body("k")
	require.NoError(t, err)
	for k := range doc {
		assert.Contains(t, body, k)
	}
	assert.Len(t, body, len(doc))
}
