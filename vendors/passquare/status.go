package passquare

import (
	"context"
	"encoding/json"

	"github.com/shopspring/decimal"
)

// AccountStatus is the answer of status: the account's name and its
// prepaid balance at Passquare.
type AccountStatus struct {
	App     string          `json:"app"`
	Balance decimal.Decimal `json:"balance"`
}

func (s *AccountStatus) UnmarshalJSON(b []byte) error {
	var w struct {
		App     flexString `json:"app"`
		Balance flexAmount `json:"balance"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	if w.Balance.bad {
		return invalid("balance", "not a decimal")
	}
	*s = AccountStatus{App: string(w.App), Balance: w.Balance.d}
	return nil
}

// Status checks the app_key and reads the account's status.
func (c *Client) Status(ctx context.Context) (*AccountStatus, error) {
	var out AccountStatus
	body := struct {
		AppKey string `json:"app_key"`
	}{c.appKey}
	if err := c.read(ctx, "POST /status", body, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
