package rules

// Reason is a stable code saying why a rule did not pass. Codes go into
// search attributes and staff queries (GuestReason = "DocumentExpired"), so a
// code once published never changes its spelling. The empty Reason means the
// rule passed.
type Reason string

// Document verification.
const (
	DocumentMissing       Reason = "DocumentMissing"
	DocumentNotRecognised Reason = "DocumentNotRecognised"
	DocumentNumberMissing Reason = "DocumentNumberMissing"
	// DocumentTypeUnknown: PassportScan sent a document code the group's
	// document_types does not map to a Mews type.
	DocumentTypeUnknown        Reason = "DocumentTypeUnknown"
	DocumentTypeNotAccepted    Reason = "DocumentTypeNotAccepted"
	DocumentExpired            Reason = "DocumentExpired"
	DocumentIssuedAfterArrival Reason = "DocumentIssuedAfterArrival"
	DocumentCountryUnknown     Reason = "DocumentCountryUnknown"
)

// Wallet card eligibility.
const (
	NoPhone      Reason = "NoPhone"
	PhoneInvalid Reason = "PhoneInvalid"
	NoConsent    Reason = "NoConsent"
	Minor        Reason = "Minor"
	AgeUnknown   Reason = "AgeUnknown"
	// PhoneFixedLine: the numbering plan knows the number as a fixed line.
	PhoneFixedLine Reason = "PhoneFixedLine"
	// PhoneNotMobile: a toll-free, premium-rate, shared-cost, UAN, voicemail
	// or pager number.
	PhoneNotMobile Reason = "PhoneNotMobile"
)
