// Package config reads the hotel group's configuration file: the vendor
// endpoints and accounts the group shares, and each branch's own credentials,
// time zone, country and loyalty rules.
//
// Secrets may be written in the file or, better, referenced from the
// environment as "${VARIABLE}". Every problem is reported with the file, the
// branch and the field it concerns, and never with a secret's value.
package config

import (
	"fmt"
	"time"
	// Branch time zones must resolve in minimal containers without zoneinfo.
	_ "time/tzdata"

	"github.com/shopspring/decimal"

	"github.com/guestflow/guestflow/payloadcodec"
	"github.com/guestflow/guestflow/rules"
)

// Group is the whole configuration of one hotel group.
type Group struct {
	PassportScan PassportScan       `toml:"passportscan"`
	Mews         Mews               `toml:"mews"`
	Passquare    Passquare          `toml:"passquare"`
	Passcreator  Passcreator        `toml:"passcreator"`
	Loyalty      Loyalty            `toml:"loyalty"`
	Encryption   Encryption         `toml:"encryption"`
	Webhook      Webhook            `toml:"webhook"`
	Branches     map[string]*Branch `toml:"branches"`

	// BranchIDs lists the branches in sorted order, for deterministic loops.
	BranchIDs []string `toml:"-"`
	// File is where the configuration was read from.
	File string `toml:"-"`
}

// PassportScan is the group-wide part of PassportScan: its address and what
// its document codes mean. The keys are per branch.
type PassportScan struct {
	BaseURL string `toml:"base_url"`
	// DocumentTypes maps PassportScan's document_type codes to Mews'
	// identity document types; rules.DefaultDocumentTypes when left out.
	// PassportScan's document shows only IDC (and EXT, which is no
	// document), so the other codes are the group's to confirm.
	DocumentTypes rules.DocumentTypes `toml:"document_types"`
	// UnknownDocumentType is the Mews type a document goes to Mews as when
	// its code is not in DocumentTypes and staff approved it anyway;
	// IdentityCard when left out.
	UnknownDocumentType string `toml:"unknown_document_type"`
}

// Mews holds the integration's ClientToken, which is per integration, and
// the platform address (demo: https://api.mews-demo.com).
type Mews struct {
	BaseURL     string `toml:"base_url"`
	ClientToken Secret `toml:"client_token"`
}

// Passquare is the group's one loyalty programme account.
type Passquare struct {
	BaseURL string `toml:"base_url"`
	AppKey  Secret `toml:"app_key"`
	// Plan sets the hourly request quota: base, advanced, expert or exclusive.
	Plan         string `toml:"plan"`
	TemplateUUID string `toml:"template_uuid"`
	// FormLink and SMSText make Passquare text the guest a personal card link.
	FormLink string `toml:"form_link"`
	SMSText  string `toml:"sms_text"`
}

// Passcreator is the group's account for scanning cards at outlets.
type Passcreator struct {
	BaseURL string `toml:"base_url"`
	APIKey  Secret `toml:"api_key"`
	// TimeZone is the Passcreator account's time zone, in which createdSince
	// is read.
	TimeZone string         `toml:"time_zone"`
	Location *time.Location `toml:"-"`
}

// Loyalty holds the group-wide loyalty settings.
type Loyalty struct {
	// AccountKeySecret keys the hash that turns a phone number into the
	// loyalty account's workflow id, so the phone is never visible.
	AccountKeySecret Secret `toml:"account_key_secret"`
	// MaxHookSum is the largest sum one Passquare addBalance hook may grant,
	// written "1000.00"; a larger one, or one with more than two decimals,
	// is refused with 400. Default DefaultMaxHookSum.
	MaxHookSum Amount `toml:"max_hook_sum"`
	// MaxHookLifetime is the longest lifetime an addBalance hook may give
	// its bonus, written "8760h"; a longer one is refused with 400. Default
	// DefaultMaxHookLifetime.
	MaxHookLifetime Duration `toml:"max_hook_lifetime"`
}

// HookBounds are the bounds on one addBalance hook, the defaults where the
// group leaves them out (or was not built by Load).
func (l Loyalty) HookBounds() (maxSum decimal.Decimal, maxLifetime time.Duration) {
	maxSum, maxLifetime = l.MaxHookSum.Decimal, l.MaxHookLifetime.Duration
	if maxSum.IsZero() {
		maxSum = DefaultMaxHookSum
	}
	if maxLifetime == 0 {
		maxLifetime = DefaultMaxHookLifetime
	}
	return maxSum, maxLifetime
}

// Encryption protects the personal data inside Temporal payloads.
type Encryption struct {
	// PayloadKey is the AES-256 key, 32 bytes as base64 or hex, that encrypts
	// every new payload. Every worker, webhook and starter of the group must
	// share it; losing it makes the histories unreadable.
	PayloadKey Secret `toml:"payload_key"`
	// PreviousPayloadKeys decrypt only: keys rotated out, kept while any
	// history written under them is retained or replayed, and a new key
	// announced before it becomes PayloadKey (README, "Rotating the payload
	// key").
	PreviousPayloadKeys []Secret `toml:"previous_payload_keys"`
	// UIOrigin is the Temporal Web UI's origin, allowed to call the codec
	// server from staff's browsers, e.g. "https://temporal.example-hotels.com".
	UIOrigin string `toml:"ui_origin"`
	// CodecToken, when set, is the bearer token the Web UI must send.
	CodecToken Secret `toml:"codec_token"`
}

// Codec is the payload codec these keys make.
func (e Encryption) Codec() (*payloadcodec.Codec, error) {
	previous := make([]string, len(e.PreviousPayloadKeys))
	for i, k := range e.PreviousPayloadKeys {
		previous[i] = k.Value()
	}
	return payloadcodec.New(e.PayloadKey.Value(), previous...)
}

// Branch is one hotel of the group.
type Branch struct {
	ID       string         `toml:"-"`
	Name     string         `toml:"name"`
	TimeZone string         `toml:"time_zone"`
	Location *time.Location `toml:"-"`
	// Country is the ISO 3166 alpha-2 code used as the default region for
	// phone numbers written without a country code.
	Country string `toml:"country"`

	PassportScanAPIKey    Secret `toml:"passportscan_api_key"`
	PassportScanAccountID string `toml:"passportscan_account_id"`
	MewsAccessToken       Secret `toml:"mews_access_token"`

	// PasscreatorAppConfigurationID is the app configuration the branch's
	// outlets scan with; TransactionValueProperty names its additional
	// property holding the amount spent.
	PasscreatorAppConfigurationID string `toml:"passcreator_app_configuration_id"`
	TransactionValueProperty      string `toml:"transaction_value_property"`

	// LateDocumentDays is how many days before today the reconciling poll
	// reads arrivals in full, for documents scanned after the arrival day
	// (a late check-in, a companion scanned on day two): 1 to 14, 1 when
	// left out.
	LateDocumentDays int `toml:"late_document_days"`

	Rules Rules `toml:"rules"`
}

// Rules are the branch's loyalty and document rules, with defaults filled in.
type Rules struct {
	// AcceptedDocuments are codes of [passportscan] document_types; every
	// one of them when left out.
	AcceptedDocuments []string `toml:"accepted_documents"`
	// DocumentTypes is the group's [passportscan] document_types, copied
	// here because each stay carries it with its branch's rules.
	DocumentTypes         rules.DocumentTypes `toml:"-"`
	AdultAge              int                 `toml:"adult_age"`
	ConsentWhenUnanswered bool                `toml:"consent_when_unanswered"`
	BonusPercent          Amount              `toml:"bonus_percent"`
	WelcomeBonus          Amount              `toml:"welcome_bonus"`
	RealUseStatuses       []int               `toml:"real_use_statuses"`
	CheckoutTime          string              `toml:"checkout_time"`
	DepartureGrace        Duration            `toml:"departure_grace"`
	PushMessage           string              `toml:"push_message"`
}

// Secret is a credential. It prints as a placeholder, so a Group can be
// logged or wrapped into an error without leaking it.
type Secret string

// Value returns the credential itself, for the one place that sends it.
func (s Secret) Value() string { return string(s) }

func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return "[secret]"
}

// GoString keeps %#v from printing the value either.
func (s Secret) GoString() string { return s.String() }

// Duration is a time.Duration written as "36h" or "90m" in the file.
type Duration struct{ time.Duration }

// UnmarshalText parses Go duration syntax.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return err
	}
	d.Duration = v
	return nil
}

// Amount is a decimal in the configuration (a bonus, a percentage), read
// by rules.ParseAmount in its Plain form: "5", "2.50", or a TOML number
// written so (no exponent).
type Amount struct{ decimal.Decimal }

// UnmarshalText parses the amount.
func (a *Amount) UnmarshalText(b []byte) error {
	v, ok := rules.ParseAmount(string(b), rules.Plain)
	if !ok {
		return fmt.Errorf("%q is not a decimal like 2.50", b)
	}
	a.Decimal = v
	return nil
}

// Branch returns the branch with that id.
func (g *Group) Branch(id string) (*Branch, bool) {
	b, ok := g.Branches[id]
	return b, ok
}
