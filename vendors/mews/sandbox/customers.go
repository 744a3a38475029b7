package sandbox

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"
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
	companies := set(v.guids("CompanyIds", req.CompanyIds), false)
	created := v.interval("CreatedUtc", req.CreatedUtc)
	updated := v.interval("UpdatedUtc", req.UpdatedUtc)
	v.interval("DeletedUtc", req.DeletedUtc)
	if len(req.CustomerIds)+len(req.CompanyIds)+len(req.Emails)+len(req.FirstNames)+len(req.LastNames)+len(req.LoyaltyCodes) == 0 &&
		req.CreatedUtc == nil && req.UpdatedUtc == nil && req.DeletedUtc == nil {
		v.fail("CustomerIds are required when no other filter is given.")
	}
	if v.f != nil {
		return nil, v.f
	}
	emails, firstNames := set(req.Emails, true), set(req.FirstNames, true)
	lastNames, loyalty := set(req.LastNames, true), set(req.LoyaltyCodes, false)
	// Customers are never deleted here, so a request for deleted ones only
	// finds nothing.
	activeWanted := (len(req.ActivityStates) == 0 || contains(req.ActivityStates, "Active")) && req.DeletedUtc == nil
	keep := func(c *Customer) bool {
		return activeWanted &&
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

// addressParameters and documentParameters are the nested shapes
// customers/add and update accept.
type addressParameters struct {
	Line1                  *string `json:"Line1"`
	Line2                  *string `json:"Line2"`
	City                   *string `json:"City"`
	PostalCode             *string `json:"PostalCode"`
	CountryCode            *string `json:"CountryCode"`
	CountrySubdivisionCode *string `json:"CountrySubdivisionCode"`
}

type documentParameters struct {
	Number             *string `json:"Number"`
	Expiration         *string `json:"Expiration"`
	Issuance           *string `json:"Issuance"`
	IssuingCountryCode *string `json:"IssuingCountryCode"`
	IssuingCity        *string `json:"IssuingCity"`
}

// customerFields are what customers/add and update share.
type customerFields struct {
	Title                   *string             `json:"Title"`
	FirstName               *string             `json:"FirstName"`
	LastName                *string             `json:"LastName"`
	SecondLastName          *string             `json:"SecondLastName"`
	NationalityCode         *string             `json:"NationalityCode"`
	Sex                     *string             `json:"Sex"`
	BirthDate               *string             `json:"BirthDate"`
	BirthPlace              *string             `json:"BirthPlace"`
	Occupation              *string             `json:"Occupation"`
	Email                   *string             `json:"Email"`
	Phone                   *string             `json:"Phone"`
	LoyaltyCode             *string             `json:"LoyaltyCode"`
	Notes                   *string             `json:"Notes"`
	CarRegistrationNumber   *string             `json:"CarRegistrationNumber"`
	DietaryRequirements     *string             `json:"DietaryRequirements"`
	TaxIdentificationNumber *string             `json:"TaxIdentificationNumber"`
	CompanyId               *string             `json:"CompanyId"`
	Address                 *addressParameters  `json:"Address"`
	IdentityCard            *documentParameters `json:"IdentityCard"`
	Passport                *documentParameters `json:"Passport"`
	Visa                    *documentParameters `json:"Visa"`
	DriversLicense          *documentParameters `json:"DriversLicense"`
	Classifications         []string            `json:"Classifications"`
	Options                 []string            `json:"Options"`
}

// check validates the fields and normalizes codes and dates in place.
func (f *customerFields) check(v *checks) {
	f.Title, f.Sex = blankIsNil(f.Title), blankIsNil(f.Sex)
	v.oneOf("Title", f.Title, titles...)
	v.oneOf("Sex", f.Sex, sexes...)
	f.NationalityCode = v.country("NationalityCode", f.NationalityCode)
	f.BirthDate = v.date("BirthDate", f.BirthDate, time.DateOnly)
	v.email("Email", f.Email)
	v.maxLength("CarRegistrationNumber", f.CarRegistrationNumber, 255)
	v.maxLength("DietaryRequirements", f.DietaryRequirements, 255)
	if f.CompanyId = blankIsNil(f.CompanyId); f.CompanyId != nil {
		id := v.guid("CompanyId", *f.CompanyId)
		f.CompanyId = &id
	}
	if f.Address != nil {
		f.Address.CountryCode = v.country("Address CountryCode", f.Address.CountryCode)
	}
	for name, d := range f.documents() {
		if d == nil {
			continue
		}
		d.Expiration = v.date(name+" Expiration", d.Expiration, time.DateOnly)
		d.Issuance = v.date(name+" Issuance", d.Issuance, time.DateOnly)
		d.IssuingCountryCode = v.country(name+" IssuingCountryCode", d.IssuingCountryCode)
	}
	v.allOf("Classifications", f.Classifications, classifications...)
	v.allOf("Options", f.Options, customerOptions...)
}

func (f *customerFields) documents() map[string]*documentParameters {
	return map[string]*documentParameters{
		"IdentityCard": f.IdentityCard, "Passport": f.Passport, "Visa": f.Visa, "DriversLicense": f.DriversLicense,
	}
}

// applyPersonal writes the basic personal information; blank fields leave
// the customer's value intact, as Mews does.
func (f *customerFields) applyPersonal(c *Customer) {
	for _, p := range []struct {
		to   **string
		from *string
	}{
		{&c.Title, f.Title}, {&c.FirstName, f.FirstName}, {&c.SecondLastName, f.SecondLastName},
		{&c.NationalityCode, f.NationalityCode}, {&c.Sex, f.Sex}, {&c.BirthDate, f.BirthDate},
		{&c.BirthPlace, f.BirthPlace}, {&c.Occupation, f.Occupation}, {&c.Email, f.Email}, {&c.Phone, f.Phone},
		{&c.LoyaltyCode, f.LoyaltyCode}, {&c.Notes, f.Notes}, {&c.CarRegistrationNumber, f.CarRegistrationNumber},
		{&c.DietaryRequirements, f.DietaryRequirements}, {&c.TaxIdentificationNumber, f.TaxIdentificationNumber},
		{&c.CompanyID, f.CompanyId},
	} {
		if p.from != nil && *p.from != "" {
			v := *p.from
			*p.to = &v
		}
	}
	if f.LastName != nil && *f.LastName != "" {
		c.LastName = *f.LastName
	}
}

// applyRest writes the address, documents and lists.
func (f *customerFields) applyRest(e *enterprise, c *Customer) {
	if a := f.Address; a != nil {
		if c.Address == nil {
			c.Address = &Address{ID: newID()}
			c.AddressID = &c.Address.ID
		}
		for _, p := range []struct {
			to   **string
			from *string
		}{
			{&c.Address.Line1, a.Line1}, {&c.Address.Line2, a.Line2}, {&c.Address.City, a.City},
			{&c.Address.PostalCode, a.PostalCode}, {&c.Address.CountryCode, a.CountryCode},
			{&c.Address.CountrySubdivisionCode, a.CountrySubdivisionCode},
		} {
			if p.from != nil && *p.from != "" {
				v := *p.from
				*p.to = &v
			}
		}
	}
	for kind, d := range f.documents() {
		if d == nil {
			continue
		}
		var doc *IdentityDocument
		for _, existing := range e.documentsOf(c.ID) {
			if existing.Type == kind {
				doc = existing
			}
		}
		if doc == nil {
			id := e.addDocument(IdentityDocument{CustomerID: c.ID, Type: kind})
			doc = e.docs[id]
		}
		if d.Number != nil && *d.Number != "" {
			doc.Number = *d.Number
		}
		if d.Expiration != nil {
			doc.ExpirationDate = documentDate(d.Expiration)
		}
		if d.Issuance != nil {
			doc.IssuanceDate = documentDate(d.Issuance)
		}
		if d.IssuingCountryCode != nil {
			doc.IssuingCountryCode = d.IssuingCountryCode
		}
		if d.IssuingCity != nil && *d.IssuingCity != "" {
			city := *d.IssuingCity
			doc.IssuingCity = &city
		}
	}
	if f.Classifications != nil {
		c.Classifications = f.Classifications
	}
	if f.Options != nil {
		c.Options = f.Options
	}
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

// stringSet is a filter over one field: empty means "any value".
type stringSet struct {
	m        map[string]bool
	foldCase bool
}

func set(values []string, foldCase bool) stringSet {
	s := stringSet{foldCase: foldCase}
	if len(values) > 0 {
		s.m = map[string]bool{}
		for _, x := range values {
			if foldCase {
				x = strings.ToLower(strings.TrimSpace(x))
			}
			s.m[x] = true
		}
	}
	return s
}

func (s stringSet) has(x string) bool {
	if s.m == nil {
		return true
	}
	if s.foldCase {
		x = strings.ToLower(strings.TrimSpace(x))
	}
	return s.m[x]
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func blankIsNil(s *string) *string {
	if s == nil || strings.TrimSpace(*s) == "" {
		return nil
	}
	return s
}

func setIfGiven(to **string, from *string) {
	if from != nil && *from != "" {
		v := *from
		*to = &v
	}
}
