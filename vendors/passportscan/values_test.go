package passportscan_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guestflow/guestflow/vendors/passportscan"
	"github.com/guestflow/guestflow/vendors/vendorhttp"
)

// The forms the documented sample shows are read: flags true, false or
// null; genders as letters; counts as integers; texts and codes as strings.
func TestDocumentedForms(t *testing.T) {
	var r passportscan.Reservation
	require.NoError(t, json.Unmarshal([]byte(`{
		"id": 1858, "booking_code": "345", "adults": 2, "children": null, "group_id": null,
		"room_number": "F57", "pms_reservation_id": "AI387F", "daily_rate": null,
		"customer_reservations": [{"customer": {"id": 3263, "pms_guest_id": "C349", "worker_id": 59,
			"gender": "M", "birth_date": null,
			"last_contact": {"phone": "+39 333 1234567", "email": null}, "last_address": {"zip": "07006"},
			"last_document": {"document_type": "IDC", "document_number": "787667789", "issue_date": "1999-01-10", "expiration_date": null},
			"bad_recognized": true, "privacy_flags": {"loyalty_program": true, "sms": false, "email": null}},
			"is_leader": true, "checkin_time": null}],
		"added_later": {"anything": true}
	}`), &r))
	id, ok := r.ID.Int64()
	assert.True(t, ok)
	assert.EqualValues(t, 1858, id)
	assert.Equal(t, passportscan.ID("345"), *r.BookingCode)
	assert.EqualValues(t, 2, *r.Adults)
	assert.Nil(t, r.Children)
	assert.Equal(t, passportscan.Text("F57"), *r.RoomNumber)
	cr := r.CustomerReservations[0]
	assert.True(t, cr.IsLeader.True())
	c := cr.Customer
	assert.Equal(t, passportscan.ID("3263"), c.ID)
	assert.Equal(t, passportscan.ID("C349"), *c.PMSGuestID)
	assert.Equal(t, passportscan.ID("59"), *c.WorkerID)
	assert.Equal(t, "male", c.Sex())
	assert.Equal(t, passportscan.Text("07006"), *c.LastAddress.Zip)
	assert.Equal(t, passportscan.Date("1999-01-10"), *c.LastDocument.IssueDate)
	assert.Nil(t, c.LastDocument.ExpirationDate)
	assert.True(t, c.BadRecognized.True())
	assert.True(t, c.PrivacyFlags.LoyaltyProgram.True())
	assert.Equal(t, ptr(false), c.PrivacyFlags.SMS.Bool())
	assert.False(t, c.PrivacyFlags.Email.Known())
	assert.False(t, c.PrivacyFlags.Promotions.Known(), "absent is no answer")
}

// Genders come as the sample's letters, or as 10/20 from some check-in
// sources (PassportScan's public pages: "M/F or 10/20 depending on source").
func TestGenderLetters(t *testing.T) {
	for raw, sex := range map[string]string{`"M"`: "male", `"F"`: "female", `"f"`: "female", `"X"`: "", `null`: "",
		`10`: "male", `20`: "female"} {
		var c passportscan.Customer
		require.NoError(t, json.Unmarshal([]byte(`{"gender":`+raw+`}`), &c), raw)
		assert.Equal(t, sex, c.Sex(), raw)
	}
}

// Anything else is an undocumented answer: the page fails, not retried,
// with the vendor's request id and the field named, never its value.
func TestUndocumentedFormsFailThePage(t *testing.T) {
	guest := func(field string) string {
		return `{"total": 1, "count": 1, "items": [{"id": 1, "arrival_date": "2026-05-04",
			"customer_reservations": [{"customer": {"id": 2, ` + field + `}, "is_leader": true}]}]}`
	}
	tests := []struct{ name, body, field string }{
		{"flag as 1", guest(`"privacy_flags": {"loyalty_program": 1}`), "privacy_flags.loyalty_program"},
		{"flag as a string", guest(`"privacy_flags": {"loyalty_program": "yes"}`), "privacy_flags.loyalty_program"},
		{"bad_recognized as 0", guest(`"bad_recognized": 0`), "bad_recognized"},
		{"gender as another number", guest(`"gender": 30`), "gender"},
		{"date with a time", guest(`"birth_date": "1959-08-22T00:00:00Z"`), "birth_date"},
		{"date in another order", guest(`"last_document": {"expiration_date": "19/06/2013"}`), "expiration_date"},
		{"empty date", guest(`"last_document": {"issue_date": ""}`), "issue_date"},
		{"text as a number", guest(`"last_contact": {"phone": 393331234567}`), "phone"},
		{"document number as a number", guest(`"last_document": {"document_number": 787667789}`), "document_number"},
		{"empty list for an object", guest(`"last_document": []`), "last_document"},
		{"total as a string", `{"total": "45", "count": 20, "items": []}`, "total"},
		{"count as a string", `{"total": 45, "count": "20", "items": []}`, "count"},
		{"adults as a string", `{"total": 1, "items": [{"id": 1, "adults": "Anthony Soprano"}]}`, "adults"},
		{"id as an object", `{"total": 1, "items": [{"id": {"n": 1}}]}`, "items.id"},
		{"not JSON", `<html>maintenance</html>`, ""},
		{"empty body", ``, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := fakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("X-Request-Id", "req-77")
				w.Write([]byte(tt.body))
			})
			_, err := passportscan.New(passportscan.Options{APIKey: apiKey, AccountID: accountID, BaseURL: srv}).
				Reservations(context.Background(), passportscan.ReservationsQuery{ArrivalDate: arrival})
			var ae *vendorhttp.AnswerError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, "req-77", ae.RequestID)
			assert.Contains(t, ae.Reason, tt.field)
			for _, personal := range []string{"Anthony", "3933", "7876", "1959", "2013"} {
				assert.False(t, strings.Contains(err.Error(), personal), err.Error())
			}
		})
	}
}

func TestDateParsing(t *testing.T) {
	got, err := passportscan.Date("2020-02-07").Time()
	require.NoError(t, err)
	assert.Equal(t, time.Date(2020, 2, 7, 0, 0, 0, 0, time.UTC), got)
	_, err = passportscan.Date("").Time()
	assert.Error(t, err)
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
