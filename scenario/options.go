package scenario

import (
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/guestflow/guestflow/rules"
)

// Options describe the day to generate. The same Options always give the
// same Day.
type Options struct {
	Seed int64
	// Day is the arrival date at every branch.
	Day      rules.Date
	Branches []Branch
	// ArrivalsPerBranch is how many reservations arrive at each branch;
	// each brings one to four guests.
	ArrivalsPerBranch int
	// Shares is the part of all guests each awkward case takes; nil means
	// DefaultShares. Every guest has at most one case, so the shares add up
	// to at most 1; the rest are ordinary guests.
	Shares map[Case]float64
	// InstallShare is the part of the guests who get a card that put it in
	// their wallet; a negative value means none, zero means 0.8.
	InstallShare float64
	// ArrivalsOverTime seeds each reservation without its guests and lets
	// the timeline bring them at their check-in time, as a hotel sees a
	// day; otherwise every guest is on PassportScan from the start.
	ArrivalsOverTime bool
	// Passquare is the group's loyalty account, for Seed and Play.
	Passquare PassquareAccount
}

// Branch is one hotel of the group, with what the scenario writes into the
// sandboxes and the rules that decide each guest's outcome. The rules must
// be the ones guestflow runs with, or Expected will disagree with it.
type Branch struct {
	ID                    string
	PassportScanAccountID string
	// PassportScanAPIKey, when set, is registered by Seed so the branch can
	// log in; the standalone program registers it in the options instead.
	PassportScanAPIKey string
	Country            string // ISO 3166-1 alpha-2, the default phone region
	TimeZone           string // IANA
	MewsAccessToken    string

	PasscreatorAppConfigurationID string
	// TransactionValueProperty names the outlet's amount property; empty
	// means "Transaction value".
	TransactionValueProperty string

	AcceptedDocuments     []rules.DocumentType // empty means rules.DefaultAcceptedDocuments
	AdultAge              int                  // zero means rules.DefaultAdultAge
	ConsentWhenUnanswered bool
	BonusPercent          decimal.Decimal
	RealUseStatuses       []int // empty means rules.DefaultRealUseStatuses
}

// PassquareAccount is the group's Passquare account.
type PassquareAccount struct {
	AppKey string
	Plan   string // base, advanced, expert or exclusive
}

// DefaultTransactionValueProperty is the Passcreator property outlets type
// the amount into, unless the branch names another.
const DefaultTransactionValueProperty = "Transaction value"

const defaultInstallShare = 0.8

// maxGuests bounds a reservation; PassportScan ids leave room for 4 per
// reservation and 10000 reservations per branch.
const (
	maxGuests       = 4
	maxReservations = 9999
)

// DefaultShares are the awkward cases of an ordinary day, as parts of all
// guests.
func DefaultShares() map[Case]float64 {
	return map[Case]float64{
		LateDocument:      0.08,
		NoDocument:        0.02,
		ExpiredDocument:   0.04,
		BadRecognition:    0.03,
		NoPhone:           0.05,
		ConsentRefused:    0.08,
		ConsentUnanswered: 0.06,
		Minor:             0.08,
		Returning:         0.08,
		OutletScans:       0.15,
	}
}

// Validate reports options Generate cannot work with. Problems name fields,
// never values.
func (o Options) Validate() error {
	var errs []error
	if o.Day.IsZero() {
		errs = append(errs, errors.New("scenario: Day is required"))
	}
	if len(o.Branches) == 0 {
		errs = append(errs, errors.New("scenario: at least one branch is required"))
	}
	if o.ArrivalsPerBranch < 0 || o.ArrivalsPerBranch > maxReservations {
		errs = append(errs, fmt.Errorf("scenario: ArrivalsPerBranch must be between 0 and %d", maxReservations))
	}
	if len(o.Branches) > 9 {
		errs = append(errs, errors.New("scenario: at most 9 branches"))
	}
	seen := map[string]bool{}
	for i, b := range o.Branches {
		if b.ID == "" || seen[b.ID] {
			errs = append(errs, fmt.Errorf("scenario: branch %d has an empty or repeated ID", i))
		}
		seen[b.ID] = true
		if _, err := time.LoadLocation(b.TimeZone); err != nil || b.TimeZone == "" {
			errs = append(errs, fmt.Errorf("scenario: branch %s: TimeZone does not load", b.ID))
		}
		if _, ok := nationalities[b.Country]; !ok {
			errs = append(errs, fmt.Errorf("scenario: branch %s: Country must be one of %v", b.ID, countryCodes()))
		}
	}
	total := 0.0
	for c, s := range o.shares() {
		if s < 0 {
			errs = append(errs, fmt.Errorf("scenario: share of %s is negative", c))
		}
		if !c.known() {
			errs = append(errs, fmt.Errorf("scenario: unknown case %q", c))
		}
		total += s
	}
	if total > 1+1e-9 {
		errs = append(errs, errors.New("scenario: the shares add up to more than 1"))
	}
	return errors.Join(errs...)
}

func (o Options) shares() map[Case]float64 {
	if o.Shares == nil {
		return DefaultShares()
	}
	return o.Shares
}

func (o Options) installShare() float64 {
	switch {
	case o.InstallShare < 0:
		return 0
	case o.InstallShare == 0:
		return defaultInstallShare
	}
	return min(o.InstallShare, 1)
}

func (b Branch) transactionProperty() string {
	if b.TransactionValueProperty == "" {
		return DefaultTransactionValueProperty
	}
	return b.TransactionValueProperty
}

func (b Branch) accepted() []rules.DocumentType {
	if len(b.AcceptedDocuments) == 0 {
		return rules.DefaultAcceptedDocuments
	}
	return b.AcceptedDocuments
}

func (b Branch) adultAge() int {
	if b.AdultAge <= 0 {
		return rules.DefaultAdultAge
	}
	return b.AdultAge
}
