package mews

import "context"

// MaxPageSize is the largest Limitation.Count Mews accepts.
const MaxPageSize = 1000

// Limitation bounds one page; Cursor is the last item id of the previous page.
type Limitation struct {
	Count  int     `json:"Count"`
	Cursor *string `json:"Cursor,omitempty"`
}

// normalized keeps Count where Mews accepts it (1 to 1000; out of range
// means the most) and drops an empty Cursor, which a server may refuse as
// an identifier that names nothing.
func (l Limitation) normalized() Limitation {
	if l.Count <= 0 || l.Count > MaxPageSize {
		l.Count = MaxPageSize
	}
	if l.Cursor != nil && *l.Cursor == "" {
		l.Cursor = nil
	}
	return l
}

// ActivityStates of customers/getAll.
const (
	ActivityActive  = "Active"
	ActivityDeleted = "Deleted"
)

// TimeInterval filters by a UTC interval of at most three months.
type TimeInterval struct {
	StartUtc Time `json:"StartUtc"`
	EndUtc   Time `json:"EndUtc"`
}

// CustomerExtent says what customers/getAll returns.
type CustomerExtent struct {
	Customers bool `json:"Customers"`
	Documents bool `json:"Documents"`
	Addresses bool `json:"Addresses"`
}

// GetCustomersRequest filters customers/getAll. Filters combine with AND;
// Mews needs at least one. Limitation.Count 0 means MaxPageSize, an
// all-false Extent means customers only, and no ActivityStates means active
// customers only (unless DeletedUtc is set).
type GetCustomersRequest struct {
	ChainIDs       []string       `json:"ChainIds,omitempty"`
	CreatedUtc     *TimeInterval  `json:"CreatedUtc,omitempty"`
	UpdatedUtc     *TimeInterval  `json:"UpdatedUtc,omitempty"`
	DeletedUtc     *TimeInterval  `json:"DeletedUtc,omitempty"`
	Extent         CustomerExtent `json:"Extent"`
	ActivityStates []string       `json:"ActivityStates,omitempty"` // ActivityActive, ActivityDeleted
	CustomerIDs    []string       `json:"CustomerIds,omitempty"`
	CompanyIDs     []string       `json:"CompanyIds,omitempty"`
	Emails         []string       `json:"Emails,omitempty"`
	FirstNames     []string       `json:"FirstNames,omitempty"`
	LastNames      []string       `json:"LastNames,omitempty"`
	LoyaltyCodes   []string       `json:"LoyaltyCodes,omitempty"`
	Limitation     Limitation     `json:"Limitation"`
}

// CustomersPage is one answer of customers/getAll. Documents are those of
// the page's customers when Extent.Documents was asked for.
type CustomersPage struct {
	Customers []Customer         `json:"Customers"`
	Documents []IdentityDocument `json:"Documents"`
	Cursor    *string            `json:"Cursor"`
}

// GetCustomers fetches one page of customers.
func (c *Client) GetCustomers(ctx context.Context, req GetCustomersRequest) (*CustomersPage, error) {
	if req.Extent == (CustomerExtent{}) {
		req.Extent.Customers = true
	}
	if len(req.ActivityStates) == 0 && req.DeletedUtc == nil {
		// The documents do not say what no ActivityStates returns, and a
		// deleted customer must never be taken for the guest.
		req.ActivityStates = []string{ActivityActive}
	}
	req.Limitation = req.Limitation.normalized()
	var page CustomersPage
	if err := c.call(ctx, "customers/getAll", req, &page); err != nil {
		return nil, err
	}
	return &page, nil
}

// AllCustomers follows the cursor from req.Limitation.Cursor until Mews
// returns a short or empty page, and returns every customer and document
// seen. Customers are always asked for: pages are counted in customers, and
// with Extent.Customers false every page would look empty.
func (c *Client) AllCustomers(ctx context.Context, req GetCustomersRequest) (*CustomersPage, error) {
	req.Extent.Customers = true
	req.Limitation = req.Limitation.normalized()
	all := &CustomersPage{}
	for {
		page, err := c.GetCustomers(ctx, req)
		if err != nil {
			return nil, err
		}
		all.Customers = append(all.Customers, page.Customers...)
		all.Documents = append(all.Documents, page.Documents...)
		all.Cursor = page.Cursor
		last := ""
		if n := len(page.Customers); n > 0 {
			last = page.Customers[n-1].ID
		}
		next := nextCursor(len(page.Customers), req.Limitation.Count, req.Limitation.Cursor, page.Cursor, last)
		if next == nil {
			return all, nil
		}
		req.Limitation.Cursor = next
	}
}

// nextCursor returns the cursor a walk goes on with, or nil when it is over.
// A page shorter than asked is the last one. The answer's Cursor is the id
// of the last item returned; identityDocuments documents it as optional, so
// when a server leaves it out the last item's id stands in. A cursor that
// did not move would loop forever.
func nextCursor(got, asked int, sent, received *string, lastID string) *string {
	if got == 0 || got < asked {
		return nil
	}
	next := received
	if next == nil || *next == "" {
		if lastID == "" {
			return nil
		}
		next = &lastID
	}
	if sent != nil && *sent == *next {
		return nil
	}
	return next
}

// AddCustomerRequest is customers/add. With OverwriteExisting, a customer
// already holding Email gets its personal details overwritten and is
// returned; without it, Mews refuses the duplicate with a 403.
//
// Title and Sex are always sent, null when unknown: the reference table
// marks both required, while the documented sample leaves Sex out, so a
// server may read either way and both accept a null.
type AddCustomerRequest struct {
	ChainID                 string              `json:"ChainId,omitempty"`
	OverwriteExisting       bool                `json:"OverwriteExisting"`
	Title                   *Title              `json:"Title"`
	FirstName               string              `json:"FirstName,omitempty"`
	LastName                string              `json:"LastName"`
	SecondLastName          string              `json:"SecondLastName,omitempty"`
	NationalityCode         string              `json:"NationalityCode,omitempty"`
	Sex                     *Sex                `json:"Sex"`
	BirthDate               Date                `json:"BirthDate,omitzero"`
	BirthPlace              string              `json:"BirthPlace,omitempty"`
	Occupation              string              `json:"Occupation,omitempty"`
	Email                   string              `json:"Email,omitempty"`
	Phone                   string              `json:"Phone,omitempty"`
	LoyaltyCode             string              `json:"LoyaltyCode,omitempty"`
	Notes                   string              `json:"Notes,omitempty"`
	CarRegistrationNumber   string              `json:"CarRegistrationNumber,omitempty"`
	DietaryRequirements     string              `json:"DietaryRequirements,omitempty"`
	TaxIdentificationNumber string              `json:"TaxIdentificationNumber,omitempty"`
	CompanyID               string              `json:"CompanyId,omitempty"`
	Address                 *AddressParameters  `json:"Address,omitempty"`
	IdentityCard            *DocumentParameters `json:"IdentityCard,omitempty"`
	Passport                *DocumentParameters `json:"Passport,omitempty"`
	Visa                    *DocumentParameters `json:"Visa,omitempty"`
	DriversLicense          *DocumentParameters `json:"DriversLicense,omitempty"`
	Classifications         []Classification    `json:"Classifications,omitempty"`
	Options                 []CustomerOption    `json:"Options,omitempty"`
	ItalianDestinationCode  string              `json:"ItalianDestinationCode,omitempty"`
	ItalianFiscalCode       string              `json:"ItalianFiscalCode,omitempty"`
}

// AddCustomer creates a customer (or overwrites the one with the same
// e-mail, see AddCustomerRequest) and returns it.
func (c *Client) AddCustomer(ctx context.Context, req AddCustomerRequest) (*Customer, error) {
	var out Customer
	if err := c.call(ctx, "customers/add", req, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateCustomerRequest is customers/update. Empty fields are left as they
// are in Mews (Mews never clears a field left blank). Only the two Italian
// codes travel in {"Value": ...} wrappers, as the documentation shows; a
// non-nil empty Classifications or Options slice replaces the list with
// nothing. Title and Sex are always sent, as for AddCustomerRequest:
// callers echo the customer's own values to leave them as they are.
type UpdateCustomerRequest struct {
	ChainID                 string              `json:"ChainId,omitempty"`
	CustomerID              string              `json:"CustomerId"`
	Title                   *Title              `json:"Title"`
	FirstName               string              `json:"FirstName,omitempty"`
	LastName                string              `json:"LastName,omitempty"`
	SecondLastName          string              `json:"SecondLastName,omitempty"`
	NationalityCode         string              `json:"NationalityCode,omitempty"`
	Sex                     *Sex                `json:"Sex"`
	BirthDate               Date                `json:"BirthDate,omitzero"`
	BirthPlace              string              `json:"BirthPlace,omitempty"`
	Occupation              string              `json:"Occupation,omitempty"`
	Email                   string              `json:"Email,omitempty"`
	Phone                   string              `json:"Phone,omitempty"`
	LoyaltyCode             string              `json:"LoyaltyCode,omitempty"`
	Notes                   string              `json:"Notes,omitempty"`
	CarRegistrationNumber   string              `json:"CarRegistrationNumber,omitempty"`
	DietaryRequirements     string              `json:"DietaryRequirements,omitempty"`
	TaxIdentificationNumber string              `json:"TaxIdentificationNumber,omitempty"`
	CompanyID               string              `json:"CompanyId,omitempty"`
	Address                 *AddressParameters  `json:"Address,omitempty"`
	IdentityCard            *DocumentParameters `json:"IdentityCard,omitempty"`
	Passport                *DocumentParameters `json:"Passport,omitempty"`
	Visa                    *DocumentParameters `json:"Visa,omitempty"`
	DriversLicense          *DocumentParameters `json:"DriversLicense,omitempty"`
	Classifications         []Classification    `json:"Classifications,omitzero"`
	Options                 []CustomerOption    `json:"Options,omitzero"`
	ItalianDestinationCode  *Update[string]     `json:"ItalianDestinationCode,omitempty"`
	ItalianFiscalCode       *Update[string]     `json:"ItalianFiscalCode,omitempty"`
}

// UpdateCustomer changes a customer's details and returns the customer.
func (c *Client) UpdateCustomer(ctx context.Context, req UpdateCustomerRequest) (*Customer, error) {
	var out Customer
	if err := c.call(ctx, "customers/update", req, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// CheckAccess checks the client and access tokens with the cheapest
// documented call that reads no guest: customers/getAll for the nil id
// (a filter is required), with every Extent false and a Limitation of 1,
// which the document says still answers (a Cursor "even when using
// Extents set to false so that no actual data is returned").
func (c *Client) CheckAccess(ctx context.Context) error {
	req := GetCustomersRequest{CustomerIDs: []string{"00000000-0000-0000-0000-000000000000"},
		ActivityStates: []string{ActivityActive}, Limitation: Limitation{Count: 1}}
	return c.call(ctx, "customers/getAll", req, &CustomersPage{})
}
