package hooks_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/temporal"

	"github.com/guestflow/guestflow/hooks"
	"github.com/guestflow/guestflow/internal/piicheck"
	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/rules"
)

// memoryTemporal plays the accounts in memory, as the account workflow
// answers the webhook: installs open or join an account, a transactionId
// is credited once and refused with another sum, scans of unknown cards are
// ErrUnknownCard. Fuzzing runs it millions of times, which a dev server
// could not take; state says whether anything changed.
type memoryTemporal struct {
	mu          sync.Mutex
	accounts    map[string]*memoryAccount
	scans       map[string]lifecycle.Scan
	deviceScans map[string]lifecycle.DeviceScan
	// outOfBounds names what reached Temporal that the account's own
	// validators, or the bonus it earns, should never see.
	outOfBounds string
}

type memoryAccount struct {
	Cards   []string                   `json:"cards"`
	Balance decimal.Decimal            `json:"balance"`
	Credits map[string]decimal.Decimal `json:"credits"`
}

func newMemoryTemporal() *memoryTemporal {
	return &memoryTemporal{accounts: map[string]*memoryAccount{}, scans: map[string]lifecycle.Scan{},
		deviceScans: map[string]lifecycle.DeviceScan{}}
}

// state is everything the accounts hold, to compare before and after.
func (m *memoryTemporal) state() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, err := json.Marshal(struct {
		A map[string]*memoryAccount
		S map[string]lifecycle.Scan
		D map[string]lifecycle.DeviceScan
	}{m.accounts, m.scans, m.deviceScans})
	if err != nil {
		panic(err)
	}
	return string(b)
}

func (m *memoryTemporal) UpdateAccount(_ context.Context, key string, _ lifecycle.AccountHolder, update, _ string, arg, result any) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	a := m.accounts[key]
	switch update {
	case lifecycle.UpdateInstallCard:
		in := arg.(lifecycle.InstallCard)
		if a == nil {
			a = &memoryAccount{Credits: map[string]decimal.Decimal{}}
			if in.Balance != nil {
				a.Balance = *in.Balance
			}
			m.accounts[key] = a
		}
		for _, c := range in.CardNumbers {
			if !slices.Contains(a.Cards, c) {
				a.Cards = append(a.Cards, c)
			}
		}
		*result.(*string) = key
	case lifecycle.UpdateAddBalance:
		add := arg.(lifecycle.AddBalance)
		if !add.Sum.IsPositive() || add.Sum.GreaterThan(rules.MaxGrantSum) || !rules.IsCents(add.Sum) || add.Lifetime < 0 {
			m.outOfBounds = "addBalance " + add.Sum.String()
		}
		if a == nil {
			return serviceerror.NewNotFound("no account")
		}
		if sum, ok := a.Credits[add.TransactionID]; ok {
			if !sum.Equal(add.Sum) {
				return temporal.NewApplicationError("another sum", lifecycle.ErrConflictingTransaction)
			}
		} else {
			a.Credits[add.TransactionID] = add.Sum
			a.Balance = a.Balance.Add(add.Sum)
		}
		*result.(*lifecycle.Balance) = lifecycle.Balance{Balance: a.Balance, Cards: slices.Clone(a.Cards)}
	default:
		return temporal.NewApplicationError("unknown update", "Unknown")
	}
	return nil
}

func (m *memoryTemporal) QueryBalance(_ context.Context, key string) (lifecycle.Balance, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	a := m.accounts[key]
	if a == nil {
		return lifecycle.Balance{}, serviceerror.NewNotFound("no account")
	}
	return lifecycle.Balance{Balance: a.Balance, Cards: slices.Clone(a.Cards)}, nil
}

func (m *memoryTemporal) DeliverScan(_ context.Context, scan lifecycle.Scan) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if scan.Value != nil && !transactionValue(*scan.Value) {
		m.outOfBounds = "scan value " + scan.Value.String()
	}
	for _, a := range m.accounts {
		if slices.Contains(a.Cards, scan.Barcode) {
			m.scans[scan.AppScanID] = scan
			return nil
		}
	}
	return lifecycle.ErrUnknownCard
}

func (m *memoryTemporal) RecordDeviceScan(_ context.Context, _ string, scan lifecycle.DeviceScan) (lifecycle.DeviceScanResult, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !transactionValue(scan.Value) {
		m.outOfBounds = "device scan value " + scan.Value.String()
	}
	id := lifecycle.DeviceScanWorkflowID(scan.BranchID, scan.DeviceScanID)
	if _, ok := m.deviceScans[id]; !ok {
		m.deviceScans[id] = scan
	}
	return lifecycle.DeviceScanResult{DeviceScanID: scan.DeviceScanID, AppScanID: "app-" + scan.DeviceScanID,
		ScanStatus: 3, RecordedAt: time.Unix(0, 0).UTC()}, nil
}

func (m *memoryTemporal) CheckHealth(context.Context) error { return nil }

func transactionValue(v decimal.Decimal) bool {
	return !v.IsNegative() && !v.GreaterThan(rules.MaxTransactionValue)
}

// requireInBounds fails when a handler let through an amount the account
// must never credit.
func (m *memoryTemporal) requireInBounds(t *testing.T) {
	t.Helper()
	m.mu.Lock()
	what := m.outOfBounds
	m.outOfBounds = ""
	m.mu.Unlock()
	if what != "" {
		t.Fatalf("reached Temporal: %s", what)
	}
}

// Log lines carry a time and account keys (keyed hashes of phones): neither
// is the guest's data, and either could hold a short value by chance.
var notPersonal = regexp.MustCompile(`"time":"[^"]*"|[0-9a-f]{64}`)

// requireNoPersonalData fails when the answer or the log lines written for
// body repeat a personal value of it.
func requireNoPersonalData(t *testing.T, body string, w *httptest.ResponseRecorder, logs string) {
	t.Helper()
	values := piicheck.Find([]byte(body))
	if found := values.In(w.Body.String()); len(found) > 0 {
		t.Fatalf("the answer %s carries personal data %q", w.Body.String(), found)
	}
	if found := values.In(notPersonal.ReplaceAllString(logs, "")); len(found) > 0 {
		t.Fatalf("the log carries personal data %q:\n%s", found, logs)
	}
}

// requirePassquareAnswer fails unless w is an answer Passquare's document
// shows: 200 with customerId or "success": true, or a refusal (400, and 401,
// 403, 413 for access and size) as {"success": false, "error": "..."}.
func requirePassquareAnswer(t *testing.T, w *httptest.ResponseRecorder) {
	t.Helper()
	var answer struct {
		Success    *bool   `json:"success"`
		Error      *string `json:"error"`
		CustomerID *string `json:"customerId"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &answer); err != nil {
		t.Fatalf("HTTP %d answer is not JSON: %q", w.Code, w.Body.String())
	}
	switch w.Code {
	case http.StatusOK:
		if (answer.CustomerID == nil || *answer.CustomerID == "") && (answer.Success == nil || !*answer.Success) {
			t.Fatalf("200 without customerId or success: %s", w.Body.String())
		}
	case http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden, http.StatusRequestEntityTooLarge:
		if answer.Success == nil || *answer.Success || answer.Error == nil || *answer.Error == "" {
			t.Fatalf("HTTP %d not in Passquare's failure form: %s", w.Code, w.Body.String())
		}
	default:
		t.Fatalf("HTTP %d is no answer Passquare expects: %s", w.Code, w.Body.String())
	}
}

// requireErrorAnswer fails unless a refusal on the Passcreator webhook or
// the intake is {"error": "..."}.
func requireErrorAnswer(t *testing.T, w *httptest.ResponseRecorder) {
	t.Helper()
	var answer struct {
		Error string `json:"error"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &answer); err != nil || answer.Error == "" {
		t.Fatalf("HTTP %d refusal is not {\"error\": ...}: %q", w.Code, w.Body.String())
	}
}

// requireRefusalChangesNothing sends r to a route other than Passquare's,
// which answers success or refuses with {"error": ...} (400, 401, 413);
// only an authorised request may succeed, a refused one changes nothing,
// and neither lets an amount out of bounds or personal data through.
func requireRefusalChangesNothing(t *testing.T, e *env, accounts *memoryTemporal, r request, success int, authorised bool) {
	t.Helper()
	before := accounts.state()
	e.logs.take()
	w := serve(e.h, r)
	switch w.Code {
	case success:
		if !authorised {
			t.Fatalf("an unauthorised request was taken: %s", w.Body.String())
		}
	case http.StatusBadRequest, http.StatusUnauthorized, http.StatusRequestEntityTooLarge:
		requireErrorAnswer(t, w)
		if accounts.state() != before {
			t.Fatalf("a refused request (%d %s) changed the accounts", w.Code, w.Body.String())
		}
	default:
		t.Fatalf("HTTP %d: %s", w.Code, w.Body.String())
	}
	accounts.requireInBounds(t)
	requireNoPersonalData(t, r.body, w, e.logs.take())
}

// The Passquare hooks' seeds: the document's three hooks, and forms other
// tests found in the wild.
func passquareSeeds(f *testing.F) []string {
	var seeds []string
	for _, name := range []string{"hook_create_customer.json", "hook_read_balance.json", "hook_add_balance.json"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, string(b))
	}
	add := seeds[2]
	return append(seeds,
		strings.Replace(add, `"50.00"`, `50.25`, 1),
		strings.Replace(add, `"50.00"`, `"1e3"`, 1),
		strings.Replace(add, `"50.00"`, `"1000.01"`, 1),
		strings.Replace(add, `86400`, `null`, 1),
		strings.Replace(seeds[0], `"1980-01-25"`, `"1980-01-25 00:00:00"`, 1),
		`{"crm_key": "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", "method": "readBalance", "customer": {"phone": 420000000001, "cardNumbers": 120}}`,
		`{"crm_key": 1, "method": "createCustomer", "customer": {"extra": []}}`,
	)
}

// Passquare's hook URL, with each way of authenticating and without: it
// never panics, answers only what Passquare's document shows, changes no
// account unless it answers 200, and no answer or log line repeats a name,
// phone or e-mail of the hook.
func FuzzPassquareHook(f *testing.F) {
	for _, body := range passquareSeeds(f) {
		for auth := range uint8(4) {
			f.Add(body, auth)
		}
	}
	accounts := newMemoryTemporal()
	withKey := newEnv(f, func(o *hooks.Options) { o.Temporal = accounts })
	withBasic := newEnv(f, func(o *hooks.Options) {
		o.Temporal = accounts
		o.Config.Webhook.CRMKey = ""
		o.Config.Webhook.BasicUser, o.Config.Webhook.BasicPassword = "passquare", "basic-password"
	})
	// The document's customer holds the document's card, so readBalance and
	// addBalance reach the account.
	if w := withKey.hook(passquareSeeds(f)[0]); w.Code != http.StatusOK {
		f.Fatalf("install: %d %s", w.Code, w.Body.String())
	}

	f.Fuzz(func(t *testing.T, body string, auth uint8) {
		e, r := withKey, request{body: body, remote: passquareIP + ":1"}
		authorised := true
		switch auth % 4 {
		case 0:
			e, authorised = withBasic, false
		case 1:
			e, r.user, r.password = withBasic, ptr("passquare"), ptr("basic-password")
		case 2:
			e, r.user, r.password, authorised = withBasic, ptr("passquare"), ptr("wrong"), false
		}
		before := accounts.state()
		e.logs.take()
		w := serve(e.h, r)
		requirePassquareAnswer(t, w)
		if !authorised && w.Code != http.StatusUnauthorized && w.Code != http.StatusRequestEntityTooLarge {
			t.Fatalf("unauthenticated hook answered %d: %s", w.Code, w.Body.String())
		}
		if w.Code != http.StatusOK && accounts.state() != before {
			t.Fatalf("a refused hook (%d %s) changed the accounts", w.Code, w.Body.String())
		}
		accounts.requireInBounds(t)
		requireNoPersonalData(t, body, w, e.logs.take())
	})
}

// signedBy is an HMAC-SHA256 in hex, as Passcreator's webhook signs.
func signedBy(key string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(key))
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// Passcreator's webhook, signed, unsigned and signed with another key:
// only a signed delivery is read; it never panics, answers 200 or a
// refusal in its form, and a refusal delivers nothing.
func FuzzPasscreatorWebhook(f *testing.F) {
	accounts := newMemoryTemporal()
	e := newEnv(f, func(o *hooks.Options) { o.Temporal = accounts })
	var seeds []string
	for _, s := range []scanEvent{
		{id: "pc-1", config: e.configID, barcode: "120", status: 3, value: "100.00"},
		{id: "pc-2", config: e.configID, barcode: "120", status: 2, value: "20,00"},
		{id: "pc-3", config: "another-configuration", barcode: "1", status: 2},
		{id: "pc-4", config: e.configID, barcode: "120", status: 3, value: "1000000000,01"},
	} {
		seeds = append(seeds, signedScanEvent(s).body)
	}
	var list struct {
		Results []json.RawMessage `json:"results"`
	}
	b, err := os.ReadFile("../vendors/passcreator/testdata/list_app_scans.json")
	if err != nil {
		f.Fatal(err)
	}
	if err := json.Unmarshal(b, &list); err != nil {
		f.Fatal(err)
	}
	for _, r := range list.Results {
		seeds = append(seeds, strings.ReplaceAll(string(r), "74019cd8-f8e1-4ca5-a366-7c64d494cf2f", e.configID))
	}
	for _, s := range seeds {
		for sig := range uint8(3) {
			f.Add(s, sig)
		}
	}
	e.install(guest{phone: "+420000000001", card: "120", track: "7862374687"})

	f.Fuzz(func(t *testing.T, body string, sig uint8) {
		r := request{path: hooks.PasscreatorWebhookPath, body: body, header: map[string]string{}}
		switch sig % 3 {
		case 0:
			r.header[signatureHeader] = signedBy(webhookKey, []byte(body))
		case 1:
			r.header[signatureHeader] = signedBy("another key", []byte(body))
		}
		requireRefusalChangesNothing(t, e, accounts, r, http.StatusOK, sig%3 == 0)
	})
}

// The device scan intake, with the token, without and with another: it
// never panics, answers 202 or a refusal in its form, and a refused post
// records nothing.
func FuzzIntake(f *testing.F) {
	for _, body := range []string{
		`{"deviceScanId": "pos-1", "barcode": "120", "branchId": "rome", "value": "40.00"}`,
		`{"deviceScanId": "pos-2", "barcode": "120", "branchId": "rome", "value": 20}`,
		`{"deviceScanId": "pos-3", "barcode": "7862374687", "branchId": "rome", "value": "0", "status": 3}`,
		`{"deviceScanId": "d1", "barcode": "1234", "branchId": "rome", "value": 1e3}`,
		`{"deviceScanId": "d1", "barcode": "1234", "branchId": "paris", "value": "-1"}`,
		`{"deviceScanId": "d2", "barcode": "1234", "branchId": "rome", "value": "1000000000.01"}`,
	} {
		for token := range uint8(3) {
			f.Add(body, token)
		}
	}
	accounts := newMemoryTemporal()
	e := newEnv(f, func(o *hooks.Options) { o.Temporal = accounts })

	f.Fuzz(func(t *testing.T, body string, token uint8) {
		r := request{path: hooks.IntakePath, body: body, header: map[string]string{}}
		switch token % 3 {
		case 0:
			r.header["Authorization"] = "Bearer " + intakeToken
		case 1:
			r.header["Authorization"] = "Bearer " + crmKey
		}
		requireRefusalChangesNothing(t, e, accounts, r, http.StatusAccepted, token%3 == 0)
	})
}
