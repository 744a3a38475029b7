package activities

import (
	"context"

	"go.temporal.io/sdk/client"

	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/rules"
)

// Accounts opens guests' loyalty accounts. It holds the Temporal client,
// because an account is a workflow of its own, and the secret that turns a
// phone into the account's key, which workflow code must not see.
type Accounts struct {
	Temporal  client.Client
	KeySecret []byte
}

// OpenAccountInput is the stay asking for its guest's account.
type OpenAccountInput struct {
	Holder lifecycle.AccountHolder `json:"holder"`
	Stay   lifecycle.AccountStay   `json:"stay"`
}

// OpenAccount starts the guest's account if needed and registers the stay
// with it. Delivery is idempotent per stay.
func (a *Accounts) OpenAccount(ctx context.Context, in OpenAccountInput) (lifecycle.AccountView, error) {
	if in.Holder.Phone == "" {
		return lifecycle.AccountView{}, invalidInput("an account needs the holder's phone")
	}
	key := rules.AccountKey(in.Holder.Phone, a.KeySecret)
	var view lifecycle.AccountView
	err := lifecycle.UpdateAccount(ctx, a.Temporal, key, in.Holder, lifecycle.UpdateOpenAccount,
		"open/"+in.Stay.WorkflowID, lifecycle.OpenAccount{Holder: in.Holder, Stay: in.Stay}, &view)
	return view, accountFailure(err)
}

// AttachCardInput is a card Passquare issued for an account.
type AttachCardInput struct {
	Holder lifecycle.AccountHolder `json:"holder"`
	Card   lifecycle.Card          `json:"card"`
}

// AttachCard keeps the card in the account, so its scans find the account.
func (a *Accounts) AttachCard(ctx context.Context, in AttachCardInput) (lifecycle.AccountView, error) {
	var view lifecycle.AccountView
	err := lifecycle.UpdateAccount(ctx, a.Temporal, in.Card.AccountKey, in.Holder, lifecycle.UpdateAttachCard,
		"attach/"+in.Card.Number, in.Card, &view)
	return view, accountFailure(err)
}

// InstallCardInput is an install of a card guestflow learned of itself.
type InstallCardInput struct {
	Holder lifecycle.AccountHolder `json:"holder"`
	Card   lifecycle.Card          `json:"card"`
}

// InstallCard tells the account that the guest installed the card, as
// Passquare's createCustomer hook does: the stay's way to make good a hook
// that never arrived. The account credits the welcome bonus once per card,
// whichever tells it first.
func (a *Accounts) InstallCard(ctx context.Context, in InstallCardInput) error {
	install := lifecycle.InstallCard{Holder: in.Holder, CardNumbers: []string{in.Card.Number}}
	if in.Card.Track != "" {
		install.CardTracks = []lifecycle.CardTrack{{Card: in.Card.Number, Track: in.Card.Track}}
	}
	var key string
	err := lifecycle.UpdateAccount(ctx, a.Temporal, in.Card.AccountKey, in.Holder, lifecycle.UpdateInstallCard,
		"install/"+in.Card.Number, install, &key)
	return accountFailure(err)
}
