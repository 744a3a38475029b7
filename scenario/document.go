package scenario

import (
	"slices"

	"github.com/guestflow/guestflow/rules"
)

// Travellers from outside the Schengen area show a passport; a compatriot of
// the hotel may show a driving licence.
var passportOnly = []string{"US", "GB", "TR"}

// document draws the document the guest shows, of a type the branch
// accepts, valid on the arrival day unless the case says otherwise.
func (g *branchDay) document(country string, birth rules.Date, c Case) *rules.Document {
	arrival := g.opts.Day
	typ := g.documentType(country)
	minor := c == Minor

	validYears := 10
	if minor {
		validYears = 5 // children's documents run shorter
	}
	// issued at least a month ago, at least a year before it expires, and
	// never before birth
	longest := min((validYears-1)*365, daysBetween(birth, arrival)-30)
	issued := arrival.AddDays(-g.r.between(30, max(31, longest)))
	expires := rules.Date{Year: issued.Year + validYears, Month: issued.Month, Day: issued.Day}.AddDays(-1)
	if c == ExpiredDocument {
		expires = arrival.AddDays(-g.r.between(1, 3*365))
		issued = rules.Date{Year: expires.Year - validYears, Month: expires.Month, Day: expires.Day}.AddDays(1)
	}
	doc := &rules.Document{
		Type:           typ,
		Number:         g.documentNumber(typ),
		IssueDate:      &issued,
		ExpirationDate: &expires,
		IssueCountry:   nationalities[country].alpha3,
	}
	if c == BadRecognition {
		yes := true
		doc.BadRecognized = &yes
	}
	return doc
}

func (g *branchDay) documentType(country string) rules.DocumentType {
	accepted := g.branch.accepted()
	want := rules.Passport
	switch {
	case slices.Contains(passportOnly, country):
	case country == g.branch.Country && g.r.chance(0.15):
		want = rules.DrivingLicence
	case g.r.chance(0.5):
		want = rules.IdentityCard
	}
	if slices.Contains(accepted, want) {
		return want
	}
	return accepted[0]
}

// documentNumber looks like the numbers printed on each kind: passports
// two letters and seven digits, identity cards the Italian CIE pattern,
// licences a letter-digit mix.
func (g *branchDay) documentNumber(t rules.DocumentType) string {
	switch t {
	case rules.IdentityCard:
		return "C" + g.r.letters(1) + g.r.digits(5) + g.r.letters(2)
	case rules.DrivingLicence:
		return g.r.letters(1) + g.r.digits(1) + g.r.letters(1) + g.r.digits(6) + g.r.letters(1)
	}
	return g.r.letters(2) + g.r.digits(7)
}

func daysBetween(from, to rules.Date) int {
	a, b := from.At(nil, 0), to.At(nil, 0)
	return int(b.Sub(a).Hours() / 24)
}
