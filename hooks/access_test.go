package hooks_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/guestflow/guestflow/hooks"
)

// Each case is a readBalance of a stranger: a call that passes access
// control reaches the account lookup and is answered "unknown customer"
// (400); a refused one never gets that far.
func TestAccessControl(t *testing.T) {
	e := newEnv(t, func(o *hooks.Options) {
		w := &o.Config.Webhook
		w.BasicUser, w.BasicPassword = "passquare", "basic-password"
		w.OrganizationID, w.ProgramID, w.WalletID = "org-7", "prog-3", "wallet-1"
		w.AllowedIPs = []string{passquareIP, "2001:db8::/32"}
		w.TrustedProxies = []string{"10.1.0.0/16"}
	})
	g := newGuest()
	withKey := g.readBalance(t)
	withoutKey := strings.Replace(withKey, `"crm_key": "`+crmKey+`",`, "", 1)
	wrongKey := strings.Replace(withKey, crmKey, "yyyyyyyy-xxxx-xxxx-xxxx-xxxxxxxxxxxx", 1)
	const direct = passquareIP + ":40000"
	tests := []struct {
		name           string
		body           string
		remote         string
		header         map[string]string
		user, password *string
		want           int
	}{
		{name: "crm_key in the body", body: withKey, remote: direct, want: 400},
		{name: "wrong crm_key in the body", body: wrongKey, remote: direct, want: 401},
		{name: "crm_key with a trailing space", body: strings.Replace(withKey, crmKey, crmKey+" ", 1), remote: direct, want: 401},
		{name: "no credentials", body: withoutKey, remote: direct, want: 401},
		{name: "crm_key as the Basic password with an empty login", body: withoutKey, remote: direct, user: ptr(""), password: ptr(crmKey), want: 400},
		{name: "Basic login and password", body: withoutKey, remote: direct, user: ptr("passquare"), password: ptr("basic-password"), want: 400},
		{name: "Basic with a wrong password", body: withoutKey, remote: direct, user: ptr("passquare"), password: ptr("basic-passwort"), want: 401},
		{name: "Basic with a wrong login", body: withoutKey, remote: direct, user: ptr("passsquare"), password: ptr("basic-password"), want: 401},
		{name: "crm_key as password under a login", body: withoutKey, remote: direct, user: ptr("passquare"), password: ptr(crmKey), want: 401},
		{name: "wrong Basic but the right crm_key in the body", body: withKey, remote: direct, user: ptr("x"), password: ptr("y"), want: 400},
		{name: "matching organization, program and wallet", body: withKey, remote: direct,
			header: map[string]string{"X-organization-id": "org-7", "X-program-id": "prog-3", "X-wallet-id": "wallet-1"}, want: 400},
		{name: "wrong X-organization-id", body: withKey, remote: direct, header: map[string]string{"X-organization-id": "org-8"}, want: 403},
		{name: "wrong X-program-id", body: withKey, remote: direct, header: map[string]string{"X-organization-id": "org-7", "X-program-id": "prog-4"}, want: 403},
		{name: "wrong X-wallet-id", body: withKey, remote: direct, header: map[string]string{"X-wallet-id": "wallet-2"}, want: 403},
		{name: "address outside the allow-list", body: withKey, remote: "203.0.113.9:40000", want: 403},
		{name: "allowed IPv6 range", body: withKey, remote: "[2001:db8::17]:40000", want: 400},
		{name: "X-Forwarded-For spoofed by an untrusted peer", body: withKey, remote: "203.0.113.9:40000",
			header: map[string]string{"X-Forwarded-For": passquareIP}, want: 403},
		{name: "X-Real-IP spoofed by an untrusted peer", body: withKey, remote: "203.0.113.9:40000",
			header: map[string]string{"X-Real-IP": passquareIP}, want: 403},
		{name: "trusted proxy forwarding Passquare", body: withKey, remote: "10.1.4.2:40000",
			header: map[string]string{"X-Forwarded-For": passquareIP}, want: 400},
		{name: "trusted proxy forwarding another address", body: withKey, remote: "10.1.4.2:40000",
			header: map[string]string{"X-Forwarded-For": "203.0.113.9"}, want: 403},
		{name: "trusted proxy forwarding a spoofed chain", body: withKey, remote: "10.1.4.2:40000",
			header: map[string]string{"X-Forwarded-For": passquareIP + ", 203.0.113.9"}, want: 403},
		{name: "Passquare's own address forwarded by an untrusted proxy", body: withKey, remote: "10.2.0.1:40000",
			header: map[string]string{"X-Forwarded-For": passquareIP}, want: 403},
		{name: "bad IP and bad credentials: the IP is refused first", body: wrongKey, remote: "203.0.113.9:40000", want: 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := e.do(request{body: tt.body, remote: tt.remote, header: tt.header, user: tt.user, password: tt.password})
			require.Equal(t, tt.want, w.Code, w.Body.String())
			switch tt.want {
			case 401:
				require.JSONEq(t, `{"success": false, "error": "unauthorized"}`, w.Body.String(), "a refusal reveals nothing")
			case 403:
				require.JSONEq(t, `{"success": false, "error": "forbidden"}`, w.Body.String(), "a refusal reveals nothing")
			case 400:
				require.JSONEq(t, `{"success": false, "error": "unknown customer"}`, w.Body.String())
			}
		})
	}
	require.NotContains(t, e.logs.String(), crmKey)
	require.NotContains(t, e.logs.String(), "basic-password")
}

// Without trusted proxies, forwarding headers are never believed, even
// from a private address.
func TestNoTrustedProxiesMeansThePeerCounts(t *testing.T) {
	e := newEnv(t, func(o *hooks.Options) { o.Config.Webhook.AllowedIPs = []string{passquareIP} })
	w := e.do(request{body: newGuest().readBalance(t), remote: "127.0.0.1:40000", header: map[string]string{"X-Forwarded-For": passquareIP}})
	require.Equal(t, http.StatusForbidden, w.Code)
}

func TestNewRefusesWhatItCannotServe(t *testing.T) {
	for name, edit := range map[string]func(*hooks.Options){
		"no credentials":                       func(o *hooks.Options) { o.Config.Webhook.CRMKey = "" },
		"bad allowed address":                  func(o *hooks.Options) { o.Config.Webhook.AllowedIPs = []string{"164.90.200"} },
		"bad trusted proxy":                    func(o *hooks.Options) { o.Config.Webhook.TrustedProxies = []string{"10.0.0.0/40"} },
		"no Temporal":                          func(o *hooks.Options) { o.Temporal = nil },
		"webhook without a Passcreator client": func(o *hooks.Options) { o.Passcreator = nil },
	} {
		t.Run(name, func(t *testing.T) {
			o := hooks.Options{Temporal: failingTemporal{}, Config: newEnv(t).cfg, Passcreator: nil}
			o.Passcreator = stubPasscreator{}
			edit(&o)
			_, err := hooks.New(o)
			require.Error(t, err)
		})
	}
}

// The doc's crm_key setting is "your crm_key as the password, leaving the
// login blank": configured that way (a Basic password without a login), the
// key is accepted wherever Passquare may put it.
func TestBasicPasswordWithoutLoginIsTheCRMKey(t *testing.T) {
	e := newEnv(t, func(o *hooks.Options) {
		o.Config.Webhook.CRMKey = ""
		o.Config.Webhook.BasicPassword = crmKey
	})
	g := newGuest()
	withKey := g.readBalance(t)
	withoutKey := strings.Replace(withKey, `"crm_key": "`+crmKey+`",`, "", 1)
	wrongKey := strings.Replace(withKey, crmKey, "yyyyyyyy-xxxx-xxxx-xxxx-xxxxxxxxxxxx", 1)
	for name, tt := range map[string]struct {
		body           string
		user, password *string
		want           int
	}{
		"crm_key in the body":       {body: withKey, want: 400},
		"Basic with an empty login": {body: withoutKey, user: ptr(""), password: ptr(crmKey), want: 400},
		"wrong crm_key in the body": {body: wrongKey, want: 401},
		"no credentials":            {body: withoutKey, want: 401},
		"the key under some login":  {body: withoutKey, user: ptr("someone"), password: ptr(crmKey), want: 401},
		"empty Basic, no key":       {body: withoutKey, user: ptr(""), password: ptr(""), want: 401},
	} {
		t.Run(name, func(t *testing.T) {
			w := e.do(request{body: tt.body, remote: passquareIP + ":1", user: tt.user, password: tt.password})
			require.Equal(t, tt.want, w.Code, w.Body.String())
		})
	}
}
