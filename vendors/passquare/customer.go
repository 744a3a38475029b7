package passquare

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"

	"github.com/shopspring/decimal"

	"github.com/guestflow/guestflow/vendors/vendorhttp"
)

// Customer is a customer as read_customer returns it.
type Customer struct {
	Phone        string          `json:"phone"`
	Email        *string         `json:"email"`
	Name         string          `json:"name"`
	Surname      *string         `json:"surname"`
	Middlename   *string         `json:"middlename"`
	Birthday     *Date           `json:"birthday"`
	CardNumbers  []string        `json:"cardNumbers"`
	CardTracks   []CardTrack     `json:"cardTracks"`
	CardInstalls []CardInstall   `json:"cardInstalls"` // only when asked for installs
	Discount     decimal.Decimal `json:"discount"`
	Bonus        decimal.Decimal `json:"bonus"`
	Balance      decimal.Decimal `json:"balance"`
	RemoteID     *string         `json:"remoteId"`  // our CustomerID, when we sent one
	InvitedBy    *string         `json:"invitedBy"` // only when asked for invites
	Invites      []string        `json:"invites"`   // only when asked for invites
}

// CardTrack pairs a card number with its barcode track.
type CardTrack struct {
	Card  string `json:"card"`
	Track string `json:"track"`
}

func (t *CardTrack) UnmarshalJSON(b []byte) error {
	var w struct {
		Card  flexString `json:"card"`
		Track flexString `json:"track"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*t = CardTrack{Card: string(w.Card), Track: string(w.Track)}
	return nil
}

// CardInstall says whether a card is installed in a wallet.
type CardInstall struct {
	Card      string `json:"card"`
	Installed bool   `json:"install"`
}

func (i *CardInstall) UnmarshalJSON(b []byte) error {
	var w struct {
		Card    flexString `json:"card"`
		Install flexBool   `json:"install"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*i = CardInstall{Card: string(w.Card), Installed: bool(w.Install)}
	return nil
}

func (c *Customer) UnmarshalJSON(b []byte) error {
	var w struct {
		Phone        flexString    `json:"phone"`
		Email        *string       `json:"email"`
		Name         string        `json:"name"`
		Surname      *string       `json:"surname"`
		Middlename   *string       `json:"middlename"`
		Birthday     flexString    `json:"birthday"`
		CardNumbers  []flexString  `json:"cardNumbers"`
		CardTracks   []CardTrack   `json:"cardTracks"`
		CardInstalls []CardInstall `json:"cardInstalls"`
		Discount     flexAmount    `json:"discount"`
		Bonus        flexAmount    `json:"bonus"`
		Balance      flexAmount    `json:"balance"`
		RemoteID     *flexString   `json:"remoteId"`
		InvitedBy    *string       `json:"invitedBy"`
		Invites      []flexString  `json:"invites"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	for name, a := range map[string]flexAmount{"discount": w.Discount, "bonus": w.Bonus, "balance": w.Balance} {
		if a.bad {
			return invalid(name, "not a decimal")
		}
	}
	*c = Customer{
		Phone: string(w.Phone), Email: w.Email, Name: w.Name, Surname: w.Surname,
		Middlename: w.Middlename, Birthday: optDate(string(w.Birthday)), CardNumbers: strs(w.CardNumbers),
		CardTracks: w.CardTracks, CardInstalls: w.CardInstalls,
		Discount: w.Discount.d, Bonus: w.Bonus.d, Balance: w.Balance.d,
		InvitedBy: w.InvitedBy, Invites: strs(w.Invites),
	}
	if w.RemoteID != nil {
		id := string(*w.RemoteID)
		c.RemoteID = &id
	}
	return nil
}

// optDate reads a birthday guestflow can do without: one that cannot be
// read is left out rather than making the whole customer unreadable.
func optDate(s string) *Date {
	d, err := ParseDate(s)
	if err != nil || d.IsZero() {
		return nil
	}
	return &d
}

// ReadOptions asks read_customer for the optional parts of its answer.
type ReadOptions struct {
	Invites  bool // invitedBy and invites
	Installs bool // cardInstalls
}

// ReadCustomer reads one customer by phone. An unknown phone is a
// *vendorhttp.Error with Status 404, whether Passquare says so with a 404 or
// with an answer that holds no customer.
func (c *Client) ReadCustomer(ctx context.Context, phone string, o ReadOptions) (*Customer, error) {
	const endpoint = "POST /crm/read_customer"
	if err := checkPhone("phone", phone); err != nil {
		return nil, err
	}
	body := struct {
		AppKey   string `json:"app_key"`
		Phone    string `json:"phone"`
		Invites  bool   `json:"invites"`
		Installs bool   `json:"installs"`
	}{c.appKey, phone, o.Invites, o.Installs}
	var out struct {
		Customer foundCustomer   `json:"customer"`
		Error    json.RawMessage `json:"error"`
	}
	// No in-body refusal check: {"success": false} here means no customer.
	if err := c.send(ctx, endpoint, body, &out, false, true); err != nil {
		return nil, err
	}
	if out.Customer.c == nil {
		msg, _ := DecodeError(out.Error, nil)
		return nil, &vendorhttp.Error{Vendor: Vendor, Endpoint: endpoint, Status: http.StatusNotFound, Message: msg}
	}
	return out.Customer.c, nil
}

// foundCustomer is read_customer's customer. The document does not say how
// an unknown phone is answered; absent, null, [] and {} (how a PHP backend
// writes "none") all mean no customer.
type foundCustomer struct{ c *Customer }

func (f *foundCustomer) UnmarshalJSON(b []byte) error {
	f.c = nil
	switch string(bytes.Join(bytes.Fields(b), nil)) {
	case "", "null", "[]", "{}":
		return nil
	}
	var cust Customer
	if err := json.Unmarshal(b, &cust); err != nil {
		return err
	}
	f.c = &cust
	return nil
}
