package passportscan_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guestflow/guestflow/vendors/passportscan"
)

func TestFlagForms(t *testing.T) {
	yes, no := true, false
	tests := []struct {
		raw  string
		want *bool
	}{
		{`null`, nil}, {`true`, &yes}, {`false`, &no}, {`1`, &yes}, {`0`, &no},
		{`"1"`, &yes}, {`"0"`, &no}, {`"true"`, &yes}, {`"false"`, &no}, {`""`, nil}, {`"perhaps"`, nil}, {`2`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			var v struct {
				F passportscan.Flag `json:"f"`
			}
			require.NoError(t, json.Unmarshal([]byte(`{"f":`+tt.raw+`}`), &v))
			assert.Equal(t, tt.want, v.F.Bool())
			assert.Equal(t, tt.want != nil && *tt.want, v.F.True())
		})
	}
	var absent struct {
		F passportscan.Flag `json:"f"`
	}
	require.NoError(t, json.Unmarshal([]byte(`{}`), &absent))
	assert.False(t, absent.F.Known())
}

func TestGenderForms(t *testing.T) {
	tests := []struct{ raw, sex string }{
		{`"M"`, "male"}, {`"F"`, "female"}, {`"m"`, "male"}, {`10`, "male"}, {`20`, "female"},
		{`"10"`, "male"}, {`"20"`, "female"}, {`"X"`, ""}, {`30`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			var c passportscan.Customer
			require.NoError(t, json.Unmarshal([]byte(`{"gender":`+tt.raw+`}`), &c))
			assert.Equal(t, tt.sex, c.Sex())
		})
	}
	assert.Equal(t, "", passportscan.Customer{}.Sex(), "null gender")
}

// Ids, codes and counts arrive as numbers or strings depending on the source.
func TestLooseScalars(t *testing.T) {
	var r passportscan.Reservation
	require.NoError(t, json.Unmarshal([]byte(`{
		"id": "1858", "booking_code": 345, "adults": "2", "children": 0, "daily_rate": "89.90",
		"group_id": 7, "room_number": 101, "pms_reservation_id": 99123,
		"customer_reservations": [{"customer": {"id": 3263, "pms_guest_id": 343433, "worker_id": "59",
			"last_contact": {"phone": 393331234567}, "last_address": {"zip": "07006"},
			"bad_recognized": 1, "privacy_flags": {"loyalty_program": "1", "sms": false}},
			"is_leader": 1, "checkin_time": "2020-02-07 14:30:00"}],
		"added_later": {"anything": true}
	}`), &r))
	id, ok := r.ID.Int64()
	assert.True(t, ok)
	assert.EqualValues(t, 1858, id)
	assert.Equal(t, passportscan.ID("345"), *r.BookingCode)
	assert.EqualValues(t, 2, *r.Adults)
	assert.EqualValues(t, 0, *r.Children)
	assert.True(t, decimal.RequireFromString("89.90").Equal(*r.DailyRate))
	assert.Equal(t, passportscan.ID("7"), *r.GroupID)
	assert.Equal(t, passportscan.Text("101"), *r.RoomNumber)
	assert.Equal(t, passportscan.ID("99123"), *r.PMSReservationID)
	cr := r.CustomerReservations[0]
	assert.True(t, cr.IsLeader.True())
	assert.Equal(t, passportscan.ID("3263"), cr.Customer.ID)
	assert.Equal(t, passportscan.ID("343433"), *cr.Customer.PMSGuestID)
	assert.Equal(t, passportscan.ID("59"), *cr.Customer.WorkerID)
	assert.Equal(t, passportscan.Text("393331234567"), *cr.Customer.LastContact.Phone)
	assert.Equal(t, passportscan.Text("07006"), *cr.Customer.LastAddress.Zip)
	assert.True(t, cr.Customer.BadRecognized.True())
	assert.True(t, cr.Customer.PrivacyFlags.LoyaltyProgram.True())
	assert.Equal(t, ptr(false), cr.Customer.PrivacyFlags.SMS.Bool())
	assert.False(t, cr.Customer.PrivacyFlags.Promotions.Known())
	rome, err := time.LoadLocation("Europe/Rome")
	require.NoError(t, err)
	at, err := cr.CheckinTime.Time(rome)
	require.NoError(t, err)
	assert.Equal(t, time.Date(2020, 2, 7, 14, 30, 0, 0, rome), at)
}

func TestDateParsing(t *testing.T) {
	tests := []struct {
		in   passportscan.Date
		want time.Time
		ok   bool
	}{
		{"2020-02-07", time.Date(2020, 2, 7, 0, 0, 0, 0, time.UTC), true},
		{"2020-02-07T00:00:00+01:00", time.Date(2020, 2, 7, 0, 0, 0, 0, time.UTC), true},
		{"2020-02-07 10:00:00", time.Date(2020, 2, 7, 0, 0, 0, 0, time.UTC), true},
		{"07/02/2020", time.Time{}, false},
		{"0000-00-00", time.Time{}, false},
		{"", time.Time{}, false},
	}
	for _, tt := range tests {
		got, err := tt.in.Time()
		assert.Equal(t, tt.ok, err == nil, tt.in)
		assert.Equal(t, tt.want, got, tt.in)
	}
}

func TestLinkForms(t *testing.T) {
	var l passportscan.Links
	require.NoError(t, json.Unmarshal([]byte(`{"self": {"href": "/v1/reservations?pagination[page]=2"}, "last": "/v1/reservations?page=4", "first": 3}`), &l))
	n, ok := l.Self.Page()
	assert.True(t, ok)
	assert.Equal(t, 2, n)
	n, ok = l.Last.Page()
	assert.True(t, ok)
	assert.Equal(t, 4, n)
	_, ok = l.First.Page()
	assert.False(t, ok)
}

// The page's figures are numbers in the sample; an implementation may send
// them as strings, or leave one null or empty, and the page must still decode.
func TestPageFiguresInOtherForms(t *testing.T) {
	tests := []struct {
		raw          string
		total, count *int
	}{
		{`{"total":"45","count":"20","items":[]}`, ptr(45), ptr(20)},
		{`{"total":45.0,"count":20.0,"items":[]}`, ptr(45), ptr(20)},
		{`{"total":null,"count":"","items":null}`, nil, nil},
		{`{"items":[]}`, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			var p passportscan.ReservationPage
			require.NoError(t, json.Unmarshal([]byte(tt.raw), &p))
			assert.Equal(t, tt.total, p.Total)
			assert.Equal(t, tt.count, p.Count)
		})
	}
}

// Dates are YYYY-MM-DD; an implementation that stores them as moments may
// send them with a time. The value keeps its written date, so everything
// reading it as YYYY-MM-DD (the activities do) still can.
func TestDateTimeValuesKeepTheirDate(t *testing.T) {
	var r passportscan.Reservation
	require.NoError(t, json.Unmarshal([]byte(`{"id":1,
		"arrival_date":"2020-02-07T00:00:00+01:00", "departure_date":"2020-02-17 00:00:00",
		"customer_reservations":[{"customer":{"id":2,"birth_date":"1959-08-22T00:00:00.000Z",
			"last_document":{"issue_date":"1999-01-10","expiration_date":null}}}]}`), &r))
	assert.Equal(t, passportscan.Date("2020-02-07"), r.ArrivalDate)
	assert.Equal(t, ptr(passportscan.Date("2020-02-17")), r.DepartureDate)
	c := r.CustomerReservations[0].Customer
	assert.Equal(t, ptr(passportscan.Date("1959-08-22")), c.BirthDate)
	assert.Equal(t, ptr(passportscan.Date("1999-01-10")), c.LastDocument.IssueDate)
	assert.Nil(t, c.LastDocument.ExpirationDate)
}

// A server whose empty maps serialise as [] (PHP's json_encode does) sends
// "last_document": [] for a guest who scanned nothing; that is an empty
// object, not a reason to fail the page.
func TestEmptyArrayStandsForAnEmptyObject(t *testing.T) {
	var p passportscan.ReservationPage
	require.NoError(t, json.Unmarshal([]byte(`{"total":1,"count":1,"_links":[],"items":[{"id":1,
		"customer_reservations":[{"customer":{"id":2,"last_document":[],"last_address":[],
			"last_contact":[],"privacy_flags":[]},"is_leader":true}]}]}`), &p))
	c := p.Items[0].CustomerReservations[0].Customer
	assert.Equal(t, passportscan.DocumentType(""), c.LastDocument.Type())
	assert.Equal(t, &passportscan.Address{}, c.LastAddress)
	assert.Equal(t, &passportscan.Contact{}, c.LastContact)
	assert.Equal(t, passportscan.PrivacyFlags{}, c.PrivacyFlags)
	assert.Equal(t, passportscan.Links{}, p.Links)
}

// daily_rate is null in the sample and its type is not documented; a rate
// nobody entered may come as "" and must not fail the page, which guestflow
// reads for its guests, not its rates.
func TestDailyRateForms(t *testing.T) {
	tests := []struct {
		raw  string
		want string // "" means no rate
	}{
		{`89.9`, "89.9"}, {`"89.90"`, "89.9"}, {`null`, ""}, {`""`, ""}, {`"n/a"`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			var r passportscan.Reservation
			require.NoError(t, json.Unmarshal([]byte(`{"id":1,"daily_rate":`+tt.raw+`}`), &r))
			if tt.want == "" {
				assert.Nil(t, r.DailyRate)
				return
			}
			require.NotNil(t, r.DailyRate)
			assert.True(t, decimal.RequireFromString(tt.want).Equal(*r.DailyRate))
		})
	}
}
