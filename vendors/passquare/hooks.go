package passquare

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/guestflow/guestflow/rules"
)

// The hooks Passquare sends to the integrator's URL, all POSTed as
// {"crm_key": ..., "method": ..., "customer": {...}}.
const (
	MethodCreateCustomer = "createCustomer" // a guest installed a card
	MethodReadBalance    = "readBalance"    // Passquare asks for the card's balance
	MethodAddBalance     = "addBalance"     // Passquare grants bonuses
)

// HookErrorStatus is the status Passquare expects with a HookErrorResponse.
const HookErrorStatus = http.StatusBadRequest

// Hook is the envelope of every hook; Customer is decoded by the method's
// own type through CreateCustomer, ReadBalance or AddBalance.
type Hook struct {
	CRMKey   string          `json:"crm_key"`
	Method   string          `json:"method"`
	Customer json.RawMessage `json:"customer"`
}

// DecodeHook reads a hook body. It checks the envelope only; the customer is
// decoded by the method's accessor and checked by its Validate.
func DecodeHook(body []byte) (*Hook, error) {
	var w struct {
		CRMKey   flexString      `json:"crm_key"`
		Method   string          `json:"method"`
		Customer json.RawMessage `json:"customer"`
	}
	// JSON is UTF-8; the decoder would turn other bytes into U+FFFD, so two
	// different transactionIds could read as one and the second be lost.
	if !utf8.Valid(body) {
		return nil, invalid("body", "not UTF-8")
	}
	if err := json.Unmarshal(body, &w); err != nil {
		return nil, invalid("body", "not a JSON object")
	}
	if w.Method == "" {
		return nil, invalid("method", "required")
	}
	c := bytes.TrimSpace(w.Customer)
	if len(c) == 0 || c[0] != '{' {
		return nil, invalid("customer", "required as an object")
	}
	return &Hook{CRMKey: string(w.CRMKey), Method: w.Method, Customer: c}, nil
}

// KeyMatches compares the hook's crm_key with ours in constant time.
func (h *Hook) KeyMatches(crmKey string) bool {
	return crmKey != "" && subtle.ConstantTimeCompare([]byte(h.CRMKey), []byte(crmKey)) == 1
}

func (h *Hook) customer(method string, into json.Unmarshaler) error {
	if h.Method != method {
		return invalid("method", "is not "+method)
	}
	if err := into.UnmarshalJSON(h.Customer); err != nil {
		return invalid("customer", "not a "+method+" customer object")
	}
	return nil
}

// CreateCustomer decodes the customer of a createCustomer hook.
func (h *Hook) CreateCustomer() (*CreateCustomer, error) {
	var c CreateCustomer
	return &c, h.customer(MethodCreateCustomer, &c)
}

// ReadBalance decodes the customer of a readBalance hook.
func (h *Hook) ReadBalance() (*ReadBalance, error) {
	var c ReadBalance
	return &c, h.customer(MethodReadBalance, &c)
}

// AddBalance decodes the customer of an addBalance hook.
func (h *Hook) AddBalance() (*AddBalance, error) {
	var c AddBalance
	return &c, h.customer(MethodAddBalance, &c)
}

// problems collects the fields that arrived in a form that cannot be read,
// so decoding goes on and Validate names them.
type problems []string

func (p *problems) add(field string) { *p = append(*p, field) }

func (p problems) first() error {
	if len(p) == 0 {
		return nil
	}
	return invalid(p[0], "cannot be read")
}

// cardList reads cardNumbers: documented as a list of strings; numbers and a
// lone string are accepted too.
type cardList []string

func (l *cardList) UnmarshalJSON(b []byte) error {
	var list []flexString
	if err := json.Unmarshal(b, &list); err == nil {
		*l = strs(list)
		return nil
	}
	var one flexString
	if err := one.UnmarshalJSON(b); err != nil {
		return err
	}
	*l = nil
	if one != "" {
		*l = cardList{string(one)}
	}
	return nil
}

func checkCards(cards []string) error {
	if len(cards) == 0 {
		return invalid("cardNumbers", "required")
	}
	for _, c := range cards {
		if c == "" {
			return invalid("cardNumbers", "holds an empty card number")
		}
	}
	return nil
}

// CreateCustomer is the customer of a createCustomer hook: a guest filled in
// Passquare's form and got a card. Birthday arrives as YYYY-MM-DD here.
type CreateCustomer struct {
	Name               string           `json:"name"`
	Surname            string           `json:"surname"`
	Middlename         string           `json:"middlename"`
	Email              string           `json:"email"`
	Phone              string           `json:"phone"`
	Birthday           *Date            `json:"birthday"`
	CardNumbers        []string         `json:"cardNumbers"`
	CardTracks         []CardTrack      `json:"cardTracks"`
	Extra              Extra            `json:"extra"`
	Balance            *decimal.Decimal `json:"balance"`
	Bonus              *decimal.Decimal `json:"bonus"`
	Discount           *decimal.Decimal `json:"discount"`
	Promo              string           `json:"promo"` // the customer's own referral code
	ReferCustomerPhone string           `json:"referCustomerPhone"`

	problems problems
}

// Extra holds the form's additional answers.
type Extra struct {
	Sex   string `json:"sex"`   // optional
	Promo string `json:"promo"` // promo code entered at registration
	// Other holds the form's further fields, as sent.
	Other map[string]json.RawMessage `json:"-"`
}

func (e *Extra) UnmarshalJSON(b []byte) error {
	var all map[string]json.RawMessage
	if err := json.Unmarshal(b, &all); err != nil {
		// PHP writes an empty map as [].
		var list []json.RawMessage
		if json.Unmarshal(b, &list) == nil && len(list) == 0 {
			*e = Extra{}
			return nil
		}
		return err
	}
	var sex, promo flexString
	if err := sex.UnmarshalJSON(all["sex"]); err != nil {
		return err
	}
	if err := promo.UnmarshalJSON(all["promo"]); err != nil {
		return err
	}
	delete(all, "sex")
	delete(all, "promo")
	*e = Extra{Sex: string(sex), Promo: string(promo)}
	if len(all) > 0 {
		e.Other = all
	}
	return nil
}

func (c *CreateCustomer) UnmarshalJSON(b []byte) error {
	var w struct {
		Name               flexString      `json:"name"`
		Surname            flexString      `json:"surname"`
		Middlename         flexString      `json:"middlename"`
		Email              flexString      `json:"email"`
		Phone              flexString      `json:"phone"`
		Birthday           flexString      `json:"birthday"`
		CardNumbers        cardList        `json:"cardNumbers"`
		CardTracks         json.RawMessage `json:"cardTracks"`
		Extra              json.RawMessage `json:"extra"`
		Balance            flexAmount      `json:"balance"`
		Bonus              flexAmount      `json:"bonus"`
		Discount           flexAmount      `json:"discount"`
		Promo              flexString      `json:"promo"`
		ReferCustomerPhone flexString      `json:"referCustomerPhone"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*c = CreateCustomer{
		Name: string(w.Name), Surname: string(w.Surname), Middlename: string(w.Middlename),
		Email: string(w.Email), Phone: hookPhone(w.Phone), CardNumbers: w.CardNumbers,
		Balance: w.Balance.ptr(), Bonus: w.Bonus.ptr(), Discount: w.Discount.ptr(),
		Promo: string(w.Promo), ReferCustomerPhone: hookPhone(w.ReferCustomerPhone),
	}
	if w.Birthday != "" {
		d, err := ParseDate(string(w.Birthday))
		switch {
		case err != nil:
			c.problems.add("birthday")
		case !d.IsZero():
			c.Birthday = &d
		}
	}
	if len(w.CardTracks) > 0 && string(w.CardTracks) != "null" {
		if err := json.Unmarshal(w.CardTracks, &c.CardTracks); err != nil {
			c.problems.add("cardTracks")
		}
	}
	if len(w.Extra) > 0 && string(w.Extra) != "null" {
		if err := json.Unmarshal(w.Extra, &c.Extra); err != nil {
			c.problems.add("extra")
		}
	}
	for _, a := range []struct {
		name string
		v    flexAmount
	}{{"balance", w.Balance}, {"bonus", w.Bonus}, {"discount", w.Discount}} {
		if a.v.bad {
			c.problems.add(a.name)
		}
	}
	return nil
}

// MarshalJSON writes the hook's own form (birthday as YYYY-MM-DD, amounts as
// decimal strings), for tests and tools that play Passquare.
func (c CreateCustomer) MarshalJSON() ([]byte, error) {
	type plain CreateCustomer
	w := struct {
		plain
		Birthday string         `json:"birthday,omitempty"`
		Extra    map[string]any `json:"extra"`
		Balance  string         `json:"balance,omitempty"`
		Bonus    string         `json:"bonus,omitempty"`
		Discount string         `json:"discount,omitempty"`
	}{plain: plain(c)}
	if c.Birthday != nil {
		w.Birthday = c.Birthday.ISO()
	}
	w.Extra = map[string]any{}
	for k, v := range c.Extra.Other {
		w.Extra[k] = v
	}
	if c.Extra.Sex != "" {
		w.Extra["sex"] = c.Extra.Sex
	}
	if c.Extra.Promo != "" {
		w.Extra["promo"] = c.Extra.Promo
	}
	w.Balance, w.Bonus, w.Discount = optAmount(c.Balance), optAmount(c.Bonus), optAmount(c.Discount)
	return json.Marshal(w)
}

func optAmount(d *decimal.Decimal) string {
	if d == nil {
		return ""
	}
	return amountString(*d)
}

// Validate checks what the webhook relies on: an E.164 phone (the key of the
// loyalty account), at least one card number, and readable optional fields.
// The error names the field, never its value.
func (c *CreateCustomer) Validate() error {
	if err := checkPhone("phone", c.Phone); err != nil {
		return err
	}
	if err := checkCards(c.CardNumbers); err != nil {
		return err
	}
	if err := c.problems.first(); err != nil {
		return err
	}
	for _, t := range c.CardTracks {
		if t.Card == "" {
			return invalid("cardTracks", "entry without a card number")
		}
	}
	if c.ReferCustomerPhone != "" {
		if err := checkPhone("referCustomerPhone", c.ReferCustomerPhone); err != nil {
			return err
		}
	}
	return nil
}

// ReadBalance is the customer of a readBalance hook.
type ReadBalance struct {
	Phone       string   `json:"phone"`
	CardNumbers []string `json:"cardNumbers"`
}

func (r *ReadBalance) UnmarshalJSON(b []byte) error {
	var w struct {
		Phone       flexString `json:"phone"`
		CardNumbers cardList   `json:"cardNumbers"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*r = ReadBalance{Phone: hookPhone(w.Phone), CardNumbers: w.CardNumbers}
	return nil
}

// Validate checks that the customer can be identified by phone and card.
func (r *ReadBalance) Validate() error {
	if err := checkPhone("phone", r.Phone); err != nil {
		return err
	}
	return checkCards(r.CardNumbers)
}

// AddBalance is the customer of an addBalance hook: bonuses to credit once
// per TransactionID, burning after Lifetime seconds when that is set.
type AddBalance struct {
	Phone         string          `json:"phone"`
	CardNumbers   []string        `json:"cardNumbers"`
	Sum           decimal.Decimal `json:"sum"`
	TransactionID string          `json:"transactionId"`
	Lifetime      *int64          `json:"lifetime,omitempty"` // seconds

	sumSet   bool
	problems problems
}

func (a *AddBalance) UnmarshalJSON(b []byte) error {
	var w struct {
		Phone         flexString `json:"phone"`
		CardNumbers   cardList   `json:"cardNumbers"`
		Sum           flexAmount `json:"sum"`
		TransactionID flexString `json:"transactionId"`
		Lifetime      flexAmount `json:"lifetime"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*a = AddBalance{
		Phone: hookPhone(w.Phone), CardNumbers: w.CardNumbers, Sum: w.Sum.d,
		TransactionID: string(w.TransactionID), sumSet: w.Sum.set,
	}
	if w.Sum.bad {
		a.problems.add("sum")
	}
	switch {
	case w.Lifetime.bad:
		a.problems.add("lifetime")
	case w.Lifetime.set && w.Lifetime.d.IsZero():
		// A sender that always writes the optional field writes 0 for none;
		// a bonus that burns at once was never granted.
	case w.Lifetime.set:
		if !w.Lifetime.d.IsInteger() {
			a.problems.add("lifetime")
		} else {
			secs := w.Lifetime.d.IntPart()
			a.Lifetime = &secs
		}
	}
	return nil
}

// LifetimeDuration is how long the credited bonus lives; false when it does
// not expire. A lifetime too long for a time.Duration is the longest one,
// never a product that overflows (CheckBounds refuses it).
func (a *AddBalance) LifetimeDuration() (time.Duration, bool) {
	if a.Lifetime == nil {
		return 0, false
	}
	if *a.Lifetime > math.MaxInt64/int64(time.Second) {
		return math.MaxInt64, true
	}
	return time.Duration(*a.Lifetime) * time.Second, true
}

// CheckBounds refuses, after Validate, a sum above maxSum or with more than
// two decimals (cents), and a lifetime longer than maxLifetime. The error
// names the field and the bound, never the value sent.
func (a *AddBalance) CheckBounds(maxSum decimal.Decimal, maxLifetime time.Duration) error {
	switch {
	case a.Sum.GreaterThan(maxSum):
		return invalid("sum", "must be at most "+maxSum.StringFixed(2))
	case !rules.IsCents(a.Sum):
		return invalid("sum", "must have at most two decimals")
	case a.Lifetime != nil && *a.Lifetime > int64(maxLifetime/time.Second):
		return invalid("lifetime", fmt.Sprintf("must be at most %d seconds", int64(maxLifetime/time.Second)))
	}
	return nil
}

// Validate checks phone, cards, a positive sum (the hook grants bonuses), a
// transaction id (the key that makes a repeated delivery harmless) and a
// lifetime that is not negative (0 means none).
func (a *AddBalance) Validate() error {
	if err := checkPhone("phone", a.Phone); err != nil {
		return err
	}
	if err := checkCards(a.CardNumbers); err != nil {
		return err
	}
	if err := a.problems.first(); err != nil {
		return err
	}
	if !a.sumSet && a.Sum.IsZero() {
		return invalid("sum", "required")
	}
	if !a.Sum.IsPositive() {
		return invalid("sum", "must be positive")
	}
	if a.TransactionID == "" {
		return invalid("transactionId", "required")
	}
	if a.Lifetime != nil && *a.Lifetime <= 0 {
		return invalid("lifetime", "must be a positive number of seconds")
	}
	return nil
}

// CreateCustomerResponse answers createCustomer with our id for the customer.
type CreateCustomerResponse struct {
	CustomerID string `json:"customerId"`
}

// ReadBalanceResponse answers readBalance; the amounts go out as decimal
// strings, as documented.
type ReadBalanceResponse struct {
	Success  bool            `json:"success"`
	Bonus    decimal.Decimal `json:"bonus"`
	Balance  decimal.Decimal `json:"balance"`
	Discount decimal.Decimal `json:"discount"`
}

func (r ReadBalanceResponse) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Success  bool   `json:"success"`
		Bonus    string `json:"bonus"`
		Balance  string `json:"balance"`
		Discount string `json:"discount"`
	}{r.Success, amountString(r.Bonus), amountString(r.Balance), amountString(r.Discount)})
}

// AddBalanceResponse answers addBalance once the credit is durably recorded.
type AddBalanceResponse struct {
	Success bool `json:"success"`
}

// HookErrorResponse is the body of a refused hook, sent with HookErrorStatus:
// the document's failed response, {"error": "..."}, with the "success": false
// its other hook answers carry beside it. Its text reaches Passquare's logs,
// so it must not carry personal data.
type HookErrorResponse struct {
	Error string `json:"error"`
}

func (r HookErrorResponse) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Success bool   `json:"success"`
		Error   string `json:"error"`
	}{false, r.Error})
}
