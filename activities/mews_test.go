package activities

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/guestflow/guestflow/rules"
	"github.com/guestflow/guestflow/vendors/mews"
	mewssandbox "github.com/guestflow/guestflow/vendors/mews/sandbox"
	"github.com/guestflow/guestflow/vendors/sandboxkit"
	"github.com/guestflow/guestflow/vendors/vendorhttp"
)

const (
	mewsClientToken = "test-client-token"
	mewsAccess      = "test-access-token"
)

func mewsInput() UpdateMewsInput {
	birth := rules.Date{Year: 1980, Month: time.May, Day: 1}
	return UpdateMewsInput{
		BranchID: "rome", Marker: MarkerFor(1858, 3263), PMSGuestID: "343433",
		Profile: rules.Profile{FirstName: "Anna", LastName: "Rossi", BirthDate: &birth, Email: "anna@example.com", Phone: "+393471234567"},
		Document: rules.Verified{Type: rules.Passport, Number: "YA1234567", IssuingCountry: "IT",
			ExpirationDate: &rules.Date{Year: 2030, Month: time.January, Day: 9}},
	}
}

// fastRetries is vendorhttp.InActivity's shape with waits short enough for a test.
var fastRetries = vendorhttp.Backoff{First: time.Millisecond, Max: 4 * time.Millisecond, Attempts: 4, Within: time.Second}

func newMews(t *testing.T, h http.Handler) *Mews {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c := mews.New(mews.Options{BaseURL: srv.URL, ClientToken: mewsClientToken, AccessToken: mewsAccess, Timeout: 5 * time.Second,
		Retry: &fastRetries})
	return &Mews{Branches: map[string]*mews.Client{"rome": c}}
}

func runUpdateMews(t *testing.T, a *Mews, in UpdateMewsInput) (UpdateMewsResult, error) {
	var env testsuite.WorkflowTestSuite
	ae := env.NewTestActivityEnvironment()
	ae.RegisterActivity(a)
	v, err := ae.ExecuteActivity(a.UpdateMews, in)
	var res UpdateMewsResult
	if err == nil {
		err = v.Get(&res)
	}
	return res, err
}

// An add whose answer was lost after Mews acted is not sent again blindly:
// the activity looks (the marker lookup, the documents) and finds what the
// add wrote, within the same attempt.
func TestUpdateMewsAfterLostAnswersAddsNothingTwice(t *testing.T) {
	for _, tc := range []struct {
		path  string
		calls []string
	}{
		{"customers/add", []string{"customers/getAll", "customers/add", "customers/getAll", "identityDocuments/add"}},
		{"identityDocuments/add", []string{"customers/getAll", "customers/add", "identityDocuments/add", "identityDocuments/getAll"}},
	} {
		t.Run(tc.path, func(t *testing.T) {
			sb := mewssandbox.New(mewssandbox.Options{ClientToken: mewsClientToken, AccessTokens: []string{mewsAccess}})
			a := newMews(t, sandboxkit.LoseAnswersOn(sb, tc.path, 1))

			res, err := runUpdateMews(t, a, mewsInput())
			if err != nil {
				t.Fatal(err)
			}
			if n := len(sb.Customers(mewsAccess)); n != 1 {
				t.Errorf("Mews holds %d customers, want 1", n)
			}
			if n := len(sb.Documents(mewsAccess)); n != 1 {
				t.Errorf("Mews holds %d documents, want 1", n)
			}
			if res.CustomerID == "" || res.DocumentID == "" || !res.CustomerAdded || !res.DocumentAdded {
				t.Errorf("result %+v", res)
			}
			if got := mewsCalls(sb); !slices.Equal(got, tc.calls) {
				t.Errorf("Mews calls %v, want %v", got, tc.calls)
			}
		})
	}
}

// mewsCalls lists the operations the sandbox served, in order.
func mewsCalls(sb *mewssandbox.Server) []string {
	var out []string
	for _, c := range sb.Calls() {
		out = append(out, strings.TrimPrefix(c.Path, "/api/connector/v1/"))
	}
	return out
}

// The Mews calls of each kind of guest, exactly: three for a new guest,
// the gaps only for a returning one; see UpdateMews for each extra.
func TestUpdateMewsCallsPerGuest(t *testing.T) {
	const returningID = "0b4a2c9e-3f1d-4e5a-9b8c-7d6e5f4a3b2c"
	hotelProfile := func(phone *string) mewssandbox.Customer {
		return mewssandbox.Customer{ID: returningID, FirstName: ptr("Anna"), LastName: "Rossi", Email: ptr("anna@example.com"),
			Phone: phone, BirthDate: ptr("1980-05-01")}
	}
	passport := func(customerID string) mewssandbox.IdentityDocument {
		return mewssandbox.IdentityDocument{CustomerID: customerID, Type: "Passport", Number: "YA1234567",
			ExpirationDate: ptr("2030-01-09"), IssuingCountryCode: ptr("IT")}
	}
	for _, tc := range []struct {
		name   string
		seed   func(sb *mewssandbox.Server)
		input  func(in *UpdateMewsInput)
		faults sandboxkit.Faults
		calls  []string
	}{{
		name:  "new guest",
		calls: []string{"customers/getAll", "customers/add", "identityDocuments/add"},
	}, {
		name:  "new guest without e-mail: looked for by name and birth date",
		input: func(in *UpdateMewsInput) { in.Profile.Email = "" },
		calls: []string{"customers/getAll", "customers/getAll", "customers/add", "identityDocuments/add"},
	}, {
		name:   "new guest, Mews briefly unavailable: retried inside the call",
		faults: sandboxkit.Faults{Unavailable: 2},
		calls:  []string{"customers/getAll", "customers/getAll", "customers/getAll", "customers/add", "identityDocuments/add"},
	}, {
		name: "returning guest linked by the PMS, nothing missing",
		seed: func(sb *mewssandbox.Server) {
			sb.AddCustomer(mewsAccess, hotelProfile(ptr("+393471234567")))
			sb.AddDocument(mewsAccess, passport(returningID))
		},
		input: func(in *UpdateMewsInput) { in.PMSGuestID = returningID },
		calls: []string{"customers/getAll"},
	}, {
		name:  "returning guest linked by the PMS, phone and document missing",
		seed:  func(sb *mewssandbox.Server) { sb.AddCustomer(mewsAccess, hotelProfile(nil)) },
		input: func(in *UpdateMewsInput) { in.PMSGuestID = returningID },
		calls: []string{"customers/getAll", "customers/update", "identityDocuments/add"},
	}, {
		name:  "returning guest found by the e-mail Mews refuses to add twice",
		seed:  func(sb *mewssandbox.Server) { sb.AddCustomer(mewsAccess, hotelProfile(ptr("+393471234567"))) },
		calls: []string{"customers/getAll", "customers/add", "customers/getAll", "identityDocuments/add"},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			sb := mewssandbox.New(mewssandbox.Options{ClientToken: mewsClientToken, AccessTokens: []string{mewsAccess}})
			if tc.seed != nil {
				tc.seed(sb)
			}
			sb.SetFaults(tc.faults)
			in := mewsInput()
			if tc.input != nil {
				tc.input(&in)
			}
			res, err := runUpdateMews(t, newMews(t, sb), in)
			if err != nil {
				t.Fatal(err)
			}
			if got := mewsCalls(sb); !slices.Equal(got, tc.calls) {
				t.Errorf("Mews calls %v, want %v", got, tc.calls)
			}
			if n := len(sb.Customers(mewsAccess)); n != 1 || len(sb.Documents(mewsAccess)) != 1 {
				t.Errorf("Mews holds %d customers and %d documents, want 1 and 1", n, len(sb.Documents(mewsAccess)))
			}
			if res.CustomerID == "" || res.DocumentID == "" {
				t.Errorf("result %+v", res)
			}
		})
	}
}

// A retry starts where the previous attempt stopped: the customer it added
// is not looked for again, and its documents are read before a document is
// added, since the last progress recorded may be older than the last add.
func TestUpdateMewsResumesFromTheLastAttempt(t *testing.T) {
	for _, tc := range []struct {
		name       string
		docSent    bool
		docWritten bool
		calls      []string
	}{
		{"customer added, no document sent", false, false, []string{"identityDocuments/getAll", "identityDocuments/add"}},
		// The worker died after sending the add and before its heartbeat
		// with DocumentAddSent reached Temporal (heartbeats are throttled).
		{"customer added, document add sent but not recorded", false, true, []string{"identityDocuments/getAll"}},
		{"document add sent, and written", true, true, []string{"identityDocuments/getAll"}},
		{"document add sent, not written", true, false, []string{"identityDocuments/getAll", "identityDocuments/add"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sb := mewssandbox.New(mewssandbox.Options{ClientToken: mewsClientToken, AccessTokens: []string{mewsAccess}})
			in := mewsInput()
			id := sb.AddCustomer(mewsAccess, mewssandbox.Customer{LastName: "Rossi", FirstName: ptr("Anna"), LoyaltyCode: ptr(in.Marker)})
			if tc.docWritten {
				sb.AddDocument(mewsAccess, mewssandbox.IdentityDocument{CustomerID: id, Type: "Passport", Number: "YA1234567",
					ExpirationDate: ptr("2030-01-09"), IssuingCountryCode: ptr("IT")})
			}
			a := newMews(t, sb)
			var env testsuite.WorkflowTestSuite
			ae := env.NewTestActivityEnvironment()
			ae.RegisterActivity(a)
			ae.SetHeartbeatDetails(mewsProgress{Result: UpdateMewsResult{CustomerID: id, CustomerAdded: true}, CustomerReady: true, DocumentAddSent: tc.docSent})
			v, err := ae.ExecuteActivity(a.UpdateMews, in)
			if err != nil {
				t.Fatal(err)
			}
			var res UpdateMewsResult
			if err := v.Get(&res); err != nil {
				t.Fatal(err)
			}
			if got := mewsCalls(sb); !slices.Equal(got, tc.calls) {
				t.Errorf("Mews calls %v, want %v", got, tc.calls)
			}
			if docs := sb.Documents(mewsAccess); len(docs) != 1 || res.CustomerID != id || !res.DocumentAdded {
				t.Errorf("documents %d, result %+v", len(docs), res)
			}
		})
	}
}

// A customer guestflow adds carries the sex on the document and the title
// that goes with it; without a known sex, both are null, never a guess.
func TestUpdateMewsNewCustomerTitleAndSex(t *testing.T) {
	tests := []struct{ sex, wantTitle string }{{"Female", "Miss"}, {"Male", "Mister"}, {"", ""}}
	for _, tt := range tests {
		t.Run(tt.sex, func(t *testing.T) {
			sb := mewssandbox.New(mewssandbox.Options{ClientToken: mewsClientToken, AccessTokens: []string{mewsAccess}})
			in := mewsInput()
			in.Profile.Sex = tt.sex
			if _, err := runUpdateMews(t, newMews(t, sb), in); err != nil {
				t.Fatal(err)
			}
			c := sb.Customers(mewsAccess)[0]
			if deref(c.Sex) != tt.sex || deref(c.Title) != tt.wantTitle {
				t.Errorf("Mews customer: sex %q, title %q; want %q, %q", deref(c.Sex), deref(c.Title), tt.sex, tt.wantTitle)
			}
		})
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func TestUpdateMewsFillsOnlyEmptyFields(t *testing.T) {
	sb := mewssandbox.New(mewssandbox.Options{ClientToken: mewsClientToken, AccessTokens: []string{mewsAccess}})
	typed := "+39 06 9999 0000"
	first := "Ann"
	id := sb.AddCustomer(mewsAccess, mewssandbox.Customer{LastName: "Rossi", FirstName: &first, Email: ptr("anna@example.com"), Phone: &typed,
		Title: ptr("Misses")})
	a := newMews(t, sb)

	res, err := runUpdateMews(t, a, mewsInput())
	if err != nil {
		t.Fatal(err)
	}
	if res.CustomerID != id || res.CustomerAdded {
		t.Fatalf("the hotel's customer was not reused: %+v", res)
	}
	c := sb.Customers(mewsAccess)[0]
	if *c.Phone != typed || *c.FirstName != "Ann" || deref(c.Title) != "Misses" {
		t.Errorf("what the hotel typed was overwritten: %q %q %q", *c.Phone, *c.FirstName, deref(c.Title))
	}
	if c.BirthDate == nil || *c.BirthDate != "1980-05-01" {
		t.Errorf("the empty birth date was not filled: %v", c.BirthDate)
	}

	// The guest renewed the passport: the same document is updated.
	in := mewsInput()
	in.Document.Number = "YB7654321"
	if res, err = runUpdateMews(t, a, in); err != nil {
		t.Fatal(err)
	}
	docs := sb.Documents(mewsAccess)
	if len(docs) != 1 || docs[0].Number != "YB7654321" || !res.DocumentUpdate {
		t.Errorf("documents after renewal: %+v, result %+v", docs, res)
	}
}

// The hotel's customer has no e-mail, and the guest's belongs to another
// Mews customer (a family member's profile): Mews refuses that e-mail, so
// the rest is filled without it instead of the guest going to staff.
func TestUpdateMewsLeavesAnEmailAnotherCustomerHolds(t *testing.T) {
	sb := mewssandbox.New(mewssandbox.Options{ClientToken: mewsClientToken, AccessTokens: []string{mewsAccess}})
	sb.AddCustomer(mewsAccess, mewssandbox.Customer{LastName: "Bianchi", Email: ptr("anna@example.com")})
	in := mewsInput()
	id := sb.AddCustomer(mewsAccess, mewssandbox.Customer{LastName: "Rossi", FirstName: ptr("Anna"), LoyaltyCode: ptr(in.Marker)})

	res, err := runUpdateMews(t, newMews(t, sb), in)
	if err != nil {
		t.Fatal(err)
	}
	if res.CustomerID != id {
		t.Fatalf("customer %s, want the marked one %s", res.CustomerID, id)
	}
	for _, c := range sb.Customers(mewsAccess) {
		if c.ID == id && (c.Email != nil || c.BirthDate == nil || *c.BirthDate != "1980-05-01") {
			t.Errorf("the guest's customer: e-mail %v, birth date %v; want no e-mail and the birth date filled", c.Email, c.BirthDate)
		}
	}
}

func TestUpdateMewsRefusalIsNotRetried(t *testing.T) {
	a := newMews(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`{"Message":"Customer is blacklisted.","RequestId":"r-1"}`))
	}))
	_, err := runUpdateMews(t, a, mewsInput())
	if err == nil || !strings.Contains(err.Error(), "HTTP 403") || strings.Contains(err.Error(), "Rossi") {
		t.Fatalf("err = %v", err)
	}
	var app *temporal.ApplicationError
	if !errors.As(err, &app) || app.Type() != ErrVendorRefused || !app.NonRetryable() {
		t.Fatalf("a 403 must be a non-retryable %s: %v", ErrVendorRefused, err)
	}
	var fault VendorFault
	if err := app.Details(&fault); err != nil || fault.Message != "Customer is blacklisted." || fault.RequestID != "r-1" {
		t.Errorf("staff must get Mews' message and request id: %+v %v", fault, err)
	}
}

func ptr[T any](v T) *T { return &v }

// A Mews that ignores a lookup's filter answers other guests' customers;
// none of them may be taken for the guest, whose own customer is added.
func TestUpdateMewsTakesOnlyCustomersMatchingTheLookup(t *testing.T) {
	for _, ignored := range [][]string{{"LoyaltyCodes"}, {"CustomerIds"}, {"Emails"}, {"FirstNames", "LastNames"}} {
		t.Run(strings.Join(ignored, "+"), func(t *testing.T) {
			in := mewsInput()
			in.PMSGuestID = "0b4a2c9e-3f1d-4e5a-9b8c-7d6e5f4a3b2c" // a Mews id, of no customer there
			sb := mewssandbox.New(mewssandbox.Options{ClientToken: mewsClientToken, AccessTokens: []string{mewsAccess},
				IgnoredFilters: ignored})
			// Another guest born the same day, whose profile lacks what the scan has.
			other := sb.AddCustomer(mewsAccess, mewssandbox.Customer{LastName: "Bianchi", FirstName: ptr("Marco"),
				Email: ptr("marco@example.com"), LoyaltyCode: ptr(MarkerFor(1, 2)), BirthDate: ptr("1980-05-01")})

			res, err := runUpdateMews(t, newMews(t, sb), in)
			if err != nil {
				t.Fatal(err)
			}
			if res.CustomerID == other || !res.CustomerAdded {
				t.Fatalf("another guest's customer was taken: %+v", res)
			}
			c := sb.Customers(mewsAccess)[0]
			if c.ID != other || c.Phone != nil || c.NationalityCode != nil {
				t.Errorf("the other guest's profile was written: %+v", c)
			}
			for _, d := range sb.Documents(mewsAccess) {
				if d.CustomerID == other {
					t.Errorf("a document was written into the other guest's profile")
				}
			}
		})
	}
}

// Staff merged the customer guestflow added into the hotel's own profile:
// the guest is written into the merge target, whether Mews keeps the merged
// customer active or not, and no third customer is added.
func TestUpdateMewsFollowsAMergedCustomerToItsTarget(t *testing.T) {
	for _, tc := range []struct {
		inactive bool
		ignored  []string
	}{{false, nil}, {true, nil}, {false, []string{"CustomerIds"}}} {
		t.Run(fmt.Sprintf("merged inactive %v, ignored %v", tc.inactive, tc.ignored), func(t *testing.T) {
			sb := mewssandbox.New(mewssandbox.Options{ClientToken: mewsClientToken, AccessTokens: []string{mewsAccess},
				MergedInactive: tc.inactive, IgnoredFilters: tc.ignored})
			in := mewsInput()
			target := sb.AddCustomer(mewsAccess, mewssandbox.Customer{LastName: "Rossi-Bianchi", FirstName: ptr("Anna Maria")})
			source := sb.AddCustomer(mewsAccess, mewssandbox.Customer{LastName: "Rossi", FirstName: ptr("Anna"), LoyaltyCode: ptr(in.Marker)})
			sb.Merge(mewsAccess, source, target)
			sb.AddCustomer(mewsAccess, mewssandbox.Customer{LastName: "Verdi"}) // newest, first in any unfiltered answer

			res, err := runUpdateMews(t, newMews(t, sb), in)
			if err != nil {
				t.Fatal(err)
			}
			if res.CustomerID != target || res.CustomerAdded {
				t.Fatalf("result %+v, want the merge target %s", res, target)
			}
			if n := len(sb.Customers(mewsAccess)); n != 3 {
				t.Errorf("Mews holds %d customers, want the 3 seeded", n)
			}
			if docs := sb.Documents(mewsAccess); len(docs) != 1 || docs[0].CustomerID != target {
				t.Errorf("documents %+v, want one on the merge target", docs)
			}
		})
	}
}

// A deleted customer is known by IsActive; ActivityState is deprecated and
// may be null. A Mews that answers it anyway does not make it the guest's.
func TestUpdateMewsSkipsAnInactiveCustomer(t *testing.T) {
	sb := mewssandbox.New(mewssandbox.Options{ClientToken: mewsClientToken, AccessTokens: []string{mewsAccess},
		IgnoredFilters: []string{"ActivityStates"}})
	in := mewsInput()
	gone := sb.AddCustomer(mewsAccess, mewssandbox.Customer{LastName: "Rossi", FirstName: ptr("Anna"), LoyaltyCode: ptr(in.Marker)})
	sb.DeleteCustomer(mewsAccess, gone)

	res, err := runUpdateMews(t, newMews(t, sb), in)
	if err != nil {
		t.Fatal(err)
	}
	if res.CustomerID == gone || !res.CustomerAdded {
		t.Fatalf("the deleted customer was reused: %+v", res)
	}
}

// The scanned place of issue becomes the Mews document's IssuingCity, on a
// new document and on the guest's document Mews held without one.
func TestUpdateMewsSendsThePlaceOfIssue(t *testing.T) {
	sb := mewssandbox.New(mewssandbox.Options{ClientToken: mewsClientToken, AccessTokens: []string{mewsAccess}})
	a := newMews(t, sb)
	in := mewsInput()
	in.Document.IssuingCity = "Roma"
	in.Profile.BirthPlace = "Rome, RM, ITA"
	if _, err := runUpdateMews(t, a, in); err != nil {
		t.Fatal(err)
	}
	c, docs := sb.Customers(mewsAccess)[0], sb.Documents(mewsAccess)
	if deref(c.BirthPlace) != "Rome, RM, ITA" {
		t.Errorf("BirthPlace %q", deref(c.BirthPlace))
	}
	if len(docs) != 1 || deref(docs[0].IssuingCity) != "Roma" {
		t.Fatalf("documents %+v, want one issued in Roma", docs)
	}

	other := sb.AddCustomer(mewsAccess, mewssandbox.Customer{LastName: "Verdi", LoyaltyCode: ptr(MarkerFor(2, 3))})
	sb.AddDocument(mewsAccess, mewssandbox.IdentityDocument{CustomerID: other, Type: "Passport", Number: "YA1234567", IssuingCountryCode: ptr("IT")})
	in.Marker = MarkerFor(2, 3)
	res, err := runUpdateMews(t, a, in)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range sb.Documents(mewsAccess) {
		if d.CustomerID == other && (deref(d.IssuingCity) != "Roma" || !res.DocumentUpdate) {
			t.Errorf("the held document was not given its place of issue: %+v, %+v", d, res)
		}
	}
}

// A Mews answer in an undocumented form goes to staff as an unreadable
// answer; a retry would read the same answer.
func TestUpdateMewsUndocumentedAnswerIsNotRetried(t *testing.T) {
	a := newMews(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"Customers":[{"Id":"x","LastName":"Rossi","HasOtaEmail":"0"}],"Documents":[],"Cursor":null}`))
	}))
	_, err := runUpdateMews(t, a, mewsInput())
	var app *temporal.ApplicationError
	if !errors.As(err, &app) || app.Type() != ErrVendorAnswer || !app.NonRetryable() {
		t.Fatalf("an undocumented answer must be a non-retryable %s: %v", ErrVendorAnswer, err)
	}
	if !strings.Contains(app.Message(), "HasOtaEmail") || strings.Contains(app.Message(), "Rossi") {
		t.Errorf("staff must learn which field, without its value: %s", app.Message())
	}
	var fault VendorFault
	if err := app.Details(&fault); err != nil || fault.Vendor != "mews" {
		t.Errorf("staff must learn which vendor: %+v %v", fault, err)
	}
}
