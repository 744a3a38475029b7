package sandbox

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/shopspring/decimal"
)

// Customer is a customer as the sandbox stores it.
type Customer struct {
	Phone        string
	Name         string
	Surname      string
	Middlename   string
	Email        string
	Birthday     string // dd.mm.yyyy, "" when unknown
	Discount     decimal.Decimal
	Bonus        decimal.Decimal
	Balance      decimal.Decimal
	TemplateUUID string
	RemoteID     string // the integrator's customerId
	CardNumber   string
	CardTrack    string
	Installed    bool
	InvitedBy    string            // phone of the referrer
	Promo        string            // the customer's own referral code
	Extra        map[string]string // the form's answers (sex, promo, ...) sent in createCustomer
	Variables    map[string]any    // custom template variables sent to user_create_or_update
	UserHash     string
	RegisteredAt time.Time

	seq int
}

// SentSMS is an SMS Passquare would have sent.
type SentSMS struct {
	AppKey string
	Phone  string
	Text   string // with %link% replaced by the personalised form link
}

// SentPush is a push, web push or Telegram message Passquare would have sent.
type SentPush struct {
	AppKey   string
	Phone    string
	Kind     string // "push" (wallet card), "webpush" or "telegram"
	Text     string
	Campaign string // uuid when sent by push/send
	// System marks Passquare's own notification that a variable bound to
	// notifications changed (Text is CardModified).
	System bool
}

// CardModified is the text of Passquare's system notification that the
// card has been modified.
const CardModified = "card modified"

// Campaign is a push campaign made by push/create.
type Campaign struct {
	AppKey      string
	UUID        string
	Name        string
	Message     string
	Type        string
	SegmentUUID string
	Sends       int // how many times push/send ran it
}

// userHash personalises the form link; deterministic so tests can predict it.
func userHash(appKey, phone string) string {
	sum := md5.Sum([]byte(appKey + "|" + phone))
	return hex.EncodeToString(sum[:])
}

// trackFor derives a card's barcode track from the account and card number.
func trackFor(appKey, card string) string {
	sum := sha256.Sum256([]byte(appKey + "|" + card))
	return fmt.Sprintf("%010d", binary.BigEndian.Uint64(sum[:8])%10_000_000_000)
}

// newCustomer registers phone in a, without a card yet.
func (s *Server) newCustomer(a *account, phone string) *Customer {
	a.seq++
	c := &Customer{Phone: phone, UserHash: userHash(a.key, phone), RegisteredAt: s.opts.Now(), seq: a.seq}
	a.customers[phone] = c
	return c
}

// giveCard assigns the next card of the range to c.
func (a *account) giveCard(c *Customer) {
	c.CardNumber = fmt.Sprint(a.nextCard)
	c.CardTrack = trackFor(a.key, c.CardNumber)
	a.nextCard++
}

// cards lists the customer's card, none before one is issued.
func (c *Customer) cards() []string {
	if c.CardNumber == "" {
		return []string{}
	}
	return []string{c.CardNumber}
}

// SeedCustomer stores c in the account as if created through the API. A
// missing card number, track, hash or registration time is filled in.
func (s *Server) SeedCustomer(appKey string, c Customer) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.accounts[appKey]
	if a == nil {
		return fmt.Errorf("sandbox: no account for that app_key")
	}
	if !validPhone(c.Phone) {
		return fmt.Errorf("sandbox: seeded phone is not E.164")
	}
	stored := s.newCustomer(a, c.Phone)
	hash, at, seq := stored.UserHash, stored.RegisteredAt, stored.seq
	*stored = c
	stored.seq = seq
	if stored.CardNumber == "" {
		a.giveCard(stored)
	}
	if stored.CardTrack == "" {
		stored.CardTrack = trackFor(appKey, stored.CardNumber)
	}
	if stored.UserHash == "" {
		stored.UserHash = hash
	}
	if stored.RegisteredAt.IsZero() {
		stored.RegisteredAt = at
	}
	return nil
}

// Customer returns a copy of the stored customer.
func (s *Server) Customer(appKey, phone string) (Customer, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.accounts[appKey]
	if a == nil || a.customers[phone] == nil {
		return Customer{}, false
	}
	return a.customers[phone].clone(), true
}

// Customers returns copies of the account's customers in registration order.
func (s *Server) Customers(appKey string) []Customer {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.accounts[appKey]
	if a == nil {
		return nil
	}
	var out []Customer
	for _, c := range a.ordered() {
		out = append(out, c.clone())
	}
	return out
}

func (a *account) ordered() []*Customer {
	list := slices.Collect(maps.Values(a.customers))
	slices.SortFunc(list, func(x, y *Customer) int { return x.seq - y.seq })
	return list
}

func (c *Customer) clone() Customer {
	out := *c
	out.Extra = maps.Clone(c.Extra)
	out.Variables = maps.Clone(c.Variables)
	return out
}

// SMS returns the SMS sent so far.
func (s *Server) SMS() []SentSMS {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.sms)
}

// Pushes returns the pushes sent so far.
func (s *Server) Pushes() []SentPush {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.pushes)
}

// Campaigns returns the account's push campaigns.
func (s *Server) Campaigns(appKey string) []Campaign {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.accounts[appKey]
	if a == nil {
		return nil
	}
	var out []Campaign
	for _, c := range a.campaigns {
		out = append(out, *c)
	}
	return out
}
