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
// text the guest the card link. A transient fault is retried inside each
// call (Passquare's client, within the activity's request budget); a write
// whose answer was lost fails the attempt, and the next one reads the
// customer back first, so a card issued before a lost answer is not
// issued, or texted, twice. An attempt that got the write's answer records
// it in its heartbeat details, and the next attempt does not write again.
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
	p := &issueProgress{}
	resume(ctx, p)
	ctx = passquareCalls(ctx, func() any { return p })
	// looked: this attempt read the customer back; fresh: Passquare held no
	// customer for the phone then, so a write's answer without a card
	// number means the card comes at install, with nothing to read.
	looked, fresh := false, false
	// Only Issued is trusted to skip the read: a worker that died after
	// sending the write may not have recorded WriteSent.
	if !p.Issued && (p.WriteSent || activity.GetInfo(ctx).Attempt > 1) {
		card, found, err := a.lookBack(ctx, in, &fresh)
		if err != nil || found {
			return card, err
		}
		looked = true
	}
	for !p.Issued {
		res, err := a.issue(ctx, in, p)
		if err == nil {
			p.Issued, p.WriteSent = true, false
			p.Card = lifecycle.Card{
				AccountKey: in.AccountKey,
				Number:     res.CardNumber,
				Track:      res.CardTrack,
				AppleURL:   res.CardURL,
				GoogleURL:  res.CardGPayURL,
				FormURL:    res.FormURL,
			}
			progressed(ctx, p)
			activity.GetLogger(ctx).Info("Passquare customer written", "account_key", in.AccountKey, "sms_sent", res.SMSSent.OK)
			break
		}
		if looked || !vendorhttp.OutcomeUnknown(err) {
			return lifecycle.Card{}, vendorFailure(err)
		}
		// The answer was lost: Passquare may hold the customer now. Look
		// once, and write again in this attempt only when it did not, and
		// the write is the last request the queue counts for the activity.
		activity.GetLogger(ctx).Info("Passquare card write answer lost; looking before writing again", "account_key", in.AccountKey)
		card, found, lookErr := a.lookBack(ctx, in, &fresh)
		if lookErr != nil || found {
			return card, lookErr
		}
		looked = true
		if !fresh || !passquare.BudgetLeft(ctx) {
			return lifecycle.Card{}, vendorFailure(err) // the next attempt looks first
		}
	}
	card := p.Card
	switch {
	case card.Number != "":
	case fresh:
		card.Pending = true
	default:
		existing, err := a.Client.ReadCustomer(ctx, in.Holder.Phone, passquare.ReadOptions{Installs: true})
		if err != nil {
			return lifecycle.Card{}, vendorFailure(err)
		}
		held, ok := cardOf(in.AccountKey, existing)
		card.Number, card.Track, card.Installed, card.Pending = held.Number, held.Track, held.Installed, !ok
	}
	activity.GetLogger(ctx).Info("wallet card issued", "account_key", in.AccountKey, "card_pending", card.Pending)
	return card, nil
}

// issue sends the guest's user_create_or_update, with WriteSent recorded
// first so that, if its answer is lost, the next attempt looks before it
// writes again.
func (a *Passquare) issue(ctx context.Context, in IssueCardInput, p *issueProgress) (*passquare.UpdateResult, error) {
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
	p.WriteSent = true
	progressed(ctx, p)
	res, err := a.Client.UserCreateOrUpdate(ctx, u)
	if err != nil && !vendorhttp.OutcomeUnknown(err) {
		p.WriteSent = false // Passquare did not act on it
		progressed(ctx, p)
	}
	return res, err
}

// lookBack reads the customer back for what an earlier write left
// (issuedBefore); found says whether it left anything, fresh is set when
// Passquare holds no customer for the phone at all.
func (a *Passquare) lookBack(ctx context.Context, in IssueCardInput, fresh *bool) (card lifecycle.Card, found bool, err error) {
	existing, err := a.Client.ReadCustomer(ctx, in.Holder.Phone, passquare.ReadOptions{Installs: true})
	switch {
	case vendorhttp.IsStatus(err, http.StatusNotFound):
		*fresh = true
		return lifecycle.Card{}, false, nil
	case err != nil:
		return lifecycle.Card{}, false, vendorFailure(err)
	}
	*fresh = false
	card, found = issuedBefore(in.AccountKey, existing)
	return card, found, nil
}

// issueProgress is what an IssueCard attempt has done, in its heartbeat
// details for the next attempt.
type issueProgress struct {
	// WriteSent: a user_create_or_update was sent whose answer did not
	// arrive; the customer is read back before another is sent.
	WriteSent bool `json:"writeSent"`
	// Issued: user_create_or_update answered, with Card.
	Issued bool           `json:"issued"`
	Card   lifecycle.Card `json:"card"`
}

// issuedBefore finds what an earlier attempt's write left at Passquare: the
// card it holds for this account, or, before the guest installs it, the
// customer that write created with the account as its remoteId (the card
// link was texted with it).
func issuedBefore(key string, c *passquare.Customer) (lifecycle.Card, bool) {
	if card, ok := cardOf(key, c); ok {
		return card, true
	}
	if c != nil && c.RemoteID != nil && *c.RemoteID == key {
		return lifecycle.Card{AccountKey: key, Pending: true}, true
	}
	return lifecycle.Card{}, false
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
// It sends the absolute balance, never a difference, so sending it again
// after a lost answer is harmless; an attempt that got its answer records
// it in its heartbeat details, and the next attempt only pushes. The
// message is sent at least once: a push whose answer was lost cannot be
// looked for, and is sent again by the next attempt.
func (a *Passquare) PushBalance(ctx context.Context, in PushBalanceInput) error {
	if !passquare.ValidPhone(in.Phone) {
		return invalidInput("the holder's phone is not E.164")
	}
	p := &pushProgress{}
	resume(ctx, p)
	ctx = passquareCalls(ctx, func() any { return p })
	if !p.BalanceSet {
		// A refusal inside a 200 answer ("success": false) arrives as an error too.
		_, err := a.Client.UserCreateOrUpdate(ctx, passquare.CustomerUpdate{
			Phone:      in.Phone,
			CustomerID: in.AccountKey,
			Balance:    &in.Balance,
		})
		if err != nil {
			return vendorFailure(err)
		}
		p.BalanceSet = true
		progressed(ctx, p)
	}
	if in.Message == "" {
		return nil
	}
	return vendorFailure(a.Client.PushToCard(ctx, in.Phone, in.Message))
}

// pushProgress is what a PushBalance attempt has done, in its heartbeat
// details for the next attempt.
type pushProgress struct {
	BalanceSet bool `json:"balanceSet"` // Passquare answered the balance's write
}

// passquareCalls prepares an activity's ctx for its Passquare calls:
// heartbeats with progress (vendorCalls), and the requests the Passquare
// queue's rate counts for one activity, which in-call retries spend from
// and never exceed.
func passquareCalls(ctx context.Context, progress func() any) context.Context {
	return passquare.WithRequestBudget(vendorCalls(ctx, progress), passquareCallsPerActivity)
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
	existing, err := a.Client.ReadCustomer(passquareCalls(ctx, nil), in.Phone, passquare.ReadOptions{Installs: true})
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
