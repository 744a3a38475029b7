package sandbox

import "time"

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
