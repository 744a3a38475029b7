package rules

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestDocumentTypesMewsType(t *testing.T) {
	// A group whose PassportScan sends PSP for passports and knows visas.
	group := DocumentTypes{"PSP": "Passport", IdentityCard: "IdentityCard", "VIS": "Visa"}
	tests := []struct {
		types  DocumentTypes
		in     DocumentType
		want   string
		wantOK bool
	}{
		{nil, Passport, "Passport", true},
		{nil, IdentityCard, "IdentityCard", true},
		{nil, DrivingLicence, "DriversLicense", true},
		{nil, "dri", "DriversLicense", true},
		{nil, Unrecognised, "", false},
		{nil, "VIS", "", false},
		{nil, "", "", false},
		{group, " psp ", "Passport", true},
		{group, "VIS", "Visa", true},
		{group, Passport, "", false},
		{DocumentTypes{Unrecognised: "IdentityCard"}, Unrecognised, "", false},
	}
	for _, tt := range tests {
		got, ok := tt.types.MewsType(tt.in)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("%v.MewsType(%q) = %q, %v; want %q, %v", tt.types, tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
	if got := DocumentTypes(nil).Codes(); !reflect.DeepEqual(got, []DocumentType{DrivingLicence, IdentityCard, Passport}) {
		t.Errorf("default codes = %v", got)
	}
}

func TestDocumentTypeShown(t *testing.T) {
	for in, want := range map[DocumentType]string{"psp": "PSP", " IDC ": "IDC", "ID-2": "ID-2", "": "?",
		"Mario Rossi": "?", "ABCDEFGHIJKLMNOPQ": "?"} {
		if got := in.Shown(); got != want {
			t.Errorf("%q.Shown() = %q, want %q", in, got, want)
		}
	}
}

func TestSex(t *testing.T) {
	tests := []struct{ in, want string }{
		{"M", "Male"}, {"m", "Male"}, {"10", "Male"}, {" 10 ", "Male"}, {"1", "Male"}, {"male", "Male"},
		{"F", "Female"}, {"f", "Female"}, {"20", "Female"}, {"2", "Female"}, {"Female", "Female"},
		{"", ""}, {"X", ""}, {"0", ""}, {"9", ""}, {"30", ""}, {"MF", ""},
	}
	for _, tt := range tests {
		if got := Sex(tt.in); got != tt.want {
			t.Errorf("Sex(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTitle(t *testing.T) {
	tests := []struct{ sex, want string }{
		{SexMale, "Mister"}, {SexFemale, "Miss"}, {"", ""}, {"male", ""},
	}
	for _, tt := range tests {
		if got := Title(tt.sex); got != tt.want {
			t.Errorf("Title(%q) = %q, want %q", tt.sex, got, tt.want)
		}
	}
}

func str(s string) *string { return &s }

func TestFillEmpty(t *testing.T) {
	scanned := Profile{
		FirstName: "Anthony", LastName: "Soprano", SecondLastName: "Gualtieri",
		BirthDate: dp("1959-08-22"), BirthPlace: "Newark", Nationality: "us",
		Sex: "Male", Email: "tony@example.com", Phone: "+19735550100",
		Address: Address{Line1: "Aspen Dr 14", City: "Caldwell", PostalCode: "07006", Country: "us"},
	}
	tests := []struct {
		name     string
		existing Profile
		scanned  Profile
		want     ProfileChanges
	}{
		{
			name:     "empty customer takes everything",
			existing: Profile{},
			scanned:  scanned,
			want: ProfileChanges{
				FirstName: str("Anthony"), LastName: str("Soprano"), SecondLastName: str("Gualtieri"),
				BirthDate: dp("1959-08-22"), BirthPlace: str("Newark"), Nationality: str("US"),
				Sex: str("Male"), Email: str("tony@example.com"), Phone: str("+19735550100"),
				Address: &Address{Line1: "Aspen Dr 14", City: "Caldwell", PostalCode: "07006", Country: "US"},
			},
		},
		{
			name: "what the hotel typed stays",
			existing: Profile{
				FirstName: "Tony", LastName: "Soprano", BirthDate: dp("1960-01-01"),
				Email: "t@bing.example", Address: Address{City: "North Caldwell"},
			},
			scanned: scanned,
			want: ProfileChanges{
				SecondLastName: str("Gualtieri"), BirthPlace: str("Newark"), Nationality: str("US"),
				Sex: str("Male"), Phone: str("+19735550100"),
			},
		},
		{
			name:     "blanks in Mews count as empty, scanned values trimmed",
			existing: Profile{FirstName: "  ", BirthDate: &Date{}},
			scanned:  Profile{FirstName: " Carmella ", BirthDate: dp("1961-03-01")},
			want:     ProfileChanges{FirstName: str("Carmella"), BirthDate: dp("1961-03-01")},
		},
		{
			name:     "nothing scanned changes nothing",
			existing: Profile{},
			scanned:  Profile{FirstName: " ", BirthDate: &Date{}, Address: Address{City: " "}},
			want:     ProfileChanges{},
		},
		{
			name:     "full customer changes nothing",
			existing: scanned,
			scanned:  Profile{FirstName: "Other", LastName: "Other", Sex: "Female", Address: Address{Line1: "x"}},
			want:     ProfileChanges{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := FillEmpty(tt.existing, tt.scanned)
			if !reflect.DeepEqual(got, tt.want) {
				g, _ := json.Marshal(got)
				w, _ := json.Marshal(tt.want)
				t.Errorf("FillEmpty =\n %s\nwant\n %s", g, w)
			}
			if got.IsEmpty() != (len(got.Fields()) == 0) {
				t.Error("IsEmpty disagrees with Fields")
			}
		})
	}
}

func TestFillEmptySharesNoMemory(t *testing.T) {
	scanned := Profile{BirthDate: dp("1959-08-22")}
	c := FillEmpty(Profile{}, scanned)
	*scanned.BirthDate = d("2000-01-01")
	if *c.BirthDate != d("1959-08-22") {
		t.Error("changes alias the scanned profile")
	}
}

func TestProfileChangesFields(t *testing.T) {
	c := ProfileChanges{Address: &Address{}, Email: str("e"), FirstName: str("f")}
	want := []string{"FirstName", "Email", "Address"}
	for i := 0; i < 20; i++ {
		if got := c.Fields(); !reflect.DeepEqual(got, want) {
			t.Fatalf("Fields() = %v, want %v", got, want)
		}
	}
	if (ProfileChanges{}).Fields() != nil || !(ProfileChanges{}).IsEmpty() {
		t.Error("empty changes should list no fields")
	}
}

func TestBirthPlace(t *testing.T) {
	for _, tt := range []struct{ city, province, nation, want string }{
		{"Rome", "RM", "ITA", "Rome, RM, ITA"},
		{"Rome", "", "ITA", "Rome, ITA"},
		{"", "", "ITA", "ITA"},
		{" Newark ", "Essex County", "", "Newark, Essex County"},
		{"Roma", "roma", "ITA", "Roma, ITA"},
		{"", " ", "", ""},
	} {
		if got := BirthPlace(tt.city, tt.province, tt.nation); got != tt.want {
			t.Errorf("BirthPlace(%q, %q, %q) = %q, want %q", tt.city, tt.province, tt.nation, got, tt.want)
		}
	}
}
