package passquare

import (
	"context"
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
		Customers []string `json:"customers"` // phones, as documented
	}
	if err := c.read(ctx, "POST /crm/read_customers", body, &out); err != nil {
		return nil, err
	}
	return out.Customers, nil
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
