package activities

import (
	"context"
	"net/http"

	"github.com/shopspring/decimal"
	"go.temporal.io/sdk/activity"

	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/vendors/passquare"
	"github.com/guestflow/guestflow/vendors/vendorhttp"
)

// Passquare issues wallet cards and keeps their balances. Its activities run
// on lifecycle.PassquareTaskQueue, whose rate limit keeps every worker
// together within Passquare's plan.
type Passquare struct {
	Client       *passquare.Client
	TemplateUUID string
	FormLink     string // the card issuance form Passquare personalises
	SMSText      string // %link% becomes the guest's personal link
}

// IssueCardInput is the guest to give a card, under the account's key.
type IssueCardInput struct {
	AccountKey string                  `json:"accountKey"`
	Holder     lifecycle.AccountHolder `json:"holder"`
	Balance    decimal.Decimal         `json:"balance"`
	Bonus      decimal.Decimal         `json:"bonus"`
}

// IssueCard creates or updates the Passquare customer and has Passquare
// text the guest the card link. A retry first reads the customer back, so
// a card issued before a lost answer is not issued, or texted, twice.
//
// Passquare's answer carries a card_number only when that call created a
// card. Without one, the customer is read back for a card Passquare already
// holds for this account; when there is none, the result is a Card with
// Pending set and no number: not an error, the card comes with the
// createCustomer hook once the guest installs it from the form.
func (a *Passquare) IssueCard(ctx context.Context, in IssueCardInput) (lifecycle.Card, error) {
	if !passquare.ValidPhone(in.Holder.Phone) {
		return lifecycle.Card{}, invalidInput("the holder's phone is not E.164")
	}
	if activity.GetInfo(ctx).Attempt > 1 {
		existing, err := a.Client.ReadCustomer(ctx, in.Holder.Phone, passquare.ReadOptions{Installs: true})
		if err != nil && !vendorhttp.IsStatus(err, http.StatusNotFound) {
			return lifecycle.Card{}, vendorFailure(err)
		}
		if card, ok := cardOf(in.AccountKey, existing); ok {
			return card, nil
		}
	}
	u := passquare.CustomerUpdate{
		Phone:        in.Holder.Phone,
		Name:         in.Holder.FirstName,
		Surname:      in.Holder.LastName,
		Middlename:   in.Holder.MiddleName,
		Email:        in.Holder.Email,
		Balance:      &in.Balance,
		Bonus:        &in.Bonus,
		TemplateUUID: a.TemplateUUID,
		CustomerID:   in.AccountKey,
		Link:         a.FormLink,
		SMS:          a.SMSText,
	}
	if u.Name == "" {
		u.Name = in.Holder.LastName // Passquare requires a name
	}
	if b := in.Holder.BirthDate; b != nil {
		u.Birthday = &passquare.Date{Year: b.Year, Month: b.Month, Day: b.Day}
	}
	if a.FormLink == "" {
		u.SMS = "" // no form, no link to text
	}
	res, err := a.Client.UserCreateOrUpdate(ctx, u)
	if err != nil {
		return lifecycle.Card{}, vendorFailure(err)
	}
	card := lifecycle.Card{
		AccountKey: in.AccountKey,
		Number:     res.CardNumber,
		Track:      res.CardTrack,
		AppleURL:   res.CardURL,
		GoogleURL:  res.CardGPayURL,
		FormURL:    res.FormURL,
	}
	if card.Number == "" {
		existing, err := a.Client.ReadCustomer(ctx, in.Holder.Phone, passquare.ReadOptions{Installs: true})
		if err != nil {
			return lifecycle.Card{}, vendorFailure(err)
		}
		held, ok := cardOf(in.AccountKey, existing)
		card.Number, card.Track, card.Installed, card.Pending = held.Number, held.Track, held.Installed, !ok
	}
	activity.GetLogger(ctx).Info("wallet card issued", "account_key", in.AccountKey, "card_pending", card.Pending, "sms_sent", res.SMSSent.OK)
	return card, nil
}

// PushBalanceInput is the balance to show on the guest's card.
type PushBalanceInput struct {
	AccountKey string          `json:"accountKey"`
	Phone      string          `json:"phone"`
	Balance    decimal.Decimal `json:"balance"`
	Message    string          `json:"message,omitempty"` // optional push to the card
}

// PushBalance sets the card's balance, then sends the message, if any, as a
// call of its own: Passquare replaces a push sent together with a change to
// a variable the card's notifications are bound to (the balance, in a
// loyalty template) by its system "card modified" notification, so the
// guest would never read the hotel's message. Both calls go through the
// client's spacing, so they stay within Passquare's one request a second.
// It sends the absolute balance, never a difference, so a retry after the
// first call repeats a harmless write; the message is sent at least once.
func (a *Passquare) PushBalance(ctx context.Context, in PushBalanceInput) error {
	if !passquare.ValidPhone(in.Phone) {
		return invalidInput("the holder's phone is not E.164")
	}
	// A refusal inside a 200 answer ("success": false) arrives as an error too.
	_, err := a.Client.UserCreateOrUpdate(ctx, passquare.CustomerUpdate{
		Phone:      in.Phone,
		CustomerID: in.AccountKey,
		Balance:    &in.Balance,
	})
	if err != nil || in.Message == "" {
		return vendorFailure(err)
	}
	return vendorFailure(a.Client.PushToCard(ctx, in.Phone, in.Message))
}

// ReadCardInput asks Passquare for the card it holds for an account.
type ReadCardInput struct {
	AccountKey string `json:"accountKey"`
	Phone      string `json:"phone"` // E.164
}

// ReadCard reads the card Passquare holds for the account, and whether the
// guest installed it: how a stay learns of an install whose createCustomer
// hook never reached guestflow. A Card with Pending set when Passquare holds
// none.
func (a *Passquare) ReadCard(ctx context.Context, in ReadCardInput) (lifecycle.Card, error) {
	if !passquare.ValidPhone(in.Phone) {
		return lifecycle.Card{}, invalidInput("the holder's phone is not E.164")
	}
	existing, err := a.Client.ReadCustomer(ctx, in.Phone, passquare.ReadOptions{Installs: true})
	if err != nil && !vendorhttp.IsStatus(err, http.StatusNotFound) {
		return lifecycle.Card{}, vendorFailure(err)
	}
	card, ok := cardOf(in.AccountKey, existing)
	if !ok {
		return lifecycle.Card{AccountKey: in.AccountKey, Pending: true}, nil
	}
	return card, nil
}

// cardOf finds the card Passquare already holds for this account.
func cardOf(key string, c *passquare.Customer) (lifecycle.Card, bool) {
	if c == nil || len(c.CardNumbers) == 0 || (c.RemoteID != nil && *c.RemoteID != key) {
		return lifecycle.Card{}, false
	}
	card := lifecycle.Card{AccountKey: key, Number: c.CardNumbers[len(c.CardNumbers)-1]}
	for _, t := range c.CardTracks {
		if t.Card == card.Number {
			card.Track = t.Track
		}
	}
	for _, i := range c.CardInstalls {
		if i.Card == card.Number && i.Installed {
			card.Installed = true
		}
	}
	return card, true
}
