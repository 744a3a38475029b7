package workflows

import (
	"strings"

	"go.temporal.io/sdk/temporal"

	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/rules"
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

// validAddBalance also refuses a transaction id the ledger credited with
// another sum (ErrConflictingTransaction), so the hook can tell Passquare;
// the same sum again is a repeat the handler answers without crediting.
func (a *account) validAddBalance(in lifecycle.AddBalance) error {
	switch {
	case strings.TrimSpace(in.TransactionID) == "":
		return refusal("transactionId is required")
	case !in.Sum.IsPositive():
		return refusal("sum must be positive")
	case in.Sum.GreaterThan(rules.MaxGrantSum) || !rules.IsCents(in.Sum):
		return refusal("sum must be at most %s with at most two decimals", rules.MaxGrantSum)
	case in.Lifetime < 0 || in.Lifetime > rules.MaxGrantLifetime:
		return refusal("lifetime must be between none and %s", rules.MaxGrantLifetime)
	}
	return a.conflicting(in)
}

// conflicting refuses a transaction id the ledger credited with another sum.
func (a *account) conflicting(in lifecycle.AddBalance) error {
	if a.state.Ledger.Conflicts(rules.AddBalanceEntryID(in.TransactionID), in.Sum) {
		return temporal.NewApplicationError("transactionId already credited with another sum", lifecycle.ErrConflictingTransaction)
	}
	return nil
}
