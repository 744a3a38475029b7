package scenario

import (
	"github.com/guestflow/guestflow/config"
	"github.com/guestflow/guestflow/rules"
)

// BranchesOf describes guestflow's branches as a scenario needs them, with
// the rules each branch runs with, so Expected agrees with guestflow.
func BranchesOf(g *config.Group) []Branch {
	var out []Branch
	for _, id := range g.BranchIDs {
		b := g.Branches[id]
		accepted := make([]rules.DocumentType, len(b.Rules.AcceptedDocuments))
		for i, d := range b.Rules.AcceptedDocuments {
			accepted[i] = rules.DocumentType(d)
		}
		out = append(out, Branch{
			ID:                            id,
			PassportScanAccountID:         b.PassportScanAccountID,
			Country:                       b.Country,
			TimeZone:                      b.TimeZone,
			MewsAccessToken:               b.MewsAccessToken.Value(),
			PasscreatorAppConfigurationID: b.PasscreatorAppConfigurationID,
			TransactionValueProperty:      b.TransactionValueProperty,
			AcceptedDocuments:             accepted,
			AdultAge:                      b.Rules.AdultAge,
			ConsentWhenUnanswered:         b.Rules.ConsentWhenUnanswered,
			BonusPercent:                  b.Rules.BonusPercent.Decimal,
			RealUseStatuses:               b.Rules.RealUseStatuses,
		})
	}
	return out
}
