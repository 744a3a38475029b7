package rules

import (
	"slices"
	"strings"
)

// DocumentType is PassportScan's code for the kind of document scanned.
type DocumentType string

const (
	Passport       DocumentType = "PAS"
	IdentityCard   DocumentType = "IDC"
	DrivingLicence DocumentType = "DRI"
	// Unrecognised is what PassportScan reports when it could not tell the
	// document apart, and also what an unscanned guest carries, with every
	// other field null.
	Unrecognised DocumentType = "EXT"
)

// DefaultAcceptedDocuments are the types a branch accepts unless its
// configuration says otherwise.
var DefaultAcceptedDocuments = []DocumentType{Passport, IdentityCard, DrivingLicence}

// Document is the guest's last scanned document as PassportScan reports it.
type Document struct {
	Type           DocumentType `json:"type"`
	Number         string       `json:"number"`
	IssueDate      *Date        `json:"issueDate,omitempty"`
	ExpirationDate *Date        `json:"expirationDate,omitempty"`
	// IssueCountry is ISO 3166 alpha-3 (or an ICAO code) as scanned.
	IssueCountry string `json:"issueCountry"`
	// IssuePlace is the city the document was issued in, as scanned.
	IssuePlace    string `json:"issuePlace,omitempty"`
	BadRecognized *bool  `json:"badRecognized,omitempty"`
}

// Verified is a document that passed every rule, in the shape Mews needs.
type Verified struct {
	Type           DocumentType `json:"type"`
	Number         string       `json:"number"`
	IssueDate      *Date        `json:"issueDate,omitempty"`
	ExpirationDate *Date        `json:"expirationDate,omitempty"`
	// IssuingCountry is ISO 3166-1 alpha-2.
	IssuingCountry string `json:"issuingCountry"`
	// IssuingCity is the document's place of issue, "" when not scanned.
	IssuingCity string `json:"issuingCity,omitempty"`
}

// VerifyDocument applies the hotel's rules to the guest's document for a stay
// arriving on arrival. accepted empty means DefaultAcceptedDocuments. The
// first failed rule wins, in this order: missing, not recognised, number
// missing, type not accepted, expired, issued after arrival, country unknown.
//
// A document expiring on the arrival day is still valid; one issued on the
// arrival day is too. A document without an expiration date (some identity
// cards have none) or without an issue date passes those checks: the rules
// refuse what the scan shows to be wrong, not what it leaves out. A missing
// issuing country fails, because Mews needs one.
func VerifyDocument(doc *Document, arrival Date, accepted []DocumentType) (Verified, Reason) {
	if doc == nil {
		return Verified{}, DocumentMissing
	}
	typ := DocumentType(strings.ToUpper(strings.TrimSpace(string(doc.Type))))
	number := strings.TrimSpace(doc.Number)
	country := strings.TrimSpace(doc.IssueCountry)
	empty := number == "" && doc.IssueDate.orZero().IsZero() &&
		doc.ExpirationDate.orZero().IsZero() && country == ""
	if empty && (typ == Unrecognised || typ == "") {
		return Verified{}, DocumentMissing
	}
	if !known(typ) || typ == Unrecognised || (doc.BadRecognized != nil && *doc.BadRecognized) {
		return Verified{}, DocumentNotRecognised
	}
	if number == "" {
		return Verified{}, DocumentNumberMissing
	}
	if len(accepted) == 0 {
		accepted = DefaultAcceptedDocuments
	}
	if !slices.ContainsFunc(accepted, func(a DocumentType) bool {
		return strings.EqualFold(strings.TrimSpace(string(a)), string(typ))
	}) {
		return Verified{}, DocumentTypeNotAccepted
	}
	if exp := doc.ExpirationDate.orZero(); !exp.IsZero() && exp.Before(arrival) {
		return Verified{}, DocumentExpired
	}
	if iss := doc.IssueDate.orZero(); !iss.IsZero() && iss.After(arrival) {
		return Verified{}, DocumentIssuedAfterArrival
	}
	alpha2, ok := CountryAlpha2(country)
	if !ok {
		return Verified{}, DocumentCountryUnknown
	}
	return Verified{
		Type:           typ,
		Number:         number,
		IssueDate:      nonZero(doc.IssueDate),
		ExpirationDate: nonZero(doc.ExpirationDate),
		IssuingCountry: alpha2,
		IssuingCity:    strings.TrimSpace(doc.IssuePlace),
	}, ""
}

func known(t DocumentType) bool {
	switch t {
	case Passport, IdentityCard, DrivingLicence, Unrecognised:
		return true
	}
	return false
}

func (d *Date) orZero() Date {
	if d == nil {
		return Date{}
	}
	return *d
}

// nonZero copies d so the result shares no memory with the input, and drops
// a zero date.
func nonZero(d *Date) *Date {
	if d == nil || d.IsZero() {
		return nil
	}
	c := *d
	return &c
}
