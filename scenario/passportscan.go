package scenario

import (
	"encoding/json"

	"github.com/guestflow/guestflow/rules"
	pssandbox "github.com/guestflow/guestflow/vendors/passportscan/sandbox"
)

const checkinLayout = "2006-01-02 15:04:05"

// passportScanReservation is the reservation as PassportScan shows it;
// withGuests false gives the booking before anyone checked in.
func (r *Reservation) passportScanReservation(withGuests bool) pssandbox.Reservation {
	adults, children := 0, 0
	for _, g := range r.Guests {
		if g.Case == Minor {
			children++
		} else {
			adults++
		}
	}
	leader := r.Guests[0]
	rate := json.Number(r.DailyRate.StringFixed(2))
	out := pssandbox.Reservation{
		ID:                   r.ID,
		BookingCode:          ptr(r.BookingCode),
		ArrivalDate:          r.Arrival.String(),
		DepartureDate:        ptr(r.Departure.String()),
		Adults:               &adults,
		Children:             &children,
		DailyRate:            &rate,
		RoomNumber:           ptr(r.RoomNumber),
		RoomType:             ptr(r.RoomType),
		FirstName:            ptr(leader.FirstName),
		LastName:             ptr(leader.LastName),
		PMSReservationID:     ptr(r.PMSReservationID),
		CustomerReservations: []pssandbox.CustomerReservation{},
	}
	if r.ID%3 == 0 {
		out.TravelAgency = ptr("Booking.com")
	}
	if !withGuests {
		return out
	}
	checkIn := r.CheckIn.Format(checkinLayout)
	for i := range r.Guests {
		g := &r.Guests[i]
		out.CustomerReservations = append(out.CustomerReservations, pssandbox.CustomerReservation{
			Customer:    g.passportScanCustomer(g.Case != LateDocument),
			IsLeader:    g.Leader,
			CheckinTime: ptr(checkIn),
		})
	}
	return out
}

// passportScanCustomer is the guest as PassportScan reports them. Before
// the scan (scanned false, or a guest never scanned) PassportScan knows what
// the check-in form asked: names, contact and consents, and an EXT document
// with every other field null.
func (g *Guest) passportScanCustomer(scanned bool) pssandbox.Customer {
	gender := pssandbox.Gender(g.Gender)
	c := pssandbox.Customer{
		ID:           g.CustomerID,
		FirstName:    ptr(g.FirstName),
		MiddleName:   optional(g.MiddleName),
		LastName:     ptr(g.LastName),
		Gender:       &gender,
		LastDocument: pssandbox.Document{DocumentType: ptr(string(rules.Unrecognised))},
		LastContact:  pssandbox.Contact{Email: optional(g.Email), Phone: optional(g.Phone)},
		PrivacyFlags: g.privacyFlags(),
		PMSGuestID:   optional(g.PMSGuestID),
	}
	if !scanned || g.Document == nil {
		return c
	}
	d := g.Document
	c.LastDocument = pssandbox.Document{
		DocumentType:   ptr(string(d.Type)),
		DocumentNumber: optional(d.Number),
		IssueDate:      dateText(d.IssueDate),
		ExpirationDate: dateText(d.ExpirationDate),
		IssuePlace:     ptr(g.BirthCity),
		IssueCountry:   optional(d.IssueCountry),
	}
	c.BadRecognized = d.BadRecognized
	c.BirthDate = dateText(&g.BirthDate)
	c.BirthCity = ptr(g.BirthCity)
	c.BirthNation = ptr(g.Nationality)
	c.Nationality = ptr(g.Nationality)
	if g.Address != (Address{}) {
		c.LastAddress = pssandbox.Address{
			Address: ptr(g.Address.Line1), City: ptr(g.Address.City),
			Zip: ptr(g.Address.PostalCode), Country: ptr(g.Address.Country),
		}
	}
	return c
}

// privacyFlags: the loyalty answer is the case's; the others follow it, as
// guests tend to tick all or nothing, with the privacy notice always
// accepted.
func (g *Guest) privacyFlags() pssandbox.PrivacyFlags {
	yes, no := true, false
	other := g.Consent
	if other == nil && g.CustomerID%2 == 0 {
		other = &no
	}
	return pssandbox.PrivacyFlags{
		LoyaltyProgram: g.Consent,
		MarketResearch: other, Promotions: other, Email: other, SMS: other,
		ThirdParties: &no, Privacy: &yes,
	}
}

func ptr[T any](v T) *T { return &v }

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func dateText(d *rules.Date) *string {
	if d == nil || d.IsZero() {
		return nil
	}
	return ptr(d.String())
}
