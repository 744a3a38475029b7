package scenario

import (
	"github.com/guestflow/guestflow/rules"
	mewssandbox "github.com/guestflow/guestflow/vendors/mews/sandbox"
)

// mewsCustomer is the returning guest as the hotel typed them on an earlier
// stay: same e-mail and names, the birth date, and no identity document, so
// guestflow has to find them and add this stay's document.
func (g *Guest) mewsCustomer() mewssandbox.Customer {
	c := mewssandbox.Customer{
		ID:              g.MewsCustomerID,
		FirstName:       ptr(g.FirstName),
		LastName:        g.LastName,
		Email:           optional(g.Email),
		BirthDate:       dateText(&g.BirthDate),
		Notes:           ptr("Returning guest"),
		Classifications: []string{"Returning"},
	}
	if alpha2, ok := rules.CountryAlpha2(g.Nationality); ok {
		c.NationalityCode = &alpha2
	}
	if sex := rules.Sex(g.Gender); sex != "" {
		c.Sex = &sex
	}
	return c
}
