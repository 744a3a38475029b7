package config

import (
	"net/netip"
	"strings"
)

// DefaultWebhookPath is where Passquare's integration settings point.
const DefaultWebhookPath = "/passquare/hooks"

// Webhook is the public endpoint Passquare, Passcreator and the hotels'
// point-of-sale devices call. Passquare authenticates either with HTTP Basic
// or with crm_key (in the body, or as the Basic password with an empty
// login), so at least one of the two must be set once the section is used.
type Webhook struct {
	// Path of the Passquare hook endpoint; default DefaultWebhookPath.
	Path          string `toml:"path"`
	CRMKey        Secret `toml:"crm_key"`
	BasicUser     Secret `toml:"basic_user"`
	BasicPassword Secret `toml:"basic_password"`
	// OrganizationID, ProgramID and WalletID are compared with the
	// X-organization-id, X-program-id and X-wallet-id headers Passquare
	// sends; empty means not checked.
	OrganizationID string `toml:"organization_id"`
	ProgramID      string `toml:"program_id"`
	WalletID       string `toml:"wallet_id"`
	// AllowedIPs limits the Passquare hook to these addresses or CIDRs
	// (Passquare calls from 164.90.200.81); empty allows any.
	AllowedIPs []string `toml:"allowed_ips"`
	// TrustedProxies are the load balancers whose X-Forwarded-For is
	// believed; empty means the peer address is the caller.
	TrustedProxies []string `toml:"trusted_proxies"`
	// PasscreatorWebhookKey turns on POST /passcreator/webhook, verified
	// with this key; the signature is read from PasscreatorSignatureHeader,
	// which is then required: Passcreator's documents name no header, so
	// guestflow has no default and tries no other name.
	PasscreatorWebhookKey      Secret `toml:"passcreator_webhook_key"`
	PasscreatorSignatureHeader string `toml:"passcreator_signature_header"`
	// IntakeToken turns on POST /scans for the hotels' own devices, which
	// send it as "Authorization: Bearer <token>".
	IntakeToken Secret `toml:"intake_token"`
}

// Configured reports whether the file has a [webhook] section with anything
// in it. Programs other than the webhook do not need one.
func (w Webhook) Configured() bool {
	return w.Path != "" || w.CRMKey != "" || w.BasicUser != "" || w.BasicPassword != "" ||
		w.OrganizationID != "" || w.ProgramID != "" || w.WalletID != "" ||
		len(w.AllowedIPs) > 0 || len(w.TrustedProxies) > 0 ||
		w.PasscreatorWebhookKey != "" || w.PasscreatorSignatureHeader != "" || w.IntakeToken != ""
}

// ParsePrefixes reads addresses and CIDRs; an address is its own /32 or /128.
func ParsePrefixes(list []string) ([]netip.Prefix, error) {
	out := make([]netip.Prefix, 0, len(list))
	for _, s := range list {
		s = strings.TrimSpace(s)
		if strings.Contains(s, "/") {
			p, err := netip.ParsePrefix(s)
			if err != nil {
				return nil, err
			}
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(s)
		if err != nil {
			return nil, err
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

func (w *Webhook) complete(v *validator, secret func(*Secret, bool, func(string, ...any))) {
	in := func(field string) func(string, ...any) {
		return func(format string, args ...any) { v.group("webhook", field, format, args...) }
	}
	for _, s := range []struct {
		field string
		s     *Secret
	}{
		{"crm_key", &w.CRMKey}, {"basic_user", &w.BasicUser}, {"basic_password", &w.BasicPassword},
		{"passcreator_webhook_key", &w.PasscreatorWebhookKey}, {"intake_token", &w.IntakeToken},
	} {
		secret(s.s, false, in(s.field))
	}
	if !w.Configured() {
		return
	}
	if w.Path == "" {
		w.Path = DefaultWebhookPath
	}
	if !strings.HasPrefix(w.Path, "/") || strings.ContainsAny(w.Path, " ?#*:") {
		in("path")("%q is not a URL path such as %s", w.Path, DefaultWebhookPath)
	}
	switch {
	case w.BasicUser != "" && w.BasicPassword == "":
		in("basic_password")("required with basic_user")
	case w.BasicUser == "" && w.BasicPassword != "":
		in("basic_user")("required with basic_password (a password with an empty login is crm_key)")
	case w.CRMKey == "" && w.BasicPassword == "":
		in("crm_key")("set crm_key or basic_user and basic_password, as in Passquare's integration settings")
	}
	for _, l := range []struct {
		field string
		list  []string
	}{{"allowed_ips", w.AllowedIPs}, {"trusted_proxies", w.TrustedProxies}} {
		for _, s := range l.list {
			if _, err := ParsePrefixes([]string{s}); err != nil {
				in(l.field)("%q is neither an IP address nor a CIDR", s)
			}
		}
	}
	switch {
	case w.PasscreatorSignatureHeader != "" && strings.ContainsAny(w.PasscreatorSignatureHeader, " :\t"):
		in("passcreator_signature_header")("%q is not a header name", w.PasscreatorSignatureHeader)
	case w.PasscreatorWebhookKey != "" && w.PasscreatorSignatureHeader == "":
		in("passcreator_signature_header")("required with passcreator_webhook_key: the header Passcreator's webhook sends its signature in (no document names one)")
	case w.PasscreatorWebhookKey == "" && w.PasscreatorSignatureHeader != "":
		in("passcreator_webhook_key")("required with passcreator_signature_header")
	}
}
