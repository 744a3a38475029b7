package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guestflow/guestflow/vendors/sandboxkit"
)

func init() { gin.SetMode(gin.ReleaseMode) }

// The documentation samples carry these tokens; the sandbox's default
// ClientToken is the sample one.
const sampleAccess = "C66EF7B239D24632943D115EDE9CB810-EA00F8FD8294692C940F6B5A8F9453D"

type answer struct {
	status int
	header http.Header
	body   []byte
}

func (a answer) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(a.body, &m), string(a.body))
	return m
}

func send(s *Server, operation string, body []byte) answer {
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/api/connector/v1/"+operation, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	s.ServeHTTP(rec, req)
	return answer{rec.Code, rec.Header(), rec.Body.Bytes()}
}

// call sends fields plus valid credentials for sampleAccess.
func call(t *testing.T, s *Server, operation string, fields map[string]any) answer {
	t.Helper()
	body := map[string]any{"ClientToken": DefaultClientToken, "AccessToken": sampleAccess, "Client": "test 1.0"}
	for k, v := range fields {
		body[k] = v
	}
	b, err := json.Marshal(body)
	require.NoError(t, err)
	return send(s, operation, b)
}

func sample(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", name))
	require.NoError(t, err)
	return b
}

func newSandbox(opts Options) *Server {
	opts.AccessTokens = append(opts.AccessTokens, sampleAccess)
	return New(opts)
}

func p[T any](v T) *T { return &v }

// The sandbox, seeded with the documented response's records, answers the
// documented request with the documented response.
func TestCustomersGetAllAnswersTheDocumentedSample(t *testing.T) {
	s := newSandbox(Options{})
	var documented struct{ Customers []Customer }
	require.NoError(t, json.Unmarshal(sample(t, "customers-getAll-response.json"), &documented))
	s.AddCustomer(sampleAccess, documented.Customers[0])
	s.AddCustomer(sampleAccess, Customer{LastName: "Smith", FirstName: p("John"), Email: p("other@example.com")})

	got := send(s, "customers/getAll", sample(t, "customers-getAll-request.json"))
	require.Equal(t, http.StatusOK, got.status, string(got.body))
	assert.JSONEq(t, string(sample(t, "customers-getAll-response.json")), string(got.body))
}

func TestIdentityDocumentsGetAllAnswersTheDocumentedSample(t *testing.T) {
	s := newSandbox(Options{})
	var documented struct{ IdentityDocuments []IdentityDocument }
	require.NoError(t, json.Unmarshal(sample(t, "identityDocuments-getAll-response.json"), &documented))
	s.AddCustomer(sampleAccess, Customer{ID: "fadd5bb6-b428-45d5-94f8-fd0d89fece6d", LastName: "Smith"})
	// Pages run newest first, so the older card is seeded first.
	s.AddDocument(sampleAccess, documented.IdentityDocuments[1])
	s.AddDocument(sampleAccess, documented.IdentityDocuments[0])

	got := call(t, s, "identityDocuments/getAll", map[string]any{
		"CustomerIds": []string{"fadd5bb6-b428-45d5-94f8-fd0d89fece6d"}, "Limitation": map[string]any{"Count": 2}})
	require.Equal(t, http.StatusOK, got.status, string(got.body))
	assert.JSONEq(t, string(sample(t, "identityDocuments-getAll-response.json")), string(got.body))

	// The documented request itself (no Limitation, filtered by document ids).
	got = send(s, "identityDocuments/getAll", sample(t, "identityDocuments-getAll-request.json"))
	require.Equal(t, http.StatusOK, got.status, string(got.body))
	docs := got.json(t)["IdentityDocuments"].([]any)
	require.Len(t, docs, 1)
	assert.Equal(t, "e8a72a69-c20b-4278-b699-ab0400a32ecc", docs[0].(map[string]any)["Id"])
}

func TestDocumentedRequestsAreAccepted(t *testing.T) {
	for _, tc := range []struct {
		file  string
		seed  func(s *Server)
		check func(t *testing.T, s *Server, got map[string]any)
	}{
		{"customers-add-request.json", nil, func(t *testing.T, s *Server, got map[string]any) {
			cs := s.Customers(sampleAccess)
			require.Len(t, cs, 1)
			c := cs[0]
			assert.Equal(t, "Carbone", c.LastName)
			assert.Equal(t, p("1985-09-30"), c.BirthDate)
			assert.Equal(t, p("7654321"), c.ItalianDestinationCode)
			assert.Equal(t, []string{"Media", "FriendOrFamily"}, c.Classifications)
			require.NotNil(t, c.Address)
			assert.Equal(t, p("IT-65"), c.Address.CountrySubdivisionCode)
			require.NotNil(t, c.Passport)
			assert.Equal(t, p("2030-05-20"), c.Passport.Expiration)
			docs := s.Documents(sampleAccess)
			require.Len(t, docs, 1)
			assert.Equal(t, p("2030-05-20T00:00:00Z"), docs[0].ExpirationDate)
			assert.Equal(t, c.ID, got["Id"])
		}},
		{"customers-update-request.json", func(s *Server) {
			s.AddCustomer(sampleAccess, Customer{ID: "99b4f0af-9558-463b-8452-07a9bc414708", LastName: "Carbone"})
		}, func(t *testing.T, s *Server, got map[string]any) {
			c := s.Customers(sampleAccess)[0]
			assert.Equal(t, p("Thea"), c.FirstName)
			assert.Equal(t, p("ZGNZLR17U72P554F"), c.ItalianFiscalCode)
			assert.Equal(t, p("f3b4f0af-9558-463b-8452-07a9bc414708"), c.CompanyID)
			assert.Equal(t, "7654321", got["ItalianDestinationCode"])
		}},
		{"identityDocuments-add-request.json", func(s *Server) {
			s.AddCustomer(sampleAccess, Customer{ID: "e8a72a69-c20b-4278-b699-ab0400a32ecc", LastName: "Novak"})
		}, func(t *testing.T, s *Server, got map[string]any) {
			docs := s.Documents(sampleAccess)
			require.Len(t, docs, 1)
			assert.Equal(t, IdentityDocument{ID: docs[0].ID, CustomerID: "e8a72a69-c20b-4278-b699-ab0400a32ecc", Type: "Passport",
				Number: "123456789", ExpirationDate: p("2040-11-20T00:00:00Z"), IssuanceDate: p("2020-11-20T00:00:00Z"),
				IssuingCountryCode: p("CZ"), IssuingCity: p("Prague"), IdentityDocumentSupportNumber: p("S-123456")}, docs[0])
		}},
		{"identityDocuments-update-request.json", func(s *Server) {
			id := s.AddCustomer(sampleAccess, Customer{LastName: "Novak"})
			s.AddDocument(sampleAccess, IdentityDocument{ID: "e8a72a69-c20b-4278-b699-ab0400a32ecc", CustomerID: id, Type: "IdentityCard", Number: "1"})
		}, func(t *testing.T, s *Server, got map[string]any) {
			d := s.Documents(sampleAccess)[0]
			assert.Equal(t, "Passport", d.Type)
			assert.Equal(t, "123456789", d.Number)
			assert.Equal(t, p("2040-11-20T00:00:00Z"), d.ExpirationDate)
			assert.Equal(t, p("S-123456"), d.IdentityDocumentSupportNumber)
		}},
		{"identityDocuments-delete-request.json", func(s *Server) {
			id := s.AddCustomer(sampleAccess, Customer{LastName: "Novak"})
			for _, doc := range []string{"e8a72a69-c20b-4278-b699-ab0400a32ecc", "2e1c6096-3a28-411d-a375-150a7350b278", ""} {
				s.AddDocument(sampleAccess, IdentityDocument{ID: doc, CustomerID: id, Type: "Visa", Number: "V"})
			}
		}, func(t *testing.T, s *Server, got map[string]any) {
			assert.Len(t, s.Documents(sampleAccess), 1)
			assert.Empty(t, got)
		}},
		{"identityDocuments-clear-request.json", func(s *Server) {
			for _, id := range []string{"fadd5bb6-b428-45d5-94f8-fd0d89fece6d", "bccdafd1-3e44-439d-861f-341526b597a9", ""} {
				id = s.AddCustomer(sampleAccess, Customer{ID: id, LastName: "Novak"})
				s.AddDocument(sampleAccess, IdentityDocument{CustomerID: id, Type: "Visa", Number: "V"})
			}
		}, func(t *testing.T, s *Server, got map[string]any) {
			assert.Len(t, s.Documents(sampleAccess), 1)
		}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			s := newSandbox(Options{})
			if tc.seed != nil {
				tc.seed(s)
			}
			got := send(s, strings.Replace(strings.TrimSuffix(tc.file, "-request.json"), "-", "/", 1), sample(t, tc.file))
			require.Equal(t, http.StatusOK, got.status, string(got.body))
			tc.check(t, s, got.json(t))
		})
	}
}

func TestValidation(t *testing.T) {
	const known = "fadd5bb6-b428-45d5-94f8-fd0d89fece6d"
	const docID = "e8a72a69-c20b-4278-b699-ab0400a32ecc"
	doc := func(typ string) map[string]any {
		return map[string]any{"CustomerId": known, "Type": typ, "Number": "N1"}
	}
	docs := func(n int) []any {
		var out []any
		for range n {
			out = append(out, doc("Passport"))
		}
		return out
	}
	ids := func(n int) []string {
		var out []string
		for i := range n {
			out = append(out, fmt.Sprintf("00000000-0000-0000-0000-%012d", i))
		}
		return out
	}
	limit := func(count any) map[string]any { return map[string]any{"Count": count} }
	extent := map[string]any{"Customers": true}
	for _, tc := range []struct {
		name      string
		operation string
		fields    map[string]any
		status    int
		message   string
	}{
		{"add without last name", "customers/add", map[string]any{"OverwriteExisting": false, "FirstName": "Thea"}, 400, "LastName"},
		{"add without OverwriteExisting", "customers/add", map[string]any{"LastName": "Carbone"}, 400, "OverwriteExisting"},
		{"title outside the enum", "customers/add", map[string]any{"OverwriteExisting": false, "LastName": "C", "Title": "Doctor"}, 400, "Title"},
		{"alpha-3 nationality", "customers/add", map[string]any{"OverwriteExisting": false, "LastName": "C", "NationalityCode": "ITA"}, 400, "NationalityCode"},
		{"birth date not ISO", "customers/add", map[string]any{"OverwriteExisting": false, "LastName": "C", "BirthDate": "30.09.1985"}, 400, "BirthDate"},
		{"bad email", "customers/add", map[string]any{"OverwriteExisting": false, "LastName": "C", "Email": "thea"}, 400, "Email"},
		{"unknown classification", "customers/add", map[string]any{"OverwriteExisting": false, "LastName": "C", "Classifications": []string{"Famous"}}, 400, "Classifications"},
		{"wrong JSON type", "customers/add", map[string]any{"OverwriteExisting": "no", "LastName": "C"}, 400, "OverwriteExisting"},
		{"update unknown customer", "customers/update", map[string]any{"CustomerId": "11111111-1111-1111-1111-111111111111", "FirstName": "T"}, 400, "CustomerId"},
		{"update without customer", "customers/update", map[string]any{"FirstName": "T"}, 400, "CustomerId"},
		{"update Italian code without wrapper", "customers/update", map[string]any{"CustomerId": known, "ItalianFiscalCode": "ZGN"}, 400, "ItalianFiscalCode"},
		{"getAll without Extent", "customers/getAll", map[string]any{"CustomerIds": []string{known}, "Limitation": limit(10)}, 400, "Extent"},
		{"getAll without Limitation", "customers/getAll", map[string]any{"CustomerIds": []string{known}, "Extent": extent}, 400, "Limitation"},
		{"getAll Count 0", "customers/getAll", map[string]any{"CustomerIds": []string{known}, "Extent": extent, "Limitation": limit(0)}, 400, "Count"},
		{"getAll Count 1001", "customers/getAll", map[string]any{"CustomerIds": []string{known}, "Extent": extent, "Limitation": limit(1001)}, 400, "Count"},
		{"getAll without a filter", "customers/getAll", map[string]any{"Extent": extent, "Limitation": limit(10)}, 400, "CustomerIds"},
		{"getAll interval over 3 months", "customers/getAll", map[string]any{"Extent": extent, "Limitation": limit(10),
			"CreatedUtc": map[string]any{"StartUtc": "2018-01-01T00:00:00Z", "EndUtc": "2018-06-01T00:00:00Z"}}, 400, "3 months"},
		{"getAll unknown cursor", "customers/getAll", map[string]any{"CustomerIds": []string{known}, "Extent": extent,
			"Limitation": map[string]any{"Count": 10, "Cursor": "22222222-2222-2222-2222-222222222222"}}, 400, "Cursor"},
		{"getAll id not a GUID", "customers/getAll", map[string]any{"CustomerIds": []string{"42"}, "Extent": extent, "Limitation": limit(10)}, 400, "CustomerIds"},
		{"documents getAll with 101 customers", "identityDocuments/getAll", map[string]any{"CustomerIds": ids(101), "Limitation": limit(10)}, 400, "CustomerIds"},
		{"documents getAll without customers", "identityDocuments/getAll", map[string]any{"Limitation": limit(10)}, 400, "CustomerIds"},
		{"documents getAll Count 1001", "identityDocuments/getAll", map[string]any{"CustomerIds": []string{known}, "Limitation": limit(1001)}, 400, "Count"},
		{"documents getAll unknown type", "identityDocuments/getAll", map[string]any{"CustomerIds": []string{known}, "Types": []string{"Diploma"}}, 400, "Types"},
		{"add 11 documents", "identityDocuments/add", map[string]any{"IdentityDocuments": docs(11)}, 400, "IdentityDocuments"},
		{"add no documents", "identityDocuments/add", map[string]any{"IdentityDocuments": []any{}}, 400, "IdentityDocuments"},
		{"document type outside the enum", "identityDocuments/add", map[string]any{"IdentityDocuments": []any{doc("ResidencePermit")}}, 400, "Type"},
		{"document without number", "identityDocuments/add", map[string]any{"IdentityDocuments": []any{map[string]any{"CustomerId": known, "Type": "Visa"}}}, 400, "Number"},
		{"document for unknown customer", "identityDocuments/add", map[string]any{"IdentityDocuments": []any{
			map[string]any{"CustomerId": "33333333-3333-3333-3333-333333333333", "Type": "Visa", "Number": "1"}}}, 400, "CustomerId"},
		{"document date not ISO", "identityDocuments/add", map[string]any{"IdentityDocuments": []any{
			map[string]any{"CustomerId": known, "Type": "Visa", "Number": "1", "ExpirationDate": "20.11.2040"}}}, 400, "ExpirationDate"},
		{"update 11 documents", "identityDocuments/update", map[string]any{"IdentityDocuments": func() []any {
			var out []any
			for range 11 {
				out = append(out, map[string]any{"Id": docID})
			}
			return out
		}()}, 400, "IdentityDocuments"},
		{"update unknown document", "identityDocuments/update", map[string]any{"IdentityDocuments": []any{
			map[string]any{"Id": "44444444-4444-4444-4444-444444444444", "Number": map[string]any{"Value": "2"}}}}, 400, "IdentityDocumentId"},
		{"update without wrapper", "identityDocuments/update", map[string]any{"IdentityDocuments": []any{
			map[string]any{"Id": docID, "Number": "2"}}}, 400, "Number"},
		{"update type outside the enum", "identityDocuments/update", map[string]any{"IdentityDocuments": []any{
			map[string]any{"Id": docID, "Type": map[string]any{"Value": "Diploma"}}}}, 400, "Type"},
		{"update clears the number", "identityDocuments/update", map[string]any{"IdentityDocuments": []any{
			map[string]any{"Id": docID, "Number": map[string]any{"Value": nil}}}}, 400, "Number"},
		{"delete unknown document", "identityDocuments/delete", map[string]any{"IdentityDocumentIds": []string{docID, "55555555-5555-5555-5555-555555555555"}}, 400, "IdentityDocumentIds"},
		{"delete 101 documents", "identityDocuments/delete", map[string]any{"IdentityDocumentIds": ids(101)}, 400, "IdentityDocumentIds"},
		{"clear 11 customers", "identityDocuments/clear", map[string]any{"CustomerIds": ids(11)}, 400, "CustomerIds"},
		{"clear unknown customer", "identityDocuments/clear", map[string]any{"CustomerIds": []string{"66666666-6666-6666-6666-666666666666"}}, 400, "CustomerIds"},
		{"missing client name", "customers/add", map[string]any{"Client": "", "OverwriteExisting": false, "LastName": "C"}, 400, "Client"},
		{"wrong client token", "customers/add", map[string]any{"ClientToken": "nope", "OverwriteExisting": false, "LastName": "C"}, 401, "ClientToken"},
		{"missing access token", "customers/add", map[string]any{"AccessToken": nil, "OverwriteExisting": false, "LastName": "C"}, 401, "AccessToken"},
		{"unknown access token", "customers/add", map[string]any{"AccessToken": "other", "OverwriteExisting": false, "LastName": "C"}, 401, "AccessToken"},
		{"unknown operation", "customers/teleport", map[string]any{}, 404, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSandbox(Options{})
			s.AddCustomer(sampleAccess, Customer{ID: known, LastName: "Smith"})
			s.AddDocument(sampleAccess, IdentityDocument{ID: docID, CustomerID: known, Type: "Passport", Number: "N0"})
			before := s.Documents(sampleAccess)

			got := call(t, s, tc.operation, tc.fields)
			require.Equal(t, tc.status, got.status, string(got.body))
			body := got.json(t)
			assert.Contains(t, body["Message"], tc.message)
			assert.NotEmpty(t, body["RequestId"])
			assert.Equal(t, before, s.Documents(sampleAccess), "a refused call changes nothing")
			assert.Len(t, s.Customers(sampleAccess), 1)
		})
	}
}

func TestDuplicateEmail(t *testing.T) {
	s := newSandbox(Options{})
	id := s.AddCustomer(sampleAccess, Customer{LastName: "Carbone", FirstName: p("Thea"), Email: p("thea@quotidiano.example")})
	got := call(t, s, "customers/add", map[string]any{"OverwriteExisting": false, "LastName": "Carbone", "Email": " THEA@quotidiano.example"})
	assert.Equal(t, http.StatusForbidden, got.status)
	assert.Contains(t, got.json(t)["Message"], "email")

	got = call(t, s, "customers/add", map[string]any{"OverwriteExisting": true, "LastName": "Carbone-Rossi", "Email": "thea@quotidiano.example",
		"Address": map[string]any{"City": "Roma"}})
	require.Equal(t, http.StatusOK, got.status)
	assert.Equal(t, id, got.json(t)["Id"])
	cs := s.Customers(sampleAccess)
	require.Len(t, cs, 1)
	assert.Equal(t, "Carbone-Rossi", cs[0].LastName)
	assert.Equal(t, p("Thea"), cs[0].FirstName, "fields not sent are kept")
	assert.Nil(t, cs[0].Address, "only basic personal information is overwritten")
}

func TestCursorPaging(t *testing.T) {
	s := newSandbox(Options{})
	var ids []string
	for i := range 5 {
		ids = append(ids, s.AddCustomer(sampleAccess, Customer{LastName: "Guest", FirstName: p(fmt.Sprint(i))}))
	}
	page := func(cursor any) ([]string, any) {
		got := call(t, s, "customers/getAll", map[string]any{"LastNames": []string{"guest"}, "Extent": map[string]any{"Customers": true},
			"Limitation": map[string]any{"Count": 2, "Cursor": cursor}})
		require.Equal(t, http.StatusOK, got.status, string(got.body))
		body := got.json(t)
		var out []string
		for _, c := range body["Customers"].([]any) {
			out = append(out, c.(map[string]any)["Id"].(string))
		}
		return out, body["Cursor"]
	}
	first, cursor := page(nil)
	assert.Equal(t, []string{ids[4], ids[3]}, first, "newest first")
	assert.Equal(t, ids[3], cursor, "the cursor is the last item returned")
	second, cursor := page(cursor)
	assert.Equal(t, []string{ids[2], ids[1]}, second)
	third, cursor := page(cursor)
	assert.Equal(t, []string{ids[0]}, third)
	last, _ := page(cursor)
	assert.Empty(t, last)

	// A cursor keeps working after its document is deleted.
	for i := range 3 {
		s.AddDocument(sampleAccess, IdentityDocument{CustomerID: ids[0], Type: "Visa", Number: fmt.Sprint(i)})
	}
	docs := s.Documents(sampleAccess)
	got := call(t, s, "identityDocuments/delete", map[string]any{"IdentityDocumentIds": []string{docs[1].ID}})
	require.Equal(t, http.StatusOK, got.status)
	got = call(t, s, "identityDocuments/getAll", map[string]any{"CustomerIds": []string{ids[0]},
		"Limitation": map[string]any{"Count": 10, "Cursor": docs[1].ID}})
	require.Equal(t, http.StatusOK, got.status, string(got.body))
	remaining := got.json(t)["IdentityDocuments"].([]any)
	require.Len(t, remaining, 1)
	assert.Equal(t, docs[0].ID, remaining[0].(map[string]any)["Id"])
}

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

func TestRateLimitSlidingWindowPerAccessToken(t *testing.T) {
	clk := &clock{now: time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)}
	s := newSandbox(Options{Now: clk.Now, AccessTokens: []string{"other"}})
	find := map[string]any{"Emails": []string{"x@example.com"}, "Extent": map[string]any{"Customers": true}, "Limitation": map[string]any{"Count": 1}}
	for i := range 200 {
		require.Equal(t, http.StatusOK, call(t, s, "customers/getAll", find).status, "call %d", i+1)
		if i == 49 {
			clk.Add(12 * time.Second)
		}
	}
	got := call(t, s, "customers/getAll", find)
	require.Equal(t, http.StatusTooManyRequests, got.status)
	assert.Equal(t, "18", got.header.Get("Retry-After"))
	assert.NotEmpty(t, got.json(t)["Message"])
	other := map[string]any{"AccessToken": "other"}
	for k, v := range find {
		other[k] = v
	}
	assert.Equal(t, http.StatusOK, call(t, s, "customers/getAll", other).status, "another enterprise has its own budget")

	clk.Add(18 * time.Second) // the first 50 leave the window
	for range 50 {
		require.Equal(t, http.StatusOK, call(t, s, "customers/getAll", find).status)
	}
	got = call(t, s, "customers/getAll", find)
	require.Equal(t, http.StatusTooManyRequests, got.status)
	assert.Equal(t, "12", got.header.Get("Retry-After"))
}

func TestOptionsSetTheLimit(t *testing.T) {
	s := newSandbox(Options{RequestsPerWindow: 2, Window: time.Minute})
	find := map[string]any{"Emails": []string{"x@example.com"}, "Extent": map[string]any{"Customers": true}, "Limitation": map[string]any{"Count": 1}}
	assert.Equal(t, http.StatusOK, call(t, s, "customers/getAll", find).status)
	assert.Equal(t, http.StatusOK, call(t, s, "customers/getAll", find).status)
	got := call(t, s, "customers/getAll", find)
	assert.Equal(t, http.StatusTooManyRequests, got.status)
	assert.Equal(t, "60", got.header.Get("Retry-After"))
}

func TestFaultsAnswerInMewsShape(t *testing.T) {
	s := newSandbox(Options{Faults: sandboxkit.Faults{ErrorRate: 1}})
	got := call(t, s, "customers/add", map[string]any{"OverwriteExisting": false, "LastName": "C"})
	assert.Equal(t, http.StatusInternalServerError, got.status)
	body := got.json(t)
	assert.NotEmpty(t, body["Message"])
	assert.NotEmpty(t, body["RequestId"])
	assert.Empty(t, s.Customers(sampleAccess))
	calls := s.Calls()
	require.Len(t, calls, 1)
	assert.True(t, calls[0].Injected)

	s.SetFaults(sandboxkit.Faults{})
	assert.Equal(t, http.StatusOK, call(t, s, "customers/add", map[string]any{"OverwriteExisting": false, "LastName": "C"}).status)
	assert.Equal(t, 2, s.Recorder().Count(http.MethodPost, "/api/connector/v1/customers/add"))
}

func TestInspectionReturnsCopies(t *testing.T) {
	s := newSandbox(Options{})
	s.AddCustomer(sampleAccess, Customer{LastName: "Carbone", FirstName: p("Thea"),
		Passport: &LegacyDocument{Number: p("AA1"), Expiration: p("2030-05-20")}})
	cs := s.Customers(sampleAccess)
	*cs[0].FirstName = "Changed"
	assert.Equal(t, p("Thea"), s.Customers(sampleAccess)[0].FirstName)
	docs := s.Documents(sampleAccess)
	require.Len(t, docs, 1, "a seeded deprecated document becomes an identity document")
	assert.Equal(t, "Passport", docs[0].Type)
	assert.Equal(t, p("2030-05-20T00:00:00Z"), docs[0].ExpirationDate)
	assert.Panics(t, func() { s.Customers("nobody") })
}

func TestBodyMustBeAJSONObject(t *testing.T) {
	s := newSandbox(Options{})
	for _, body := range []string{``, `[]`, `"x"`, `{"ClientToken":`} {
		got := send(s, "customers/getAll", []byte(body))
		assert.Equal(t, http.StatusBadRequest, got.status, body)
		assert.Contains(t, got.json(t)["Message"], "JSON object", body)
	}
}

func customerIDs(t *testing.T, a answer) []string {
	t.Helper()
	require.Equal(t, http.StatusOK, a.status, string(a.body))
	var out struct{ Customers []Customer }
	require.NoError(t, json.Unmarshal(a.body, &out))
	var ids []string
	for _, c := range out.Customers {
		ids = append(ids, c.ID)
	}
	return ids
}

// A filter named in IgnoredFilters is checked but not applied: every
// customer comes back, as from a server that ignores it.
func TestIgnoredFilters(t *testing.T) {
	for _, tc := range []struct {
		filter string
		value  any
	}{
		{"LoyaltyCodes", []string{"GF-1-2"}}, {"Emails", []string{"a@example.com"}},
		{"FirstNames", []string{"Anna"}}, {"LastNames", []string{"Rossi"}},
		{"CustomerIds", []string{"fadd5bb6-b428-45d5-94f8-fd0d89fece6d"}},
	} {
		t.Run(tc.filter, func(t *testing.T) {
			fields := map[string]any{"Extent": map[string]any{"Customers": true}, "Limitation": map[string]any{"Count": 10}, tc.filter: tc.value}
			applied := newSandbox(Options{})
			applied.AddCustomer(sampleAccess, Customer{LastName: "Bianchi"})
			assert.Empty(t, customerIDs(t, call(t, applied, "customers/getAll", fields)))

			ignoring := newSandbox(Options{IgnoredFilters: []string{tc.filter}})
			id := ignoring.AddCustomer(sampleAccess, Customer{LastName: "Bianchi"})
			assert.Equal(t, []string{id}, customerIDs(t, call(t, ignoring, "customers/getAll", fields)))
		})
	}
}

// A merged customer keeps its data and names the customer it was merged
// into; with MergedInactive it is also inactive, found among the deleted.
func TestMergedAndDeletedCustomers(t *testing.T) {
	for _, inactive := range []bool{false, true} {
		s := newSandbox(Options{MergedInactive: inactive})
		target := s.AddCustomer(sampleAccess, Customer{LastName: "Rossi"})
		source := s.AddCustomer(sampleAccess, Customer{LastName: "Rossi", LoyaltyCode: p("GF-1-2")})
		s.Merge(sampleAccess, source, target)
		gone := s.AddCustomer(sampleAccess, Customer{LastName: "Rossi"})
		s.DeleteCustomer(sampleAccess, gone)

		get := func(states ...string) []string {
			return customerIDs(t, call(t, s, "customers/getAll", map[string]any{"Extent": map[string]any{"Customers": true},
				"Limitation": map[string]any{"Count": 10}, "LastNames": []string{"Rossi"}, "ActivityStates": states}))
		}
		if inactive {
			assert.Equal(t, []string{target}, get("Active"))
			assert.Equal(t, []string{gone, source}, get("Deleted"))
		} else {
			assert.Equal(t, []string{source, target}, get("Active"))
			assert.Equal(t, []string{gone}, get("Deleted"))
		}
		assert.Len(t, get("Active", "Deleted"), 3)
		for _, c := range s.Customers(sampleAccess) {
			assert.Equal(t, c.ID == source, c.MergeTargetID != nil && *c.MergeTargetID == target, c.ID)
			assert.Equal(t, c.ID != gone && (c.ID != source || !inactive), c.IsActive, c.ID)
			assert.Nil(t, c.ActivityState, "deprecated; the sandbox leaves it null")
		}
	}
}
