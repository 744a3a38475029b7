package scenario

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/nyaruka/phonenumbers"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/guestflow/guestflow/rules"
)

// contacts hands out phones and e-mails unique across the day: Passquare
// knows a customer by phone and Mews matches on e-mail, so two guests
// sharing either would merge in ways the expectations do not count.
type contacts struct {
	phones map[string]bool // E.164
	emails map[string]bool
}

func newContacts() *contacts {
	return &contacts{phones: map[string]bool{}, emails: map[string]bool{}}
}

// phone draws a mobile number of the guest's country and writes it as the
// guest would at this branch: a compatriot of the hotel often in national
// form, a foreigner always with the country code ("+" or "00"). It returns
// the typed form and its E.164, checked with the rule guestflow applies.
func (c *contacts) phone(r random, country, branchCountry string) (typed, e164 string) {
	n := nationalities[country]
	cc := phonenumbers.GetCountryCodeForRegion(country)
	for try := 0; ; try++ {
		if try == 10000 {
			panic("scenario: no valid mobile number for " + country) // the table in nationalities.go is wrong
		}
		prefix := r.pick(n.mobile)
		nsn := prefix + r.digits(n.mobileLen-len(prefix))
		num, err := phonenumbers.Parse("+"+strconv.Itoa(cc)+nsn, "")
		if err != nil || !phonenumbers.IsValidNumberForRegion(num, country) {
			continue
		}
		e164 = phonenumbers.Format(num, phonenumbers.E164)
		if c.phones[e164] {
			continue
		}
		typed = writePhone(r, num, country == branchCountry)
		if got, err := rules.NormalisePhone(typed, branchCountry); err != nil || got != e164 {
			continue
		}
		c.phones[e164] = true
		return typed, e164
	}
}

func writePhone(r random, num *phonenumbers.PhoneNumber, domestic bool) string {
	international := phonenumbers.Format(num, phonenumbers.INTERNATIONAL)
	switch {
	case domestic && r.chance(0.6):
		return phonenumbers.Format(num, phonenumbers.NATIONAL)
	case r.chance(0.5):
		return international
	case r.chance(0.6):
		return phonenumbers.Format(num, phonenumbers.E164)
	default:
		return "00" + strings.TrimPrefix(international, "+")
	}
}

var mailDomains = []string{"example.com", "example.net", "example.org", "mail.example", "posta.example"}

// email makes an address from the guest's names, folded to ASCII as people
// do when they choose one, unique across the day.
func (c *contacts) email(r random, first, last string) string {
	f, l := mailbox(first), mailbox(last)
	if f == "" {
		f = "guest"
	}
	if l == "" {
		l = "stay"
	}
	var local string
	switch r.IntN(3) {
	case 0:
		local = f + "." + l
	case 1:
		local = f[:1] + l
	default:
		local = f + l + r.digits(2)
	}
	domain := r.pick(mailDomains)
	addr := local + "@" + domain
	for c.emails[addr] {
		addr = local + r.digits(3) + "@" + domain
	}
	c.emails[addr] = true
	return addr
}

// mailbox folds a name to the letters an e-mail address would use:
// "Niccolò D'Angelo" gives "niccolodangelo"; a name in another script gives
// "".
func mailbox(name string) string {
	folded, _, err := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), name)
	if err != nil {
		folded = name
	}
	folded = strings.NewReplacer("ł", "l", "Ł", "L", "ß", "ss", "ø", "o", "æ", "ae", "ı", "i", "đ", "d").Replace(folded)
	var b strings.Builder
	for _, ch := range strings.ToLower(folded) {
		if ch >= 'a' && ch <= 'z' {
			b.WriteRune(ch)
		}
	}
	return b.String()
}
