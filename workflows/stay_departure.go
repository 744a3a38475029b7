package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/guestflow/guestflow/activities"
	"github.com/guestflow/guestflow/lifecycle"
)

// Installs no hook reported are asked of Passquare this long after the
// card, then at this interval: a few calls per guest, from the shared quota.
const (
	installCheckFirst = time.Hour
	installCheckEvery = 12 * time.Hour
)

// confirmInstalls marks stays that ask Passquare about an install no hook
// reported; earlier ones waited for the hook only.
const confirmInstalls = "confirm-installs"

// stayUntilDeparture keeps the stay open while the guest is in the hotel:
// scans and credits arrive from the account as signals, a guest who got no
// card gets one as soon as a snapshot (or staff) makes it possible, and a
// card no install was heard of is asked about at Passquare now and then.
func (s *stay) stayUntilDeparture(ctx workflow.Context) {
	checkInstalls := s.runs(ctx, confirmInstalls)
	nextCheck := workflow.Now(ctx).Add(installCheckFirst)
	for {
		walletPending := s.status.Card == nil && s.walletSkipped == nil
		newer := s.somethingNew()
		skipped, forced := s.walletSkipped, s.walletForced
		walletNews := func() bool {
			return walletPending && (newer() || s.walletSkipped != skipped || s.walletForced != forced)
		}
		var check time.Time
		if checkInstalls && s.status.Card != nil && !s.status.Card.Installed {
			check = nextCheck
		}
		if !s.await(ctx, check, "the next install check at Passquare", walletNews) {
			return
		}
		if walletNews() {
			s.issueWallet(ctx)
			continue
		}
		if !check.IsZero() && !workflow.Now(ctx).Before(check) && !s.status.Card.Installed {
			s.confirmInstall(ctx)
			nextCheck = workflow.Now(ctx).Add(installCheckEvery)
		}
	}
}

// confirmInstall asks Passquare whether the guest installed the card: a
// createCustomer hook refused while Temporal was down is never sent again.
// An install found is delivered to the account as the hook would have been;
// the account credits the welcome bonus and tells the stay.
func (s *stay) confirmInstall(ctx workflow.Context) {
	phone, _ := s.walletPhone(ctx)
	if phone == "" {
		return
	}
	readCtx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		Summary:                "Ask Passquare whether the guest installed the card",
		TaskQueue:              lifecycle.PassquareTaskQueue,
		StartToCloseTimeout:    30 * time.Second,
		HeartbeatTimeout:       passquareHeartbeat,
		ScheduleToCloseTimeout: time.Hour,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval: 10 * time.Second, BackoffCoefficient: 2, MaximumInterval: 5 * time.Minute,
			NonRetryableErrorTypes: []string{activities.ErrVendorRefused, activities.ErrInvalidInput},
		},
	})
	var card lifecycle.Card
	if err := workflow.ExecuteActivity(readCtx, passquareActivities.ReadCard, activities.ReadCardInput{
		AccountKey: s.status.Card.AccountKey, Phone: phone,
	}).Get(ctx, &card); err != nil || !card.Installed {
		return // asked again later; the hook may still come
	}
	installCtx := withAccount(ctx, "Tell the account the guest installed the card")
	if err := workflow.ExecuteActivity(installCtx, accountActivities.InstallCard, activities.InstallCardInput{
		Holder: s.holder(phone), Card: card,
	}).Get(ctx, nil); err != nil {
		s.logger.Warn("install found at Passquare not delivered to the account; asked again later", "error", err)
	}
}

// readAccountNews applies the installs and scans waiting in their channels.
func (s *stay) readAccountNews(ctx workflow.Context) {
	var card lifecycle.Card
	for s.installs.ReceiveAsync(&card) {
		s.cardInstalled(ctx, card)
	}
	var scan lifecycle.ScanRecorded
	for s.scans.ReceiveAsync(&scan) {
		s.scanRecorded(ctx, scan)
	}
}

// cardInstalled is the account telling the stay that the guest put the
// card into their wallet. A card Passquare issued without a number (see
// issueWallet) is issued now.
func (s *stay) cardInstalled(ctx workflow.Context, card lifecycle.Card) {
	if s.status.Card == nil || s.status.Card.Number == card.Number || s.status.Card.Pending {
		pending := s.status.Card != nil && s.status.Card.Pending
		installed := card
		installed.Installed, installed.Pending = true, false
		s.status.Card = &installed
		if pending && s.status.Stage == lifecycle.StageMewsUpdated {
			s.status.NoWallet = ""
			s.reach(ctx, lifecycle.StageWalletIssued)
		}
	}
}

// scanRecorded is the account telling the stay that it recorded a scan of
// the guest's card, and what it credited for it. The account records each
// scan once; the stay only keeps the story.
func (s *stay) scanRecorded(ctx workflow.Context, scan lifecycle.ScanRecorded) {
	for _, seen := range s.status.Scans {
		if seen.AppScanID == scan.AppScanID {
			return
		}
	}
	s.status.Scans = append(s.status.Scans, scan)
	s.status.Credited = s.status.Credited.Add(scan.Credit)
	switch {
	case s.status.Stage == lifecycle.StageNeedsAttention || s.status.Stage == lifecycle.StageCompleted:
		// staff's attention and the end of the stay outrank scans
	case s.status.Credited.IsPositive():
		s.reach(ctx, lifecycle.StageBonusCredited)
	case s.status.Stage != lifecycle.StageBonusCredited:
		s.reach(ctx, lifecycle.StageScansRecorded)
	}
}
