package scenario

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/guestflow/guestflow/rules"
)

// Day is a generated day of arrivals: the plan of what the sandboxes hold at
// the start and what happens later. It holds personal data (made up, but
// shaped like the real thing): never log a Guest, only its ids.
type Day struct {
	Options Options
	// Start is the earliest midnight of the day among the branches; event
	// offsets count from it.
	Start        time.Time
	Reservations []Reservation
	events       []Event
}

// Reservation is one booking arriving on the day.
type Reservation struct {
	BranchID    string
	ID          int64
	BookingCode string
	Arrival     rules.Date
	Departure   rules.Date
	// CheckIn is when the party arrives at the desk.
	CheckIn    time.Time
	RoomNumber string
	RoomType   string
	DailyRate  decimal.Decimal
	// PMSReservationID is the Mews reservation the booking came from.
	PMSReservationID string
	Guests           []Guest
}

// Guest is one guest of a reservation: what PassportScan will know of them
// once scanned, the case they were given and what guestflow should make of
// them.
type Guest struct {
	BranchID      string
	ReservationID int64
	CustomerID    int64
	Leader        bool
	Case          Case

	FirstName  string
	MiddleName string
	LastName   string
	// Gender is as PassportScan's sample sends it: M or F.
	Gender      string
	BirthDate   rules.Date
	BirthCity   string
	Nationality string // ISO 3166 alpha-3
	Email       string // "" when none was given
	// Phone is as the guest typed it (national or international form); ""
	// when none. E164 is its normalised form, "" when none.
	Phone   string
	E164    string
	Address Address
	// Consent is privacy_flags.loyalty_program; nil when unanswered.
	Consent *bool
	// Document is the scanned document, nil for a guest never scanned.
	Document *rules.Document
	// DocumentAt is when the document is scanned: at check-in, or hours
	// later for LateDocument.
	DocumentAt time.Time
	// MewsCustomerID is the customer Mews already holds for a returning
	// guest; PMSGuestID repeats it on PassportScan for some of them.
	MewsCustomerID string
	PMSGuestID     string

	// InstallsCard says the guest puts the card into their wallet some
	// minutes after it is issued.
	InstallsCard bool
	InstallDelay time.Duration
	Scans        []OutletScan

	// Outcome is where guestflow should leave the guest once the whole
	// timeline has played.
	Outcome Outcome
}

// Address is the guest's home address.
type Address struct {
	Line1      string
	City       string
	PostalCode string
	Country    string // ISO 3166 alpha-3, as PassportScan reads it
}

// OutletScan is one use of the guest's card at an outlet of the branch.
type OutletScan struct {
	// At is the earliest moment of the scan; it waits for the card.
	At     time.Time
	Status int
	Value  decimal.Decimal
	// ValueText is how the outlet typed the value: "" sends it as a JSON
	// number, otherwise this string (a comma decimal, as a European
	// keyboard writes it).
	ValueText string
	Device    string
}

// Guests lists every guest of the day, branch by branch, in reservation
// order.
func (d *Day) Guests() []*Guest {
	var out []*Guest
	for i := range d.Reservations {
		for j := range d.Reservations[i].Guests {
			out = append(out, &d.Reservations[i].Guests[j])
		}
	}
	return out
}

// Branch returns the options of the branch with that id.
func (d *Day) Branch(id string) (Branch, bool) {
	for _, b := range d.Options.Branches {
		if b.ID == id {
			return b, true
		}
	}
	return Branch{}, false
}
