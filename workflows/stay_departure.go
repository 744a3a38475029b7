package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/guestflow/guestflow/lifecycle"
)

// stayUntilDeparture keeps the stay open while the guest is in the hotel:
// scans and credits arrive from the account as signals, and a guest who got
// no card gets one as soon as a snapshot (or staff) makes it possible.
func (s *stay) stayUntilDeparture(ctx workflow.Context) {
	for {
		walletPending := s.status.Card == nil && s.walletSkipped == nil
		newer := s.somethingNew()
		skipped, forced := s.walletSkipped, s.walletForced
		if !s.await(ctx, time.Time{}, func() bool {
			return walletPending && (newer() || s.walletSkipped != skipped || s.walletForced != forced)
		}) {
			return
		}
		s.issueWallet(ctx)
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
