package workflows

import (
	"fmt"
	"strings"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/rules"
)

// setHandlers installs the stay's query, signals and staff updates.
func (s *stay) setHandlers(ctx workflow.Context) error {
	if err := workflow.SetQueryHandler(ctx, lifecycle.QueryStatus, func() (lifecycle.StayStatus, error) {
		return s.status, nil
	}); err != nil {
		return err
	}

	snapshots := workflow.GetSignalChannel(ctx, lifecycle.SignalGuestSnapshot)
	s.installs = workflow.GetSignalChannel(ctx, lifecycle.SignalCardInstalled)
	s.scans = workflow.GetSignalChannel(ctx, lifecycle.SignalScanRecorded)
	workflow.Go(ctx, func(ctx workflow.Context) {
		for {
			sel := workflow.NewSelector(ctx)
			sel.AddReceive(snapshots, func(c workflow.ReceiveChannel, _ bool) {
				var g lifecycle.Guest
				c.Receive(ctx, &g)
				if !s.isGuest(g) {
					s.logger.Warn("snapshot of another guest ignored")
					return
				}
				s.acceptSnapshot(g)
			})
			sel.AddReceive(s.installs, func(c workflow.ReceiveChannel, _ bool) {
				var card lifecycle.Card
				c.Receive(ctx, &card)
				s.cardInstalled(ctx, card)
			})
			sel.AddReceive(s.scans, func(c workflow.ReceiveChannel, _ bool) {
				var scan lifecycle.ScanRecorded
				c.Receive(ctx, &scan)
				s.scanRecorded(ctx, scan)
			})
			sel.Select(ctx)
		}
	})

	if err := workflow.SetUpdateHandlerWithOptions(ctx, lifecycle.UpdateGuestSnapshot,
		func(ctx workflow.Context, g lifecycle.Guest) error {
			s.snapshotUpdated = true
			s.acceptSnapshot(g)
			return nil
		},
		workflow.UpdateHandlerOptions{Validator: func(g lifecycle.Guest) error {
			if !s.isGuest(g) {
				return temporal.NewNonRetryableApplicationError("snapshot of another guest", "WrongGuest", nil)
			}
			if s.snapshotUpdated && sameGuest(s.guest, g) {
				return temporal.NewApplicationError("the stay already has this snapshot", lifecycle.ErrSnapshotUnchanged)
			}
			return nil
		}},
	); err != nil {
		return err
	}

	if err := workflow.SetUpdateHandlerWithOptions(ctx, lifecycle.UpdateApproveDocument,
		func(ctx workflow.Context, a lifecycle.StaffAction) (lifecycle.StayStatus, error) {
			s.approval = &a
			s.status.Approvals = append(s.status.Approvals, a)
			return s.status, nil
		},
		workflow.UpdateHandlerOptions{Validator: func(a lifecycle.StaffAction) error {
			if err := validStaffAction(a); err != nil {
				return err
			}
			if s.status.Stage != lifecycle.StageNeedsAttention || !approvable(s.status.Reason) {
				return refusal("only a document that failed an expiry, issue-date or type rule can be approved (stage %s, reason %s)", s.status.Stage, orNone(s.status.Reason))
			}
			return nil
		}},
	); err != nil {
		return err
	}

	if err := workflow.SetUpdateHandlerWithOptions(ctx, lifecycle.UpdateRetry,
		func(ctx workflow.Context, a lifecycle.StaffAction) (lifecycle.StayStatus, error) {
			s.retryRequested = true
			return s.status, nil
		},
		workflow.UpdateHandlerOptions{Validator: func(a lifecycle.StaffAction) error {
			if err := validStaffAction(a); err != nil {
				return err
			}
			if s.status.Stage != lifecycle.StageNeedsAttention && s.status.Stage != lifecycle.StageNoWallet {
				return refusal("nothing to retry: the guest is at stage %s", s.status.Stage)
			}
			return nil
		}},
	); err != nil {
		return err
	}

	if err := workflow.SetUpdateHandlerWithOptions(ctx, lifecycle.UpdateIssueWallet,
		func(ctx workflow.Context, a lifecycle.StaffAction) (lifecycle.StayStatus, error) {
			s.walletForced = &a
			return s.status, nil
		},
		workflow.UpdateHandlerOptions{Validator: func(a lifecycle.StaffAction) error {
			if err := validStaffAction(a); err != nil {
				return err
			}
			if s.status.Stage != lifecycle.StageNoWallet || (s.status.Reason != rules.PhoneFixedLine && s.status.Reason != rules.PhoneNotMobile) {
				return refusal("only a card kept from a fixed-line or other non-mobile number can be issued anyway (stage %s, reason %s)", s.status.Stage, orNone(s.status.Reason))
			}
			return nil
		}},
	); err != nil {
		return err
	}

	return workflow.SetUpdateHandlerWithOptions(ctx, lifecycle.UpdateSkipWallet,
		func(ctx workflow.Context, a lifecycle.StaffAction) (lifecycle.StayStatus, error) {
			s.walletSkipped = &a
			return s.status, nil
		},
		workflow.UpdateHandlerOptions{Validator: func(a lifecycle.StaffAction) error {
			if err := validStaffAction(a); err != nil {
				return err
			}
			switch {
			case s.status.Card != nil:
				return refusal("the wallet card is issued already")
			case s.walletSkipped != nil:
				return refusal("the wallet is skipped already")
			case s.status.Stage == lifecycle.StageCompleted:
				return refusal("the stay is completed")
			}
			return nil
		}},
	)
}

// approvable reasons are documents that exist and could be read, refused by
// a rule staff may overrule having looked at the document themselves.
func approvable(r rules.Reason) bool {
	return r == rules.DocumentExpired || r == rules.DocumentIssuedAfterArrival || r == rules.DocumentTypeNotAccepted ||
		r == rules.DocumentTypeUnknown
}

func validStaffAction(a lifecycle.StaffAction) error {
	if strings.TrimSpace(a.By) == "" || strings.TrimSpace(a.Reason) == "" {
		return refusal("say who acts (by) and why (reason)")
	}
	if len(a.By) > 200 || len(a.Reason) > 1000 {
		return refusal("by or reason is too long")
	}
	return nil
}

// refusal is a validator's answer: it reaches the caller, and nothing is
// written to the history.
// isGuest: the snapshot is of this stay's guest.
func (s *stay) isGuest(g lifecycle.Guest) bool {
	return g.BranchID == s.guest.BranchID && g.ReservationID == s.guest.ReservationID && g.CustomerID == s.guest.CustomerID
}

func refusal(format string, args ...any) error {
	return temporal.NewApplicationError(fmt.Sprintf(format, args...), "InvalidStaffAction")
}

func orNone(r rules.Reason) string {
	if r == "" {
		return "none"
	}
	return string(r)
}

func invalidStayInput(msg string) error {
	return temporal.NewNonRetryableApplicationError(msg, "InvalidStayInput", nil)
}
