package rules

// DefaultAdultAge is the age of majority unless the branch says otherwise.
const DefaultAdultAge = 18

// Age is the guest's age in whole years on the given day, and whether it is
// known. A missing birth date, or one after on, is unknown. Someone born on
// 29 February turns a year older on 1 March in common years, which is how
// Italian, English and most civil law counts it.
func Age(birth *Date, on Date) (years int, known bool) {
	b := birth.orZero()
	if b.IsZero() || on.IsZero() || b.After(on) {
		return 0, false
	}
	years = on.Year - b.Year
	if on.Month < b.Month || (on.Month == b.Month && on.Day < b.Day) {
		years--
	}
	return years, true
}

// IsAdult reports whether the guest has reached adultAge (DefaultAdultAge when
// zero or less) on the given day. known is false when the birth date is
// missing or impossible; adult is then false.
func IsAdult(birth *Date, on Date, adultAge int) (adult bool, known bool) {
	if adultAge <= 0 {
		adultAge = DefaultAdultAge
	}
	age, known := Age(birth, on)
	return known && age >= adultAge, known
}

// LoyaltyConsent reads the guest's loyalty_program privacy flag. An
// unanswered flag (nil) means what the branch configured; the default
// configuration is false, so no card without a yes.
func LoyaltyConsent(flag *bool, unansweredMeansYes bool) bool {
	if flag == nil {
		return unansweredMeansYes
	}
	return *flag
}

// WalletCandidate is what decides whether a guest gets a loyalty card.
type WalletCandidate struct {
	Phone     string // as the guest typed it
	Region    string // the branch's ISO 3166-1 alpha-2 country
	Consent   bool   // LoyaltyConsent's answer
	BirthDate *Date
	On        Date // the day the card would be issued (the arrival day)
	AdultAge  int  // zero means DefaultAdultAge
	// ValidOnly applies WalletPhoneValidOnly instead of WalletPhone, for
	// stays that decided before it.
	ValidOnly bool
	// StaffIssued: staff issue the card to a number of a kind that may not
	// take the link (PhoneVerdict.Overridable).
	StaffIssued bool
}

// PhoneVerdict is the phone rules' verdict on the candidate's number.
func (c WalletCandidate) PhoneVerdict() PhoneVerdict {
	if c.ValidOnly {
		return WalletPhoneValidOnly(c.Phone, c.Region)
	}
	v := WalletPhone(c.Phone, c.Region)
	if c.StaffIssued && v.Overridable() {
		v.Reason, v.Rule = "", ""
	}
	return v
}

// WalletEligibility decides whether a guest gets a wallet card, and if not,
// why. The first failing rule wins: Minor, AgeUnknown, NoConsent, then the
// phone rules of WalletPhone (NoPhone, PhoneInvalid, PhoneFixedLine,
// PhoneNotMobile). Age comes first because it is a legal bar no later snapshot
// of a consent can lift.
//
// An unknown age gives no card: a minor's consent to a loyalty programme is
// not valid, and we cannot rule a minor out without a birth date. The birth
// date usually arrives with the document scan, and a later snapshot that
// carries it makes the guest eligible then.
func WalletEligibility(c WalletCandidate) (bool, Reason) {
	adult, known := IsAdult(c.BirthDate, c.On, c.AdultAge)
	switch {
	case known && !adult:
		return false, Minor
	case !known:
		return false, AgeUnknown
	case !c.Consent:
		return false, NoConsent
	}
	if v := c.PhoneVerdict(); v.Reason != "" {
		return false, v.Reason
	}
	return true, ""
}
