package passquare

import (
	"context"
	"encoding/json"

	"github.com/shopspring/decimal"
)

// CustomerUpdate is the body of user_create_or_update: it creates the
// customer (and their card) when the phone is new and updates the given
// fields otherwise. Empty or nil fields are left out, so they stay as they are.
type CustomerUpdate struct {
	Phone        string           // required, E.164
	Name         string           // required when the customer is new
	Email        string           // optional
	Surname      string           // optional
	Middlename   string           // optional
	Birthday     *Date            // optional; sent as dd.mm.yyyy
	Discount     *decimal.Decimal // discount percentage
	Bonus        *decimal.Decimal // bonus percentage
	Balance      *decimal.Decimal // amount of bonuses
	TemplateUUID string           // card design template
	CustomerID   string           // our id for the customer, read back as remoteId
	Link         string           // the card issuance form; Passquare personalises it
	SMS          string           // SMS text; %link% becomes the personalised link
	Push         string           // push to the wallet card; alone, see PushToCard
	SendWebpush  string           // web push (Marketplace app required)
	SendTelegram string           // Telegram message (Marketplace app required)
	// Variables are the card template's custom variables, sent beside the
	// documented fields in the same JSON object.
	Variables map[string]string
}

// UpdateResult is the answer of user_create_or_update.
type UpdateResult struct {
	Success     Outcome `json:"success"`
	SMSSent     Outcome `json:"sms_send"`
	Card        Outcome `json:"card"`
	CardNumber  string  `json:"card_number"`
	CardTrack   string  `json:"card_track"`
	CardURL     string  `json:"card_url"`      // Apple Wallet
	CardGPayURL string  `json:"card_gpay_url"` // Google Wallet
	FormURL     string  `json:"form_url"`
	UserHash    string  `json:"user_hash"`
}

func (r *UpdateResult) UnmarshalJSON(b []byte) error {
	var w struct {
		Success     Outcome    `json:"success"`
		SMSSent     Outcome    `json:"sms_send"`
		Card        Outcome    `json:"card"`
		CardNumber  flexString `json:"card_number"`
		CardTrack   flexString `json:"card_track"`
		CardURL     string     `json:"card_url"`
		CardGPayURL string     `json:"card_gpay_url"`
		FormURL     string     `json:"form_url"`
		UserHash    string     `json:"user_hash"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*r = UpdateResult{
		Success: w.Success, SMSSent: w.SMSSent, Card: w.Card,
		CardNumber: string(w.CardNumber), CardTrack: string(w.CardTrack),
		CardURL: w.CardURL, CardGPayURL: w.CardGPayURL, FormURL: w.FormURL, UserHash: w.UserHash,
	}
	return nil
}

// documentedFields are the keys a custom variable must not overwrite.
var documentedFields = map[string]bool{
	"app_key": true, "phone": true, "name": true, "email": true, "surname": true,
	"middlename": true, "birthday": true, "discount": true, "bonus": true,
	"balance": true, "template_uuid": true, "customerId": true, "link": true,
	"sms": true, "push": true, "send_webpush": true, "send_telegram": true,
}

func (u CustomerUpdate) body(appKey string) (map[string]any, error) {
	if err := checkPhone("phone", u.Phone); err != nil {
		return nil, err
	}
	if u.Push != "" && (u.Discount != nil || u.Bonus != nil || u.Balance != nil || len(u.Variables) > 0) {
		return nil, invalid("push", "sent with a variable change, Passquare replaces it with its card-modified notice; send it alone")
	}
	m := map[string]any{"app_key": appKey, "phone": u.Phone}
	for k, v := range u.Variables {
		if documentedFields[k] {
			return nil, invalid("variables."+k, "collides with a documented field")
		}
		m[k] = v
	}
	for k, v := range map[string]string{
		"name": u.Name, "email": u.Email, "surname": u.Surname, "middlename": u.Middlename,
		"template_uuid": u.TemplateUUID, "customerId": u.CustomerID, "link": u.Link,
		"sms": u.SMS, "push": u.Push, "send_webpush": u.SendWebpush, "send_telegram": u.SendTelegram,
	} {
		if v != "" {
			m[k] = v
		}
	}
	if u.Birthday != nil && !u.Birthday.IsZero() {
		m["birthday"] = u.Birthday.String()
	}
	for k, v := range map[string]*decimal.Decimal{"discount": u.Discount, "bonus": u.Bonus, "balance": u.Balance} {
		if v != nil {
			m[k] = amountString(*v)
		}
	}
	return m, nil
}

// UserCreateOrUpdate creates or updates a customer and their card, and sends
// the SMS or pushes asked for. A phone that is not E.164 is refused with a
// *FieldError before anything is sent. An answer whose success is an explicit
// false is returned as a *vendorhttp.Error with the vendor's message.
func (c *Client) UserCreateOrUpdate(ctx context.Context, u CustomerUpdate) (*UpdateResult, error) {
	body, err := u.body(c.appKey)
	if err != nil {
		return nil, err
	}
	var out UpdateResult
	if err := c.post(ctx, "POST /crm/user_create_or_update", body, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
