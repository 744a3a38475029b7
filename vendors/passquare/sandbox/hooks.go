package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/shopspring/decimal"
)

// The hooks Passquare sends to the integrator.
const (
	hookCreateCustomer = "createCustomer"
	hookReadBalance    = "readBalance"
	hookAddBalance     = "addBalance"
)

// SentHook is a hook the sandbox sent, with what came back.
type SentHook struct {
	Method string
	Body   []byte
	Status int // 0 when no answer came
}

// HookResult is the integrator's answer to a hook, decoded as Passquare
// would read it. Fields the answer lacks stay zero or nil.
type HookResult struct {
	Status     int
	Body       []byte
	CustomerID string           // createCustomer
	Success    *bool            // readBalance, addBalance
	Bonus      *decimal.Decimal // readBalance
	Balance    *decimal.Decimal
	Discount   *decimal.Decimal
	Error      string // the {"error": ...} of a refusal
	// RetryAfter is the answer's Retry-After header, "" when none.
	RetryAfter string
}

// InstallCard plays a guest installing their card: it marks the card
// installed and sends createCustomer with the customer's data. On a 200 with
// a customerId, that id is stored as the customer's remoteId.
func (s *Server) InstallCard(ctx context.Context, phone string) (HookResult, error) {
	s.mu.Lock()
	a, cust, err := s.findCustomer(phone)
	if err != nil {
		s.mu.Unlock()
		return HookResult{}, err
	}
	if cust.CardNumber == "" { // CardsAtInstall: the form issues the card
		a.giveCard(cust)
	}
	cust.Installed = true
	payload := createCustomerPayload(cust)
	key := a.key
	s.mu.Unlock()

	res, err := s.sendHook(ctx, hookCreateCustomer, payload)
	if err == nil && res.Status == http.StatusOK && res.CustomerID != "" {
		s.mu.Lock()
		if c := s.accounts[key].customers[phone]; c != nil {
			c.RemoteID = res.CustomerID
		}
		s.mu.Unlock()
	}
	return res, err
}

// ReadBalance sends readBalance for phone and card. On a successful answer
// the customer's stored amounts take the returned values, as the real
// service refreshes the card.
func (s *Server) ReadBalance(ctx context.Context, phone, card string) (HookResult, error) {
	res, err := s.sendHook(ctx, hookReadBalance, map[string]any{"phone": phone, "cardNumbers": []string{card}})
	if err != nil || res.Status != http.StatusOK || res.Success == nil || !*res.Success {
		return res, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, cust, ferr := s.findCustomer(phone); ferr == nil {
		for src, dst := range map[*decimal.Decimal]*decimal.Decimal{res.Bonus: &cust.Bonus, res.Balance: &cust.Balance, res.Discount: &cust.Discount} {
			if src != nil {
				*dst = *src
			}
		}
	}
	return res, nil
}

// AddBalance sends addBalance: sum is sent as given (a decimal string), and
// lifetime, in seconds, only when not nil.
func (s *Server) AddBalance(ctx context.Context, phone, card, sum, transactionID string, lifetime *int) (HookResult, error) {
	customer := map[string]any{"phone": phone, "cardNumbers": []string{card}, "sum": sum, "transactionId": transactionID}
	if lifetime != nil {
		customer["lifetime"] = *lifetime
	}
	return s.sendHook(ctx, hookAddBalance, customer)
}

// findCustomer finds phone in the accounts; the hook settings are global, so
// a phone registered in two accounts is ambiguous. Called with s.mu held.
func (s *Server) findCustomer(phone string) (*account, *Customer, error) {
	var foundA *account
	var foundC *Customer
	for _, key := range s.order {
		if c := s.accounts[key].customers[phone]; c != nil {
			if foundC != nil {
				return nil, nil, errors.New("sandbox: that phone is registered in several accounts")
			}
			foundA, foundC = s.accounts[key], c
		}
	}
	if foundC == nil {
		return nil, nil, errors.New("sandbox: no customer with that phone")
	}
	return foundA, foundC, nil
}

func createCustomerPayload(c *Customer) map[string]any {
	extra := map[string]any{}
	for k, v := range c.Extra {
		extra[k] = v
	}
	birthday := ""
	if t, ok := parseBirthday(c.Birthday); ok {
		birthday = t.Format("2006-01-02")
	}
	return map[string]any{
		"name": c.Name, "surname": c.Surname, "middlename": c.Middlename,
		"email": c.Email, "phone": c.Phone, "birthday": birthday,
		"cardNumbers":        []string{c.CardNumber},
		"cardTracks":         []map[string]string{{"card": c.CardNumber, "track": c.CardTrack}},
		"extra":              extra,
		"balance":            c.Balance.StringFixed(2),
		"bonus":              c.Bonus.StringFixed(2),
		"discount":           c.Discount.StringFixed(2),
		"promo":              c.Promo,
		"referCustomerPhone": c.InvitedBy,
	}
}

func (s *Server) sendHook(ctx context.Context, method string, customer map[string]any) (HookResult, error) {
	if s.opts.HookURL == "" {
		return HookResult{}, errors.New("sandbox: no hook_url configured")
	}
	crmKey := s.opts.HookCRMKey
	if crmKey == "" && s.opts.HookUser == "" {
		crmKey = s.opts.HookPassword // the crm_key setting: a password, login blank
	}
	payload, err := json.Marshal(map[string]any{"crm_key": crmKey, "method": method, "customer": customer})
	if err != nil {
		return HookResult{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.opts.HookURL, bytes.NewReader(payload))
	if err != nil {
		return HookResult{}, fmt.Errorf("sandbox: hook request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range s.opts.HookHeaders {
		req.Header.Set(k, v)
	}
	if s.opts.HookUser != "" || s.opts.HookPassword != "" {
		req.SetBasicAuth(s.opts.HookUser, s.opts.HookPassword)
	}
	client := s.opts.HookClient
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	sent := SentHook{Method: method, Body: payload}
	resp, err := client.Do(req)
	if err != nil {
		s.recordHook(sent)
		return HookResult{}, fmt.Errorf("sandbox: send %s hook: %w", method, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	sent.Status = resp.StatusCode
	s.recordHook(sent)
	if err != nil {
		return HookResult{Status: resp.StatusCode}, fmt.Errorf("sandbox: read %s hook answer: %w", method, err)
	}
	res := decodeHookAnswer(resp.StatusCode, raw)
	res.RetryAfter = resp.Header.Get("Retry-After")
	return res, nil
}

func (s *Server) recordHook(h SentHook) {
	s.mu.Lock()
	s.hooksSent = append(s.hooksSent, h)
	s.mu.Unlock()
}

// HooksSent returns the hooks sent so far.
func (s *Server) HooksSent() []SentHook {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]SentHook(nil), s.hooksSent...)
}

// decodeHookAnswer reads whatever the integrator answered; a body that is
// not a JSON object leaves every field but Status and Body empty.
func decodeHookAnswer(status int, raw []byte) HookResult {
	res := HookResult{Status: status, Body: raw}
	var b body
	if json.Unmarshal(raw, &b) != nil {
		return res
	}
	res.CustomerID, _ = b.str("customerId")
	res.Error, _ = b.str("error")
	if v, present, err := b.boolean("success"); present && err == nil {
		res.Success = &v
	}
	for k, dst := range map[string]**decimal.Decimal{"bonus": &res.Bonus, "balance": &res.Balance, "discount": &res.Discount} {
		if d, present, err := b.amount(k); present && err == nil {
			*dst = &d
		}
	}
	return res
}
