package hooks_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/guestflow/guestflow/hooks"
	"github.com/guestflow/guestflow/lifecycle"
)

// Hostile requests to the webhook as the webhook program builds it, on
// every route: each is answered with the status and message its protocol
// expects (Passquare's {"success": false, "error": ...}, {"error": ...}
// elsewhere), nothing panics, no account changes, Passcreator records
// nothing, and no answer or log line carries the guest's data.
// TestMalformedHooks, TestPasscreatorWebhookRefusals and TestIntakeRefusals
// have the other malformed bodies.
func TestHostileRequests(t *testing.T) {
	e := newEnv(t)
	g := newGuest()
	e.install(g)
	require.Equal(t, http.StatusOK, e.hook(g.addBalance(t, "10.00", "tx-hostile")).Code)

	// The guest's personal data as the hooks carry it.
	const name, surname, email = "Hostilda", "Verbosova", "hostilda.verbosova@example.org"
	personal := []string{g.phone, strings.TrimPrefix(g.phone, "+"), name, surname, email}
	create := strings.NewReplacer(`"Joe"`, `"`+name+`"`, `"Master"`, `"`+surname+`"`, "joe@passquare.com", email).
		Replace(g.createCustomer(t))
	add := func(sum string) string {
		return strings.Replace(g.addBalance(t, "X", "tx-hostile-2"), `"X"`, sum, 1)
	}
	withPhone := func(phone string) string {
		return strings.Replace(g.readBalance(t), `"`+g.phone+`"`, phone, 1)
	}
	megabyte := strings.Repeat("A", 1<<20)

	type row struct {
		name   string
		r      request
		status int
		error  string // the answer's error, exactly
	}
	// Passquare's crm_key setting: the key as the Basic password, login
	// blank, so a body that is no JSON is still authenticated.
	hook := func(name, body string, status int, msg string) row {
		return row{name, request{body: body, remote: passquareIP + ":1", user: ptr(""), password: ptr(crmKey)}, status, msg}
	}
	bodyKeyOnly := func(r row) row {
		r.r.user, r.r.password = nil, nil
		return r
	}
	withHeader := func(r row, k, v string) row {
		r.r.header = map[string]string{k: v}
		return r
	}
	passquareRows := []row{
		hook("a name of a megabyte", strings.Replace(create, name, megabyte, 1), 413, "request body too large"),
		withHeader(hook("XML", `<hook><method>readBalance</method></hook>`, 400, "body: not a JSON object"), "Content-Type", "application/xml"),
		withHeader(hook("form-encoded", "crm_key="+crmKey+"&method=addBalance&phone="+g.phone, 400, "body: not a JSON object"), "Content-Type", "application/x-www-form-urlencoded"),
		hook("JSON null", `null`, 400, "method: required"),
		hook("phone an object", strings.Replace(g.readBalance(t), `"`+g.phone+`"`, `{"number": "`+g.phone+`"}`, 1), 400, "customer: not a readBalance customer object"),
		hook("cardNumbers a boolean", strings.Replace(g.readBalance(t), `["`+g.card+`"]`, `true`, 1), 400, "customer: not a readBalance customer object"),
		hook("sum an object", add(`{"amount": 5}`), 400, "sum: cannot be read"),
		hook("sum a boolean", add(`true`), 400, "sum: cannot be read"),
		hook("method in another case", strings.Replace(g.readBalance(t), "readBalance", "READBALANCE", 1), 400, "unknown method"),
		bodyKeyOnly(hook("no crm_key", strings.Replace(g.readBalance(t), crmKey, "", 1), 401, "unauthorized")),
		bodyKeyOnly(hook("wrong crm_key", strings.Replace(add(`"5"`), crmKey, "yyyyyyyy-xxxx-xxxx-xxxx-xxxxxxxxxxxx", 1), 401, "unauthorized")),
		bodyKeyOnly(hook("crm_key a number", strings.Replace(add(`"5"`), `"`+crmKey+`"`, `12345`, 1), 401, "unauthorized")),
		bodyKeyOnly(hook("invalid JSON without Basic", `{"crm_key": "`+crmKey+`", "method": "addBalance",`, 401, "unauthorized")),
		{"wrong Basic password", request{body: strings.Replace(add(`"5"`), crmKey, "", 1), remote: passquareIP + ":1", user: ptr(""), password: ptr("wrong")}, 401, "unauthorized"},
		hook("replayed transactionId with another sum", g.addBalance(t, "10.01", "tx-hostile"), 400, "transactionId already used with another sum"),
		hook("negative sum as a number", add(`-10`), 400, "sum: must be positive"),
		hook("zero sum", add(`"0.00"`), 400, "sum: must be positive"),
		hook("zero sum as a number", add(`0`), 400, "sum: must be positive"),
		hook("sum NaN", add(`"NaN"`), 400, "sum: cannot be read"),
		hook("sum NaN bare", add(`NaN`), 400, "body: not a JSON object"),
		hook("sum Infinity", add(`"Infinity"`), 400, "sum: cannot be read"),
		hook("sum with an exponent", add(`"1e3"`), 400, "sum: cannot be read"),
		hook("sum a number with an exponent", add(`1e3`), 400, "sum: cannot be read"),
		hook("sum with a currency", add(`"€5"`), 400, "sum: cannot be read"),
		hook("sum absurdly large as a number", add(`1`+strings.Repeat("0", 30000)), 400, "sum: must be at most 1000.00"),
		hook("lifetime NaN", strings.Replace(add(`"5"`), "86400", `"NaN"`, 1), 400, "lifetime: cannot be read"),
		hook("lifetime with an exponent", strings.Replace(add(`"5"`), "86400", `1e5`, 1), 400, "lifetime: cannot be read"),
		hook("invalid UTF-8 in a name", strings.Replace(create, name, "Hostild\xff\xfe", 1), 400, "body: not UTF-8"),
		hook("invalid UTF-8 in a transactionId", strings.Replace(add(`"5"`), "tx-hostile-2", "tx-\xff", 1), 400, "body: not UTF-8"),
		hook("phone of words", withPhone(`"call me maybe"`), 400, "phone: not in E.164 form (+ and up to 15 digits)"),
		hook("phone a plus", withPhone(`"+"`), 400, "phone: not in E.164 form (+ and up to 15 digits)"),
		hook("phone of 40 digits", withPhone(`"+`+strings.Repeat("4", 40)+`"`), 400, "phone: not in E.164 form (+ and up to 15 digits)"),
		hook("phone with a leading zero country code", withPhone(`"+0039347123456"`), 400, "phone: not in E.164 form (+ and up to 15 digits)"),
		hook("phone with spaces", withPhone(`"+39 347 123 4567"`), 400, "phone: not in E.164 form (+ and up to 15 digits)"),
		hook("phone a script", withPhone(`"<script>alert(1)</script>"`), 400, "phone: not in E.164 form (+ and up to 15 digits)"),
		hook("phone impossible for its country", withPhone(`"+999123456789"`), 400, "phone: not a possible number for its country code"),
		hook("phone negative", withPhone(`-39347123456`), 400, "phone: not in E.164 form (+ and up to 15 digits)"),
		hook("phone with a NUL", withPhone(`"+39347\u0000123456"`), 400, "phone: not in E.164 form (+ and up to 15 digits)"),
	}
	for _, m := range []string{http.MethodGet, http.MethodPut, http.MethodDelete, http.MethodPatch} {
		passquareRows = append(passquareRows, row{m, request{method: m, body: g.readBalance(t), remote: passquareIP + ":1"}, 405, "method not allowed"})
	}

	signed := func(body string) request {
		return request{path: hooks.PasscreatorWebhookPath, body: body, header: map[string]string{signatureHeader: sign([]byte(body))}}
	}
	scan := signedScanEvent(scanEvent{id: "pc-hostile-1", config: e.configID, barcode: g.card, status: 3, value: "10"})
	passcreatorRows := []row{
		{"oversized", signed(`{"appScanId": "pc-hostile-2", "x": "` + megabyte + `"}`), 413, "request body too large"},
		{"signed with another key", request{path: hooks.PasscreatorWebhookPath, body: scan.body,
			header: map[string]string{signatureHeader: signedBy("another key", []byte(scan.body))}}, 401, "unauthorized"},
		{"invalid JSON", signed(`{"appScanId": "pc-hostile-3",`), 400, "not an app scan event"},
		{"scanStatus a string", signed(strings.Replace(scan.body, `"scanStatus":3`, `"scanStatus":"three"`, 1)), 400, "not an app scan event"},
		{"invalid UTF-8 in appScanId", signed(strings.Replace(scan.body, "pc-hostile-1", "pc-\xff", 1)), 400, "not an app scan event"},
		{"GET", request{method: http.MethodGet, path: hooks.PasscreatorWebhookPath}, 405, "method not allowed"},
	}

	intake := func(name, body string, status int, msg string) row {
		return row{name, request{path: hooks.IntakePath, body: body, header: map[string]string{"Authorization": "Bearer " + intakeToken}}, status, msg}
	}
	value := func(v string) string {
		return `{"deviceScanId": "pos-hostile-1", "barcode": "` + g.card + `", "branchId": "rome", "value": ` + v + `}`
	}
	intakeRows := []row{
		{"Basic instead of Bearer", request{path: hooks.IntakePath, body: value(`"10"`), user: ptr("pos"), password: ptr(intakeToken)}, 401, "unauthorized"},
		intake("oversized", value(`"`+megabyte+`"`), 413, "request body too large"),
		intake("a list", `[`+value(`"10"`)+`]`, 400, "body is not a scan object"),
		intake("value NaN", value(`"NaN"`), 400, "value: required as a decimal string"),
		intake("value negative", value(`"-0.01"`), 400, "value: must not be negative"),
		intake("value absurdly large", value(`1`+strings.Repeat("0", 30000)), 400, "value: must be at most 1000000000"),
		intake("barcode a number", strings.Replace(value(`"10"`), `"`+g.card+`"`, g.card, 1), 400, "body is not a scan object"),
		intake("barcode of 10 kB", strings.Replace(value(`"10"`), g.card, strings.Repeat("7", 10000), 1), 400, "barcode: required, up to 256 characters"),
		intake("invalid UTF-8 in the barcode", strings.Replace(value(`"10"`), g.card, g.card+"\xff", 1), 400, "body is not UTF-8"),
		intake("deviceScanId with a newline", strings.Replace(value(`"10"`), "pos-hostile-1", `pos\nhostile`, 1), 400, "deviceScanId: required, up to 128 letters, digits and ._:/-"),
		{"PUT", request{method: http.MethodPut, path: hooks.IntakePath}, 405, "method not allowed"},
	}

	for _, rows := range [][]row{passquareRows, passcreatorRows, intakeRows} {
		for _, tt := range rows {
			t.Run(tt.name, func(t *testing.T) {
				w := e.do(tt.r)
				require.Equal(t, tt.status, w.Code, w.Body.String())
				want := `{"error": ` + quote(tt.error) + `}`
				if tt.r.path == "" && tt.status != http.StatusMethodNotAllowed {
					want = `{"success": false, "error": ` + quote(tt.error) + `}`
				}
				require.JSONEq(t, want, w.Body.String())
				for _, p := range personal {
					require.NotContains(t, w.Body.String(), p, "personal data in the answer")
				}
			})
		}
	}

	require.Equal(t, "10", e.balance(g), "no hostile request changed the balance")
	require.Len(t, addBalanceUpdates(t, g.key()), 1, "no hostile request reached the account as a credit")
	require.Len(t, acceptedUpdates[lifecycle.InstallCard](t, g.key(), lifecycle.UpdateInstallCard), 1, "no hostile request installed a card")
	require.Empty(t, e.pc.Scans(e.configID), "no hostile request reached Passcreator")
	require.Zero(t, e.counter("guestflow_webhook_scans_delivered_total"))
	logs := e.logs.String()
	require.NotContains(t, logs, "panicked")
	for _, p := range personal {
		require.NotContains(t, logs, p, "personal data in the log")
	}
}
