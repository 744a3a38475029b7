package activities

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/testsuite"

	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/vendors/passquare"
	pqsandbox "github.com/guestflow/guestflow/vendors/passquare/sandbox"
	"github.com/guestflow/guestflow/vendors/sandboxkit"
	"github.com/guestflow/guestflow/vendors/vendorhttp"
)

const pqAppKey = "activities-app-key"

// newPassquare runs a sandbox with Passquare's documented limit of one
// request a second, and a client with its default spacing.
func newPassquare(t *testing.T, o pqsandbox.Options) (*Passquare, *pqsandbox.Server) {
	t.Helper()
	return passquareBehind(t, o, nil, nil)
}

// passquareBehind is newPassquare with the client's in-call retries set to
// retry (nil: none), and wrap, when set, between the client and the sandbox.
func passquareBehind(t *testing.T, o pqsandbox.Options, retry *vendorhttp.Backoff, wrap func(http.Handler) http.Handler) (*Passquare, *pqsandbox.Server) {
	t.Helper()
	o.Accounts = []pqsandbox.AccountConfig{{AppKey: pqAppKey, Plan: "exclusive"}}
	sb := pqsandbox.New(o)
	var h http.Handler = sb
	if wrap != nil {
		h = wrap(sb)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &Passquare{Client: passquare.New(passquare.Options{AppKey: pqAppKey, BaseURL: srv.URL + "/api/v2", Timeout: 5 * time.Second, Retry: retry})}, sb
}

func runActivity(t *testing.T, a *Passquare, fn, in, out any) error {
	t.Helper()
	_, err := runAttempt(t, a, fn, in, out, nil)
	return err
}

// runAttempt runs one attempt of fn that resumes from details (nil: a
// first attempt), and returns the details of its last heartbeat.
func runAttempt(t *testing.T, a *Passquare, fn, in, out, details any) (converter.EncodedValues, error) {
	t.Helper()
	var env testsuite.WorkflowTestSuite
	ae := env.NewTestActivityEnvironment()
	ae.RegisterActivity(a)
	if details != nil {
		ae.SetHeartbeatDetails(details)
	}
	var last converter.EncodedValues
	ae.SetOnActivityHeartbeatListener(func(_ *activity.Info, d converter.EncodedValues) { last = d })
	v, err := ae.ExecuteActivity(fn, in)
	if err == nil && out != nil {
		err = v.Get(out)
	}
	return last, err
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

// A 503 on the card's write is retried inside the call: the guest gets
// the card in one attempt, and the write is sent once more, not the
// whole activity.
func TestIssueCardRetriesA503InTheCall(t *testing.T) {
	a, sb := passquareBehind(t, pqsandbox.Options{CardsAtInstall: true, Faults: sandboxkit.Faults{Unavailable: 1}}, &fastRetries, nil)
	a.FormLink, a.SMSText = "https://form.passquare.com/0000", "Your card: %link%"
	const phone = "+420777000333"

	var card lifecycle.Card
	require.NoError(t, runActivity(t, a, a.IssueCard, issueInput(phone), &card))
	assert.True(t, card.Pending)
	assert.Equal(t, []string{"/crm/user_create_or_update", "/crm/user_create_or_update", "/crm/read_customer"}, paths(sb))
	assert.Len(t, sb.SMS(), 1)
}

// paths are the paths of the calls the sandbox served, in order.
func paths(sb *pqsandbox.Server) []string {
	var ps []string
	for _, c := range sb.Calls() {
		ps = append(ps, strings.TrimPrefix(c.Path, "/api/v2"))
	}
	return ps
}

// A card write whose answer was lost after Passquare acted is not sent
// again: the attempt reads the customer back, finds the one the write
// created (the card comes at install), and the guest is texted once.
func TestIssueCardAfterALostAnswerTextsOnce(t *testing.T) {
	a, sb := passquareBehind(t, pqsandbox.Options{CardsAtInstall: true}, &fastRetries,
		func(h http.Handler) http.Handler { return sandboxkit.LoseAnswersOn(h, "/crm/user_create_or_update", 1) })
	a.FormLink, a.SMSText = "https://form.passquare.com/0000", "Your card: %link%"
	const phone = "+420777000444"

	var card lifecycle.Card
	require.NoError(t, runActivity(t, a, a.IssueCard, issueInput(phone), &card))
	assert.True(t, card.Pending)
	assert.Equal(t, []string{"/crm/user_create_or_update", "/crm/read_customer"}, paths(sb))
	assert.Len(t, sb.SMS(), 1, "the guest is texted once")
}

// A card write answered 500 before Passquare acted: the attempt looks,
// finds no customer, and writes once more, within the activity's three
// requests; the new customer's card comes at install, so nothing more is
// read.
func TestIssueCardWritesAgainWhenTheLostWriteDidNotLand(t *testing.T) {
	var failed atomic.Bool
	a, sb := passquareBehind(t, pqsandbox.Options{CardsAtInstall: true}, &fastRetries, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/crm/user_create_or_update") && failed.CompareAndSwap(false, true) {
				http.Error(w, `{"success":false,"error":"internal"}`, http.StatusInternalServerError)
				return
			}
			h.ServeHTTP(w, r)
		})
	})
	a.FormLink, a.SMSText = "https://form.passquare.com/0000", "Your card: %link%"
	const phone = "+420777000445"

	var card lifecycle.Card
	require.NoError(t, runActivity(t, a, a.IssueCard, issueInput(phone), &card))
	assert.True(t, card.Pending)
	assert.Equal(t, []string{"/crm/read_customer", "/crm/user_create_or_update"}, paths(sb), "the 500 never reached the sandbox")
	assert.Len(t, sb.SMS(), 1)
}

// The attempt after one whose write answer was lost reads first and finds
// the customer that write created: nothing is written or texted again.
func TestIssueCardResumesAfterALostAnswer(t *testing.T) {
	a, sb := passquareBehind(t, pqsandbox.Options{CardsAtInstall: true}, &fastRetries, nil)
	const phone = "+420777000446"
	require.NoError(t, sb.SeedCustomer(pqAppKey, pqsandbox.Customer{Phone: phone, Name: "Eva", RemoteID: "acct-1"}))

	var card lifecycle.Card
	_, err := runAttempt(t, a, a.IssueCard, issueInput(phone), &card, issueProgress{WriteSent: true})
	require.NoError(t, err)
	assert.Equal(t, "acct-1", card.AccountKey)
	assert.Equal(t, []string{"/crm/read_customer"}, paths(sb))
	assert.Empty(t, sb.SMS())
}

// An attempt after one whose write was answered does not write again: it
// only reads the card Passquare now holds.
func TestIssueCardResumesAfterTheWrite(t *testing.T) {
	a, sb := passquareBehind(t, pqsandbox.Options{}, &fastRetries, nil)
	const phone = "+420777000555"
	require.NoError(t, sb.SeedCustomer(pqAppKey, pqsandbox.Customer{Phone: phone, Name: "Jan", CardNumber: "121", RemoteID: "acct-1"}))

	var card lifecycle.Card
	_, err := runAttempt(t, a, a.IssueCard, issueInput(phone), &card,
		issueProgress{Issued: true, Card: lifecycle.Card{AccountKey: "acct-1", FormURL: "https://form"}})
	require.NoError(t, err)
	assert.Equal(t, "121", card.Number)
	assert.Equal(t, "https://form", card.FormURL)
	assert.Equal(t, 0, sb.Recorder().Count("", "/api/v2/crm/user_create_or_update"))
	assert.Equal(t, 1, sb.Recorder().Count("", "/api/v2/crm/read_customer"))
}

// An attempt after one whose balance was set only pushes the message.
func TestPushBalanceResumesAfterTheBalance(t *testing.T) {
	a, sb := passquareBehind(t, pqsandbox.Options{}, &fastRetries, nil)
	const phone = "+420777000666"
	require.NoError(t, sb.SeedCustomer(pqAppKey, pqsandbox.Customer{Phone: phone, Name: "Eva", Installed: true}))

	in := PushBalanceInput{AccountKey: "acct-1", Phone: phone, Balance: decimal.RequireFromString("15"), Message: "Spa at 5"}
	_, err := runAttempt(t, a, a.PushBalance, in, nil, pushProgress{BalanceSet: true})
	require.NoError(t, err)
	assert.Len(t, sb.Calls(), 1)
	assert.Equal(t, []pqsandbox.SentPush{{AppKey: pqAppKey, Phone: phone, Kind: "push", Text: "Spa at 5"}}, sb.Pushes())
}
