package sandbox

// The sandbox's own wire types, written from the documentation separately
// from the client's, so that a misreading in one cannot hide in the other.

// Customer is a customer as customers/getAll, add and update return it.
type Customer struct {
	ID                      string          `json:"Id"`
	ChainID                 string          `json:"ChainId"`
	Number                  string          `json:"Number"`
	Title                   *string         `json:"Title"`
	Sex                     *string         `json:"Sex"`
	FirstName               *string         `json:"FirstName"`
	LastName                string          `json:"LastName"`
	SecondLastName          *string         `json:"SecondLastName"`
	NationalityCode         *string         `json:"NationalityCode"`
	PreferredLanguageCode   *string         `json:"PreferredLanguageCode"`
	LanguageCode            *string         `json:"LanguageCode"`
	BirthDate               *string         `json:"BirthDate"`
	BirthPlace              *string         `json:"BirthPlace"`
	Occupation              *string         `json:"Occupation"`
	Email                   *string         `json:"Email"`
	HasOtaEmail             bool            `json:"HasOtaEmail"`
	Phone                   *string         `json:"Phone"`
	TaxIdentificationNumber *string         `json:"TaxIdentificationNumber"`
	LoyaltyCode             *string         `json:"LoyaltyCode"`
	AccountingCode          *string         `json:"AccountingCode"`
	BillingCode             *string         `json:"BillingCode"`
	Notes                   *string         `json:"Notes"`
	CarRegistrationNumber   *string         `json:"CarRegistrationNumber"`
	DietaryRequirements     *string         `json:"DietaryRequirements"`
	CreatedUtc              string          `json:"CreatedUtc"`
	UpdatedUtc              string          `json:"UpdatedUtc"`
	Passport                *LegacyDocument `json:"Passport"`
	IdentityCard            *LegacyDocument `json:"IdentityCard"`
	Visa                    *LegacyDocument `json:"Visa"`
	DriversLicense          *LegacyDocument `json:"DriversLicense"`
	Address                 *Address        `json:"Address"`
	AddressID               *string         `json:"AddressId"`
	Classifications         []string        `json:"Classifications"`
	Options                 []string        `json:"Options"`
	ItalianDestinationCode  *string         `json:"ItalianDestinationCode"`
	ItalianFiscalCode       *string         `json:"ItalianFiscalCode"`
	CompanyID               *string         `json:"CompanyId"`
	MergeTargetID           *string         `json:"MergeTargetId"`
	ActivityState           *string         `json:"ActivityState"`
	IsActive                bool            `json:"IsActive"`
	PreferredSpaceFeatures  []string        `json:"PreferredSpaceFeatures"`
}

// Address of a customer.
type Address struct {
	ID                     string   `json:"Id"`
	Line1                  *string  `json:"Line1"`
	Line2                  *string  `json:"Line2"`
	City                   *string  `json:"City"`
	PostalCode             *string  `json:"PostalCode"`
	CountryCode            *string  `json:"CountryCode"`
	CountrySubdivisionCode *string  `json:"CountrySubdivisionCode"`
	Latitude               *float64 `json:"Latitude"`
	Longitude              *float64 `json:"Longitude"`
}

// IdentityDocument is the 2024-10-25 document shape of identityDocuments/*.
// Dates are kept as the operations send them: midnight UTC timestamps.
type IdentityDocument struct {
	ID                            string  `json:"Id"`
	CustomerID                    string  `json:"CustomerId"`
	Type                          string  `json:"Type"`
	Number                        string  `json:"Number"`
	ExpirationDate                *string `json:"ExpirationDate"`
	IssuanceDate                  *string `json:"IssuanceDate"`
	IssuingCountryCode            *string `json:"IssuingCountryCode"`
	IssuingCity                   *string `json:"IssuingCity"`
	IdentityDocumentSupportNumber *string `json:"IdentityDocumentSupportNumber"`
}

// LegacyDocument is the older document shape customers/* still return,
// with plain dates named Expiration and Issuance.
type LegacyDocument struct {
	ID                            string  `json:"Id"`
	CustomerID                    string  `json:"CustomerId"`
	Type                          string  `json:"Type"`
	Number                        *string `json:"Number"`
	Expiration                    *string `json:"Expiration"`
	Issuance                      *string `json:"Issuance"`
	IssuingCountryCode            *string `json:"IssuingCountryCode"`
	IssuingCity                   *string `json:"IssuingCity"`
	IdentityDocumentSupportNumber *string `json:"IdentityDocumentSupportNumber,omitempty"`
}

// errorBody is Mews' error shape.
type errorBody struct {
	Message   string `json:"Message"`
	RequestID string `json:"RequestId"`
}
