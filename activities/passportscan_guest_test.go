package activities

import (
	"encoding/json"
	"testing"

	"github.com/guestflow/guestflow/vendors/passportscan"
)

// What PassportScan knows of the birth place (city, province, nation) and
// the document's place of issue reach the guest, for Mews.
func TestGuestOfCarriesBirthPlaceAndPlaceOfIssue(t *testing.T) {
	var r passportscan.Reservation
	if err := json.Unmarshal([]byte(`{"id": 1858, "arrival_date": "2020-02-07", "customer_reservations": [{"customer": {
		"id": 3263, "last_name": "Soprano", "birth_city": "Newark", "birth_province": "Essex County", "birth_nation": "USA",
		"last_document": {"document_type": "IDC", "document_number": "787667789", "issue_place": "North Caldwell",
			"issue_province": "Essex County", "issue_country": "USA"}}}]}`), &r); err != nil {
		t.Fatal(err)
	}
	g, ok := (&PassportScan{}).guestOf("rome", r, r.CustomerReservations[0])
	if !ok {
		t.Fatal("guest not read")
	}
	if g.Profile.BirthPlace != "Newark, Essex County, USA" {
		t.Errorf("BirthPlace = %q", g.Profile.BirthPlace)
	}
	if g.Document == nil || g.Document.IssuePlace != "North Caldwell" {
		t.Errorf("document %+v, want the place of issue", g.Document)
	}
}
