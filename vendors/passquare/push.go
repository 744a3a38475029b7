package passquare

import "context"

// Campaign types of push/create.
const (
	PushText     = "text"     // push to the wallet cards
	PushWebpush  = "webpush"  // needs the web push Marketplace app
	PushTelegram = "telegram" // needs the Telegram Marketplace app
)

// NewCampaign is the body of push/create.
type NewCampaign struct {
	Message     string // required
	Type        string // PushText, PushWebpush or PushTelegram; "" means PushText
	Name        string // shown in the dashboard; optional
	SegmentUUID string // a segment of the customer base; "" means everyone
}

// Campaign is a created push campaign.
type Campaign struct {
	Name    string `json:"name"`
	UUID    string `json:"uuid"`
	Message string `json:"message"`
}

// PushToCard sends a personalised push to one customer's wallet card. The
// call carries the phone and the text alone, as the document's example: a
// push sent together with a change to a variable the card template binds
// notifications to is replaced by Passquare's system notification that the
// card has been modified. A caller that changes the balance and pushes makes
// two calls, the change first; the client's spacing keeps them within the
// rate limit.
func (c *Client) PushToCard(ctx context.Context, phone, text string) error {
	if text == "" {
		return invalid("push", "required")
	}
	_, err := c.UserCreateOrUpdate(ctx, CustomerUpdate{Phone: phone, Push: text})
	return err
}

// PushCreate creates a push campaign; PushSend executes it.
func (c *Client) PushCreate(ctx context.Context, n NewCampaign) (*Campaign, error) {
	if n.Message == "" {
		return nil, invalid("message", "required")
	}
	typ := n.Type
	if typ == "" {
		typ = PushText
	}
	switch typ {
	case PushText, PushWebpush, PushTelegram:
	default:
		return nil, invalid("type", "must be text, webpush or telegram")
	}
	body := struct {
		AppKey      string `json:"app_key"`
		Message     string `json:"message"`
		Type        string `json:"type"`
		Name        string `json:"name,omitempty"`
		SegmentUUID string `json:"segment_uuid,omitempty"`
	}{c.appKey, n.Message, typ, n.Name, n.SegmentUUID}
	var out struct {
		Result Campaign `json:"result"`
	}
	if err := c.post(ctx, "POST /crm/push/create", body, &out); err != nil {
		return nil, err
	}
	return &out.Result, nil
}

// PushSend executes a campaign made by PushCreate. Its answer is not
// documented; one that says success false is returned as a
// *vendorhttp.Error with the vendor's message, any other counts as sent.
func (c *Client) PushSend(ctx context.Context, pushUUID string) error {
	if pushUUID == "" {
		return invalid("push_uuid", "required")
	}
	body := struct {
		AppKey   string `json:"app_key"`
		PushUUID string `json:"push_uuid"`
	}{c.appKey, pushUUID}
	return c.post(ctx, "POST /crm/push/send", body, nil)
}
