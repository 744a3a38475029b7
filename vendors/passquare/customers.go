package passquare

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// PageSize is how many phones read_customers returns per call.
const PageSize = 100

// dateTimeLayout is the documented form of start_date and end_date
// ("31.12.2020 23:59:59"); Passquare reads them in the account's time zone,
// so callers pass times in that zone.
const dateTimeLayout = "02.01.2006 15:04:05"

// CustomersQuery selects customers by registration date and card state.
type CustomersQuery struct {
	Start     *time.Time // registered at or after; nil: no lower bound
	End       *time.Time // registered at or before; nil: no upper bound
	Installed *bool      // nil: all; true: card installed; false: not installed
	Offset    int        // position of the first phone to return
}

// ReadCustomers returns one page (at most PageSize phones) of the customers
// matching q.
func (c *Client) ReadCustomers(ctx context.Context, q CustomersQuery) ([]string, error) {
	body := struct {
		AppKey    string `json:"app_key"`
		StartDate string `json:"start_date,omitempty"`
		EndDate   string `json:"end_date,omitempty"`
		Installed *bool  `json:"installed,omitempty"`
		Offset    int    `json:"offset"`
	}{AppKey: c.appKey, Installed: q.Installed, Offset: q.Offset}
	if q.Start != nil {
		body.StartDate = q.Start.Format(dateTimeLayout)
	}
	if q.End != nil {
		body.EndDate = q.End.Format(dateTimeLayout)
	}
	var out struct {
		Customers []json.RawMessage `json:"customers"`
	}
	if err := c.post(ctx, "POST /crm/read_customers", body, &out); err != nil {
		return nil, err
	}
	phones := make([]string, 0, len(out.Customers))
	for _, raw := range out.Customers {
		p, err := phoneOf(raw)
		if err != nil {
			return nil, fmt.Errorf("%s POST /crm/read_customers: %w", Vendor, err)
		}
		phones = append(phones, p)
	}
	return phones, nil
}

// phoneOf reads a list entry: documented as a phone string, but an object
// with a phone is accepted too.
func phoneOf(raw json.RawMessage) (string, error) {
	var s flexString
	if err := s.UnmarshalJSON(raw); err == nil {
		return string(s), nil
	}
	var obj struct {
		Phone flexString `json:"phone"`
	}
	if err := json.Unmarshal(raw, &obj); err != nil || obj.Phone == "" {
		return "", invalid("customers", "entry is neither a phone nor an object with one")
	}
	return string(obj.Phone), nil
}

// AllCustomers walks read_customers from q.Offset until a page holds fewer
// than PageSize phones, and returns every phone once. Each page is one
// request against the hourly quota, so no empty page is fetched after a
// short one. A full page that adds nothing new means the offset is being
// ignored; the walk stops with an error instead of looping.
func (c *Client) AllCustomers(ctx context.Context, q CustomersQuery) ([]string, error) {
	var all []string
	seen := map[string]bool{}
	for {
		page, err := c.ReadCustomers(ctx, q)
		if err != nil {
			return nil, err
		}
		added := 0
		for _, p := range page {
			if !seen[p] {
				seen[p] = true
				all = append(all, p)
				added++
			}
		}
		if len(page) < PageSize {
			return all, nil
		}
		if added == 0 {
			return nil, fmt.Errorf("%s POST /crm/read_customers: page at offset %d repeats earlier phones", Vendor, q.Offset)
		}
		q.Offset += len(page)
	}
}
