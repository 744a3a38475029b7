package rules

import (
	"maps"
	"regexp"
	"slices"
	"strings"
)

// DocumentType is PassportScan's code for the kind of document scanned.
type DocumentType string

// PassportScan's document shows IDC (the sample guest's identity card) and
// EXT; PAS and DRI are the codes guestflow expects for a passport and a
// driving licence, which is why the codes are configuration (DocumentTypes).
const (
	Passport       DocumentType = "PAS"
	IdentityCard   DocumentType = "IDC"
	DrivingLicence DocumentType = "DRI"
	// Unrecognised is what PassportScan reports when it could not tell the
	// document apart, and also what an unscanned guest carries, with every
	// other field null. It never maps to a Mews type.
	Unrecognised DocumentType = "EXT"
)

// Normalized is the code as the rules compare it: trimmed, upper case.
func (t DocumentType) Normalized() DocumentType {
	return DocumentType(strings.ToUpper(strings.TrimSpace(string(t))))
}

var codePattern = regexp.MustCompile(`^[A-Z0-9_-]{1,16}$`)

// IsCode reports whether t, normalized, has the shape of a document code:
// up to 16 letters, digits, dashes or underscores.
func (t DocumentType) IsCode() bool { return codePattern.MatchString(string(t.Normalized())) }

// Shown is the code as a status message or a metric label may carry it: the
// normalized code, or "?" when the value has not the shape of a code, so an
// odd value from the vendor never carries free text into either.
func (t DocumentType) Shown() string {
	if !t.IsCode() {
		return "?"
	}
	return string(t.Normalized())
}

// DocumentTypes maps PassportScan's document codes to Mews' identity
// document types (Passport, IdentityCard, DriversLicense, Visa). A nil map means DefaultDocumentTypes, which is also how
// stays started before the mapping was configurable read.
type DocumentTypes map[DocumentType]string

// DefaultDocumentTypes is the mapping unless the group configures its own.
var DefaultDocumentTypes = DocumentTypes{Passport: "Passport", IdentityCard: "IdentityCard", DrivingLicence: "DriversLicense"}

// DefaultAcceptedDocuments are the types a branch accepts unless its
// configuration says otherwise: every code of DefaultDocumentTypes.
var DefaultAcceptedDocuments = []DocumentType{Passport, IdentityCard, DrivingLicence}

// MewsType is the Mews type of the document code t, and whether m maps it.
// EXT never maps.
func (m DocumentTypes) MewsType(t DocumentType) (string, bool) {
	if m == nil {
		m = DefaultDocumentTypes
	}
	t = t.Normalized()
	if t == Unrecognised {
		return "", false
	}
	v, ok := m[t]
	return v, ok
}

// Codes are the codes m maps, sorted.
func (m DocumentTypes) Codes() []DocumentType {
	if m == nil {
		m = DefaultDocumentTypes
	}
	// Sorted, so the order never depends on the map's.
	return slices.Sorted(maps.Keys(m)) //workflowcheck:ignore
}

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
// arriving on arrival. types is the group's mapping of PassportScan codes to
// Mews types (nil: DefaultDocumentTypes); accepted empty means every code of
// types. The first failed rule wins, in this order: missing, not recognised,
// number missing, type unknown (a code types does not map), type not
// accepted, expired, issued after arrival, country unknown.
//
// A document expiring on the arrival day is still valid; one issued on the
// arrival day is too. A document without an expiration date (some identity
// cards have none) or without an issue date passes those checks: the rules
// refuse what the scan shows to be wrong, not what it leaves out. A missing
// issuing country fails, because Mews needs one.
func VerifyDocument(doc *Document, arrival Date, accepted []DocumentType, types DocumentTypes) (Verified, Reason) {
	if doc == nil {
		return Verified{}, DocumentMissing
	}
	typ := doc.Type.Normalized()
	number := strings.TrimSpace(doc.Number)
	country := strings.TrimSpace(doc.IssueCountry)
	empty := number == "" && doc.IssueDate.orZero().IsZero() &&
		doc.ExpirationDate.orZero().IsZero() && country == ""
	if empty && (typ == Unrecognised || typ == "") {
		return Verified{}, DocumentMissing
	}
	if typ == "" || typ == Unrecognised || (doc.BadRecognized != nil && *doc.BadRecognized) {
		return Verified{}, DocumentNotRecognised
	}
	if number == "" {
		return Verified{}, DocumentNumberMissing
	}
	if _, ok := types.MewsType(typ); !ok {
		return Verified{}, DocumentTypeUnknown
	}
	if len(accepted) == 0 {
		accepted = types.Codes()
	}
	if !slices.ContainsFunc(accepted, func(a DocumentType) bool { return a.Normalized() == typ }) {
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
