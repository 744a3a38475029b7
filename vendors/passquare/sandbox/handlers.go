package sandbox

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/shopspring/decimal"
)

// documented are user_create_or_update's own fields; every other key is a
// custom template variable.
var documented = map[string]bool{
	"app_key": true, "phone": true, "name": true, "email": true, "surname": true,
	"middlename": true, "birthday": true, "discount": true, "bonus": true,
	"balance": true, "template_uuid": true, "customerId": true, "link": true,
	"sms": true, "push": true, "send_webpush": true, "send_telegram": true,
}

func (s *Server) amountJSON(d decimal.Decimal) any {
	if s.opts.AmountsAsNumbers {
		return json.Number(d.String())
	}
	return d.String()
}

// flag renders one of user_create_or_update's "message ... //bool" fields.
func (s *Server) flag(ok bool, yes, no string) any {
	if !s.opts.FlagsAsMessages {
		return ok
	}
	if ok {
		return yes
	}
	return no
}

func (s *Server) status(c *gin.Context) {
	a, _, ok := s.begin(c)
	if !ok {
		return
	}
	c.JSON(http.StatusOK, gin.H{"app": a.name, "balance": s.amountJSON(a.balance)})
}

// requirePhone reads the phone in E.164: the document's own push example
// writes the digits without the plus, so digits alone are read as E.164.
func requirePhone(c *gin.Context, b body) (string, bool) {
	phone, _ := b.str("phone")
	if phone != "" && !strings.HasPrefix(phone, "+") && validPhone("+"+phone) {
		phone = "+" + phone
	}
	switch {
	case phone == "":
		fail(c, http.StatusBadRequest, "phone is required")
		return "", false
	case !validPhone(phone):
		fail(c, http.StatusBadRequest, "phone must be in international E.164 format")
		return "", false
	}
	return phone, true
}

func (s *Server) userCreateOrUpdate(c *gin.Context) {
	a, b, ok := s.begin(c)
	if !ok {
		return
	}
	phone, ok := requirePhone(c, b)
	if !ok {
		return
	}
	birthday := ""
	if v, present := b.str("birthday"); present && v != "" {
		t, ok := parseBirthday(v)
		if !ok {
			fail(c, http.StatusBadRequest, "birthday must be in dd.mm.yyyy format")
			return
		}
		birthday = t.Format("02.01.2006")
	}
	amounts := map[string]*decimal.Decimal{}
	for _, k := range []string{"discount", "bonus", "balance"} {
		d, present, err := b.amount(k)
		if err != nil {
			fail(c, http.StatusBadRequest, k+" must be a number")
			return
		}
		if present {
			amounts[k] = &d
		}
	}
	text := func(k string) string { v, _ := b.str(k); return v }
	name := text("name")

	s.mu.Lock()
	defer s.mu.Unlock()
	cust, exists := a.customers[phone]
	if !exists && strings.TrimSpace(name) == "" {
		fail(c, http.StatusBadRequest, "name is required to create a customer")
		return
	}
	cardCreated := !exists && !s.opts.CardsAtInstall
	if !exists {
		cust = s.newCustomer(a, phone)
	}
	if cardCreated {
		a.giveCard(cust)
	}
	before := s.boundValues(cust)
	for k, dst := range map[string]*string{
		"name": &cust.Name, "email": &cust.Email, "surname": &cust.Surname,
		"middlename": &cust.Middlename, "template_uuid": &cust.TemplateUUID, "customerId": &cust.RemoteID,
	} {
		if v := text(k); v != "" {
			*dst = v
		}
	}
	if birthday != "" {
		cust.Birthday = birthday
	}
	for k, dst := range map[string]*decimal.Decimal{"discount": &cust.Discount, "bonus": &cust.Bonus, "balance": &cust.Balance} {
		if v := amounts[k]; v != nil {
			*dst = *v
		}
	}
	for k, raw := range b {
		if documented[k] {
			continue
		}
		var v any
		_ = json.Unmarshal(raw, &v)
		if cust.Variables == nil {
			cust.Variables = map[string]any{}
		}
		cust.Variables[k] = v
	}

	formURL := ""
	if link := text("link"); link != "" {
		formURL = strings.TrimRight(link, "/") + "/?hash=" + cust.UserHash
	}
	smsSent := false
	if sms := text("sms"); sms != "" && formURL != "" {
		s.sms = append(s.sms, SentSMS{AppKey: a.key, Phone: phone, Text: strings.ReplaceAll(sms, "%link%", formURL)})
		smsSent = true
	}
	modified := exists && !maps.Equal(before, s.boundValues(cust))
	if modified {
		s.pushes = append(s.pushes, SentPush{AppKey: a.key, Phone: phone, Kind: "push", Text: CardModified, System: true})
	}
	for _, kind := range []struct{ field, kind string }{{"push", "push"}, {"send_webpush", "webpush"}, {"send_telegram", "telegram"}} {
		if v := text(kind.field); v != "" && !(modified && kind.kind == "push") {
			s.pushes = append(s.pushes, SentPush{AppKey: a.key, Phone: phone, Kind: kind.kind, Text: v})
		}
	}
	answer := gin.H{
		"success":       s.flag(true, "Customer updated", "Customer not updated"),
		"sms_send":      s.flag(smsSent, "SMS sent", "SMS not sent"),
		"card":          s.flag(cardCreated, "Card created", "Card not created"),
		"card_url":      s.opts.PublicURL + "/wallet/apple/" + cust.UserHash,
		"card_gpay_url": s.opts.PublicURL + "/wallet/google/" + cust.UserHash,
		"form_url":      formURL,
		"user_hash":     cust.UserHash,
	}
	if cardCreated { // "created card number": only a call that created one
		answer["card_number"], answer["card_track"] = cust.CardNumber, cust.CardTrack
	}
	c.JSON(http.StatusOK, answer)
}

// boundValues are the customer's values of the variables the card template
// binds notifications to, as text, to see which a call changed.
func (s *Server) boundValues(c *Customer) map[string]string {
	out := map[string]string{}
	for _, k := range s.opts.NotificationVariables {
		switch k {
		case "balance":
			out[k] = c.Balance.String()
		case "bonus":
			out[k] = c.Bonus.String()
		case "discount":
			out[k] = c.Discount.String()
		default:
			if v, ok := c.Variables[k]; ok {
				out[k] = fmt.Sprint(v)
			}
		}
	}
	return out
}

func (s *Server) readCustomer(c *gin.Context) {
	a, b, ok := s.begin(c)
	if !ok {
		return
	}
	phone, ok := requirePhone(c, b)
	if !ok {
		return
	}
	invites, _, err1 := b.boolean("invites")
	installs, _, err2 := b.boolean("installs")
	if err1 != nil || err2 != nil {
		fail(c, http.StatusBadRequest, "invites and installs must be booleans")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cust := a.customers[phone]
	if cust == nil {
		fail(c, http.StatusNotFound, "customer not found")
		return
	}
	out := gin.H{
		"phone": cust.Phone, "email": cust.Email, "name": cust.Name,
		"surname": cust.Surname, "middlename": cust.Middlename, "birthday": cust.Birthday,
		"cardNumbers": cust.cards(),
		"cardTracks":  []gin.H{},
		"discount":    s.amountJSON(cust.Discount),
		"bonus":       s.amountJSON(cust.Bonus),
		"balance":     s.amountJSON(cust.Balance),
		"remoteId":    cust.RemoteID,
	}
	cardInstalls := []gin.H{}
	if cust.CardNumber != "" {
		out["cardTracks"] = []gin.H{{"card": cust.CardNumber, "track": cust.CardTrack}}
		cardInstalls = append(cardInstalls, gin.H{"card": cust.CardNumber, "install": cust.Installed})
	}
	if installs {
		out["cardInstalls"] = cardInstalls
	}
	if invites {
		out["invitedBy"] = cust.InvitedBy
		list := []string{}
		for _, other := range a.ordered() {
			if other.InvitedBy == phone {
				list = append(list, other.Phone)
			}
		}
		out["invites"] = list
	}
	c.JSON(http.StatusOK, gin.H{"customer": out})
}

// pageSize is read_customers' documented page.
const pageSize = 100

func (s *Server) readCustomers(c *gin.Context) {
	a, b, ok := s.begin(c)
	if !ok {
		return
	}
	start, end, ok := dateRange(c, b)
	if !ok {
		return
	}
	installed, filter, err := b.boolean("installed")
	if err != nil {
		fail(c, http.StatusBadRequest, "installed must be a boolean")
		return
	}
	offset, _, err := b.integer("offset")
	if err != nil || offset < 0 {
		fail(c, http.StatusBadRequest, "offset must be a non-negative integer")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	phones := []string{}
	for _, cust := range a.ordered() {
		if (start != nil && cust.RegisteredAt.Before(*start)) || (end != nil && cust.RegisteredAt.After(*end)) {
			continue
		}
		if filter && cust.Installed != installed {
			continue
		}
		phones = append(phones, cust.Phone)
	}
	if offset > len(phones) {
		offset = len(phones)
	}
	phones = phones[offset:min(offset+pageSize, len(phones))]
	c.JSON(http.StatusOK, gin.H{"customers": phones})
}
