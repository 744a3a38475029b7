package config_test

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/guestflow/guestflow/config"
	"github.com/guestflow/guestflow/rules"
)

var env = map[string]string{
	"MEWS_CLIENT_TOKEN":            "mews-client-token-value",
	"PASSQUARE_APP_KEY":            "passquare-app-key-value",
	"GUESTFLOW_ACCOUNT_KEY_SECRET": "0123456789abcdef0123",
	"ROME_PASSPORTSCAN_API_KEY":    "rome-passportscan-key-value",
	"ROME_MEWS_ACCESS_TOKEN":       "rome-mews-token-value",
	"GUESTFLOW_PAYLOAD_KEY":        "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
	"PASSQUARE_CRM_KEY":            "passquare-crm-key-value",
	"POS_INTAKE_TOKEN":             "pos-intake-token-value",
}

func lookup(vars map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
}

func validText(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("testdata/valid.toml")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestParseValid(t *testing.T) {
	g, err := config.Parse("valid.toml", validText(t), lookup(env))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(g.BranchIDs, ","); got != "lisbon,rome" {
		t.Errorf("BranchIDs = %s", got)
	}
	rome, _ := g.Branch("rome")
	if rome.MewsAccessToken.Value() != "rome-mews-token-value" || g.Mews.ClientToken.Value() != "mews-client-token-value" {
		t.Error("secrets not resolved from the environment")
	}
	if g.Mews.BaseURL != "http://127.0.0.1:18102" {
		t.Errorf("trailing slash kept: %s", g.Mews.BaseURL)
	}
	if g.Passquare.SMSText != config.DefaultSMSText || g.Passcreator.BaseURL != config.DefaultPasscreatorURL {
		t.Error("defaults not applied")
	}
	if rome.Location.String() != "Europe/Rome" || rome.TransactionValueProperty != "Transaction value" {
		t.Errorf("rome: %v %q", rome.Location, rome.TransactionValueProperty)
	}
	r := rome.Rules
	if strings.Join(r.AcceptedDocuments, ",") != "DRI,IDC,PAS" || r.AdultAge != 18 || r.ConsentWhenUnanswered ||
		r.BonusPercent.String() != "5" || r.WelcomeBonus.StringFixed(2) != "10.00" || fmt.Sprint(r.RealUseStatuses) != "[0 2 3 4]" ||
		r.CheckoutOffset() != 12*time.Hour || r.DepartureGrace.Duration != 24*time.Hour {
		t.Errorf("rome rules and defaults: %+v", r)
	}
	l := g.Branches["lisbon"].Rules
	if strings.Join(l.AcceptedDocuments, ",") != "PAS,IDC" || l.AdultAge != 16 || !l.ConsentWhenUnanswered ||
		l.BonusPercent.String() != "2.5" || l.CheckoutOffset() != 11*time.Hour || l.DepartureGrace.Duration != 36*time.Hour {
		t.Errorf("lisbon rules: %+v", l)
	}
	if sum, life := g.Loyalty.HookBounds(); sum.StringFixed(2) != "1000.00" || life != 365*24*time.Hour {
		t.Errorf("hook bounds default to %s and %s, want 1000.00 and 8760h", sum, life)
	}
	w := g.Webhook
	if !w.Configured() || w.Path != config.DefaultWebhookPath || w.CRMKey.Value() != "passquare-crm-key-value" ||
		w.IntakeToken.Value() != "pos-intake-token-value" || w.PasscreatorWebhookKey.Value() != "literal-webhook-key-in-file" ||
		w.OrganizationID != "4711" || len(w.AllowedIPs) != 2 || len(w.TrustedProxies) != 1 ||
		w.PasscreatorSignatureHeader != "X-Passcreator-Signature" {
		t.Errorf("webhook: %+v", w)
	}
}

func TestWebhookSectionIsOptional(t *testing.T) {
	text := validText(t)
	text = text[:strings.Index(text, "[webhook]")]
	g, err := config.Parse("valid.toml", text, lookup(env))
	if err != nil {
		t.Fatal(err)
	}
	if g.Webhook.Configured() || g.Webhook.Path != "" {
		t.Errorf("a missing [webhook] must stay unconfigured: %+v", g.Webhook)
	}
}

func TestParsePrefixes(t *testing.T) {
	got, err := config.ParsePrefixes([]string{"164.90.200.81", "10.0.0.7/8", "::ffff:192.0.2.1", "2001:db8::1"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"164.90.200.81/32", "10.0.0.0/8", "192.0.2.1/32", "2001:db8::1/128"}
	for i := range want {
		if got[i].String() != want[i] {
			t.Errorf("prefix %d = %s, want %s", i, got[i], want[i])
		}
	}
	if _, err := config.ParsePrefixes([]string{"164.90.200"}); err == nil {
		t.Error("a partial address must not parse")
	}
}

func TestParseInvalid(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(string) string
		env     map[string]string
		want    []string // each must appear in the error
		secrets []string // none may appear in the error
	}{
		{
			name: "late documents read too far back",
			edit: func(s string) string {
				return strings.Replace(s, `country = "IT"`, "country = \"IT\"\nlate_document_days = 30", 1)
			},
			want: []string{`branch "rome"`, "field late_document_days", "30 is outside 1 to 14"},
		},
		{
			name: "unknown branch key",
			edit: func(s string) string {
				return strings.Replace(s, `country = "IT"`, "country = \"IT\"\nmews_acess_token = \"x\"", 1)
			},
			want: []string{"valid.toml", `branch "rome"`, "field mews_acess_token", "unknown field"},
		},
		{
			name: "unknown group key",
			edit: func(s string) string {
				return strings.Replace(s, `plan = "advanced"`, "plan = \"advanced\"\napp_secret = \"x\"", 1)
			},
			want: []string{"[passquare]", "field app_secret", "unknown field"},
		},
		{
			name: "missing access token",
			edit: func(s string) string { return strings.Replace(s, `mews_access_token = "lisbon-token"`, "", 1) },
			want: []string{`branch "lisbon"`, "field mews_access_token", "required"},
		},
		{
			name:    "secret variable not set",
			env:     map[string]string{"ROME_MEWS_ACCESS_TOKEN": ""},
			want:    []string{`branch "rome"`, "field mews_access_token", "ROME_MEWS_ACCESS_TOKEN (or ROME_MEWS_ACCESS_TOKEN_FILE) is not set"},
			secrets: []string{"rome-passportscan-key-value", "mews-client-token-value"},
		},
		{
			name: "time zone that does not parse",
			edit: func(s string) string { return strings.Replace(s, `"Europe/Lisbon"`, `"Europe/Lisbn"`, 1) },
			want: []string{`branch "lisbon"`, "field time_zone", `unknown time zone "Europe/Lisbn"`},
		},
		{
			name: "alpha-3 country",
			edit: func(s string) string { return strings.Replace(s, `country = "PT"`, `country = "PRT"`, 1) },
			want: []string{`branch "lisbon"`, "field country", "alpha-2"},
		},
		{
			name: "bad document type",
			edit: func(s string) string { return strings.Replace(s, `["PAS", "IDC"]`, `["PAS", "VISA"]`, 1) },
			want: []string{`branch "lisbon"`, "field rules.accepted_documents", `"VISA"`, "want one of DRI, IDC, PAS"},
		},
		{
			name: "accepted code the group's mapping lacks",
			edit: func(s string) string { return withDocumentTypes(s, `PSP = "Passport"`+"\nIDC = \"IdentityCard\"") },
			want: []string{`branch "lisbon"`, "field rules.accepted_documents", `"PAS" is not a code of [passportscan] document_types`, "want one of IDC, PSP"},
		},
		{
			name: "mapping to a type Mews does not have",
			edit: func(s string) string { return withDocumentTypes(s, `PSP = "Pasport"`) },
			want: []string{"[passportscan]", "field document_types.PSP", `"Pasport" is not a Mews identity document type`},
		},
		{
			name: "EXT mapped",
			edit: func(s string) string { return withDocumentTypes(s, `EXT = "IdentityCard"`) },
			want: []string{"[passportscan]", "field document_types.EXT", "unrecognised"},
		},
		{
			name: "code mapped twice",
			edit: func(s string) string { return withDocumentTypes(s, `PSP = "Passport"`+"\npsp = \"Visa\"") },
			want: []string{"[passportscan]", "document_types.", `"PSP" is mapped twice`},
		},
		{
			name: "code with spaces",
			edit: func(s string) string { return withDocumentTypes(s, `"P S P" = "Passport"`) },
			want: []string{"[passportscan]", "field document_types.P S P", "not a document code"},
		},
		{
			name: "mapping without codes",
			edit: func(s string) string { return withDocumentTypes(s, "") },
			want: []string{"[passportscan]", "field document_types", "maps no code"},
		},
		{
			name: "unknown document type that Mews does not have",
			edit: func(s string) string {
				return strings.Replace(s, "[passportscan]\n", "[passportscan]\nunknown_document_type = \"ID\"\n", 1)
			},
			want: []string{"[passportscan]", "field unknown_document_type", `"ID"`},
		},
		{
			name: "a refusal listed as a real use",
			edit: func(s string) string {
				return strings.Replace(s, `real_use_statuses = [2, 4]`, `real_use_statuses = [2, 4, 6]`, 1)
			},
			want: []string{`branch "lisbon"`, "field rules.real_use_statuses", "6 is not a use of the card"},
		},
		{
			name: "no real use listed",
			edit: func(s string) string {
				return strings.Replace(s, `real_use_statuses = [2, 4]`, `real_use_statuses = []`, 1)
			},
			want: []string{`branch "lisbon"`, "field rules.real_use_statuses", "bonus_percent = 0"},
		},
		{
			name: "Passcreator webhook key without its signature header",
			edit: func(s string) string {
				return strings.Replace(s, "passcreator_signature_header = \"X-Passcreator-Signature\"\n", "", 1)
			},
			want: []string{"[webhook]", "field passcreator_signature_header", "required with passcreator_webhook_key"},
		},
		{
			name: "bonus over 100",
			edit: func(s string) string { return strings.Replace(s, `bonus_percent = "2.5"`, `bonus_percent = "250"`, 1) },
			want: []string{`branch "lisbon"`, "field rules.bonus_percent"},
		},
		{
			name: "grace that does not parse",
			edit: func(s string) string { return strings.Replace(s, `"36h"`, `"a day and a half"`, 1) },
			want: []string{`branch "lisbon"`, "field rules.departure_grace"},
		},
		{
			name:    "payload key of the wrong length",
			env:     map[string]string{"GUESTFLOW_PAYLOAD_KEY": "dG9vLXNob3J0"},
			want:    []string{"[encryption]", "field payload_key", "32 bytes"},
			secrets: []string{"dG9vLXNob3J0"},
		},
		{
			name:    "previous payload key of the wrong length",
			edit:    withPreviousKeys(`"${OLD_PAYLOAD_KEY}"`),
			env:     map[string]string{"OLD_PAYLOAD_KEY": "dG9vLXNob3J0"},
			want:    []string{"[encryption]", "field previous_payload_keys[0]", "32 bytes"},
			secrets: []string{"dG9vLXNob3J0"},
		},
		{
			name: "previous payload key not set",
			edit: withPreviousKeys(`"${OLD_PAYLOAD_KEY}"`),
			want: []string{"[encryption]", "field previous_payload_keys[0]", "OLD_PAYLOAD_KEY (or OLD_PAYLOAD_KEY_FILE) is not set"},
		},
		{
			name:    "previous payload key that is the payload key",
			edit:    withPreviousKeys(`"${GUESTFLOW_PAYLOAD_KEY}"`),
			want:    []string{"[encryption]", "field previous_payload_keys", "listed twice"},
			secrets: []string{env["GUESTFLOW_PAYLOAD_KEY"]},
		},
		{
			name: "bad plan",
			edit: func(s string) string { return strings.Replace(s, `plan = "advanced"`, `plan = "gold"`, 1) },
			want: []string{"[passquare]", "field plan", `"gold"`},
		},
		{
			name: "bad branch id",
			edit: func(s string) string { return strings.ReplaceAll(s, "branches.rome", "branches.Rome_Centro") },
			want: []string{`branch "Rome_Centro"`, "lower-case"},
		},
		{
			name: "webhook allowed IP that does not parse",
			edit: func(s string) string { return strings.Replace(s, `"164.90.200.81"`, `"164.90.200.810"`, 1) },
			want: []string{"[webhook]", "field allowed_ips", `"164.90.200.810"`},
		},
		{
			name: "webhook trusted proxy CIDR that does not parse",
			edit: func(s string) string { return strings.Replace(s, `"10.1.0.0/16"`, `"10.1.0.0/33"`, 1) },
			want: []string{"[webhook]", "field trusted_proxies", `"10.1.0.0/33"`},
		},
		{
			name: "webhook basic user without password",
			edit: func(s string) string {
				return strings.Replace(s, `organization_id = "4711"`, "organization_id = \"4711\"\nbasic_user = \"passquare\"", 1)
			},
			want: []string{"[webhook]", "field basic_password", "required with basic_user"},
		},
		{
			name: "webhook basic password without user",
			edit: func(s string) string {
				return strings.Replace(s, `organization_id = "4711"`, "organization_id = \"4711\"\nbasic_password = \"pw-in-file\"", 1)
			},
			want:    []string{"[webhook]", "field basic_user", "required with basic_password"},
			secrets: []string{"pw-in-file"},
		},
		{
			name: "webhook without any credentials",
			edit: func(s string) string { return strings.Replace(s, `crm_key = "${PASSQUARE_CRM_KEY}"`, "", 1) },
			want: []string{"[webhook]", "field crm_key", "set crm_key or basic_user and basic_password"},
		},
		{
			name:    "webhook crm_key variable not set",
			env:     map[string]string{"PASSQUARE_CRM_KEY": ""},
			want:    []string{"[webhook]", "field crm_key", "PASSQUARE_CRM_KEY (or PASSQUARE_CRM_KEY_FILE) is not set"},
			secrets: []string{"pos-intake-token-value", "literal-webhook-key-in-file"},
		},
		{
			name: "webhook path without a slash",
			edit: func(s string) string {
				return strings.Replace(s, `organization_id = "4711"`, "organization_id = \"4711\"\npath = \"hooks\"", 1)
			},
			want: []string{"[webhook]", "field path", `"hooks"`},
		},
		{
			name: "webhook unknown key",
			edit: func(s string) string {
				return strings.Replace(s, `organization_id = "4711"`, "organization_id = \"4711\"\nallowed_ip = \"1.2.3.4\"", 1)
			},
			want: []string{"[webhook]", "field allowed_ip", "unknown field"},
		},
		{
			name: "hook sum bound finer than cents",
			edit: func(s string) string {
				return strings.Replace(s, "[loyalty]\n", "[loyalty]\nmax_hook_sum = \"10.001\"\nmax_hook_lifetime = \"100000h\"\n", 1)
			},
			want: []string{"[loyalty]", "field max_hook_sum", "at most two decimals", "field max_hook_lifetime"},
		},
		{
			name: "hook sum bound in exponent form",
			edit: func(s string) string {
				return strings.Replace(s, "[loyalty]\n", "[loyalty]\nmax_hook_sum = \"1e3\"\n", 1)
			},
			want: []string{"max_hook_sum", "is not a decimal like 2.50"},
		},
		{
			name: "not TOML",
			edit: func(s string) string { return s + "\n[branches.paris\n" },
			want: []string{"valid.toml", "line"},
		},
		{
			name: "several problems are all reported",
			edit: func(s string) string {
				s = strings.Replace(s, `"Europe/Lisbon"`, `"Mars/Olympus"`, 1)
				return strings.Replace(s, `passportscan_account_id = "69"`, "", 1)
			},
			want: []string{`branch "lisbon" field time_zone`, `branch "rome" field passportscan_account_id`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := validText(t)
			if tt.edit != nil {
				text = tt.edit(text)
			}
			vars := map[string]string{}
			for k, v := range env {
				vars[k] = v
			}
			for k, v := range tt.env {
				if v == "" {
					delete(vars, k)
				} else {
					vars[k] = v
				}
			}
			_, err := config.Parse("valid.toml", text, lookup(vars))
			var cerr *config.Error
			if !errors.As(err, &cerr) {
				t.Fatalf("want *config.Error, got %v", err)
			}
			msg := err.Error()
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error does not mention %q:\n%s", w, msg)
				}
			}
			for _, s := range append(tt.secrets, "lisbon-token", "lisbon-key", "literal-key-in-file") {
				if strings.Contains(msg, s) {
					t.Errorf("error leaks a secret %q:\n%s", s, msg)
				}
			}
		})
	}
}

// withPreviousKeys sets [encryption] previous_payload_keys in the valid file.
func withPreviousKeys(list string) func(string) string {
	return func(s string) string {
		return strings.Replace(s, "[encryption]\n", "[encryption]\nprevious_payload_keys = ["+list+"]\n", 1)
	}
}

// withDocumentTypes adds a [passportscan.document_types] table holding lines
// to the valid file.
func withDocumentTypes(s, lines string) string {
	return strings.Replace(s, "[mews]\n", "[passportscan.document_types]\n"+lines+"\n\n[mews]\n", 1)
}

// A group whose PassportScan sends PSP for passports maps it; codes are read
// in upper case, a branch that names none accepts every mapped code, and the
// stay's rules carry the group's mapping.
func TestDocumentTypesAreConfigurable(t *testing.T) {
	text := withDocumentTypes(validText(t), "psp = \"Passport\"\nIDC = \"IdentityCard\"\nVIS = \"Visa\"")
	text = strings.Replace(text, `["PAS", "IDC"]`, `["PSP", "idc"]`, 1)
	text = strings.Replace(text, "[passportscan]\n", "[passportscan]\nunknown_document_type = \"Passport\"\n", 1)
	g, err := config.Parse("valid.toml", text, lookup(env))
	if err != nil {
		t.Fatal(err)
	}
	want := rules.DocumentTypes{"PSP": "Passport", "IDC": "IdentityCard", "VIS": "Visa"}
	if !maps.Equal(g.PassportScan.DocumentTypes, want) || g.PassportScan.UnknownDocumentType != "Passport" {
		t.Errorf("[passportscan] = %+v", g.PassportScan)
	}
	rome, lisbon := g.Branches["rome"].Rules, g.Branches["lisbon"].Rules
	if got := strings.Join(rome.AcceptedDocuments, ","); got != "IDC,PSP,VIS" {
		t.Errorf("rome accepts %s, want every mapped code", got)
	}
	if got := strings.Join(lisbon.AcceptedDocuments, ","); got != "PSP,IDC" {
		t.Errorf("lisbon accepts %s", got)
	}
	if !maps.Equal(rome.DocumentTypes, want) || !maps.Equal(lisbon.DocumentTypes, want) {
		t.Errorf("branch rules do not carry the mapping: %v %v", rome.DocumentTypes, lisbon.DocumentTypes)
	}
}

func TestDocumentTypesDefaults(t *testing.T) {
	g, err := config.Parse("valid.toml", validText(t), lookup(env))
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(g.PassportScan.DocumentTypes, rules.DefaultDocumentTypes) || g.PassportScan.UnknownDocumentType != "IdentityCard" {
		t.Errorf("[passportscan] defaults = %+v", g.PassportScan)
	}
	if !maps.Equal(g.Branches["rome"].Rules.DocumentTypes, rules.DefaultDocumentTypes) {
		t.Errorf("branch rules: %v", g.Branches["rome"].Rules.DocumentTypes)
	}
}

func TestBonusWrittenAsNumberIsExact(t *testing.T) {
	text := strings.Replace(validText(t), `bonus_percent = "2.5"`, `bonus_percent = 0.1`, 1)
	g, err := config.Parse("valid.toml", text, lookup(env))
	if err != nil {
		t.Fatal(err)
	}
	if got := g.Branches["lisbon"].Rules.BonusPercent.String(); got != "0.1" {
		t.Errorf("bonus_percent = %s, want exactly 0.1", got)
	}
}

func TestHookBoundsAreConfigurable(t *testing.T) {
	text := strings.Replace(validText(t), "[loyalty]\n", "[loyalty]\nmax_hook_sum = \"250.50\"\nmax_hook_lifetime = \"720h\"\n", 1)
	g, err := config.Parse("valid.toml", text, lookup(env))
	if err != nil {
		t.Fatal(err)
	}
	if sum, life := g.Loyalty.HookBounds(); sum.String() != "250.5" || life != 30*24*time.Hour {
		t.Errorf("hook bounds = %s and %s, want 250.50 and 720h", sum, life)
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := config.Load("/nonexistent/guestflow.toml")
	if err == nil || !strings.Contains(err.Error(), "/nonexistent/guestflow.toml") || !strings.Contains(err.Error(), "not found") {
		t.Fatalf("err = %v", err)
	}
}

func TestParsePreviousPayloadKeys(t *testing.T) {
	vars := maps.Clone(env)
	vars["OLD_PAYLOAD_KEY"] = "6162636465666768696a6b6c6d6e6f707172737475767778797a303132333435"
	g, err := config.Parse("valid.toml", withPreviousKeys(`"${OLD_PAYLOAD_KEY}"`)(validText(t)), lookup(vars))
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Encryption.PreviousPayloadKeys) != 1 || g.Encryption.PreviousPayloadKeys[0].Value() != vars["OLD_PAYLOAD_KEY"] {
		t.Fatalf("previous keys not resolved: %d", len(g.Encryption.PreviousPayloadKeys))
	}
	codec, err := g.Encryption.Codec()
	if err != nil {
		t.Fatal(err)
	}
	old, _ := config.Encryption{PayloadKey: config.Secret(vars["OLD_PAYLOAD_KEY"])}.Codec()
	if ids := codec.DecryptKeyIDs(); len(ids) != 2 || ids[1] != old.KeyID() {
		t.Errorf("codec decrypts with %v, want the old key %s second", ids, old.KeyID())
	}
}

func TestSecretDoesNotPrint(t *testing.T) {
	s := config.Secret("hunter2")
	for _, out := range []string{s.String(), s.GoString()} {
		if strings.Contains(out, "hunter2") {
			t.Errorf("secret printed: %s", out)
		}
	}
}

func TestLookupSecretFromFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(dir+"/token", []byte("from-a-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GF_TEST_TOKEN", "")
	t.Setenv("GF_TEST_TOKEN_FILE", dir+"/token")
	if v, ok := config.LookupSecret("GF_TEST_TOKEN"); !ok || v != "from-a-file" {
		t.Errorf("got %q %v", v, ok)
	}
	t.Setenv("GF_TEST_TOKEN", "from-env")
	if v, _ := config.LookupSecret("GF_TEST_TOKEN"); v != "from-env" {
		t.Errorf("environment must win over the file, got %q", v)
	}
	t.Setenv("GF_TEST_TOKEN", "")
	t.Setenv("GF_TEST_TOKEN_FILE", dir+"/missing")
	if _, ok := config.LookupSecret("GF_TEST_TOKEN"); ok {
		t.Error("a missing secret file must count as unset")
	}
}

// A bonus is read by rules.ParseAmount's Plain form: a comma, an exponent
// or spaces in its text are refused at start, naming the field.
func TestBonusTextIsThePlainForm(t *testing.T) {
	for _, bad := range []string{`"2,5"`, `"2.5e0"`, `" 2.5"`, `"2.5%"`} {
		text := strings.Replace(validText(t), `bonus_percent = "2.5"`, `bonus_percent = `+bad, 1)
		_, err := config.Parse("valid.toml", text, lookup(env))
		if err == nil || !strings.Contains(err.Error(), "bonus_percent") {
			t.Errorf("bonus_percent = %s: err = %v", bad, err)
		}
	}
}
