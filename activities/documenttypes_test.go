package activities

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"go.temporal.io/sdk/temporal"

	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/rules"
	"github.com/guestflow/guestflow/vendors/mews"
	mewssandbox "github.com/guestflow/guestflow/vendors/mews/sandbox"
	"github.com/guestflow/guestflow/vendors/passportscan"
)

// reservationWithCodes is one reservation of the documented shape whose
// guests scanned documents of these codes.
func reservationWithCodes(t *testing.T, codes ...string) passportscan.Reservation {
	t.Helper()
	r := passportscan.Reservation{ID: "1858", ArrivalDate: "2026-11-23"}
	for i, code := range codes {
		var cr passportscan.CustomerReservation
		raw := `{"customer": {"id": ` + string(rune('1'+i)) + `, "last_document": {"document_type": ` + code +
			`, "document_number": "YA1234567", "issue_country": "ITA"}}}`
		if err := json.Unmarshal([]byte(raw), &cr); err != nil {
			t.Fatal(err)
		}
		r.CustomerReservations = append(r.CustomerReservations, cr)
	}
	return r
}

// A snapshot whose code the branch's mapping lacks is counted by branch and
// code; mapped codes, EXT (no document) and no code are not.
func TestGuestOfCountsUnknownDocumentTypes(t *testing.T) {
	a := &PassportScan{
		Rules: map[string]lifecycle.BranchRules{
			"rome":   {},
			"lisbon": {DocumentTypes: rules.DocumentTypes{"PSP": "Passport"}},
		},
		UnknownDocumentTypes: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "unknown_document_types"}, []string{"branch", "code"}),
	}
	for _, branch := range []string{"rome", "lisbon"} {
		r := reservationWithCodes(t, `"PAS"`, `"psp"`, `"EXT"`, `null`, `"Mario Rossi"`)
		for _, cr := range r.CustomerReservations {
			if _, ok := a.guestOf(branch, r, cr); !ok {
				t.Fatal("guest not read")
			}
		}
	}
	want := map[[2]string]float64{{"rome", "PSP"}: 1, {"rome", "?"}: 1, {"lisbon", "PAS"}: 1, {"lisbon", "?"}: 1}
	if n := testutil.CollectAndCount(a.UnknownDocumentTypes); n != len(want) {
		t.Errorf("%d label sets counted, want %d", n, len(want))
	}
	for l, n := range want {
		if got := testutil.ToFloat64(a.UnknownDocumentTypes.WithLabelValues(l[0], l[1])); got != n {
			t.Errorf("%v counted %v, want %v", l, got, n)
		}
	}
}

// A document whose code is not mapped reaches Mews only by staff approval:
// it goes as the configured type for unknown codes, or as the type the
// group has mapped it to since; with no type for unknown codes it is
// refused without retries.
func TestUpdateMewsDocumentTypeOfAnApprovedUnknownCode(t *testing.T) {
	tests := []struct {
		name    string
		types   rules.DocumentTypes
		unknown mews.DocumentType
		code    rules.DocumentType
		want    string
	}{
		{name: "mapped by default", code: rules.DrivingLicence, unknown: "IdentityCard", want: "DriversLicense"},
		{name: "mapped by the group", code: "PSP", types: rules.DocumentTypes{"PSP": "Passport"}, unknown: "IdentityCard", want: "Passport"},
		{name: "unknown, fallback", code: "PSP", unknown: "IdentityCard", want: "IdentityCard"},
		{name: "unknown, no fallback", code: "PSP"},
		{name: "EXT never", code: rules.Unrecognised, unknown: "IdentityCard"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sb := mewssandbox.New(mewssandbox.Options{ClientToken: mewsClientToken, AccessTokens: []string{mewsAccess}})
			a := newMews(t, sb)
			a.DocumentTypes, a.UnknownDocumentType = tt.types, tt.unknown
			in := mewsInput()
			in.Document.Type = tt.code
			_, err := runUpdateMews(t, a, in)
			if tt.want == "" {
				var app *temporal.ApplicationError
				if !errors.As(err, &app) || app.Type() != ErrInvalidInput || !app.NonRetryable() {
					t.Fatalf("error %v, want a non-retryable %s", err, ErrInvalidInput)
				}
				if len(sb.Documents(mewsAccess)) != 0 {
					t.Error("a refused document was written")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			docs := sb.Documents(mewsAccess)
			if len(docs) != 1 || docs[0].Type != tt.want {
				t.Errorf("Mews documents %+v, want one %s", docs, tt.want)
			}
		})
	}
}
