package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/guestflow/guestflow/activities"
	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/rules"
)

// issueWallet gives an adult guest who consented, and has a phone, a wallet
// card under their loyalty account. A guest who cannot have one goes on
// without it (NoWallet, with the reason); a later snapshot that brings the
// phone or the consent issues it then (stayUntilDeparture tries again).
func (s *stay) issueWallet(ctx workflow.Context) {
	if s.walletSkipped != nil {
		s.noWallet(ctx, lifecycle.ReasonWalletSkipped)
		return
	}
	phone, reason := s.walletPhone(ctx)
	if reason != "" {
		s.noWallet(ctx, reason)
		return
	}
	holder := s.holder(phone)

	accountCtx := withAccount(ctx, "Open the guest's loyalty account")
	var account lifecycle.AccountView
	err := workflow.ExecuteActivity(accountCtx, accountActivities.OpenAccount, activities.OpenAccountInput{
		Holder: holder,
		Stay: lifecycle.AccountStay{
			WorkflowID:   s.id,
			BranchID:     s.guest.BranchID,
			WelcomeBonus: s.rules.WelcomeBonus,
			BonusPercent: s.rules.BonusPercent,
			PushMessage:  s.rules.PushMessage,
		},
	}).Get(accountCtx, &account)
	if err != nil {
		s.stuck(ctx, lifecycle.ReasonWalletUnavailable, staffMessage(err), "starter retry")
		return
	}
	if n := len(account.Cards); n > 0 {
		// A returning guest keeps the card they have.
		s.status.Card = &account.Cards[n-1]
		s.reach(ctx, lifecycle.StageWalletIssued)
		return
	}

	// Passquare's quota is shared by the whole group: issuance queues on its
	// rate-limited task queue instead of failing, for up to a day.
	passquareCtx := withPassquare(ctx, "Issue the wallet card through Passquare")
	var card lifecycle.Card
	err = workflow.ExecuteActivity(passquareCtx, passquareActivities.IssueCard, activities.IssueCardInput{
		AccountKey: account.Key,
		Holder:     holder,
		Balance:    account.Balance,
		Bonus:      s.rules.BonusPercent,
	}).Get(passquareCtx, &card)
	if err != nil {
		reason := lifecycle.ReasonWalletUnavailable
		if isRefusal(err) {
			reason = lifecycle.ReasonWalletRefused
		}
		s.stuck(ctx, reason, staffMessage(err), "starter retry, or starter skip-wallet")
		return
	}
	if card.Pending {
		// Passquare holds the guest but made no card on this call: the card
		// arrives with its install (the createCustomer hook), through the
		// account (cardInstalled).
		s.status.Card = &card
		s.status.WaitingFor = "the guest to install the wallet card from the link Passquare sent"
		return
	}
	attachCtx := withAccount(ctx, "Keep the card in the guest's loyalty account")
	if err := workflow.ExecuteActivity(attachCtx, accountActivities.AttachCard, activities.AttachCardInput{
		Holder: holder, Card: card,
	}).Get(attachCtx, nil); err != nil {
		s.stuck(ctx, lifecycle.ReasonWalletUnavailable, staffMessage(err), "starter retry")
		return
	}
	s.status.Card = &card
	s.status.NoWallet = ""
	s.reach(ctx, lifecycle.StageWalletIssued)
}

// walletPhone applies the wallet rules to the latest snapshot and returns
// the guest's E.164 phone, or why there is no card.
func (s *stay) walletPhone(ctx workflow.Context) (string, rules.Reason) {
	g := s.guest
	candidate := rules.WalletCandidate{
		Phone:     g.Profile.Phone,
		Region:    s.rules.Country,
		Consent:   rules.LoyaltyConsent(g.LoyaltyConsent, s.rules.ConsentWhenUnanswered),
		BirthDate: g.Profile.BirthDate,
		On:        g.Arrival,
		AdultAge:  s.rules.AdultAge,
		// Stays that decided before the phone's kind counted decide so.
		ValidOnly:   !s.runs(ctx, walletPhoneKinds),
		StaffIssued: s.walletForced != nil,
	}
	if ok, reason := rules.WalletEligibility(candidate); !ok {
		return "", reason
	}
	return candidate.PhoneVerdict().E164, ""
}

// walletPhoneKinds marks stays whose wallet takes any possible number
// except the kinds that cannot take the link (rules.WalletPhone); earlier
// ones took what the phone library listed as valid, of any kind.
const walletPhoneKinds = "wallet-phone-kinds"

func (s *stay) holder(phone string) lifecycle.AccountHolder {
	p := s.guest.Profile
	return lifecycle.AccountHolder{
		Phone: phone, FirstName: p.FirstName, LastName: p.LastName,
		Email: p.Email, BirthDate: p.BirthDate,
	}
}

// noWallet lets the stay go on without a card, saying which rule kept it
// out (never the number itself).
func (s *stay) noWallet(ctx workflow.Context, reason rules.Reason) {
	s.status.NoWallet = reason
	waitingFor := ""
	if reason == rules.PhoneFixedLine || reason == rules.PhoneNotMobile {
		waitingFor = "a snapshot with a mobile number, or staff to issue the card anyway (starter issue-wallet)"
	}
	s.setStage(ctx, lifecycle.StageNoWallet, reason, rules.PhoneRule(reason), waitingFor)
}

// withAccount sets the options of the stay's calls to its guest's account.
// The account is a workflow: only Temporal itself can be in the way. A
// refusal by the account is final; an hour without Temporal goes to staff.
func withAccount(ctx workflow.Context, summary string) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		Summary:                summary,
		StartToCloseTimeout:    30 * time.Second,
		ScheduleToCloseTimeout: time.Hour,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval: time.Second, MaximumInterval: time.Minute,
			NonRetryableErrorTypes: []string{activities.ErrInvalidInput},
		},
	})
}

// passquareHeartbeat is the HeartbeatTimeout of every Passquare activity:
// its calls beat before each request and every 5 s while a retry waits
// (vendorhttp), and carry the activity's progress to its next attempt; below
// the 30 s StartToClose, so that a worker that died is noticed sooner, and
// well above one turn in the pacer (1.25 s) plus an answer.
const passquareHeartbeat = 20 * time.Second

// withPassquare sets the options of every Passquare call: its own
// rate-limited task queue, where a call may wait its turn, retried with
// backoff for up to a day; a refusal goes to staff at once.
func withPassquare(ctx workflow.Context, summary string) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		Summary:                summary,
		TaskQueue:              lifecycle.PassquareTaskQueue,
		StartToCloseTimeout:    30 * time.Second,
		HeartbeatTimeout:       passquareHeartbeat,
		ScheduleToCloseTimeout: 24 * time.Hour,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval: 10 * time.Second, BackoffCoefficient: 2, MaximumInterval: 15 * time.Minute,
			NonRetryableErrorTypes: []string{activities.ErrVendorRefused, activities.ErrInvalidInput},
		},
	})
}
