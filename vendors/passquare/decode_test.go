package passquare

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The flags are documented as bool: true and false are verdicts, a
// sentence (the example's form) is kept and says neither yes nor no, and
// any other JSON type is an undocumented answer.
func TestOutcomeForms(t *testing.T) {
	cases := []struct {
		in   string
		want Outcome
	}{
		{`true`, Outcome{Said: true, OK: true}},
		{`false`, Outcome{Said: true}},
		{`null`, Outcome{}},
		{`"Customer created"`, Outcome{Message: "Customer created"}},
		{`"SMS not sent"`, Outcome{Message: "SMS not sent"}},
		{`"true"`, Outcome{Message: "true"}},
		{`""`, Outcome{}},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			var o Outcome
			require.NoError(t, json.Unmarshal([]byte(tc.in), &o))
			assert.Equal(t, tc.want, o)
			assert.Equal(t, tc.in == `false`, o.Refused())
		})
	}
	for _, bad := range []string{`1`, `0`, `{}`, `[]`} {
		var o Outcome
		assert.Error(t, json.Unmarshal([]byte(bad), &o), bad)
	}
}

// Amounts are read in the document's forms only: a decimal string or a
// JSON number, in the Plain form rules.ParseAmount reads.
func TestAmountForms(t *testing.T) {
	cases := []struct {
		in   string
		want string // "" means unset
		bad  bool
	}{
		{`"12.5"`, "12.5", false},
		{`12.5`, "12.5", false},
		{`"300.00"`, "300.00", false},
		{`5`, "5", false},
		{`null`, "", false},
		{`"17,88"`, "", true},
		{`"1,234.50"`, "", true},
		{`" 5"`, "", true},
		{`1e3`, "", true},
		{`""`, "", true},
		{`"abc"`, "", true},
		{`true`, "", true},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			var a flexAmount
			require.NoError(t, json.Unmarshal([]byte(tc.in), &a))
			assert.Equal(t, tc.bad, a.bad)
			if tc.want == "" {
				assert.Nil(t, a.ptr())
			} else {
				assert.Equal(t, tc.want, amountString(*a.ptr()))
			}
		})
	}
}

// Only the document's failure form, {"error": ...}, is read for the
// message; the request id comes from the usual places.
func TestDecodeErrorShapes(t *testing.T) {
	cases := []struct {
		name, body, want, wantID string
		header                   http.Header
	}{
		{"error string", `{"error": "Invalid app_key"}`, "Invalid app_key", "", nil},
		{"success false and error", `{"success": false, "error": "phone is required"}`, "phone is required", "", nil},
		{"message is not the documented field", `{"message": "Customer not found"}`, "", "", nil},
		{"error bool and message", `{"error": true, "message": "limit"}`, "", "", nil},
		{"request id header", `{"error": "x"}`, "x", "abc-1", http.Header{"X-Request-Id": {"abc-1"}}},
		{"request id body", `{"error": "x", "request_id": "r-9"}`, "x", "r-9", nil},
		{"plain text", `Too Many Requests`, "Too Many Requests", "", nil},
		{"html", `<html>502</html>`, "", "", nil},
		{"empty", ``, "", "", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			msg, id := DecodeError([]byte(tc.body), tc.header)
			assert.Equal(t, tc.want, msg)
			assert.Equal(t, tc.wantID, id)
		})
	}
}

func TestDateForms(t *testing.T) {
	for _, in := range []string{"11.11.1980", "1980-11-11"} {
		d, err := ParseDate(in)
		require.NoError(t, err, in)
		assert.Equal(t, Date{1980, 11, 11}, d)
	}
	d, err := ParseDate("3.5.1980")
	require.NoError(t, err)
	assert.Equal(t, "03.05.1980", d.String())
	assert.Equal(t, "1980-05-03", d.ISO())
	for _, bad := range []string{"31.02.1980", "1980/11/11", "11-11-1980", ""} {
		_, err := ParseDate(bad)
		assert.Error(t, err, bad)
		if bad != "" {
			assert.NotContains(t, err.Error(), bad)
		}
	}
}

// Shapes a looser Passquare might send for a customer still decode.
func TestCustomerLooseShapes(t *testing.T) {
	var c Customer
	require.NoError(t, json.Unmarshal([]byte(`{
		"phone": "+420000000001", "name": "Joe", "birthday": "",
		"cardNumbers": [120], "cardTracks": [{"card": 120, "track": 7862374687}],
		"cardInstalls": [{"card": "120", "install": true}],
		"discount": 4.5, "bonus": null, "balance": "10", "remoteId": 6326, "extra_field": {"x": 1}
	}`), &c))
	assert.Equal(t, []string{"120"}, c.CardNumbers)
	assert.Equal(t, []CardTrack{{Card: "120", Track: "7862374687"}}, c.CardTracks)
	assert.Equal(t, []CardInstall{{Card: "120", Installed: true}}, c.CardInstalls)
	assert.Nil(t, c.Birthday)
	assert.Nil(t, c.Email)
	assert.Equal(t, "4.5", c.Discount.String())
	assert.True(t, c.Bonus.IsZero())
	require.NotNil(t, c.RemoteID)
	assert.Equal(t, "6326", *c.RemoteID)
}

func TestHookValidateNamesFieldNotValue(t *testing.T) {
	const phone = "+420777123456"
	cases := []struct {
		name, method, customer, field string
	}{
		{"create in national form", MethodCreateCustomer, `{"phone": "0777123456", "cardNumbers": ["1"]}`, "phone"},
		{"create with digits that are no possible number", MethodCreateCustomer, `{"phone": "3471234567", "cardNumbers": ["1"]}`, "phone"},
		{"create without cards", MethodCreateCustomer, `{"phone": "` + phone + `", "cardNumbers": []}`, "cardNumbers"},
		{"create bad birthday", MethodCreateCustomer, `{"phone": "` + phone + `", "cardNumbers": ["1"], "birthday": "25/01/1980"}`, "birthday"},
		{"create bad balance", MethodCreateCustomer, `{"phone": "` + phone + `", "cardNumbers": ["1"], "balance": "lots"}`, "balance"},
		{"create bad referrer", MethodCreateCustomer, `{"phone": "` + phone + `", "cardNumbers": ["1"], "referCustomerPhone": "0777"}`, "referCustomerPhone"},
		{"read without phone", MethodReadBalance, `{"cardNumbers": ["1"]}`, "phone"},
		{"read without card", MethodReadBalance, `{"phone": "` + phone + `"}`, "cardNumbers"},
		{"add without sum", MethodAddBalance, `{"phone": "` + phone + `", "cardNumbers": ["1"], "transactionId": "t"}`, "sum"},
		{"add negative sum", MethodAddBalance, `{"phone": "` + phone + `", "cardNumbers": ["1"], "sum": "-5", "transactionId": "t"}`, "sum"},
		{"add bad sum", MethodAddBalance, `{"phone": "` + phone + `", "cardNumbers": ["1"], "sum": "fifty", "transactionId": "t"}`, "sum"},
		{"add without transaction", MethodAddBalance, `{"phone": "` + phone + `", "cardNumbers": ["1"], "sum": "5"}`, "transactionId"},
		{"add bad lifetime", MethodAddBalance, `{"phone": "` + phone + `", "cardNumbers": ["1"], "sum": "5", "transactionId": "t", "lifetime": "soon"}`, "lifetime"},
		{"add negative lifetime", MethodAddBalance, `{"phone": "` + phone + `", "cardNumbers": ["1"], "sum": "5", "transactionId": "t", "lifetime": -60}`, "lifetime"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h, err := DecodeHook([]byte(`{"crm_key": "k", "method": "` + tc.method + `", "customer": ` + tc.customer + `}`))
			require.NoError(t, err)
			var verr error
			switch tc.method {
			case MethodCreateCustomer:
				c, err := h.CreateCustomer()
				require.NoError(t, err)
				verr = c.Validate()
			case MethodReadBalance:
				c, err := h.ReadBalance()
				require.NoError(t, err)
				verr = c.Validate()
			case MethodAddBalance:
				c, err := h.AddBalance()
				require.NoError(t, err)
				verr = c.Validate()
			}
			var fe *FieldError
			require.ErrorAs(t, verr, &fe)
			assert.Equal(t, tc.field, fe.Field)
			assert.ErrorIs(t, verr, ErrInvalid)
			for _, v := range []string{phone, "420777123456", "3471234567", "25/01/1980", "lots", "fifty", "0777", "soon"} {
				assert.NotContains(t, verr.Error(), v)
			}
		})
	}
}

// E.164 is digits; the document's own example writes them without the plus.
// A phone sent that way is read as E.164 in every hook.
func TestHookPhoneDigitsWithoutPlus(t *testing.T) {
	h, err := DecodeHook([]byte(`{"method": "createCustomer", "customer": {"phone": "420000000001", "cardNumbers": ["120"],
		"referCustomerPhone": "420000000002"}}`))
	require.NoError(t, err)
	c, err := h.CreateCustomer()
	require.NoError(t, err)
	require.NoError(t, c.Validate())
	assert.Equal(t, "+420000000001", c.Phone)
	assert.Equal(t, "+420000000002", c.ReferCustomerPhone)

	h, err = DecodeHook([]byte(`{"method": "readBalance", "customer": {"phone": "420000000001", "cardNumbers": ["120"]}}`))
	require.NoError(t, err)
	r, err := h.ReadBalance()
	require.NoError(t, err)
	require.NoError(t, r.Validate())
	assert.Equal(t, "+420000000001", r.Phone)

	h, err = DecodeHook([]byte(`{"method": "addBalance", "customer": {"phone": "420000000001", "cardNumbers": ["120"], "sum": "5", "transactionId": "t"}}`))
	require.NoError(t, err)
	a, err := h.AddBalance()
	require.NoError(t, err)
	require.NoError(t, a.Validate())
	assert.Equal(t, "+420000000001", a.Phone)
}

func TestHookLooseForms(t *testing.T) {
	h, err := DecodeHook([]byte(`{"crm_key": "k", "method": "addBalance", "customer": {
		"phone": "+420000000001", "cardNumbers": 120, "sum": 50, "transactionId": 778, "lifetime": "3600"}}`))
	require.NoError(t, err)
	a, err := h.AddBalance()
	require.NoError(t, err)
	require.NoError(t, a.Validate())
	assert.Equal(t, []string{"120"}, a.CardNumbers)
	assert.Equal(t, "778", a.TransactionID)
	assert.Equal(t, int64(3600), *a.Lifetime)

	h, err = DecodeHook([]byte(`{"method": "createCustomer", "customer": {"phone": "+420000000001", "cardNumbers": ["1"], "extra": [], "birthday": null}}`))
	require.NoError(t, err)
	c, err := h.CreateCustomer()
	require.NoError(t, err)
	require.NoError(t, c.Validate())
	assert.Nil(t, c.Birthday)

	h, err = DecodeHook([]byte(`{"method": "createCustomer", "customer": {"phone": "+420000000001", "cardNumbers": ["1"], "extra": {"sex": "female", "city": "Rome"}}}`))
	require.NoError(t, err)
	c, err = h.CreateCustomer()
	require.NoError(t, err)
	assert.Equal(t, "female", c.Extra.Sex)
	assert.JSONEq(t, `"Rome"`, string(c.Extra.Other["city"]))

	for _, bad := range []string{`not json`, `{"customer": {}}`, `{"method": "readBalance"}`, `{"method": "readBalance", "customer": []}`} {
		_, err := DecodeHook([]byte(bad))
		assert.ErrorIs(t, err, ErrInvalid, bad)
	}
}

// A createCustomer we encode (as tools playing Passquare do) decodes back.
func TestCreateCustomerRoundTrip(t *testing.T) {
	h, err := DecodeHook(fixture(t, "hook_create_customer.json"))
	require.NoError(t, err)
	c, err := h.CreateCustomer()
	require.NoError(t, err)
	raw, err := json.Marshal(c)
	require.NoError(t, err)
	var orig map[string]any
	require.NoError(t, json.Unmarshal(fixture(t, "hook_create_customer.json"), &orig))
	origCustomer, _ := json.Marshal(orig["customer"])
	assert.JSONEq(t, string(origCustomer), string(raw))
}

// A sender that always writes the optional lifetime (a Go int without
// omitempty, PHP's ?? 0) sends 0 or null for "no lifetime": the bonus is
// granted and never burns.
func TestAddBalanceLifetimeZeroMeansNone(t *testing.T) {
	for _, lt := range []string{`0`, `"0"`, `null`, `0.0`} {
		t.Run(lt, func(t *testing.T) {
			h, err := DecodeHook([]byte(`{"method": "addBalance", "customer": {"phone": "+420000000001",
				"cardNumbers": ["120"], "sum": "50.00", "transactionId": "t-1", "lifetime": ` + lt + `}}`))
			require.NoError(t, err)
			a, err := h.AddBalance()
			require.NoError(t, err)
			require.NoError(t, a.Validate())
			_, burns := a.LifetimeDuration()
			assert.False(t, burns)
		})
	}
}

// A lifetime in seconds too long for a time.Duration never wraps around to a
// short one (18446744074 s times 10^9 overflowed to 0.29 s); CheckBounds
// refuses it, and sums beyond the bound or finer than cents.
func TestAddBalanceBoundsNeverOverflow(t *testing.T) {
	add := func(sum, lifetime string) *AddBalance {
		h, err := DecodeHook([]byte(`{"method": "addBalance", "customer": {"phone": "+420000000001",
			"cardNumbers": ["120"], "sum": "` + sum + `", "transactionId": "t-1", "lifetime": ` + lifetime + `}}`))
		require.NoError(t, err)
		a, err := h.AddBalance()
		require.NoError(t, err)
		require.NoError(t, a.Validate())
		return a
	}
	for _, lt := range []string{"18446744074", "9223372036854775807", "9223372037"} {
		d, burns := add("5", lt).LifetimeDuration()
		assert.True(t, burns && d >= 9223372036*time.Second, "lifetime %s became %s", lt, d)
	}
	maxSum := decimal.RequireFromString("1000")
	for sum, lt := range map[string]string{"5": "18446744074", "1000.01": "1", "0.001": "1", "0.000000000000000000000001": "1"} {
		assert.Error(t, add(sum, lt).CheckBounds(maxSum, 24*time.Hour), "sum %s, lifetime %s", sum, lt)
	}
	assert.NoError(t, add("1000.00", "86400").CheckBounds(maxSum, 24*time.Hour))
}

// Dates as a database or another language's default formatter writes them:
// with a midnight time, or MySQL's zero date for "unknown".
func TestDateLooseForms(t *testing.T) {
	for _, in := range []string{"1980-11-11 00:00:00", "1980-11-11T00:00:00Z", "1980-11-11T00:00:00+01:00", "11.11.1980 00:00:00", "1980-11-11T00:00:00.000000Z"} {
		d, err := ParseDate(in)
		require.NoError(t, err, in)
		assert.Equal(t, Date{1980, 11, 11}, d, in)
	}
	for _, zero := range []string{`"0000-00-00"`, `"00.00.0000"`, `"0000-00-00 00:00:00"`} {
		var d Date
		require.NoError(t, json.Unmarshal([]byte(zero), &d), zero)
		assert.True(t, d.IsZero(), zero)
	}
}

// read_customer's birthday is of no use to guestflow's retry logic: one that
// cannot be read must not make the whole customer unreadable.
func TestCustomerUnreadableBirthday(t *testing.T) {
	for _, b := range []string{`"0000-00-00"`, `"1980-11-11 00:00:00"`, `"unknown"`, `0`} {
		t.Run(b, func(t *testing.T) {
			var c Customer
			require.NoError(t, json.Unmarshal([]byte(`{"phone": "+420000000001", "name": "Joe", "birthday": `+b+`,
				"cardNumbers": ["120"], "remoteId": "acct-1"}`), &c))
			assert.Equal(t, []string{"120"}, c.CardNumbers)
			if b == `"1980-11-11 00:00:00"` {
				require.NotNil(t, c.Birthday)
				assert.Equal(t, Date{1980, 11, 11}, *c.Birthday)
			} else {
				assert.Nil(t, c.Birthday)
			}
		})
	}
}

// createCustomer's birthday with a time part is still the guest's birthday.
func TestCreateCustomerBirthdayWithTime(t *testing.T) {
	h, err := DecodeHook([]byte(`{"method": "createCustomer", "customer": {"phone": "+420000000001",
		"cardNumbers": ["120"], "birthday": "1980-01-25 00:00:00"}}`))
	require.NoError(t, err)
	c, err := h.CreateCustomer()
	require.NoError(t, err)
	require.NoError(t, c.Validate())
	require.NotNil(t, c.Birthday)
	assert.Equal(t, Date{1980, 1, 25}, *c.Birthday)
}
