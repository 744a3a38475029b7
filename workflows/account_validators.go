package workflows

import (
	"strings"

	"github.com/guestflow/guestflow/lifecycle"
)

// Validators refuse a bad update before anything reaches the history.

func validOpenAccount(o lifecycle.OpenAccount) error {
	switch {
	case !strings.HasPrefix(o.Holder.Phone, "+"):
		return refusal("the holder's phone must be E.164")
	case o.Stay.WorkflowID == "" || o.Stay.BranchID == "":
		return refusal("the stay's workflow id and branch are required")
	case o.Stay.WelcomeBonus.IsNegative() || o.Stay.BonusPercent.IsNegative():
		return refusal("bonuses must not be negative")
	}
	return nil
}

func validCard(c lifecycle.Card) error {
	if strings.TrimSpace(c.Number) == "" {
		return refusal("a card needs its number")
	}
	return nil
}

func validInstallCard(in lifecycle.InstallCard) error {
	if len(in.CardNumbers) == 0 {
		return refusal("cardNumbers is empty")
	}
	for _, n := range in.CardNumbers {
		if strings.TrimSpace(n) == "" {
			return refusal("cardNumbers holds an empty number")
		}
	}
	return nil
}

func validAddBalance(in lifecycle.AddBalance) error {
	switch {
	case strings.TrimSpace(in.TransactionID) == "":
		return refusal("transactionId is required")
	case !in.Sum.IsPositive():
		return refusal("sum must be positive")
	case in.Lifetime < 0:
		return refusal("lifetime must not be negative")
	}
	return nil
}
