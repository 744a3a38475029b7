package mews

import "encoding/json"

// DocumentType is the kind of identity document.
type DocumentType string

const (
	DocumentIdentityCard   DocumentType = "IdentityCard"
	DocumentPassport       DocumentType = "Passport"
	DocumentVisa           DocumentType = "Visa"
	DocumentDriversLicense DocumentType = "DriversLicense"
)

// Valid reports whether t is one of the types Mews accepts.
func (t DocumentType) Valid() bool {
	switch t {
	case DocumentIdentityCard, DocumentPassport, DocumentVisa, DocumentDriversLicense:
		return true
	}
	return false
}

// IdentityDocument is a customer's identity document (the 2024-10-25
// version). It also decodes the older shape that customers/getAll still
// returns, whose dates are named Expiration and Issuance.
type IdentityDocument struct {
	ID                            string        `json:"Id"`
	CustomerID                    string        `json:"CustomerId"`
	Type                          DocumentType  `json:"Type"`
	Number                        string        `json:"Number"`
	ExpirationDate                *DocumentDate `json:"ExpirationDate"`
	IssuanceDate                  *DocumentDate `json:"IssuanceDate"`
	IssuingCountryCode            *string       `json:"IssuingCountryCode"` // ISO 3166-1 alpha-2
	IssuingCity                   *string       `json:"IssuingCity"`
	IdentityDocumentSupportNumber *string       `json:"IdentityDocumentSupportNumber"`
}

func (d *IdentityDocument) UnmarshalJSON(b []byte) error {
	type plain IdentityDocument
	var v struct {
		plain
		Expiration *DocumentDate `json:"Expiration"`
		Issuance   *DocumentDate `json:"Issuance"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	if v.ExpirationDate == nil {
		v.ExpirationDate = v.Expiration
	}
	if v.IssuanceDate == nil {
		v.IssuanceDate = v.Issuance
	}
	*d = IdentityDocument(v.plain)
	return nil
}

// IdentityDocumentParameters is one document for identityDocuments/add.
type IdentityDocumentParameters struct {
	CustomerID                    string       `json:"CustomerId"`
	Type                          DocumentType `json:"Type"`
	Number                        string       `json:"Number"`
	ExpirationDate                DocumentDate `json:"ExpirationDate,omitzero"`
	IssuanceDate                  DocumentDate `json:"IssuanceDate,omitzero"`
	IssuingCountryCode            string       `json:"IssuingCountryCode,omitempty"`
	IssuingCity                   string       `json:"IssuingCity,omitempty"`
	IdentityDocumentSupportNumber string       `json:"IdentityDocumentSupportNumber,omitempty"`
}

// IdentityDocumentUpdate changes one document; fields left nil stay as
// they are in Mews.
type IdentityDocumentUpdate struct {
	ID                            string                `json:"Id"`
	Type                          *Update[DocumentType] `json:"Type,omitempty"`
	Number                        *Update[string]       `json:"Number,omitempty"`
	ExpirationDate                *Update[DocumentDate] `json:"ExpirationDate,omitempty"`
	IssuanceDate                  *Update[DocumentDate] `json:"IssuanceDate,omitempty"`
	IssuingCountryCode            *Update[string]       `json:"IssuingCountryCode,omitempty"`
	IssuingCity                   *Update[string]       `json:"IssuingCity,omitempty"`
	IdentityDocumentSupportNumber *Update[string]       `json:"IdentityDocumentSupportNumber,omitempty"`
}
