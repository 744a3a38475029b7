package scenario

import (
	"errors"
	"fmt"

	mewssandbox "github.com/guestflow/guestflow/vendors/mews/sandbox"
	pcsandbox "github.com/guestflow/guestflow/vendors/passcreator/sandbox"
	pssandbox "github.com/guestflow/guestflow/vendors/passportscan/sandbox"
	pqsandbox "github.com/guestflow/guestflow/vendors/passquare/sandbox"
)

// Sandboxes are the four vendor sandboxes the day is played into. Seed and
// Play skip a nil one, so a test can use only those it needs.
type Sandboxes struct {
	PassportScan *pssandbox.Server
	Mews         *mewssandbox.Server
	Passquare    *pqsandbox.Server
	Passcreator  *pcsandbox.Server
}

// Seed puts the start of the day into the sandboxes: each branch's
// PassportScan reservations (with their guests, unless arrivals come over
// time), Mews enterprises with the returning guests, the Passcreator app
// configurations with the transaction value property, and the Passquare
// account. Call it once, on fresh sandboxes.
func (d *Day) Seed(s Sandboxes) error {
	if s.Passquare != nil && d.Options.Passquare.AppKey != "" {
		s.Passquare.AddAccount(d.Options.Passquare.AppKey, d.Options.Passquare.Plan)
	}
	var errs []error
	for _, b := range d.Options.Branches {
		if s.PassportScan != nil && b.PassportScanAPIKey != "" {
			s.PassportScan.AddBranch(b.PassportScanAPIKey, b.PassportScanAccountID)
		}
		if s.Mews != nil {
			if b.MewsAccessToken == "" {
				errs = append(errs, fmt.Errorf("scenario: branch %s has no Mews access token", b.ID))
			} else {
				s.Mews.AddEnterprise(b.MewsAccessToken)
			}
		}
		if s.Passcreator != nil {
			if err := seedAppConfiguration(s.Passcreator, b); err != nil {
				errs = append(errs, err)
			}
		}
	}
	for i := range d.Reservations {
		r := &d.Reservations[i]
		b, _ := d.Branch(r.BranchID)
		if s.PassportScan != nil {
			s.PassportScan.PutReservation(b.PassportScanAccountID, r.passportScanReservation(!d.Options.ArrivalsOverTime))
		}
		if s.Mews == nil || b.MewsAccessToken == "" {
			continue
		}
		for _, g := range r.Guests {
			if g.MewsCustomerID != "" {
				s.Mews.AddCustomer(b.MewsAccessToken, g.mewsCustomer())
			}
		}
	}
	return errors.Join(errs...)
}

// seedAppConfiguration creates the branch's outlet configuration unless the
// sandbox has it: attendance mode, so a card scanned at the bar is not
// voided for the restaurant, with the transaction value asked at each scan.
func seedAppConfiguration(pc *pcsandbox.Server, b Branch) error {
	if b.PasscreatorAppConfigurationID == "" {
		return fmt.Errorf("scenario: branch %s has no Passcreator app configuration id", b.ID)
	}
	for _, c := range pc.Configurations() {
		if c.ConfigurationID == b.PasscreatorAppConfigurationID {
			return nil
		}
	}
	pc.AddAppConfiguration(pcsandbox.AppConfiguration{
		Name:            b.ID + " outlets",
		ConfigurationID: b.PasscreatorAppConfigurationID,
		ScanMode:        1,
		Place:           b.ID,
		AdditionalProperties: []pcsandbox.AdditionalProperty{
			{Type: "double", Name: b.transactionProperty(), ID: transactionPropertyID},
		},
	})
	return nil
}

// transactionPropertyID is the transaction value's property id in the
// seeded configurations.
const transactionPropertyID = 1
