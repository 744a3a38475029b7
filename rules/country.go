package rules

import (
	"strings"

	"golang.org/x/text/language"
)

// icaoCountries are the codes ICAO Doc 9303 puts in machine-readable zones
// that ISO 3166-1 alpha-3 does not have, for passports that name a real
// country.
//
// RKS is Kosovo. Kosovo has no ISO 3166-1 code; XK is the user-assigned code
// the European Commission, the IMF and most travel systems use for it, and it
// is the code CLDR (and so golang.org/x/text) knows. Refusing it would stop
// every Kosovar guest at the document stage with no remedy but a manual
// approval; mapping it lets the guest through, and if a PMS refuses XK the
// vendor's own error puts the guest in front of staff with the vendor's
// message.
var icaoCountries = map[string]string{
	"D":   "DE", // Germany writes a single D, padded with fillers ("D<<")
	"GBD": "GB", // British Overseas Territories citizen
	"GBN": "GB", // British National (Overseas)
	"GBO": "GB", // British Overseas citizen
	"GBP": "GB", // British protected person
	"GBS": "GB", // British subject
	"RKS": "XK", // Kosovo, see above
}

// notCountries are ICAO codes for issuers or holders with no country:
// United Nations documents, stateless persons and refugees, unspecified
// nationality, the Sovereign Order of Malta and Interpol.
var notCountries = map[string]bool{
	"UNO": true, "UNA": true, "UNK": true,
	"XXA": true, "XXB": true, "XXC": true, "XXX": true,
	"XOM": true, "XPO": true,
}

// gone are ISO codes CLDR still parses as countries although they no longer
// name one country (Yugoslavia, Serbia and Montenegro, the Netherlands
// Antilles, the Soviet Union, the Neutral Zone), plus CLDR-only territories
// with no ISO 3166-1 code (Clipperton, Diego Garcia). A PMS that takes ISO
// 3166-1 alpha-2 cannot store them.
var gone = map[string]bool{
	"YU": true, "CS": true, "AN": true, "SU": true, "NT": true,
	"CP": true, "DG": true,
}

// CountryAlpha2 maps the three-letter issuing country PassportScan reads off
// a document to the ISO 3166-1 alpha-2 code Mews stores. Input is trimmed of
// spaces and of the MRZ filler '<', case-insensitive. Deprecated codes with a
// single successor become that successor (ZAR to CD, DDR to DE); codes that
// are not one real country report false.
func CountryAlpha2(alpha3 string) (string, bool) {
	code := strings.ToUpper(strings.TrimRight(strings.TrimSpace(alpha3), "< "))
	if alpha2, ok := icaoCountries[code]; ok {
		return alpha2, true
	}
	if len(code) != 3 || notCountries[code] || !lettersOnly(code) {
		return "", false
	}
	// workflowcheck flags ParseRegion because it reaches fmt.Fprint, and only
	// for numeric (UN M.49) codes, which never get here: letters only.
	region, err := language.ParseRegion(code) //workflowcheck:ignore
	if err != nil || !region.IsCountry() {
		return "", false
	}
	region = region.Canonicalize()
	alpha2 := region.String()
	if !region.IsCountry() || gone[alpha2] || len(alpha2) != 2 {
		return "", false
	}
	return alpha2, true
}

func lettersOnly(s string) bool {
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}
