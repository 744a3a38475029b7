package mews

import "context"

// MaxPageSize is the largest Limitation.Count Mews accepts.
const MaxPageSize = 1000

// Limitation bounds one page; Cursor is the last item id of the previous page.
type Limitation struct {
	Count  int     `json:"Count"`
	Cursor *string `json:"Cursor,omitempty"`
}

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
// Mews needs at least one. Limitation.Count 0 means MaxPageSize, and an
// all-false Extent means customers only.
type GetCustomersRequest struct {
	ChainIDs       []string       `json:"ChainIds,omitempty"`
	CreatedUtc     *TimeInterval  `json:"CreatedUtc,omitempty"`
	UpdatedUtc     *TimeInterval  `json:"UpdatedUtc,omitempty"`
	DeletedUtc     *TimeInterval  `json:"DeletedUtc,omitempty"`
	Extent         CustomerExtent `json:"Extent"`
	ActivityStates []string       `json:"ActivityStates,omitempty"` // Active, Deleted
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
	if req.Limitation.Count == 0 {
		req.Limitation.Count = MaxPageSize
	}
	var page CustomersPage
	if err := c.call(ctx, "customers/getAll", req, &page); err != nil {
		return nil, err
	}
	return &page, nil
}

// AllCustomers follows the cursor from req.Limitation.Cursor until Mews
// returns a short or empty page or no cursor, and returns every customer
// and document seen.
func (c *Client) AllCustomers(ctx context.Context, req GetCustomersRequest) (*CustomersPage, error) {
	all := &CustomersPage{}
	for {
		page, err := c.GetCustomers(ctx, req)
		if err != nil {
			return nil, err
		}
		all.Customers = append(all.Customers, page.Customers...)
		all.Documents = append(all.Documents, page.Documents...)
		all.Cursor = page.Cursor
		count := req.Limitation.Count
		if count == 0 {
			count = MaxPageSize
		}
		if !nextPage(len(page.Customers), count, req.Limitation.Cursor, page.Cursor) {
			return all, nil
		}
		req.Limitation.Cursor = page.Cursor
	}
}

// nextPage decides whether a cursor walk goes on. A page shorter than asked
// is the last one; a missing or repeated cursor would loop forever.
func nextPage(got, asked int, sent, received *string) bool {
	if got == 0 || got < asked || received == nil || *received == "" {
		return false
	}
	return sent == nil || *sent != *received
}

// AddCustomerRequest is customers/add. With OverwriteExisting, a customer
// already holding Email gets its personal details overwritten and is
// returned; without it, Mews refuses the duplicate with a 403.
type AddCustomerRequest struct {
	ChainID                 string              `json:"ChainId,omitempty"`
	OverwriteExisting       bool                `json:"OverwriteExisting"`
	Title                   Title               `json:"Title,omitempty"`
	FirstName               string              `json:"FirstName,omitempty"`
	LastName                string              `json:"LastName"`
	SecondLastName          string              `json:"SecondLastName,omitempty"`
	NationalityCode         string              `json:"NationalityCode,omitempty"`
	Sex                     Sex                 `json:"Sex,omitempty"`
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
// nothing.
type UpdateCustomerRequest struct {
	ChainID                 string              `json:"ChainId,omitempty"`
	CustomerID              string              `json:"CustomerId"`
	Title                   Title               `json:"Title,omitempty"`
	FirstName               string              `json:"FirstName,omitempty"`
	LastName                string              `json:"LastName,omitempty"`
	SecondLastName          string              `json:"SecondLastName,omitempty"`
	NationalityCode         string              `json:"NationalityCode,omitempty"`
	Sex                     Sex                 `json:"Sex,omitempty"`
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
