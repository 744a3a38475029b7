package scenario

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/guestflow/guestflow/rules"
	pcsandbox "github.com/guestflow/guestflow/vendors/passcreator/sandbox"
)

// Generate plans the day. It panics on options that Validate refuses: call
// Validate first where options come from a person.
func Generate(o Options) *Day {
	if err := o.Validate(); err != nil {
		panic(err)
	}
	d := &Day{Options: o}
	ct := newContacts()
	for i, b := range o.Branches {
		loc, _ := time.LoadLocation(b.TimeZone) // Validate loaded it
		if midnight := o.Day.At(loc, 0); d.Start.IsZero() || midnight.Before(d.Start) {
			d.Start = midnight
		}
		g := &branchDay{opts: o, branch: b, index: i, loc: loc, r: newRandom(o.Seed, b.ID), contacts: ct, names: map[string]bool{}}
		d.Reservations = append(d.Reservations, g.reservations()...)
	}
	d.events = d.plan()
	return d
}

// branchDay generates one branch's arrivals.
type branchDay struct {
	opts     Options
	branch   Branch
	index    int
	loc      *time.Location
	r        random
	contacts *contacts
	names    map[string]bool // name and birth date, unique so Mews lookups by them stay unambiguous
}

// Party sizes 1 to 4, as weights: couples first, then singles.
var partySizes = []int{35, 40, 15, 10}

// Check-in hours from 07:00 to 23:00, as weights: the afternoon peak.
var checkInHours = []int{1, 1, 2, 3, 4, 6, 8, 12, 12, 11, 10, 9, 7, 5, 4, 3, 2}

func (g *branchDay) reservations() []Reservation {
	day := g.opts.Day
	out := make([]Reservation, g.opts.ArrivalsPerBranch)
	for k := range out {
		res := &out[k]
		res.BranchID = g.branch.ID
		res.ID = reservationID(day, g.index, k+1)
		res.BookingCode = g.r.letters(2) + g.r.digits(6)
		res.Arrival = day
		res.Departure = day.AddDays(g.r.between(1, 7))
		hour := 7 + g.r.weighted(checkInHours)
		res.CheckIn = day.At(g.loc, time.Duration(hour)*time.Hour+g.r.minutes(0, 59*time.Minute))
		res.RoomNumber = fmt.Sprint(g.r.between(1, 6)*100 + g.r.between(1, 40))
		res.DailyRate = decimal.New(int64(g.r.between(89, 420)), 0)
		res.PMSReservationID = g.r.uuid()
		size := 1 + g.r.weighted(partySizes)
		res.RoomType = []string{"Single", "Double", "Triple", "Family Suite"}[size-1]
		res.Guests = make([]Guest, size)
		for j := range res.Guests {
			res.Guests[j] = Guest{BranchID: g.branch.ID, ReservationID: res.ID, CustomerID: res.ID*10 + int64(j+1), Leader: j == 0}
		}
	}
	g.assignCases(out)
	for k := range out {
		p := g.party()
		for j := range out[k].Guests {
			g.fill(&out[k], &out[k].Guests[j], p)
		}
	}
	return out
}

// reservationID is unique across days and branches: the date, the branch's
// place in the options and the reservation's number.
func reservationID(day rules.Date, branch, n int) int64 {
	date := int64(day.Year*10000 + int(day.Month)*100 + day.Day)
	return date*100000 + int64(branch+1)*10000 + int64(n)
}

// assignCases gives each case its share of the branch's guests, rounded, to
// guests drawn at random; a minor is never a reservation's leader.
func (g *branchDay) assignCases(res []Reservation) {
	var slots []*Guest
	for k := range res {
		for j := range res[k].Guests {
			slots = append(slots, &res[k].Guests[j])
		}
	}
	order := g.r.Perm(len(slots))
	shares := g.opts.shares()
	order2 := append([]Case{Minor}, slices.DeleteFunc(slices.Clone(Cases), func(c Case) bool { return c == Minor })...)
	for _, c := range order2 {
		want := int(math.Round(shares[c] * float64(len(slots))))
		for _, i := range order {
			if want == 0 {
				break
			}
			s := slots[i]
			if s.Case != Ordinary || (c == Minor && s.Leader) {
				continue
			}
			s.Case = c
			want--
		}
	}
}

// party is what the guests of one reservation share.
type party struct {
	country string // alpha-2
	family  bool   // the companions share the leader's last name
	last    int    // index into the country's last names
}

func (g *branchDay) party() party {
	p := party{country: g.country(), family: g.r.chance(0.6)}
	// Once the share of check-in sources sending gender as 10/20, which the
	// PassportScan document does not show; still drawn so that a seed plays
	// the same day as before.
	_ = g.r.chance(0.25)
	p.last = g.r.IntN(len(nationalities[p.country].last))
	return p
}

func (g *branchDay) country() string {
	if g.r.chance(domesticShare) {
		return g.branch.Country
	}
	weights := make([]int, len(visitors))
	for i, v := range visitors {
		weights[i] = v.weight
	}
	return visitors[g.r.weighted(weights)].country
}

// fill draws one guest: who they are, how they reach the hotel, and what
// their case changes.
func (g *branchDay) fill(res *Reservation, guest *Guest, p party) {
	country := p.country
	if !guest.Leader && g.r.chance(0.3) {
		country = g.country()
	}
	nat := nationalities[country]
	female := g.r.chance(0.5)
	guest.Nationality = nat.alpha3
	guest.Gender = gender(female)
	minor := guest.Case == Minor
	for {
		guest.FirstName, guest.MiddleName, guest.LastName = g.name(nat, female, p, guest.Leader, country == p.country)
		guest.BirthDate = g.birthDate(minor)
		key := guest.FirstName + "|" + guest.LastName + "|" + guest.BirthDate.String()
		if !g.names[key] {
			g.names[key] = true
			break
		}
	}
	guest.BirthCity = g.r.pick(nat.cities)
	if g.r.chance(0.8) {
		guest.Address = g.address(nat)
	}

	adult := !minor
	if guest.Leader || guest.Case == Returning || (adult && g.r.chance(0.8)) {
		guest.Email = g.contacts.email(g.r, guest.FirstName, guest.LastName)
	}
	if (adult && guest.Case != NoPhone) || (minor && g.r.chance(0.3)) {
		guest.Phone, guest.E164 = g.contacts.phone(g.r, country, g.branch.Country)
	}
	guest.Consent = g.consent(guest.Case)

	if guest.Case != NoDocument {
		guest.Document = g.document(country, guest.BirthDate, guest.Case)
		guest.DocumentAt = res.CheckIn
		if guest.Case == LateDocument {
			guest.DocumentAt = res.CheckIn.Add(g.r.minutes(2*time.Hour, 6*time.Hour))
		}
	}
	if guest.Case == Returning {
		guest.MewsCustomerID = g.r.uuid()
		if g.r.chance(0.5) {
			guest.PMSGuestID = guest.MewsCustomerID
		}
	}
	if guest.Case == OutletScans {
		guest.Scans = g.scans(res.CheckIn)
	}

	guest.Outcome = outcome(g.branch, res.Arrival, guest)
	// a card used at the bar is in the wallet, unless nobody installs cards
	if share := g.opts.installShare(); guest.Outcome.Card && share > 0 && (guest.Case == OutletScans || g.r.chance(share)) {
		guest.InstallsCard = true
		guest.InstallDelay = g.r.minutes(2*time.Minute, 45*time.Minute)
	}
}

// gender is the letter the PassportScan sample sends.
func gender(female bool) string {
	if female {
		return "F"
	}
	return "M"
}

// name draws a first, middle and last name. The leader gives the party its
// last name, and a companion of a family party from the same country takes
// it (in its female form where the language has one).
func (g *branchDay) name(nat nationality, female bool, p party, leader, compatriot bool) (first, middle, last string) {
	firsts := nat.male
	if female {
		firsts = nat.female
	}
	first = g.r.pick(firsts)
	if g.r.chance(0.1) {
		if m := g.r.pick(firsts); m != first {
			middle = m
		}
	}
	i := p.last
	if !compatriot || (!leader && !p.family) {
		i = g.r.IntN(len(nat.last))
	}
	last = nat.last[i]
	if female && nat.lastFemale != nil {
		last = nat.lastFemale[i]
	}
	return first, middle, last
}

// birthDate draws an adult of 19 to 80, or a minor between 2 and one year
// under the branch's age of majority, exact on the arrival day.
func (g *branchDay) birthDate(minor bool) rules.Date {
	arrival := g.opts.Day
	age := g.r.between(19, 80)
	if minor {
		age = g.r.between(2, max(2, g.branch.adultAge()-1))
	}
	b := rules.Date{Year: arrival.Year - age, Month: time.Month(g.r.between(1, 12)), Day: g.r.between(1, 28)}
	if b.Month > arrival.Month || (b.Month == arrival.Month && b.Day > arrival.Day) {
		b.Year-- // the birthday is still to come this year
	}
	return b
}

func (g *branchDay) address(nat nationality) Address {
	zip := g.r.digits(max(nat.zipDigits, 4))
	if nat.zipDigits == 0 {
		zip = g.r.letters(2) + fmt.Sprint(g.r.between(1, 20)) + " " + fmt.Sprint(g.r.between(1, 9)) + g.r.letters(2)
	}
	return Address{
		Line1:      fmt.Sprintf("%s %d", g.r.pick(nat.streets), g.r.between(1, 180)),
		City:       g.r.pick(nat.cities),
		PostalCode: zip,
		Country:    nat.alpha3,
	}
}

func (g *branchDay) consent(c Case) *bool {
	yes, no := true, false
	switch c {
	case ConsentRefused:
		return &no
	case ConsentUnanswered:
		return nil
	case Minor:
		// parents tick the box for the family, or leave it
		if g.r.chance(0.5) {
			return &yes
		}
		return nil
	}
	return &yes
}

// Outlets and what guests spend there.
var (
	devices = []string{"Bar iPad", "Restaurant iPad", "Spa desk", "Shop till"}
)

// scans draws two to five uses of the card during the guest's first hours.
func (g *branchDay) scans(checkIn time.Time) []OutletScan {
	out := make([]OutletScan, g.r.between(2, 5))
	for i := range out {
		value := decimal.New(int64(g.r.between(450, 18000)), -2)
		s := OutletScan{
			At: checkIn.Add(g.r.minutes(30*time.Minute, 14*time.Hour)),
			// The card is Passquare's, not a Passcreator pass: Passcreator
			// records every scan of it as pass not found.
			Status: pcsandbox.StatusPassNotFound,
			Value:  value,
			Device: g.r.pick(devices),
		}
		if g.r.chance(0.25) {
			s.ValueText = decimalComma(value)
		}
		out[i] = s
	}
	slices.SortStableFunc(out, func(a, b OutletScan) int { return a.At.Compare(b.At) })
	return out
}

func decimalComma(v decimal.Decimal) string {
	s := []byte(v.StringFixed(2))
	for i, c := range s {
		if c == '.' {
			s[i] = ','
		}
	}
	return string(s)
}
