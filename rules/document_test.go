package rules

import (
	"encoding/json"
	"testing"
)

// pspGroup is a group whose PassportScan sends PSP for passports and VIS for
// visas, and no driving licences.
var pspGroup = DocumentTypes{"PSP": "Passport", IdentityCard: "IdentityCard", "VIS": "Visa"}

func TestVerifyDocument(t *testing.T) {
	yes, no := true, false
	arrival := d("2020-02-07")
	good := func(edit func(*Document)) *Document {
		doc := &Document{
			Type:           Passport,
			Number:         "YA1234567",
			IssueDate:      dp("2015-03-01"),
			ExpirationDate: dp("2025-02-28"),
			IssueCountry:   "ITA",
		}
		if edit != nil {
			edit(doc)
		}
		return doc
	}
	tests := []struct {
		name     string
		doc      *Document
		accepted []DocumentType
		types    DocumentTypes
		want     Reason
		country  string
	}{
		{name: "passport", doc: good(nil), want: "", country: "IT"},
		{name: "identity card", doc: good(func(d *Document) { d.Type = IdentityCard }), country: "IT"},
		{name: "driving licence", doc: good(func(d *Document) { d.Type = DrivingLicence }), country: "IT"},
		{name: "lower-case type", doc: good(func(d *Document) { d.Type = "pas" }), country: "IT"},
		{name: "bad_recognized false", doc: good(func(d *Document) { d.BadRecognized = &no }), country: "IT"},
		{name: "german MRZ code", doc: good(func(d *Document) { d.IssueCountry = "D<<" }), country: "DE"},

		{name: "nil", doc: nil, want: DocumentMissing},
		{name: "EXT with nothing else (unscanned guest)", doc: &Document{Type: Unrecognised}, want: DocumentMissing},
		{name: "empty document", doc: &Document{}, want: DocumentMissing},
		{name: "EXT with zero dates", doc: &Document{Type: Unrecognised, IssueDate: &Date{}, ExpirationDate: &Date{}}, want: DocumentMissing},

		{name: "EXT with a number", doc: good(func(d *Document) { d.Type = Unrecognised }), want: DocumentNotRecognised},
		{name: "bad_recognized true", doc: good(func(d *Document) { d.BadRecognized = &yes }), want: DocumentNotRecognised},
		{name: "no type but data", doc: good(func(d *Document) { d.Type = "" }), want: DocumentNotRecognised},

		// A code the mapping lacks is a document of its own kind, not a bad scan.
		{name: "code not in the default mapping", doc: good(func(d *Document) { d.Type = "VIS" }), want: DocumentTypeUnknown},
		{name: "code not in the group's mapping", doc: good(nil), types: pspGroup, want: DocumentTypeUnknown},
		{name: "code in the group's mapping", doc: good(func(d *Document) { d.Type = "psp" }), types: pspGroup, country: "IT"},
		{name: "group mapping, accepted empty means every mapped code", doc: good(func(d *Document) { d.Type = "VIS" }),
			types: pspGroup, country: "IT"},
		{name: "group mapping, branch narrows it", doc: good(func(d *Document) { d.Type = "VIS" }),
			types: pspGroup, accepted: []DocumentType{"PSP"}, want: DocumentTypeNotAccepted},
		{name: "EXT mapped by mistake is still unrecognised", doc: good(func(d *Document) { d.Type = Unrecognised }),
			types: DocumentTypes{Unrecognised: "IdentityCard"}, want: DocumentNotRecognised},

		{name: "no number", doc: good(func(d *Document) { d.Number = "" }), want: DocumentNumberMissing},
		{name: "blank number", doc: good(func(d *Document) { d.Number = "  " }), want: DocumentNumberMissing},

		{name: "licence not accepted", doc: good(func(d *Document) { d.Type = DrivingLicence }),
			accepted: []DocumentType{Passport, IdentityCard}, want: DocumentTypeNotAccepted},
		{name: "branch config in lower case", doc: good(nil), accepted: []DocumentType{"pas"}, country: "IT"},

		{name: "expired the day before arrival", doc: good(func(d *Document) { d.ExpirationDate = dp("2020-02-06") }), want: DocumentExpired},
		{name: "expires on arrival day", doc: good(func(d *Document) { d.ExpirationDate = dp("2020-02-07") }), country: "IT"},
		{name: "no expiration date", doc: good(func(d *Document) { d.ExpirationDate = nil }), country: "IT"},

		{name: "issued the day after arrival", doc: good(func(d *Document) { d.IssueDate = dp("2020-02-08") }), want: DocumentIssuedAfterArrival},
		{name: "issued on arrival day", doc: good(func(d *Document) { d.IssueDate = dp("2020-02-07") }), country: "IT"},
		{name: "no issue date", doc: good(func(d *Document) { d.IssueDate = nil }), country: "IT"},

		{name: "no country", doc: good(func(d *Document) { d.IssueCountry = "" }), want: DocumentCountryUnknown},
		{name: "stateless", doc: good(func(d *Document) { d.IssueCountry = "XXA" }), want: DocumentCountryUnknown},
		{name: "alpha-2 given", doc: good(func(d *Document) { d.IssueCountry = "IT" }), want: DocumentCountryUnknown},

		// The first failing rule wins.
		{name: "expired and stateless", doc: good(func(d *Document) {
			d.ExpirationDate = dp("2019-01-01")
			d.IssueCountry = "XXA"
		}), want: DocumentExpired},
		{name: "bad_recognized and no number", doc: good(func(d *Document) {
			d.BadRecognized = &yes
			d.Number = ""
		}), want: DocumentNotRecognised},
		{name: "no number and type not accepted", doc: good(func(d *Document) {
			d.Type = DrivingLicence
			d.Number = ""
		}), accepted: []DocumentType{Passport}, want: DocumentNumberMissing},
		{name: "no number and unknown code", doc: good(func(d *Document) {
			d.Type = "VIS"
			d.Number = ""
		}), want: DocumentNumberMissing},
		{name: "unknown code and expired", doc: good(func(d *Document) {
			d.Type = "VIS"
			d.ExpirationDate = dp("2019-01-01")
		}), want: DocumentTypeUnknown},

		// The documented sample: Anthony's identity card expired in 2013.
		{name: "sample payload leader", doc: &Document{
			Type: "IDC", Number: "787667789", IssueDate: dp("1999-01-10"),
			ExpirationDate: dp("2013-06-19"), IssueCountry: "USA",
		}, want: DocumentExpired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, reason := VerifyDocument(tt.doc, arrival, tt.accepted, tt.types)
			if reason != tt.want {
				t.Fatalf("reason = %q, want %q", reason, tt.want)
			}
			if reason != "" {
				if got != (Verified{}) {
					t.Errorf("a refused document must give no Verified, got %+v", got)
				}
				return
			}
			if got.IssuingCountry != tt.country {
				t.Errorf("IssuingCountry = %q, want %q", got.IssuingCountry, tt.country)
			}
			if got.Number == "" || got.Type == "" {
				t.Errorf("Verified lacks number or type: %+v", got)
			}
		})
	}
}

func TestVerifiedCopiesDates(t *testing.T) {
	doc := &Document{Type: "pas ", Number: " YA1 ", IssueDate: dp("2015-03-01"),
		ExpirationDate: dp("2025-02-28"), IssueCountry: "ita"}
	v, reason := VerifyDocument(doc, d("2020-02-07"), nil, nil)
	if reason != "" {
		t.Fatal(reason)
	}
	if v.Type != Passport || v.Number != "YA1" || v.IssuingCountry != "IT" {
		t.Errorf("not normalised: %+v", v)
	}
	*doc.IssueDate = d("2000-01-01")
	if *v.IssueDate != d("2015-03-01") {
		t.Error("Verified shares its dates with the scanned document")
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var back Verified
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Type != v.Type || *back.ExpirationDate != *v.ExpirationDate || back.IssuingCountry != "IT" {
		t.Errorf("round trip %s gave %+v", b, back)
	}
}

// The place of issue travels to Mews as the document's IssuingCity.
func TestVerifiedCarriesThePlaceOfIssue(t *testing.T) {
	doc := &Document{Type: IdentityCard, Number: "787667789", IssueCountry: "USA", IssuePlace: " North Caldwell "}
	v, reason := VerifyDocument(doc, d("2010-02-07"), nil, nil)
	if reason != "" {
		t.Fatal(reason)
	}
	if v.IssuingCity != "North Caldwell" {
		t.Errorf("IssuingCity = %q, want the scanned place of issue", v.IssuingCity)
	}
}
