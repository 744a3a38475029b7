package activities

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/testsuite"

	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/vendors/passquare"
	pqsandbox "github.com/guestflow/guestflow/vendors/passquare/sandbox"
)

const pqAppKey = "activities-app-key"

// newPassquare runs a sandbox with Passquare's documented limit of one
// request a second, and a client with its default spacing.
func newPassquare(t *testing.T, o pqsandbox.Options) (*Passquare, *pqsandbox.Server) {
	t.Helper()
	o.Accounts = []pqsandbox.AccountConfig{{AppKey: pqAppKey, Plan: "exclusive"}}
	sb := pqsandbox.New(o)
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	return &Passquare{Client: passquare.New(passquare.Options{AppKey: pqAppKey, BaseURL: srv.URL + "/api/v2", Timeout: 5 * time.Second})}, sb
}

func runActivity(t *testing.T, a *Passquare, fn, in, out any) error {
	t.Helper()
	var env testsuite.WorkflowTestSuite
	ae := env.NewTestActivityEnvironment()
	ae.RegisterActivity(a)
	v, err := ae.ExecuteActivity(fn, in)
	if err == nil && out != nil {
		err = v.Get(out)
	}
	return err
}

// The guest reads the hotel's message: the balance goes first, the push
// alone after it, both within the rate limit; sent together, Passquare would
// have replaced the message by its "card modified" notice.
func TestPushBalanceSendsTheMessageApartFromTheBalance(t *testing.T) {
	a, sb := newPassquare(t, pqsandbox.Options{})
	const phone = "+420777000111"
	require.NoError(t, sb.SeedCustomer(pqAppKey, pqsandbox.Customer{Phone: phone, Name: "Eva", Installed: true}))

	err := runActivity(t, a, a.PushBalance, PushBalanceInput{AccountKey: "acct-1", Phone: phone,
		Balance: decimal.RequireFromString("15.00"), Message: "You earned 15 at the spa"}, nil)
	require.NoError(t, err)

	stored, _ := sb.Customer(pqAppKey, phone)
	assert.Equal(t, "15", stored.Balance.String())
	assert.Equal(t, []pqsandbox.SentPush{
		{AppKey: pqAppKey, Phone: phone, Kind: "push", Text: pqsandbox.CardModified, System: true},
		{AppKey: pqAppKey, Phone: phone, Kind: "push", Text: "You earned 15 at the spa"},
	}, sb.Pushes())

	// Without a message, one call.
	err = runActivity(t, a, a.PushBalance, PushBalanceInput{AccountKey: "acct-1", Phone: phone, Balance: decimal.RequireFromString("20")}, nil)
	require.NoError(t, err)
	assert.Len(t, sb.Calls(), 3)
}

func issueInput(phone string) IssueCardInput {
	return IssueCardInput{AccountKey: "acct-1", Holder: lifecycle.AccountHolder{Phone: phone, FirstName: "Eva", LastName: "Nováková"},
		Balance: decimal.Zero, Bonus: decimal.RequireFromString("5")}
}

// Passquare created the customer but no card (the card comes when the
// guest fills in the form): IssueCard says so distinctly, without an error,
// and the card arrives later with the createCustomer hook.
func TestIssueCardWithoutCardNumberIsPending(t *testing.T) {
	a, sb := newPassquare(t, pqsandbox.Options{CardsAtInstall: true})
	a.FormLink, a.SMSText = "https://form.passquare.com/0000", "Your card: %link%"
	const phone = "+420777000111"

	var card lifecycle.Card
	require.NoError(t, runActivity(t, a, a.IssueCard, issueInput(phone), &card))
	assert.True(t, card.Pending)
	assert.Empty(t, card.Number)
	assert.Equal(t, "acct-1", card.AccountKey)
	assert.Contains(t, card.FormURL, "https://form.passquare.com/0000/?hash=", "staff can see the form link")

	stored, _ := sb.Customer(pqAppKey, phone)
	assert.Empty(t, stored.CardNumber, "no card until the guest installs it")
}

// An update of a customer who already holds a card answers without a
// card_number: the card is the one Passquare holds for the account.
func TestIssueCardFindsTheCardPassquareHolds(t *testing.T) {
	a, sb := newPassquare(t, pqsandbox.Options{})
	const phone = "+420777000222"
	require.NoError(t, sb.SeedCustomer(pqAppKey, pqsandbox.Customer{Phone: phone, Name: "Jan", CardNumber: "120", CardTrack: "7862374687", Installed: true}))

	var card lifecycle.Card
	require.NoError(t, runActivity(t, a, a.IssueCard, issueInput(phone), &card))
	assert.Equal(t, lifecycle.Card{AccountKey: "acct-1", Number: "120", Track: "7862374687", Installed: true,
		AppleURL: card.AppleURL, GoogleURL: card.GoogleURL}, card)
	assert.False(t, card.Pending)
}
