package rules

import "strings"

// Mews' Sex enum.
const (
	SexMale   = "Male"
	SexFemale = "Female"
)

// Sex maps PassportScan's gender to Mews' Sex enum. PassportScan sends M/F or
// 10/20 depending on the source (10 male, 20 female); the ISO/IEC 5218 digits
// 1 and 2 and the words male/female are read the same way, as a plausible
// variant of either. Anything else (X, 0, 9, empty) gives "", which leaves the
// Mews field unset: Mews has no third value.
func Sex(raw string) string {
	switch strings.ToUpper(strings.TrimSpace(raw)) {
	case "M", "10", "1", "MALE":
		return SexMale
	case "F", "20", "2", "FEMALE":
		return SexFemale
	}
	return ""
}

// Mews' Title enum, as far as guestflow sets it.
const (
	TitleMister = "Mister"
	TitleMiss   = "Miss"
)

// Title is the title a new Mews customer gets from the sex on their
// document (Sex's result): Mister, or Miss, which Mews shows as Ms. and
// which says nothing of marriage; "" when the sex is unknown, rather than a
// guess.
func Title(sex string) string {
	switch sex {
	case SexMale:
		return TitleMister
	case SexFemale:
		return TitleMiss
	}
	return ""
}

// Address is the customer's address in the fields guestflow fills.
type Address struct {
	Line1      string `json:"line1,omitempty"`
	City       string `json:"city,omitempty"`
	PostalCode string `json:"postalCode,omitempty"`
	// Country is ISO 3166-1 alpha-2.
	Country string `json:"country,omitempty"`
}

// IsEmpty reports an address with no field set (blanks count as unset).
func (a Address) IsEmpty() bool {
	return blank(a.Line1) && blank(a.City) && blank(a.PostalCode) && blank(a.Country)
}

// BirthPlace is Mews' free-text place of birth made of what the scan has:
// the parts present, in order, joined by commas ("Rome, RM, ITA"); a part
// repeating the one before it ("Roma, Roma") is left out.
func BirthPlace(city, province, nation string) string {
	var parts []string
	for _, p := range []string{city, province, nation} {
		p = strings.TrimSpace(p)
		if p == "" || (len(parts) > 0 && strings.EqualFold(parts[len(parts)-1], p)) {
			continue
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, ", ")
}

// Profile is the part of a Mews customer guestflow may write: what Mews holds
// already, or what the scan says. Countries are ISO 3166-1 alpha-2, Sex is
// Mews' enum.
type Profile struct {
	FirstName      string  `json:"firstName,omitempty"`
	LastName       string  `json:"lastName,omitempty"`
	SecondLastName string  `json:"secondLastName,omitempty"`
	BirthDate      *Date   `json:"birthDate,omitempty"`
	BirthPlace     string  `json:"birthPlace,omitempty"`
	Nationality    string  `json:"nationality,omitempty"`
	Sex            string  `json:"sex,omitempty"`
	Email          string  `json:"email,omitempty"`
	Phone          string  `json:"phone,omitempty"`
	Address        Address `json:"address"`
}

// ProfileChanges are the fields to send to Mews; nil means leave unchanged.
type ProfileChanges struct {
	FirstName      *string  `json:"firstName,omitempty"`
	LastName       *string  `json:"lastName,omitempty"`
	SecondLastName *string  `json:"secondLastName,omitempty"`
	BirthDate      *Date    `json:"birthDate,omitempty"`
	BirthPlace     *string  `json:"birthPlace,omitempty"`
	Nationality    *string  `json:"nationality,omitempty"`
	Sex            *string  `json:"sex,omitempty"`
	Email          *string  `json:"email,omitempty"`
	Phone          *string  `json:"phone,omitempty"`
	Address        *Address `json:"address,omitempty"`
}

// IsEmpty reports that there is nothing to send, so the update call can be
// skipped.
func (c ProfileChanges) IsEmpty() bool { return len(c.Fields()) == 0 }

// Fields names the changed fields in a fixed order, for logs and summaries:
// names only, never values.
func (c ProfileChanges) Fields() []string {
	var f []string
	add := func(set bool, name string) {
		if set {
			f = append(f, name)
		}
	}
	add(c.FirstName != nil, "FirstName")
	add(c.LastName != nil, "LastName")
	add(c.SecondLastName != nil, "SecondLastName")
	add(c.BirthDate != nil, "BirthDate")
	add(c.BirthPlace != nil, "BirthPlace")
	add(c.Nationality != nil, "Nationality")
	add(c.Sex != nil, "Sex")
	add(c.Email != nil, "Email")
	add(c.Phone != nil, "Phone")
	add(c.Address != nil, "Address")
	return f
}

// FillEmpty lists the fields that are empty in existing (the Mews customer)
// and present in scanned, so what the hotel typed is never overwritten. A
// field of only spaces counts as empty; values are sent trimmed.
//
// The address moves as a whole: it is filled only when the Mews address is
// entirely empty, because a scanned street next to a city the hotel typed
// would make an address that exists nowhere.
func FillEmpty(existing, scanned Profile) ProfileChanges {
	var c ProfileChanges
	c.FirstName = fill(existing.FirstName, scanned.FirstName)
	c.LastName = fill(existing.LastName, scanned.LastName)
	c.SecondLastName = fill(existing.SecondLastName, scanned.SecondLastName)
	if existing.BirthDate.orZero().IsZero() && !scanned.BirthDate.orZero().IsZero() {
		c.BirthDate = nonZero(scanned.BirthDate)
	}
	c.BirthPlace = fill(existing.BirthPlace, scanned.BirthPlace)
	c.Nationality = fill(existing.Nationality, strings.ToUpper(scanned.Nationality))
	c.Sex = fill(existing.Sex, scanned.Sex)
	c.Email = fill(existing.Email, scanned.Email)
	c.Phone = fill(existing.Phone, scanned.Phone)
	if existing.Address.IsEmpty() && !scanned.Address.IsEmpty() {
		a := Address{
			Line1:      strings.TrimSpace(scanned.Address.Line1),
			City:       strings.TrimSpace(scanned.Address.City),
			PostalCode: strings.TrimSpace(scanned.Address.PostalCode),
			Country:    strings.ToUpper(strings.TrimSpace(scanned.Address.Country)),
		}
		c.Address = &a
	}
	return c
}

func fill(existing, scanned string) *string {
	if !blank(existing) || blank(scanned) {
		return nil
	}
	v := strings.TrimSpace(scanned)
	return &v
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }
