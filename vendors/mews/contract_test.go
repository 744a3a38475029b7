package mews

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guestflow/guestflow/vendors/mews/sandbox"
	"github.com/guestflow/guestflow/vendors/sandboxkit"
	"github.com/guestflow/guestflow/vendors/vendorhttp"
)

// These tests run the client against the sandbox over real HTTP.

const (
	testClientToken = "guestflow-integration"
	hotelA          = "access-hotel-a"
	hotelB          = "access-hotel-b"
)

func init() { gin.SetMode(gin.ReleaseMode) }

// clock is a settable time source for the sandbox's rate limit.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

func startSandbox(t *testing.T, opts sandbox.Options) (*sandbox.Server, string) {
	t.Helper()
	if opts.ClientToken == "" {
		opts.ClientToken = testClientToken
	}
	opts.AccessTokens = append(opts.AccessTokens, hotelA, hotelB)
	sb := sandbox.New(opts)
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	return sb, srv.URL
}

var quiet = slog.New(slog.DiscardHandler)

func clientFor(url, accessToken string) *Client {
	return New(Options{BaseURL: url, ClientToken: testClientToken, AccessToken: accessToken, ClientName: "guestflow test",
		Timeout: 5 * time.Second, Logger: quiet})
}

func asVendorError(t *testing.T, err error) *vendorhttp.Error {
	t.Helper()
	var ve *vendorhttp.Error
	require.ErrorAs(t, err, &ve)
	return ve
}

// Personal data the tests send; none of it may appear in an error string.
var personal = []string{"Thea", "Carbone", "thea@quotidiano.example", "1985-09-30", "AA123456", "+39 06 555 5555", "Via Antimo"}

func assertNoPersonalData(t *testing.T, err error) {
	t.Helper()
	for _, s := range personal {
		assert.NotContains(t, err.Error(), s)
	}
}

func theaRequest() AddCustomerRequest {
	return AddCustomerRequest{
		Title: p(TitleMiss), FirstName: "Thea", LastName: "Carbone", BirthDate: *date("1985-09-30"),
		Email: "thea@quotidiano.example", Phone: "+39 06 555 5555", NationalityCode: "IT",
		Address:  &AddressParameters{Line1: "Via Antimo 474 Piano 5", City: "Liborio laziale", CountryCode: "IT"},
		Passport: &DocumentParameters{Number: "AA123456", Expiration: *date("2030-05-20"), IssuingCountryCode: "IT"},
		Options:  []CustomerOption{OptionSendMarketingEmails},
	}
}

func TestCustomersAddFindUpdate(t *testing.T) {
	sb, url := startSandbox(t, sandbox.Options{})
	ctx := context.Background()
	cl := clientFor(url, hotelA)

	added, err := cl.AddCustomer(ctx, theaRequest())
	require.NoError(t, err)
	require.NotEmpty(t, added.ID)
	assert.Equal(t, "Carbone", added.LastName)
	assert.Equal(t, date("1985-09-30"), added.BirthDate)
	require.NotNil(t, added.Passport)
	assert.Equal(t, "AA123456", added.Passport.Number)
	assert.Equal(t, day("2030-05-20"), added.Passport.ExpirationDate)
	require.NotNil(t, added.Address)
	assert.Equal(t, added.AddressID, &added.Address.ID)
	assert.True(t, bool(added.IsActive))

	for name, req := range map[string]GetCustomersRequest{
		"by id":    {CustomerIDs: []string{added.ID}},
		"by email": {Emails: []string{"THEA@quotidiano.example"}},
		"by names": {FirstNames: []string{"Thea"}, LastNames: []string{"Carbone"}},
	} {
		t.Run(name, func(t *testing.T) {
			req.Extent = CustomerExtent{Customers: true, Documents: true}
			page, err := cl.GetCustomers(ctx, req)
			require.NoError(t, err)
			require.Len(t, page.Customers, 1)
			assert.Equal(t, added.ID, page.Customers[0].ID)
			require.Len(t, page.Documents, 1)
			assert.Equal(t, DocumentPassport, page.Documents[0].Type)
			assert.Equal(t, &added.ID, page.Cursor)
		})
	}
	page, err := cl.GetCustomers(ctx, GetCustomersRequest{LastNames: []string{"Nobody"}})
	require.NoError(t, err)
	assert.Empty(t, page.Customers)

	updated, err := cl.UpdateCustomer(ctx, UpdateCustomerRequest{
		CustomerID: added.ID, FirstName: "Theodora", Phone: "+39 06 555 0000",
		ItalianFiscalCode: Set("ZGNZLR17U72P554F"), Classifications: []Classification{ClassificationReturning},
	})
	require.NoError(t, err)
	assert.Equal(t, p("Theodora"), updated.FirstName)
	assert.Equal(t, "Carbone", updated.LastName, "a field left blank stays as it was")

	stored := sb.Customers(hotelA)
	require.Len(t, stored, 1)
	assert.Equal(t, p("Theodora"), stored[0].FirstName)
	assert.Equal(t, p("+39 06 555 0000"), stored[0].Phone)
	assert.Equal(t, p("ZGNZLR17U72P554F"), stored[0].ItalianFiscalCode)
	assert.Equal(t, []string{"Returning"}, stored[0].Classifications)
	assert.Equal(t, p("1985-09-30"), stored[0].BirthDate)
	assert.Empty(t, sb.Customers(hotelB), "enterprises do not share customers")
}

func TestAddCustomerWithExistingEmail(t *testing.T) {
	sb, url := startSandbox(t, sandbox.Options{})
	ctx := context.Background()
	cl := clientFor(url, hotelA)
	first, err := cl.AddCustomer(ctx, theaRequest())
	require.NoError(t, err)

	again := theaRequest()
	again.Email = "Thea@Quotidiano.example"
	again.FirstName = "Dorothea"
	_, err = cl.AddCustomer(ctx, again)
	ve := asVendorError(t, err)
	assert.Equal(t, http.StatusForbidden, ve.Status)
	assert.False(t, ve.Retryable())
	msg, ok := BusinessRuleMessage(err)
	assert.True(t, ok)
	assert.Contains(t, msg, "email")
	assert.NotContains(t, err.Error(), msg, "the staff message stays out of Error()")
	assertNoPersonalData(t, err)
	assert.Len(t, sb.Customers(hotelA), 1)

	again.OverwriteExisting = true
	overwritten, err := cl.AddCustomer(ctx, again)
	require.NoError(t, err)
	assert.Equal(t, first.ID, overwritten.ID)
	assert.Equal(t, p("Dorothea"), overwritten.FirstName)
	stored := sb.Customers(hotelA)
	require.Len(t, stored, 1)
	assert.Equal(t, p("Dorothea"), stored[0].FirstName)

	// Taking another customer's e-mail by update is refused the same way.
	other, err := cl.AddCustomer(ctx, AddCustomerRequest{LastName: "Rossi", Email: "rossi@example.com"})
	require.NoError(t, err)
	_, err = cl.UpdateCustomer(ctx, UpdateCustomerRequest{CustomerID: other.ID, Email: "thea@quotidiano.example"})
	assert.Equal(t, http.StatusForbidden, asVendorError(t, err).Status)
}

func seedGuests(sb *sandbox.Server, accessToken string, n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = sb.AddCustomer(accessToken, sandbox.Customer{LastName: "Guest", FirstName: p(fmt.Sprintf("No%d", i))})
	}
	return ids
}

func TestAllCustomersWalksEveryPage(t *testing.T) {
	for _, tc := range []struct {
		name      string
		customers int
		calls     int
	}{
		{"none", 0, 1},
		{"one short page", 5, 1},
		{"exact multiple ends with an empty page", 21, 4},
		{"last page short", 23, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sb, url := startSandbox(t, sandbox.Options{})
			ids := seedGuests(sb, hotelA, tc.customers)
			sb.AddCustomer(hotelA, sandbox.Customer{LastName: "Someone else"})
			sb.Recorder().Reset()

			all, err := clientFor(url, hotelA).AllCustomers(context.Background(),
				GetCustomersRequest{LastNames: []string{"Guest"}, Limitation: Limitation{Count: 7}})
			require.NoError(t, err)
			got := []string{}
			for _, c := range all.Customers {
				got = append(got, c.ID)
			}
			slices.Reverse(ids) // Mews pages newest first
			assert.Equal(t, ids, got)
			assert.Len(t, got, tc.customers)
			assert.Equal(t, tc.calls, sb.Recorder().Count(http.MethodPost, "/api/connector/v1/customers/getAll"))
		})
	}
}

func TestNextCursor(t *testing.T) {
	for _, tc := range []struct {
		name           string
		got, asked     int
		sent, received *string
		last           string
		want           *string
	}{
		{"full page with a new cursor", 10, 10, nil, p("a"), "z", p("a")},
		{"short page", 9, 10, nil, p("a"), "z", nil},
		{"empty page", 0, 10, p("a"), p("a"), "", nil},
		{"no cursor: the last item's id", 10, 10, nil, nil, "z", p("z")},
		{"empty cursor: the last item's id", 10, 10, nil, p(""), "z", p("z")},
		{"no cursor and no id", 10, 10, nil, nil, "", nil},
		{"cursor did not move", 10, 10, p("a"), p("a"), "z", nil},
		{"last id did not move", 10, 10, p("z"), nil, "z", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, nextCursor(tc.got, tc.asked, tc.sent, tc.received, tc.last))
		})
	}
}

func TestAllIdentityDocumentsSplitsCustomersAndFollowsCursors(t *testing.T) {
	sb, url := startSandbox(t, sandbox.Options{})
	ids := seedGuests(sb, hotelA, 250)
	for i, id := range ids {
		sb.AddDocument(hotelA, sandbox.IdentityDocument{CustomerID: id, Type: "Passport", Number: fmt.Sprintf("P%03d", i)})
	}
	sb.Recorder().Reset()
	cl := clientFor(url, hotelA)

	docs, err := cl.AllIdentityDocuments(context.Background(), GetIdentityDocumentsRequest{CustomerIDs: ids})
	require.NoError(t, err)
	assert.Len(t, docs, 250)
	assert.Equal(t, 3, sb.Recorder().Count("", "/api/connector/v1/identityDocuments/getAll"), "100 + 100 + 50 customers")

	sb.Recorder().Reset()
	docs, err = cl.AllIdentityDocuments(context.Background(), GetIdentityDocumentsRequest{CustomerIDs: ids, Limitation: Limitation{Count: 30}})
	require.NoError(t, err)
	seen := map[string]bool{}
	for _, d := range docs {
		seen[d.ID] = true
	}
	assert.Len(t, seen, 250, "every document exactly once")
	assert.Len(t, docs, 250)
	calls := sb.Calls()
	assert.Len(t, calls, 4+4+2, "pages of 30: 100 → 4, 100 → 4, 50 → 2")
	for _, c := range calls {
		var body struct{ CustomerIds []string }
		require.NoError(t, json.Unmarshal(c.Body, &body))
		assert.LessOrEqual(t, len(body.CustomerIds), MaxDocumentCustomers)
		assert.Equal(t, http.StatusOK, c.Status)
	}

	sb.Recorder().Reset()
	docs, err = cl.AllIdentityDocuments(context.Background(), GetIdentityDocumentsRequest{})
	require.NoError(t, err)
	assert.Empty(t, docs)
	assert.Empty(t, sb.Calls(), "no customers, no call")
}

func TestIdentityDocumentsLifecycle(t *testing.T) {
	sb, url := startSandbox(t, sandbox.Options{})
	ctx := context.Background()
	cl := clientFor(url, hotelA)
	guests := seedGuests(sb, hotelA, 3)
	sb.Recorder().Reset()

	var params []IdentityDocumentParameters
	for i := range 23 {
		params = append(params, IdentityDocumentParameters{
			CustomerID: guests[i%3], Type: DocumentIdentityCard, Number: fmt.Sprintf("ID%02d", i),
			ExpirationDate: *day("2031-01-02"), IssuingCountryCode: "CZ",
		})
	}
	added, err := cl.AddIdentityDocuments(ctx, AddIdentityDocumentsRequest{IdentityDocuments: params})
	require.NoError(t, err)
	require.Len(t, added, 23)
	assert.Equal(t, 3, sb.Recorder().Count("", "/api/connector/v1/identityDocuments/add"), "10 + 10 + 3")
	assert.Equal(t, "ID22", added[22].Number)
	assert.Equal(t, day("2031-01-02"), added[0].ExpirationDate)
	assert.Len(t, sb.Documents(hotelA), 23)

	var changes []IdentityDocumentUpdate
	for _, d := range added[:12] {
		changes = append(changes, IdentityDocumentUpdate{ID: d.ID, Type: Set(DocumentPassport), IssuingCity: Set("Brno"),
			IssuingCountryCode: Clear[string]()})
	}
	updated, err := cl.UpdateIdentityDocuments(ctx, UpdateIdentityDocumentsRequest{IdentityDocuments: changes})
	require.NoError(t, err)
	require.Len(t, updated, 12)
	assert.Equal(t, 2, sb.Recorder().Count("", "/api/connector/v1/identityDocuments/update"), "10 + 2")
	for _, d := range sb.Documents(hotelA)[:12] {
		assert.Equal(t, "Passport", d.Type)
		assert.Equal(t, p("Brno"), d.IssuingCity)
		assert.Nil(t, d.IssuingCountryCode)
		assert.NotEmpty(t, d.Number, "fields not sent stay")
	}

	require.NoError(t, cl.DeleteIdentityDocuments(ctx, DeleteIdentityDocumentsRequest{IdentityDocumentIDs: []string{added[0].ID, added[1].ID}}))
	assert.Len(t, sb.Documents(hotelA), 21)
	require.NoError(t, cl.ClearIdentityDocuments(ctx, ClearIdentityDocumentsRequest{CustomerIDs: guests[:2]}))
	left := sb.Documents(hotelA)
	require.Len(t, left, 7)
	for _, d := range left {
		assert.Equal(t, guests[2], d.CustomerID)
	}

	err = cl.DeleteIdentityDocuments(ctx, DeleteIdentityDocumentsRequest{IdentityDocumentIDs: []string{added[0].ID}})
	ve := asVendorError(t, err)
	assert.Equal(t, http.StatusBadRequest, ve.Status, "Mews answers 400 for an id it does not know")
	assert.NotEmpty(t, ve.Message)
}

// Updates must travel in Mews' {"Value": ...} wrappers exactly where the
// documentation shows them, and nowhere else.
func TestUpdatesUseValueWrappersWhereDocumented(t *testing.T) {
	sb, url := startSandbox(t, sandbox.Options{})
	ctx := context.Background()
	cl := clientFor(url, hotelA)
	guest := seedGuests(sb, hotelA, 1)[0]
	doc := sb.AddDocument(hotelA, sandbox.IdentityDocument{CustomerID: guest, Type: "Passport", Number: "X1"})
	sb.Recorder().Reset()

	_, err := cl.UpdateCustomer(ctx, UpdateCustomerRequest{CustomerID: guest, FirstName: "Thea",
		ItalianDestinationCode: Set("7654321"), ItalianFiscalCode: Clear[string]()})
	require.NoError(t, err)
	_, err = cl.UpdateIdentityDocuments(ctx, UpdateIdentityDocumentsRequest{IdentityDocuments: []IdentityDocumentUpdate{{
		ID: doc, Number: Set("X2"), ExpirationDate: Set(*day("2040-11-20")), IssuanceDate: Clear[DocumentDate](),
	}}})
	require.NoError(t, err)

	calls := sb.Calls()
	require.Len(t, calls, 2)
	var customer map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(calls[0].Body, &customer))
	assert.JSONEq(t, `"Thea"`, string(customer["FirstName"]))
	assert.JSONEq(t, `{"Value":"7654321"}`, string(customer["ItalianDestinationCode"]))
	assert.JSONEq(t, `{"Value":null}`, string(customer["ItalianFiscalCode"]))
	assert.NotContains(t, customer, "LastName", "blank fields are not sent")
	assert.JSONEq(t, `"guestflow test"`, string(customer["Client"]))
	assert.JSONEq(t, `"`+testClientToken+`"`, string(customer["ClientToken"]))
	assert.JSONEq(t, `"`+hotelA+`"`, string(customer["AccessToken"]))

	var docs struct{ IdentityDocuments []map[string]json.RawMessage }
	require.NoError(t, json.Unmarshal(calls[1].Body, &docs))
	require.Len(t, docs.IdentityDocuments, 1)
	d := docs.IdentityDocuments[0]
	assert.JSONEq(t, `"`+doc+`"`, string(d["Id"]), "the id is not wrapped")
	assert.JSONEq(t, `{"Value":"X2"}`, string(d["Number"]))
	assert.JSONEq(t, `{"Value":"2040-11-20T00:00:00Z"}`, string(d["ExpirationDate"]))
	assert.JSONEq(t, `{"Value":null}`, string(d["IssuanceDate"]))
	assert.NotContains(t, d, "Type")
	stored := sb.Documents(hotelA)[0]
	assert.Equal(t, "X2", stored.Number)
	assert.Equal(t, p("2040-11-20T00:00:00Z"), stored.ExpirationDate)
}

func TestErrorClasses(t *testing.T) {
	ctx := context.Background()
	addThea := func(cl *Client) error { _, err := cl.AddCustomer(ctx, theaRequest()); return err }
	for _, tc := range []struct {
		name      string
		opts      sandbox.Options
		call      func(url string) error
		status    int
		retryable bool
		message   string
	}{
		{"wrong client token", sandbox.Options{}, func(url string) error {
			cl := New(Options{BaseURL: url, ClientToken: "stolen", AccessToken: hotelA, Logger: quiet})
			return addThea(cl)
		}, 401, false, "ClientToken"},
		{"unknown access token", sandbox.Options{}, func(url string) error { return addThea(clientFor(url, "someone-else")) }, 401, false, "AccessToken"},
		{"document type outside the enum", sandbox.Options{}, func(url string) error {
			_, err := clientFor(url, hotelA).AddIdentityDocuments(ctx, AddIdentityDocumentsRequest{IdentityDocuments: []IdentityDocumentParameters{
				{CustomerID: "fadd5bb6-b428-45d5-94f8-fd0d89fece6d", Type: "ResidencePermit", Number: "AA123456"}}})
			return err
		}, 400, false, "Type"},
		{"nationality not alpha-2", sandbox.Options{}, func(url string) error {
			_, err := clientFor(url, hotelA).AddCustomer(ctx, AddCustomerRequest{LastName: "Carbone", Notes: "Thea", Phone: "+39 06 555 5555",
				NationalityCode: "ITA"})
			return err
		}, 400, false, "NationalityCode"},
		{"unknown customer", sandbox.Options{}, func(url string) error {
			_, err := clientFor(url, hotelA).UpdateCustomer(ctx, UpdateCustomerRequest{CustomerID: "fadd5bb6-b428-45d5-94f8-fd0d89fece6d", FirstName: "Thea"})
			return err
		}, 400, false, "CustomerId"},
		{"wrong URL", sandbox.Options{}, func(url string) error { return addThea(clientFor(url+"/v0", hotelA)) }, 404, false, ""},
		{"rate limited", sandbox.Options{RequestsPerWindow: 1}, func(url string) error {
			cl := clientFor(url, hotelA)
			if err := addThea(cl); err != nil {
				return fmt.Errorf("first call must pass: %w", err)
			}
			return addThea(cl)
		}, 429, true, ""},
		{"vendor fault", sandbox.Options{Faults: sandboxkit.Faults{ErrorRate: 1}}, func(url string) error { return addThea(clientFor(url, hotelA)) }, 500, true, ""},
		{"dropped connection", sandbox.Options{Faults: sandboxkit.Faults{DropRate: 1}}, func(url string) error { return addThea(clientFor(url, hotelA)) }, 0, true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, url := startSandbox(t, tc.opts)
			err := tc.call(url)
			ve := asVendorError(t, err)
			assert.Equal(t, tc.status, ve.Status)
			assert.Equal(t, tc.retryable, ve.Retryable())
			assert.Contains(t, ve.Message, tc.message)
			if tc.status != 0 {
				assert.NotEmpty(t, ve.RequestID, "Mews' RequestId is kept for support")
			}
			if tc.status == 429 {
				assert.Equal(t, 30*time.Second, ve.RetryAfter)
			}
			assertNoPersonalData(t, err)
			if ve.Message != "" {
				assert.NotContains(t, err.Error(), ve.Message)
			}
		})
	}
}

// Statuses the sandbox has no reason to produce, decoded from Mews' shape.
func TestErrorStatusesFromMews(t *testing.T) {
	for _, tc := range []struct {
		status    int
		retryable bool
	}{{400, false}, {401, false}, {403, false}, {404, false}, {408, true}, {409, true}, {429, true}, {500, true}, {503, true}} {
		t.Run(http.StatusText(tc.status), func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(`{"Message":"Customer Thea Carbone is blocked.","RequestId":"5f3c2b1a"}`))
			}))
			defer srv.Close()
			_, err := clientFor(srv.URL, hotelA).GetCustomers(context.Background(), GetCustomersRequest{Emails: []string{"thea@quotidiano.example"}})
			ve := asVendorError(t, err)
			assert.Equal(t, tc.status, ve.Status)
			assert.Equal(t, tc.retryable, ve.Retryable())
			assert.Equal(t, "Customer Thea Carbone is blocked.", ve.Message)
			assert.Equal(t, "5f3c2b1a", ve.RequestID)
			assert.Contains(t, ve.Error(), "POST customers/getAll")
			assertNoPersonalData(t, err)
			_, isRule := BusinessRuleMessage(err)
			assert.Equal(t, tc.status == 403, isRule)
		})
	}
}

func TestRateLimitIs200Per30SecondsPerEnterprise(t *testing.T) {
	clk := &clock{now: time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)}
	_, url := startSandbox(t, sandbox.Options{Now: clk.Now})
	ctx := context.Background()
	hotel := clientFor(url, hotelA)
	find := func(cl *Client) error {
		_, err := cl.GetCustomers(ctx, GetCustomersRequest{Emails: []string{"x@example.com"}})
		return err
	}
	for i := range 200 {
		require.NoError(t, find(hotel), "call %d", i+1)
		if i == 99 {
			clk.Add(10 * time.Second)
		}
	}
	err := find(hotel)
	ve := asVendorError(t, err)
	assert.Equal(t, http.StatusTooManyRequests, ve.Status)
	assert.Equal(t, 20*time.Second, ve.RetryAfter, "the first hundred leave the window 30s after they came")
	assert.True(t, ve.Retryable())
	require.NoError(t, find(clientFor(url, hotelB)), "another enterprise has its own budget")

	clk.Add(20 * time.Second)
	require.NoError(t, find(hotel), "room again once the oldest calls left the window")
}

// Mews takes Limitation.Count from 1 to 1000 only; a caller's out-of-range
// count or empty cursor must not turn into a 400.
func TestLimitationIsKeptInRange(t *testing.T) {
	sb, url := startSandbox(t, sandbox.Options{})
	ctx := context.Background()
	cl := clientFor(url, hotelA)
	ids := seedGuests(sb, hotelA, 3)
	sb.AddDocument(hotelA, sandbox.IdentityDocument{CustomerID: ids[0], Type: "Passport", Number: "P1"})
	for _, count := range []int{-1, 1001, 5000} {
		l := Limitation{Count: count, Cursor: p("")}
		page, err := cl.GetCustomers(ctx, GetCustomersRequest{LastNames: []string{"Guest"}, Limitation: l})
		require.NoError(t, err, "count %d", count)
		assert.Len(t, page.Customers, 3)
		all, err := cl.AllCustomers(ctx, GetCustomersRequest{LastNames: []string{"Guest"}, Limitation: l})
		require.NoError(t, err, "count %d", count)
		assert.Len(t, all.Customers, 3)
		docs, err := cl.AllIdentityDocuments(ctx, GetIdentityDocumentsRequest{CustomerIDs: ids, Limitation: l})
		require.NoError(t, err, "count %d", count)
		assert.Len(t, docs, 1)
	}
	for _, c := range sb.Calls() {
		var body struct {
			Limitation map[string]json.RawMessage
		}
		require.NoError(t, json.Unmarshal(c.Body, &body))
		assert.JSONEq(t, "1000", string(body.Limitation["Count"]))
		assert.NotContains(t, body.Limitation, "Cursor", "an empty cursor is no cursor")
	}
}

// Mews pages customers/getAll even when the Extent leaves customers out ("this
// is true even when using Extents set to false so that no actual data is
// returned"); a walk for documents only must still reach every page.
func TestAllCustomersWalksEveryPageForDocumentsOnly(t *testing.T) {
	sb, url := startSandbox(t, sandbox.Options{})
	ids := seedGuests(sb, hotelA, 5)
	for i, id := range ids {
		sb.AddDocument(hotelA, sandbox.IdentityDocument{CustomerID: id, Type: "Visa", Number: fmt.Sprintf("V%d", i)})
	}
	all, err := clientFor(url, hotelA).AllCustomers(context.Background(), GetCustomersRequest{
		LastNames: []string{"Guest"}, Extent: CustomerExtent{Documents: true}, Limitation: Limitation{Count: 2}})
	require.NoError(t, err)
	assert.Len(t, all.Documents, 5)
}

// pagedServer answers customers/getAll and identityDocuments/getAll from
// fixed lists, newest first, continuing after Limitation.Cursor, and never
// sends a Cursor back: identityDocuments documents it as optional.
func pagedServer(t *testing.T, customers, documents []string) (*httptest.Server, *int) {
	t.Helper()
	var mu sync.Mutex
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		calls++
		mu.Unlock()
		var req struct{ Limitation Limitation }
		require.NoError(t, json.NewDecoder(r.Body).Decode(&req))
		ids, key := customers, "Customers"
		if r.URL.Path == "/api/connector/v1/identityDocuments/getAll" {
			ids, key = documents, "IdentityDocuments"
		}
		if c := req.Limitation.Cursor; c != nil {
			ids = ids[slices.Index(ids, *c)+1:]
		}
		items := []map[string]any{}
		for _, id := range ids[:min(len(ids), req.Limitation.Count)] {
			items = append(items, map[string]any{"Id": id, "CustomerId": "c", "LastName": "Guest", "Type": "Visa", "Number": id})
		}
		_ = json.NewEncoder(w).Encode(map[string]any{key: items})
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func TestPagesWithoutCursorContinueFromTheLastItem(t *testing.T) {
	ids := func(prefix string, n int) []string {
		var out []string
		for i := range n {
			out = append(out, fmt.Sprintf("%s-%d", prefix, i))
		}
		return out
	}
	customers, documents := ids("cu", 7), ids("doc", 6)
	srv, calls := pagedServer(t, customers, documents)
	cl := clientFor(srv.URL, hotelA)

	all, err := cl.AllCustomers(context.Background(), GetCustomersRequest{LastNames: []string{"Guest"}, Limitation: Limitation{Count: 3}})
	require.NoError(t, err)
	var got []string
	for _, c := range all.Customers {
		got = append(got, c.ID)
	}
	assert.Equal(t, customers, got)
	assert.Equal(t, 3, *calls)

	*calls = 0
	docs, err := cl.AllIdentityDocuments(context.Background(), GetIdentityDocumentsRequest{CustomerIDs: []string{"c"}, Limitation: Limitation{Count: 3}})
	require.NoError(t, err)
	got = nil
	for _, d := range docs {
		got = append(got, d.ID)
	}
	assert.Equal(t, documents, got)
	assert.Equal(t, 3, *calls, "3 + 3, then an empty page")
}

// The documents do not say what customers/getAll returns without
// ActivityStates; guestflow must never pick up a deleted customer, so it
// asks for active ones unless told otherwise.
func TestGetCustomersAsksForActiveCustomersByDefault(t *testing.T) {
	sb, url := startSandbox(t, sandbox.Options{})
	cl := clientFor(url, hotelA)
	deleted := &TimeInterval{utc("2026-01-01T00:00:00Z"), utc("2026-02-01T00:00:00Z")}
	for _, tc := range []struct {
		name string
		req  GetCustomersRequest
		want string
	}{
		{"none given", GetCustomersRequest{}, `["Active"]`},
		{"given", GetCustomersRequest{ActivityStates: []string{"Active", "Deleted"}}, `["Active","Deleted"]`},
		{"deleted interval", GetCustomersRequest{DeletedUtc: deleted, ActivityStates: []string{"Deleted"}}, `["Deleted"]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sb.Recorder().Reset()
			tc.req.Emails = []string{"x@example.com"}
			_, err := cl.GetCustomers(context.Background(), tc.req)
			require.NoError(t, err)
			calls := sb.Calls()
			require.Len(t, calls, 1)
			var body map[string]json.RawMessage
			require.NoError(t, json.Unmarshal(calls[0].Body, &body))
			assert.JSONEq(t, tc.want, string(body["ActivityStates"]))
		})
	}
}

// An answer in a form the document does not show fails the call as an
// unreadable answer, not worth retrying, saying which field without its
// value.
func TestUndocumentedAnswerIsUnreadable(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"Customers":[{"Id":"fadd5bb6-b428-45d5-94f8-fd0d89fece6d","LastName":"Rossi","IsActive":"yes"}],"Documents":[]}`))
	}))
	t.Cleanup(srv.Close)
	_, err := clientFor(srv.URL, hotelA).GetCustomers(context.Background(), GetCustomersRequest{Emails: []string{"x@example.com"}})
	var ae *vendorhttp.AnswerError
	require.ErrorAs(t, err, &ae)
	assert.Contains(t, ae.Reason, "IsActive")
	assert.NotContains(t, err.Error(), "yes")
	assert.NotContains(t, err.Error(), "Rossi")
	assertNoPersonalData(t, err)
}
