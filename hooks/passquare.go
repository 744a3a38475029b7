package hooks

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/rules"
	"github.com/guestflow/guestflow/vendors/passquare"
)

// passquareHook serves the one URL of Passquare's integration settings and
// dispatches on the hook's method. A refused hook gets HTTP 400 with
// {"success": false, "error": ...}, as Passquare expects (markPassquare).
func (s *server) passquareHook(c *gin.Context) {
	method := "-"
	defer func() { s.metrics.request("passquare", method, c.Writer.Status()) }()

	body, ok := s.readBody(c)
	if !ok {
		return
	}
	if !s.authorised(c, body) {
		s.Logger.WarnContext(c.Request.Context(), "hook with bad credentials refused", "client_ip", c.ClientIP())
		s.refuse(c, http.StatusUnauthorized, "unauthorized")
		return
	}
	if !s.headersMatch(c) {
		s.Logger.WarnContext(c.Request.Context(), "hook for another organization, program or wallet refused")
		s.refuse(c, http.StatusForbidden, "forbidden")
		return
	}
	hook, err := passquare.DecodeHook(body)
	if err != nil {
		s.invalid(c, err)
		return
	}
	switch hook.Method {
	case passquare.MethodCreateCustomer:
		method = hook.Method
		s.createCustomer(c, hook)
	case passquare.MethodReadBalance:
		method = hook.Method
		s.readBalance(c, hook)
	case passquare.MethodAddBalance:
		method = hook.Method
		s.addBalance(c, hook)
	default:
		method = "unknown"
		s.refuse(c, passquare.HookErrorStatus, "unknown method")
	}
}

// invalid answers a hook that does not decode or validate. Passquare's
// field errors name the field and never its value.
func (s *server) invalid(c *gin.Context, err error) {
	msg := "invalid request"
	var fe *passquare.FieldError
	if errors.As(err, &fe) {
		msg = fe.Field + ": " + fe.Reason
	}
	s.refuse(c, passquare.HookErrorStatus, msg)
}

// accountKey is the account of the phone Passquare sent. The stay keyed the
// account by the phone as rules.NormalisePhone wrote it; Validate has
// checked that the phone is E.164 and possible, so it normalises to itself.
func (s *server) accountKey(phone string) (key, e164 string) {
	e164, err := rules.NormalisePhone(phone, s.defaultRegion)
	if err != nil {
		e164 = phone
	}
	return rules.AccountKey(e164, []byte(s.Config.Loyalty.AccountKeySecret.Value())), e164
}

// createCustomer: a guest installed a card. The account is found or created
// by phone, keeps the card and its track, tells the stay, and its key is the
// customerId Passquare stores.
func (s *server) createCustomer(c *gin.Context, hook *passquare.Hook) {
	cust, err := hook.CreateCustomer()
	if err == nil {
		err = cust.Validate()
	}
	if err != nil {
		s.invalid(c, err)
		return
	}
	key, phone := s.accountKey(cust.Phone)
	holder := lifecycle.AccountHolder{
		Phone: phone, FirstName: cust.Name, LastName: cust.Surname, MiddleName: cust.Middlename, Email: cust.Email,
	}
	if b := cust.Birthday; b != nil {
		holder.BirthDate = &rules.Date{Year: b.Year, Month: b.Month, Day: b.Day}
	}
	install := lifecycle.InstallCard{Holder: holder, CardNumbers: cust.CardNumbers,
		Balance: cust.Balance, Bonus: cust.Bonus, Discount: cust.Discount}
	for _, t := range cust.CardTracks {
		install.CardTracks = append(install.CardTracks, lifecycle.CardTrack{Card: t.Card, Track: t.Track})
	}
	cards := slices.Clone(cust.CardNumbers)
	slices.Sort(cards)

	ctx, cancel := s.temporalCtx(c)
	defer cancel()
	var customerID string
	err = s.Temporal.UpdateAccount(ctx, key, holder, lifecycle.UpdateInstallCard,
		"install/"+strings.Join(cards, ","), install, &customerID)
	if err != nil {
		s.temporalFailed(c, err, "install-card", key)
		return
	}
	s.Logger.InfoContext(ctx, "card installed", "account_key", key, "cards", len(cards))
	c.JSON(http.StatusOK, passquare.CreateCustomerResponse{CustomerID: customerID})
}

// readBalance answers from the account of the phone, if it holds the card.
func (s *server) readBalance(c *gin.Context, hook *passquare.Hook) {
	req, err := hook.ReadBalance()
	if err == nil {
		err = req.Validate()
	}
	if err != nil {
		s.invalid(c, err)
		return
	}
	key, _ := s.accountKey(req.Phone)
	ctx, cancel := s.temporalCtx(c)
	defer cancel()
	b, ok := s.accountHolding(ctx, c, key, req.CardNumbers)
	if !ok {
		return
	}
	c.JSON(http.StatusOK, passquare.ReadBalanceResponse{Success: true, Bonus: b.Bonus, Balance: b.Balance, Discount: b.Discount})
}

// addBalance credits the account once per transactionId and answers only
// when the update completed, so a success is durably recorded. A sum or
// lifetime beyond the group's bounds is refused before Temporal is asked.
// The update id holds the sum, so a transactionId sent again with another
// sum reaches the account's validator (which refuses it) instead of being
// answered with the first update's result.
func (s *server) addBalance(c *gin.Context, hook *passquare.Hook) {
	req, err := hook.AddBalance()
	if err == nil {
		err = req.Validate()
	}
	if err == nil {
		err = req.CheckBounds(s.Config.Loyalty.HookBounds())
	}
	if err != nil {
		s.invalid(c, err)
		return
	}
	key, phone := s.accountKey(req.Phone)
	// One deadline for both Temporal calls: Passquare waits for one answer.
	ctx, cancel := s.temporalCtx(c)
	defer cancel()
	if _, ok := s.accountHolding(ctx, c, key, req.CardNumbers); !ok {
		return
	}
	add := lifecycle.AddBalance{TransactionID: req.TransactionID, Sum: req.Sum}
	if d, ok := req.LifetimeDuration(); ok {
		add.Lifetime = d
	}
	var balance lifecycle.Balance
	err = s.Temporal.UpdateAccount(ctx, key, lifecycle.AccountHolder{Phone: phone}, lifecycle.UpdateAddBalance,
		"addBalance/"+req.TransactionID+"/"+req.Sum.StringFixed(2), add, &balance)
	if err != nil {
		s.temporalFailed(c, err, "add-balance", key)
		return
	}
	s.Logger.InfoContext(ctx, "balance added", "account_key", key, "sum", req.Sum.String())
	c.JSON(http.StatusOK, passquare.AddBalanceResponse{Success: true})
}

// accountHolding returns the account's balance if the account exists and
// holds one of the cards; otherwise it has answered the caller.
func (s *server) accountHolding(ctx context.Context, c *gin.Context, key string, cards []string) (lifecycle.Balance, bool) {
	b, err := s.Temporal.QueryBalance(ctx, key)
	if err != nil {
		s.temporalFailed(c, err, "balance", key)
		return b, false
	}
	for _, card := range cards {
		if slices.Contains(b.Cards, card) {
			return b, true
		}
	}
	s.Logger.InfoContext(ctx, "hook for a card the account does not hold", "account_key", key)
	s.refuse(c, passquare.HookErrorStatus, "unknown customer")
	return b, false
}

// temporalFailed answers a failed Temporal call: an unknown account, a
// refusal or a closed account is Passquare's 400, anything else a 503 to
// retry.
func (s *server) temporalFailed(c *gin.Context, err error, call, key string) {
	switch classify(err) {
	case notFound:
		s.refuse(c, passquare.HookErrorStatus, "unknown customer")
	case closed:
		s.Logger.ErrorContext(c.Request.Context(), "hook for a closed loyalty account refused; an operator recovers it with temporal workflow reset",
			"call", call, "account_key", key, "workflow_id", lifecycle.AccountWorkflowID(key))
		s.refuse(c, passquare.HookErrorStatus, "loyalty account closed; ask the hotel")
	case conflicting:
		s.Logger.InfoContext(c.Request.Context(), "transactionId replayed with another sum refused", "call", call, "account_key", key)
		s.refuse(c, passquare.HookErrorStatus, "transactionId already used with another sum")
	case refused:
		s.Logger.InfoContext(c.Request.Context(), "account refused the hook", "call", call, "account_key", key, "error", err)
		s.refuse(c, passquare.HookErrorStatus, "request refused by the loyalty account")
	default:
		s.retryLater(c, err, call)
	}
}
