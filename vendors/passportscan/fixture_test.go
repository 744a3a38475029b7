package passportscan_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guestflow/guestflow/vendors/passportscan"
)

func ptr[T any](v T) *T { return &v }

// The documented sample response decodes with every field as documented.
func TestDocumentedSampleDecodes(t *testing.T) {
	raw, err := os.ReadFile("testdata/reservations.json")
	require.NoError(t, err)
	var p passportscan.ReservationPage
	require.NoError(t, json.Unmarshal(raw, &p))

	assert.Equal(t, ptr(1), p.Total)
	assert.Equal(t, ptr(1), p.Count)
	const link = "/v1/reservations?arrival_date=2020-02-07&all_customers=1&pagination[page]=1&pagination[limit]=20"
	assert.Equal(t, passportscan.Links{Self: link, First: link, Last: link}, p.Links)
	require.Len(t, p.Items, 1)

	r := p.Items[0]
	nilDate, nilText, nilID, nilStr := (*passportscan.Date)(nil), (*passportscan.Text)(nil), (*passportscan.ID)(nil), (*string)(nil)
	assert.Equal(t, passportscan.ID("1858"), r.ID)
	assert.Equal(t, ptr(passportscan.ID("345")), r.BookingCode)
	assert.Equal(t, passportscan.Date("2020-02-07"), r.ArrivalDate)
	assert.Equal(t, ptr(passportscan.Date("2020-02-17")), r.DepartureDate)
	assert.Equal(t, ptr(passportscan.Count(2)), r.Adults)
	assert.Equal(t, ptr(passportscan.Count(1)), r.Children)
	assert.Equal(t, ptr("East Agency"), r.TravelAgency)
	assert.Equal(t, ptr("garbage group"), r.GroupName)
	assert.Equal(t, nilID, r.GroupID)
	assert.Equal(t, ptr(passportscan.Text("F57")), r.RoomNumber)
	assert.Equal(t, ptr("HIGH"), r.RoomType)
	assert.Equal(t, ptr("Anthony"), r.FirstName)
	assert.Equal(t, ptr("John"), r.MiddleName)
	assert.Equal(t, ptr("Soprano"), r.LastName)
	assert.Equal(t, ptr("custom 1"), r.Custom1)
	assert.Equal(t, ptr("custom 2"), r.Custom2)
	assert.Equal(t, ptr(passportscan.ID("AI387F")), r.PMSReservationID)
	require.Len(t, r.CustomerReservations, 3)

	leader := r.CustomerReservations[0]
	assert.True(t, leader.IsLeader.True())
	assert.Nil(t, leader.CheckinTime)
	c := leader.Customer
	assert.Equal(t, passportscan.ID("3263"), c.ID)
	assert.Equal(t, ptr("Anthony"), c.FirstName)
	assert.Equal(t, nilStr, c.MiddleName)
	assert.Equal(t, ptr("Soprano"), c.LastName)
	assert.Equal(t, nilDate, c.BirthDate)
	for _, s := range []*string{c.BirthNation, c.BirthCity, c.BirthProvince, c.Nationality} {
		assert.Nil(t, s)
	}
	assert.Equal(t, ptr(passportscan.Gender("F")), c.Gender)
	assert.Equal(t, "female", c.Sex())
	assert.Equal(t, nilID, c.WorkerID, "the leader carries no worker_id")
	assert.Nil(t, c.BadRecognized.Bool())
	assert.Equal(t, ptr(passportscan.ID("343433")), c.PMSGuestID)
	assert.Equal(t, &passportscan.Document{
		DocumentType:   ptr(passportscan.DocumentIDCard),
		DocumentNumber: ptr(passportscan.Text("787667789")),
		IssueDate:      ptr(passportscan.Date("1999-01-10")),
		ExpirationDate: ptr(passportscan.Date("2013-06-19")),
		IssuePlace:     ptr("North Caldwell"),
		IssueProvince:  ptr("Essex County"),
		IssueCountry:   ptr("USA"),
	}, c.LastDocument)
	assert.Equal(t, nilText, c.LastDocument.PersonalNumber)
	assert.Equal(t, &passportscan.Address{
		Address:  ptr("Aspen Dr 14"),
		City:     ptr("Caldwell"),
		Province: ptr("Essex County"),
		Region:   ptr("NJ"),
		Zip:      ptr(passportscan.Text("07006")),
		Country:  ptr("USA"),
	}, c.LastAddress)
	assert.Equal(t, &passportscan.Contact{}, c.LastContact)
	assert.Equal(t, passportscan.PrivacyFlags{}, c.PrivacyFlags, "every flag null")
	expires, err := c.LastDocument.ExpirationDate.Time()
	require.NoError(t, err)
	assert.Equal(t, 2013, expires.Year())

	for i, want := range []struct {
		id, first, pms string
	}{{"3264", "Carmella", "C349"}, {"3265", "Meadow", "C891"}} {
		cr := r.CustomerReservations[i+1]
		assert.False(t, cr.IsLeader.True())
		assert.True(t, cr.IsLeader.Known())
		assert.Nil(t, cr.CheckinTime)
		g := cr.Customer
		assert.Equal(t, passportscan.ID(want.id), g.ID)
		assert.Equal(t, ptr(want.first), g.FirstName)
		assert.Equal(t, ptr(passportscan.ID(want.pms)), g.PMSGuestID)
		assert.Equal(t, ptr(passportscan.ID("59")), g.WorkerID)
		assert.Equal(t, &passportscan.Document{DocumentType: ptr(passportscan.DocumentUnrecognised)}, g.LastDocument)
		assert.Equal(t, passportscan.DocumentUnrecognised, g.LastDocument.Type())
		assert.Equal(t, &passportscan.Address{}, g.LastAddress)
		assert.Equal(t, "female", g.Sex())
	}
}
