package config

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/guestflow/guestflow/payloadcodec"
	"github.com/guestflow/guestflow/rules"
	"github.com/guestflow/guestflow/vendors/mews"
	"github.com/shopspring/decimal"
	"golang.org/x/text/language"
)

// Problem is one thing wrong with the configuration.
type Problem struct {
	Branch  string // empty for group-wide sections
	Section string // "passquare", "branches", ... for group-wide problems
	Field   string
	Message string
}

func (p Problem) String() string {
	where := ""
	switch {
	case p.Branch != "":
		where = fmt.Sprintf("branch %q", p.Branch)
	case p.Section != "":
		where = "[" + p.Section + "]"
	}
	if p.Field != "" {
		if where != "" {
			where += " "
		}
		where += "field " + p.Field
	}
	if where == "" {
		return p.Message
	}
	return where + ": " + p.Message
}

// Error lists every problem found in one file, one per line.
type Error struct {
	File     string
	Problems []Problem
}

func (e *Error) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = e.File + ": " + p.String()
	}
	return "invalid configuration:\n  " + strings.Join(lines, "\n  ")
}

// Defaults for what the file may leave out.
const (
	DefaultPassportScanURL = "https://api.passportscan.net"
	DefaultMewsURL         = "https://api.mews.com"
	DefaultPassquareURL    = "https://core.passquare.com/api/v2"
	DefaultPasscreatorURL  = "https://app.passcreator.com"
	DefaultSMSText         = "Your loyalty card: %link%"
	DefaultTransactionProp = "Transaction value"
	// DefaultUnknownDocumentType is the Mews type of a staff-approved
	// document whose code the group does not map.
	DefaultUnknownDocumentType = "IdentityCard"
	// DefaultMaxHookLifetime: a year, longer than any bonus a hotel grants
	// for a stay.
	DefaultMaxHookLifetime = 365 * 24 * time.Hour
)

// DefaultMaxHookSum is the largest sum one addBalance hook grants by
// default: far above a stay's bonus, far below a mistake's.
var DefaultMaxHookSum = decimal.RequireFromString("1000.00")

var (
	// Branch ids go into workflow ids, search attributes and metric labels.
	branchIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,31}$`)
	envRef          = regexp.MustCompile(`^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$`)
	// PassquarePlans maps each plan to its hourly request quota.
	PassquarePlans = map[string]int{"base": 60, "advanced": 600, "expert": 3600, "exclusive": 3600}
)

// Load reads, completes and validates the file at path. On any problem it
// returns an *Error naming the file, branch and field of each.
func Load(path string) (*Group, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, &Error{File: path, Problems: []Problem{{Message: "file not found (set --config or GUESTFLOW_CONFIG)"}}}
		}
		return nil, &Error{File: path, Problems: []Problem{{Message: err.Error()}}}
	}
	return Parse(path, string(raw), LookupSecret)
}

// LookupSecret resolves "${NAME}" from the environment variable NAME or,
// when that is unset, from the file named by NAME_FILE, which is how Docker
// and Kubernetes mount secrets.
func LookupSecret(name string) (string, bool) {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v, true
	}
	path, ok := os.LookupEnv(name + "_FILE")
	if !ok || path == "" {
		return "", false
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", false
	}
	return strings.TrimSpace(string(b)), true
}

// Parse is Load for a file already read; lookupEnv resolves "${VAR}" secrets.
func Parse(file, text string, lookupEnv func(string) (string, bool)) (*Group, error) {
	g := &Group{File: file}
	md, err := toml.Decode(text, g)
	if err != nil {
		return nil, &Error{File: file, Problems: []Problem{decodeProblem(err)}}
	}
	v := &validator{}
	for _, key := range md.Undecoded() {
		v.unknownKey(key)
	}
	g.complete(v, lookupEnv)
	if len(v.problems) > 0 {
		return nil, &Error{File: file, Problems: v.problems}
	}
	return g, nil
}

type validator struct{ problems []Problem }

func (v *validator) group(section, field, format string, args ...any) {
	v.problems = append(v.problems, Problem{Section: section, Field: field, Message: fmt.Sprintf(format, args...)})
}

func (v *validator) branch(id, field, format string, args ...any) {
	v.problems = append(v.problems, Problem{Branch: id, Field: field, Message: fmt.Sprintf(format, args...)})
}

func (v *validator) unknownKey(key toml.Key) {
	if len(key) >= 3 && key[0] == "branches" {
		v.branch(key[1], strings.Join(key[2:], "."), "unknown field")
		return
	}
	if len(key) >= 2 {
		v.group(key[0], strings.Join(key[1:], "."), "unknown field")
		return
	}
	v.group("", key.String(), "unknown section")
}

func decodeProblem(err error) Problem {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		p := Problem{Message: fmt.Sprintf("line %d: %s", pe.Position.Line, pe.Message)}
		if key := strings.Split(pe.LastKey, "."); len(key) >= 3 && key[0] == "branches" {
			p.Branch, p.Field = key[1], strings.Join(key[2:], ".")
		} else if pe.LastKey != "" {
			p.Field = pe.LastKey
		}
		return p
	}
	return Problem{Message: err.Error()}
}

// complete resolves the payload keys and checks that they make a codec. A
// key's problem is reported on its field, never with its value.
func (e *Encryption) complete(v *validator, secret func(*Secret, bool, func(string, ...any))) {
	in := func(field string) func(string, ...any) {
		return func(format string, args ...any) { v.group("encryption", field, format, args...) }
	}
	secret(&e.PayloadKey, true, in("payload_key"))
	ok := e.PayloadKey != ""
	if _, err := payloadcodec.New(e.PayloadKey.Value()); ok && err != nil {
		in("payload_key")("%s", err.Error())
		ok = false
	}
	for i := range e.PreviousPayloadKeys {
		field := fmt.Sprintf("previous_payload_keys[%d]", i)
		secret(&e.PreviousPayloadKeys[i], true, in(field))
		if e.PreviousPayloadKeys[i] == "" {
			ok = false
		} else if _, err := payloadcodec.New(e.PreviousPayloadKeys[i].Value()); err != nil {
			in(field)("%s", err.Error())
			ok = false
		}
	}
	if _, err := e.Codec(); ok && err != nil {
		in("previous_payload_keys")("%s", err.Error())
	}
}

// complete fills defaults, resolves secrets and checks every field.
func (g *Group) complete(v *validator, lookupEnv func(string) (string, bool)) {
	// secret resolves a "${NAME}" reference; a required secret must end up set.
	secret := func(s *Secret, required bool, report func(format string, args ...any)) {
		if m := envRef.FindStringSubmatch(string(*s)); m != nil {
			val, ok := lookupEnv(m[1])
			if !ok || val == "" {
				report("environment variable %s (or %s_FILE) is not set", m[1], m[1])
				return
			}
			*s = Secret(val)
		}
		if required && *s == "" {
			report("required")
		}
	}
	baseURL := func(u *string, def string, report func(format string, args ...any)) {
		if *u == "" {
			*u = def
		}
		*u = strings.TrimRight(*u, "/")
		p, err := url.Parse(*u)
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			report("%q is not an http(s) URL", *u)
		}
	}
	in := func(section, field string) func(string, ...any) {
		return func(format string, args ...any) { v.group(section, field, format, args...) }
	}

	baseURL(&g.PassportScan.BaseURL, DefaultPassportScanURL, in("passportscan", "base_url"))
	g.PassportScan.complete(in)

	baseURL(&g.Mews.BaseURL, DefaultMewsURL, in("mews", "base_url"))
	secret(&g.Mews.ClientToken, true, in("mews", "client_token"))

	baseURL(&g.Passquare.BaseURL, DefaultPassquareURL, in("passquare", "base_url"))
	secret(&g.Passquare.AppKey, true, in("passquare", "app_key"))
	if g.Passquare.Plan == "" {
		g.Passquare.Plan = "base"
	}
	if _, ok := PassquarePlans[g.Passquare.Plan]; !ok {
		v.group("passquare", "plan", "%q is not a plan: want base, advanced, expert or exclusive", g.Passquare.Plan)
	}
	if g.Passquare.SMSText == "" {
		g.Passquare.SMSText = DefaultSMSText
	}
	if g.Passquare.FormLink != "" && !strings.Contains(g.Passquare.SMSText, "%link%") {
		v.group("passquare", "sms_text", "must contain %%link%%, where Passquare puts the guest's card link")
	}

	baseURL(&g.Passcreator.BaseURL, DefaultPasscreatorURL, in("passcreator", "base_url"))
	secret(&g.Passcreator.APIKey, true, in("passcreator", "api_key"))
	g.Passcreator.Location = location(g.Passcreator.TimeZone, in("passcreator", "time_zone"))

	secret(&g.Loyalty.AccountKeySecret, false, in("loyalty", "account_key_secret"))
	if len(g.Loyalty.AccountKeySecret) < 16 {
		v.group("loyalty", "account_key_secret", "required, at least 16 characters")
	}
	g.Loyalty.MaxHookSum.Decimal, g.Loyalty.MaxHookLifetime.Duration = g.Loyalty.HookBounds()
	if s := g.Loyalty.MaxHookSum.Decimal; !s.IsPositive() || s.GreaterThan(rules.MaxGrantSum) || !rules.IsCents(s) {
		v.group("loyalty", "max_hook_sum", "must be positive, at most %s, with at most two decimals", rules.MaxGrantSum)
	}
	if d := g.Loyalty.MaxHookLifetime.Duration; d < time.Second || d > rules.MaxGrantLifetime {
		v.group("loyalty", "max_hook_lifetime", "must be between 1s and %s", rules.MaxGrantLifetime)
	}

	g.Encryption.complete(v, secret)
	secret(&g.Encryption.CodecToken, false, in("encryption", "codec_token"))
	g.Webhook.complete(v, secret)

	if len(g.Branches) == 0 {
		v.group("branches", "", "at least one branch is required")
	}
	for id := range g.Branches {
		g.BranchIDs = append(g.BranchIDs, id)
	}
	slices.Sort(g.BranchIDs)
	for _, id := range g.BranchIDs {
		b := g.Branches[id]
		if b == nil {
			v.branch(id, "", "empty")
			continue
		}
		b.ID = id
		at := func(field string) func(string, ...any) {
			return func(format string, args ...any) { v.branch(id, field, format, args...) }
		}
		if !branchIDPattern.MatchString(id) {
			at("")("branch id must be lower-case letters, digits and dashes, at most 32")
		}
		b.Location = location(b.TimeZone, at("time_zone"))
		if !isCountry(b.Country) {
			at("country")("%q is not an ISO 3166 alpha-2 country code", b.Country)
		}
		secret(&b.PassportScanAPIKey, true, at("passportscan_api_key"))
		if b.PassportScanAccountID == "" {
			at("passportscan_account_id")("required")
		}
		secret(&b.MewsAccessToken, true, at("mews_access_token"))
		if b.TransactionValueProperty == "" {
			b.TransactionValueProperty = DefaultTransactionProp
		}
		if b.LateDocumentDays == 0 {
			b.LateDocumentDays = 1
		}
		if b.LateDocumentDays < 1 || b.LateDocumentDays > 14 {
			at("late_document_days")("%d is outside 1 to 14", b.LateDocumentDays)
		}
		b.Rules.complete(at, g.PassportScan.DocumentTypes)
	}
}

// complete checks the document mapping and fills its defaults. Codes are
// read as the rules compare them (trimmed, upper case).
func (p *PassportScan) complete(in func(section, field string) func(string, ...any)) {
	if p.DocumentTypes == nil {
		p.DocumentTypes = maps.Clone(rules.DefaultDocumentTypes)
	}
	if len(p.DocumentTypes) == 0 {
		in("passportscan", "document_types")("maps no code: leave it out for the defaults (%s)", codeList(rules.DefaultDocumentTypes.Codes()))
	}
	types := rules.DocumentTypes{}
	for _, code := range slices.Sorted(maps.Keys(p.DocumentTypes)) {
		report := in("passportscan", "document_types."+string(code))
		norm, mewsType := code.Normalized(), p.DocumentTypes[code]
		switch {
		case !code.IsCode():
			report("%q is not a document code (letters, digits, - or _, at most 16)", string(code))
		case norm == rules.Unrecognised:
			report("EXT is PassportScan's unrecognised document; it maps to no Mews type")
		case types[norm] != "":
			report("%q is mapped twice", string(norm))
		case !mews.DocumentType(mewsType).Valid():
			report("%q is not a Mews identity document type: want %s", mewsType, mewsTypes)
		}
		types[norm] = mewsType
	}
	p.DocumentTypes = types
	if p.UnknownDocumentType == "" {
		p.UnknownDocumentType = DefaultUnknownDocumentType
	}
	if !mews.DocumentType(p.UnknownDocumentType).Valid() {
		in("passportscan", "unknown_document_type")("%q is not a Mews identity document type: want %s", p.UnknownDocumentType, mewsTypes)
	}
}

const mewsTypes = "Passport, IdentityCard, DriversLicense or Visa"

func codeList(codes []rules.DocumentType) string {
	s := make([]string, len(codes))
	for i, c := range codes {
		s[i] = string(c)
	}
	return strings.Join(s, ", ")
}

func (r *Rules) complete(at func(field string) func(string, ...any), types rules.DocumentTypes) {
	r.DocumentTypes = types
	if r.AcceptedDocuments == nil {
		for _, c := range types.Codes() {
			r.AcceptedDocuments = append(r.AcceptedDocuments, string(c))
		}
	}
	for i, d := range r.AcceptedDocuments {
		code := rules.DocumentType(d).Normalized()
		if _, ok := types.MewsType(code); !ok {
			at("rules.accepted_documents")("%q is not a code of [passportscan] document_types: want one of %s", d, codeList(types.Codes()))
		}
		r.AcceptedDocuments[i] = string(code)
	}
	if r.AdultAge == 0 {
		r.AdultAge = 18
	}
	if r.AdultAge < 14 || r.AdultAge > 25 {
		at("rules.adult_age")("%d is outside 14 to 25", r.AdultAge)
	}
	if r.BonusPercent.IsNegative() || r.BonusPercent.Decimal.GreaterThan(decimal.NewFromInt(100)) {
		at("rules.bonus_percent")("must be between 0 and 100")
	}
	if r.WelcomeBonus.IsNegative() {
		at("rules.welcome_bonus")("must not be negative")
	}
	if r.RealUseStatuses == nil {
		r.RealUseStatuses = slices.Clone(rules.DefaultRealUseStatuses)
	}
	if len(r.RealUseStatuses) == 0 {
		at("rules.real_use_statuses")("empty: leave it out for %v, or set bonus_percent = 0 to credit no scans", rules.DefaultRealUseStatuses)
	}
	for _, s := range r.RealUseStatuses {
		if !slices.Contains(rules.DefaultRealUseStatuses, s) {
			at("rules.real_use_statuses")("%d is not a use of the card: the list can only narrow %v "+
				"(1, 5 and 7 are Passcreator refusing a pass, 6 closes a visit already counted)", s, rules.DefaultRealUseStatuses)
		}
	}
	if r.CheckoutTime == "" {
		r.CheckoutTime = "12:00"
	}
	if _, err := time.Parse("15:04", r.CheckoutTime); err != nil {
		at("rules.checkout_time")("%q is not a time of day like 11:00", r.CheckoutTime)
	}
	if r.DepartureGrace.Duration == 0 {
		r.DepartureGrace.Duration = 24 * time.Hour
	}
	if r.DepartureGrace.Duration < 0 {
		at("rules.departure_grace")("must not be negative")
	}
}

// CheckoutOffset is the check-out time of day as an offset from midnight.
func (r Rules) CheckoutOffset() time.Duration {
	t, _ := time.Parse("15:04", r.CheckoutTime)
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute
}

func location(name string, report func(string, ...any)) *time.Location {
	if name == "" {
		report("required (an IANA time zone such as Europe/Rome)")
		return nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		report("unknown time zone %q", name)
		return nil
	}
	return loc
}

func isCountry(code string) bool {
	if len(code) != 2 || strings.ToUpper(code) != code {
		return false
	}
	r, err := language.ParseRegion(code)
	return err == nil && r.IsCountry()
}
