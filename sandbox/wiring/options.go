// Package wiring turns guestflow's configuration into the four vendor
// sandboxes and the day they play: the sandbox program and the production
// shape build them the same way.
package wiring

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/guestflow/guestflow/config"
	"github.com/guestflow/guestflow/program"
	"github.com/guestflow/guestflow/scenario"
	mewssandbox "github.com/guestflow/guestflow/vendors/mews/sandbox"
	pcsandbox "github.com/guestflow/guestflow/vendors/passcreator/sandbox"
	pssandbox "github.com/guestflow/guestflow/vendors/passportscan/sandbox"
	pqsandbox "github.com/guestflow/guestflow/vendors/passquare/sandbox"
)

// Options are the four sandboxes' own options, as the --config file
// writes them:
//
//	[passportscan]
//	token_ttl = "10m"
//	[passportscan.faults]
//	error_rate = 0.05
//	[mews.faults]
//	burst_429_every = 50
//	burst_429_len = 3
type Options struct {
	PassportScan pssandbox.Options   `toml:"passportscan"`
	Mews         mewssandbox.Options `toml:"mews"`
	Passquare    pqsandbox.Options   `toml:"passquare"`
	Passcreator  pcsandbox.Options   `toml:"passcreator"`
}

// ReadOptions reads the file; no file means every default. A key
// the sandboxes do not know is refused, so a typo in a fault setting does
// not silently inject nothing.
func ReadOptions(path string) (Options, error) {
	var o Options
	if path == "" {
		return o, nil
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return o, program.UsageError{Err: fmt.Errorf("--config: %w", err)}
	}
	md, err := toml.Decode(string(raw), &o)
	if err != nil {
		return o, program.UsageError{Err: fmt.Errorf("--config %s: %w", path, err)}
	}
	if keys := md.Undecoded(); len(keys) > 0 {
		names := make([]string, len(keys))
		for i, k := range keys {
			names[i] = k.String()
		}
		return o, program.UsageError{Err: fmt.Errorf("--config %s: unknown keys %s", path, strings.Join(names, ", "))}
	}
	return o, nil
}

// AcceptGuestflow makes the sandboxes accept exactly the credentials of
// guestflow's configuration: every branch's PassportScan key and Mews
// access token, the group's Mews client token and Passcreator key. The
// Passquare account is the scenario's to create (Seed). Credentials in the
// file for other branches stay valid too.
func (o *Options) AcceptGuestflow(g *config.Group, seed int64, hook Hook) {
	for _, id := range g.BranchIDs {
		b := g.Branches[id]
		o.PassportScan.Branches = append(o.PassportScan.Branches,
			pssandbox.Branch{APIKey: b.PassportScanAPIKey.Value(), AccountID: b.PassportScanAccountID})
		if token := b.MewsAccessToken.Value(); !slices.Contains(o.Mews.AccessTokens, token) {
			o.Mews.AccessTokens = append(o.Mews.AccessTokens, token)
		}
	}
	o.Mews.ClientToken = g.Mews.ClientToken.Value()
	o.Passcreator.APIKey = g.Passcreator.APIKey.Value()
	if g.Passcreator.TimeZone != "" {
		o.Passcreator.TimeZone = g.Passcreator.TimeZone
	}
	if o.Passcreator.Seed == 0 {
		o.Passcreator.Seed = uint64(seed) // repeatable scan ids
	}
	o.Passquare.Accounts = slices.DeleteFunc(o.Passquare.Accounts, func(a pqsandbox.AccountConfig) bool {
		return a.AppKey == g.Passquare.AppKey.Value()
	})
	if hook.URL != "" {
		o.Passquare.HookURL = hook.URL
	}
	if hook.CRMKey != "" {
		o.Passquare.HookCRMKey = hook.CRMKey
	}
	if hook.User != "" {
		o.Passquare.HookUser, o.Passquare.HookPassword = hook.User, hook.Password
	}
	if len(hook.Headers) > 0 {
		if o.Passquare.HookHeaders == nil {
			o.Passquare.HookHeaders = map[string]string{}
		}
		for k, v := range hook.Headers {
			o.Passquare.HookHeaders[k] = v
		}
	}
}

// Hook says how the Passquare sandbox calls guestflow's webhook, as
// Passquare's integration settings would.
type Hook struct {
	URL, CRMKey, User, Password string
	Headers                     map[string]string
}

// Sandboxes are the four sandboxes with these options, empty of data.
func (o Options) Sandboxes() scenario.Sandboxes {
	return scenario.Sandboxes{
		PassportScan: pssandbox.New(o.PassportScan),
		Mews:         mewssandbox.New(o.Mews),
		Passquare:    pqsandbox.New(o.Passquare),
		Passcreator:  pcsandbox.New(o.Passcreator),
	}
}
