package mews

import "github.com/shopspring/decimal"

// Title is the customer's title prefix; display it localized (Misses is
// "Mrs." in English).
type Title string

const (
	TitleMister Title = "Mister"
	TitleMiss   Title = "Miss"
	TitleMisses Title = "Misses"
)

// Sex of the customer as Mews records it.
type Sex string

const (
	SexMale   Sex = "Male"
	SexFemale Sex = "Female"
)

// Classification marks a customer for staff (Returning, VeryImportant, ...).
type Classification string

const (
	ClassificationReturning      Classification = "Returning"
	ClassificationLoyaltyProgram Classification = "LoyaltyProgram"
	ClassificationVeryImportant  Classification = "VeryImportant"
)

// CustomerOption is a consent or billing option of the customer.
type CustomerOption string

const (
	OptionSendMarketingEmails        CustomerOption = "SendMarketingEmails"
	OptionInvoiceable                CustomerOption = "Invoiceable"
	OptionWithdrawCardConsent        CustomerOption = "WithdrawCardConsent"
	OptionSendPartnerMarketingEmails CustomerOption = "SendPartnerMarketingEmails"
)

// Customer is a guest profile in Mews.
type Customer struct {
	ID                      string           `json:"Id"`
	ChainID                 string           `json:"ChainId"`
	Number                  string           `json:"Number"`
	Title                   *Title           `json:"Title"`
	Sex                     *Sex             `json:"Sex"`
	FirstName               *string          `json:"FirstName"`
	LastName                string           `json:"LastName"`
	SecondLastName          *string          `json:"SecondLastName"`
	NationalityCode         *string          `json:"NationalityCode"` // ISO 3166-1 alpha-2
	PreferredLanguageCode   *string          `json:"PreferredLanguageCode"`
	LanguageCode            *string          `json:"LanguageCode"`
	BirthDate               *Date            `json:"BirthDate"`
	BirthPlace              *string          `json:"BirthPlace"`
	Occupation              *string          `json:"Occupation"`
	Email                   *string          `json:"Email"`
	HasOtaEmail             bool             `json:"HasOtaEmail"`
	Phone                   *string          `json:"Phone"`
	TaxIdentificationNumber *string          `json:"TaxIdentificationNumber"`
	LoyaltyCode             *string          `json:"LoyaltyCode"`
	AccountingCode          *string          `json:"AccountingCode"`
	BillingCode             *string          `json:"BillingCode"`
	Notes                   *string          `json:"Notes"`
	CarRegistrationNumber   *string          `json:"CarRegistrationNumber"`
	DietaryRequirements     *string          `json:"DietaryRequirements"`
	CreatedUtc              Time             `json:"CreatedUtc"`
	UpdatedUtc              Time             `json:"UpdatedUtc"`
	AddressID               *string          `json:"AddressId"`
	Classifications         []Classification `json:"Classifications"`
	Options                 []CustomerOption `json:"Options"`
	ItalianDestinationCode  *string          `json:"ItalianDestinationCode"`
	ItalianFiscalCode       *string          `json:"ItalianFiscalCode"`
	CompanyID               *string          `json:"CompanyId"`
	MergeTargetID           *string          `json:"MergeTargetId"`
	IsActive                bool             `json:"IsActive"`
	PreferredSpaceFeatures  []string         `json:"PreferredSpaceFeatures"`

	// Deprecated by Mews in favour of Documents and AddressId, but still
	// sent; kept so nothing Mews returns is lost.
	Passport       *IdentityDocument `json:"Passport"`
	IdentityCard   *IdentityDocument `json:"IdentityCard"`
	Visa           *IdentityDocument `json:"Visa"`
	DriversLicense *IdentityDocument `json:"DriversLicense"`
	Address        *Address          `json:"Address"`
	ActivityState  *string           `json:"ActivityState"`
}

// Address of a customer.
type Address struct {
	ID                     string           `json:"Id"`
	Line1                  *string          `json:"Line1"`
	Line2                  *string          `json:"Line2"`
	City                   *string          `json:"City"`
	PostalCode             *string          `json:"PostalCode"`
	CountryCode            *string          `json:"CountryCode"`
	CountrySubdivisionCode *string          `json:"CountrySubdivisionCode"`
	Latitude               *decimal.Decimal `json:"Latitude"`
	Longitude              *decimal.Decimal `json:"Longitude"`
}

// AddressParameters is an address sent with customers/add or update.
type AddressParameters struct {
	Line1                  string `json:"Line1,omitempty"`
	Line2                  string `json:"Line2,omitempty"`
	City                   string `json:"City,omitempty"`
	PostalCode             string `json:"PostalCode,omitempty"`
	CountryCode            string `json:"CountryCode,omitempty"`
	CountrySubdivisionCode string `json:"CountrySubdivisionCode,omitempty"`
}

// DocumentParameters is the document shape customers/add and update accept
// inside the customer (Passport, IdentityCard, ...). Prefer the
// identityDocuments operations, which Mews recommends.
type DocumentParameters struct {
	Number             string `json:"Number,omitempty"`
	Expiration         Date   `json:"Expiration,omitzero"`
	Issuance           Date   `json:"Issuance,omitzero"`
	IssuingCountryCode string `json:"IssuingCountryCode,omitempty"`
	IssuingCity        string `json:"IssuingCity,omitempty"`
}
