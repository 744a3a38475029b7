package sandbox

import (
	"encoding/json"
	"net/http"
)

type interval struct {
	StartUtc *string `json:"StartUtc"`
	EndUtc   *string `json:"EndUtc"`
}

type limitation struct {
	Count  *int    `json:"Count"`
	Cursor *string `json:"Cursor"`
}

func (v *checks) limitation(l *limitation) (count int, cursor *string) {
	if l == nil {
		v.fail("Limitation is required.")
		return 0, nil
	}
	if l.Count == nil {
		v.fail("Limitation Count is required.")
		return 0, nil
	}
	if *l.Count < 1 || *l.Count > 1000 {
		v.fail("Limitation Count must be between 1 and 1000.")
	}
	if l.Cursor != nil && *l.Cursor != "" {
		v.guid("Limitation Cursor", *l.Cursor)
	}
	return *l.Count, l.Cursor
}

// interval checks a filter interval of at most three months and returns a
// test for it.
func (v *checks) interval(field string, in *interval) func(string) bool {
	if in == nil {
		return func(string) bool { return true }
	}
	if in.StartUtc == nil || in.EndUtc == nil {
		v.fail("%s needs StartUtc and EndUtc.", field)
		return nil
	}
	start, err1 := parseInstant(*in.StartUtc)
	end, err2 := parseInstant(*in.EndUtc)
	switch {
	case err1 != nil || err2 != nil:
		v.fail("%s must be ISO 8601 timestamps.", field)
		return nil
	case end.Before(start):
		v.fail("%s ends before it starts.", field)
		return nil
	case end.After(start.AddDate(0, 3, 0)):
		v.fail("%s must not be longer than 3 months.", field)
		return nil
	}
	return func(ts string) bool {
		t, err := parseInstant(ts)
		return err == nil && !t.Before(start) && !t.After(end)
	}
}

func (s *Server) getCustomers(e *enterprise, body []byte) (any, *failure) {
	var req struct {
		ChainIds   []string  `json:"ChainIds"`
		CreatedUtc *interval `json:"CreatedUtc"`
		UpdatedUtc *interval `json:"UpdatedUtc"`
		DeletedUtc *interval `json:"DeletedUtc"`
		Extent     *struct {
			Customers bool `json:"Customers"`
			Documents bool `json:"Documents"`
			Addresses bool `json:"Addresses"`
		} `json:"Extent"`
		ActivityStates []string    `json:"ActivityStates"`
		CustomerIds    []string    `json:"CustomerIds"`
		CompanyIds     []string    `json:"CompanyIds"`
		Emails         []string    `json:"Emails"`
		FirstNames     []string    `json:"FirstNames"`
		LastNames      []string    `json:"LastNames"`
		LoyaltyCodes   []string    `json:"LoyaltyCodes"`
		Limitation     *limitation `json:"Limitation"`
	}
	if f := decode(body, &req); f != nil {
		return nil, f
	}
	v := &checks{}
	if req.Extent == nil {
		v.fail("Extent is required.")
	}
	count, cursor := v.limitation(req.Limitation)
	v.maxItems("ChainIds", len(req.ChainIds), 1000)
	v.maxItems("CustomerIds", len(req.CustomerIds), 1000)
	v.maxItems("CompanyIds", len(req.CompanyIds), 1)
	v.maxItems("Emails", len(req.Emails), 1000)
	v.maxItems("FirstNames", len(req.FirstNames), 1000)
	v.maxItems("LastNames", len(req.LastNames), 1000)
	v.maxItems("LoyaltyCodes", len(req.LoyaltyCodes), 1000)
	v.allOf("ActivityStates", req.ActivityStates, "Active", "Deleted")
	ids := set(v.guids("CustomerIds", req.CustomerIds), false)
	if contains(s.opts.IgnoredFilters, "CustomerIds") {
		ids = set(nil, false)
	}
	companies := set(v.guids("CompanyIds", req.CompanyIds), false)
	created := v.interval("CreatedUtc", req.CreatedUtc)
	updated := v.interval("UpdatedUtc", req.UpdatedUtc)
	deletedIn := v.interval("DeletedUtc", req.DeletedUtc)
	if len(req.CustomerIds)+len(req.CompanyIds)+len(req.Emails)+len(req.FirstNames)+len(req.LastNames)+len(req.LoyaltyCodes) == 0 &&
		req.CreatedUtc == nil && req.UpdatedUtc == nil && req.DeletedUtc == nil {
		v.fail("CustomerIds are required when no other filter is given.")
	}
	if v.f != nil {
		return nil, v.f
	}
	applied := func(filter string, values []string) []string {
		if contains(s.opts.IgnoredFilters, filter) {
			return nil
		}
		return values
	}
	emails, firstNames := set(applied("Emails", req.Emails), true), set(applied("FirstNames", req.FirstNames), true)
	lastNames, loyalty := set(applied("LastNames", req.LastNames), true), set(applied("LoyaltyCodes", req.LoyaltyCodes), false)
	states := applied("ActivityStates", req.ActivityStates)
	if states == nil && len(req.ActivityStates) > 0 {
		states = []string{"Active", "Deleted"}
	}
	activeWanted := (len(states) == 0 || contains(states, "Active")) && req.DeletedUtc == nil
	deletedWanted := contains(states, "Deleted")
	keep := func(c *Customer) bool {
		state := activeWanted
		if !c.IsActive {
			state = deletedWanted && deletedIn(e.deletedUtc[c.ID])
		}
		return state &&
			ids.has(c.ID) && companies.has(deref(c.CompanyID)) &&
			emails.has(deref(c.Email)) && firstNames.has(deref(c.FirstName)) && lastNames.has(c.LastName) &&
			loyalty.has(deref(c.LoyaltyCode)) && created(c.CreatedUtc) && updated(c.UpdatedUtc)
	}
	found, next, f := page(e, e.customers, func(c *Customer) string { return c.ID }, keep, count, cursor)
	if f != nil {
		return nil, f
	}
	out := struct {
		Customers []Customer       `json:"Customers"`
		Documents []LegacyDocument `json:"Documents"`
		Cursor    *string          `json:"Cursor"`
	}{Customers: []Customer{}, Documents: []LegacyDocument{}, Cursor: next}
	for _, c := range found {
		if req.Extent.Customers {
			out.Customers = append(out.Customers, e.render(c))
		}
		if req.Extent.Documents {
			for _, d := range e.documentsOf(c.ID) {
				out.Documents = append(out.Documents, *legacy(d))
			}
		}
	}
	return out, nil
}

const duplicateEmail = "A customer with the same email already exists."

func (s *Server) addCustomer(e *enterprise, body []byte) (any, *failure) {
	var req struct {
		customerFields
		ChainId                *string `json:"ChainId"`
		OverwriteExisting      *bool   `json:"OverwriteExisting"`
		ItalianDestinationCode *string `json:"ItalianDestinationCode"`
		ItalianFiscalCode      *string `json:"ItalianFiscalCode"`
	}
	if f := decode(body, &req); f != nil {
		return nil, f
	}
	v := &checks{}
	v.required("LastName", req.LastName)
	if req.OverwriteExisting == nil {
		v.fail("OverwriteExisting is required.")
	}
	req.check(v)
	if v.f != nil {
		return nil, v.f
	}
	now := s.now()
	if req.Email != nil && *req.Email != "" {
		if existing := e.customerByEmail(*req.Email); existing != nil {
			if !*req.OverwriteExisting {
				return nil, &failure{http.StatusForbidden, duplicateEmail}
			}
			req.applyPersonal(existing)
			setIfGiven(&existing.ItalianDestinationCode, req.ItalianDestinationCode)
			setIfGiven(&existing.ItalianFiscalCode, req.ItalianFiscalCode)
			existing.UpdatedUtc = now
			return e.render(existing), nil
		}
	}
	c := &Customer{
		ID: e.issue(newID()), ChainID: e.chainID, Number: e.number(), CreatedUtc: now, UpdatedUtc: now,
		IsActive: true, Classifications: []string{}, Options: []string{}, PreferredSpaceFeatures: []string{},
	}
	e.customers[c.ID] = c
	req.applyPersonal(c)
	req.applyRest(e, c)
	setIfGiven(&c.ItalianDestinationCode, req.ItalianDestinationCode)
	setIfGiven(&c.ItalianFiscalCode, req.ItalianFiscalCode)
	return e.render(c), nil
}

func (s *Server) updateCustomer(e *enterprise, body []byte) (any, *failure) {
	var req struct {
		customerFields
		ChainId                *string         `json:"ChainId"`
		CustomerId             *string         `json:"CustomerId"`
		ItalianDestinationCode json.RawMessage `json:"ItalianDestinationCode"`
		ItalianFiscalCode      json.RawMessage `json:"ItalianFiscalCode"`
	}
	if f := decode(body, &req); f != nil {
		return nil, f
	}
	v := &checks{}
	v.required("CustomerId", req.CustomerId)
	if v.f != nil {
		return nil, v.f
	}
	id := v.guid("CustomerId", *req.CustomerId)
	req.check(v)
	destination, setDestination := wrapped(v, "ItalianDestinationCode", req.ItalianDestinationCode)
	fiscal, setFiscal := wrapped(v, "ItalianFiscalCode", req.ItalianFiscalCode)
	if v.f != nil {
		return nil, v.f
	}
	c := e.customers[id]
	if c == nil {
		return nil, badRequest("Invalid CustomerId.")
	}
	if req.Email != nil && *req.Email != "" {
		if other := e.customerByEmail(*req.Email); other != nil && other != c {
			return nil, &failure{http.StatusForbidden, duplicateEmail}
		}
	}
	req.applyPersonal(c)
	req.applyRest(e, c)
	if setDestination {
		c.ItalianDestinationCode = destination
	}
	if setFiscal {
		c.ItalianFiscalCode = fiscal
	}
	c.UpdatedUtc = s.now()
	return e.render(c), nil
}
