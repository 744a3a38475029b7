package passquare_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guestflow/guestflow/vendors/passquare"
	"github.com/guestflow/guestflow/vendors/passquare/sandbox"
)

// receiver is a minimal integrator: it checks access the way Passquare
// offers it and answers each hook as documented, using the hook types.
type receiver struct {
	mu       sync.Mutex
	headers  []http.Header
	creates  []passquare.CreateCustomer
	reads    []passquare.ReadBalance
	adds     []passquare.AddBalance
	basicOK  []bool
	failWith string
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.headers = append(r.headers, req.Header.Clone())
	user, pass, ok := req.BasicAuth()
	r.basicOK = append(r.basicOK, ok && user == "guestflow" && pass == "s3cret")
	body, _ := io.ReadAll(req.Body)
	refuse := func(err error) {
		w.WriteHeader(passquare.HookErrorStatus)
		_ = json.NewEncoder(w).Encode(passquare.HookErrorResponse{Error: err.Error()})
	}
	h, err := passquare.DecodeHook(body)
	if err != nil {
		refuse(err)
		return
	}
	if !h.KeyMatches("crm-key-1") {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	if r.failWith != "" {
		refuse(&passquare.FieldError{Field: r.failWith, Reason: "refused"})
		return
	}
	var answer any
	switch h.Method {
	case passquare.MethodCreateCustomer:
		c, err := h.CreateCustomer()
		if err == nil {
			err = c.Validate()
		}
		if err != nil {
			refuse(err)
			return
		}
		r.creates = append(r.creates, *c)
		answer = passquare.CreateCustomerResponse{CustomerID: "acct-77"}
	case passquare.MethodReadBalance:
		c, err := h.ReadBalance()
		if err == nil {
			err = c.Validate()
		}
		if err != nil {
			refuse(err)
			return
		}
		r.reads = append(r.reads, *c)
		answer = passquare.ReadBalanceResponse{Success: true, Bonus: decimal.RequireFromString("12.5"),
			Balance: decimal.RequireFromString("5"), Discount: decimal.RequireFromString("17.88")}
	case passquare.MethodAddBalance:
		c, err := h.AddBalance()
		if err == nil {
			err = c.Validate()
		}
		if err != nil {
			refuse(err)
			return
		}
		r.adds = append(r.adds, *c)
		answer = passquare.AddBalanceResponse{Success: true}
	default:
		refuse(&passquare.FieldError{Field: "method", Reason: "unknown"})
		return
	}
	_ = json.NewEncoder(w).Encode(answer)
}

func TestHookSender(t *testing.T) {
	ctx := context.Background()
	rcv := &receiver{}
	hook := httptest.NewServer(rcv)
	defer hook.Close()
	e := newEnv(t, sandbox.Options{
		HookURL: hook.URL, HookCRMKey: "crm-key-1", HookUser: "guestflow", HookPassword: "s3cret",
		HookHeaders: map[string]string{"X-organization-id": "org-1", "X-program-id": "prog-2", "X-wallet-id": "wal-3"},
	}, "expert")
	require.NoError(t, e.sb.SeedCustomer(appKey, sandbox.Customer{
		Phone: "+420777000111", Name: "Ludmila", Surname: "Nováková", Middlename: "Jana", Email: "ludmila@example.cz",
		Birthday: "03.05.1980", CardNumber: "120", CardTrack: "7862374687",
		Balance: decimal.RequireFromString("300"), Bonus: decimal.RequireFromString("10"), Discount: decimal.RequireFromString("25"),
		Promo: "AAAAA", InvitedBy: "+420777000222", Extra: map[string]string{"sex": "female", "promo": "BBBBB"},
	}))

	res, err := e.sb.InstallCard(ctx, "+420777000111")
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, res.Status)
	assert.Equal(t, "acct-77", res.CustomerID)
	require.Len(t, rcv.creates, 1)
	bday := passquare.Date{Year: 1980, Month: 5, Day: 3}
	d := func(s string) *decimal.Decimal { v := decimal.RequireFromString(s); return &v }
	assert.Equal(t, passquare.CreateCustomer{
		Name: "Ludmila", Surname: "Nováková", Middlename: "Jana", Email: "ludmila@example.cz",
		Phone: "+420777000111", Birthday: &bday, CardNumbers: []string{"120"},
		CardTracks: []passquare.CardTrack{{Card: "120", Track: "7862374687"}},
		Extra:      passquare.Extra{Sex: "female", Promo: "BBBBB"},
		Balance:    d("300.00"), Bonus: d("10.00"), Discount: d("25.00"),
		Promo: "AAAAA", ReferCustomerPhone: "+420777000222",
	}, rcv.creates[0])
	h := rcv.headers[0]
	assert.Equal(t, "org-1", h.Get("X-organization-id"))
	assert.Equal(t, "prog-2", h.Get("X-program-id"))
	assert.Equal(t, "wal-3", h.Get("X-wallet-id"))
	assert.True(t, rcv.basicOK[0])

	stored, _ := e.sb.Customer(appKey, "+420777000111")
	assert.True(t, stored.Installed)
	assert.Equal(t, "acct-77", stored.RemoteID)

	res, err = e.sb.ReadBalance(ctx, "+420777000111", "120")
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, res.Status)
	require.NotNil(t, res.Success)
	assert.True(t, *res.Success)
	assert.Equal(t, "12.5", res.Bonus.String())
	assert.Equal(t, "5", res.Balance.String())
	assert.Equal(t, "17.88", res.Discount.String())
	assert.Equal(t, []passquare.ReadBalance{{Phone: "+420777000111", CardNumbers: []string{"120"}}}, rcv.reads)
	stored, _ = e.sb.Customer(appKey, "+420777000111")
	assert.Equal(t, "12.5", stored.Bonus.String())

	lifetime := 86400
	res, err = e.sb.AddBalance(ctx, "+420777000111", "120", "50.00", "scan-9", &lifetime)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, res.Status)
	assert.True(t, *res.Success)
	require.Len(t, rcv.adds, 1)
	assert.Equal(t, "50", rcv.adds[0].Sum.String())
	assert.Equal(t, "scan-9", rcv.adds[0].TransactionID)
	assert.Equal(t, int64(86400), *rcv.adds[0].Lifetime)

	res, err = e.sb.AddBalance(ctx, "+420777000111", "120", "5", "scan-10", nil)
	require.NoError(t, err)
	assert.Nil(t, rcv.adds[1].Lifetime)

	// A refusal comes back as status and error text.
	rcv.failWith = "cardNumbers"
	res, err = e.sb.ReadBalance(ctx, "+420777000111", "999")
	require.NoError(t, err)
	assert.Equal(t, http.StatusBadRequest, res.Status)
	assert.Equal(t, "passquare: cardNumbers: refused", res.Error)
	require.NotNil(t, res.Success)
	assert.False(t, *res.Success, `the refusal says "success": false`)

	sent := e.sb.HooksSent()
	require.Len(t, sent, 5)
	assert.Equal(t, []string{"createCustomer", "readBalance", "addBalance", "addBalance", "readBalance"},
		[]string{sent[0].Method, sent[1].Method, sent[2].Method, sent[3].Method, sent[4].Method})
	assert.Equal(t, http.StatusBadRequest, sent[4].Status)

	_, err = e.sb.InstallCard(ctx, "+420777999999")
	assert.Error(t, err)
}

// With cards issued at install, user_create_or_update creates no card and
// answers without card_number; the guest's install from the form issues the
// card, and createCustomer brings its number.
func TestCardIssuedAtInstall(t *testing.T) {
	ctx := context.Background()
	rcv := &receiver{}
	hook := httptest.NewServer(rcv)
	defer hook.Close()
	e := newEnv(t, sandbox.Options{FirstCardNumber: 700, CardsAtInstall: true, HookURL: hook.URL, HookCRMKey: "crm-key-1"}, "expert")

	res, err := e.client.UserCreateOrUpdate(ctx, passquare.CustomerUpdate{Phone: "+420777000111", Name: "Eva"})
	require.NoError(t, err)
	assert.Empty(t, res.CardNumber)
	assert.Equal(t, passquare.Outcome{Said: true}, res.Card)
	c, err := e.client.ReadCustomer(ctx, "+420777000111", passquare.ReadOptions{Installs: true})
	require.NoError(t, err)
	assert.Empty(t, c.CardNumbers)

	_, err = e.sb.InstallCard(ctx, "+420777000111")
	require.NoError(t, err)
	require.Len(t, rcv.creates, 1)
	assert.Equal(t, []string{"700"}, rcv.creates[0].CardNumbers)
	c, err = e.client.ReadCustomer(ctx, "+420777000111", passquare.ReadOptions{Installs: true})
	require.NoError(t, err)
	assert.Equal(t, []passquare.CardInstall{{Card: "700", Installed: true}}, c.CardInstalls)
}
