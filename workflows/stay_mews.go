package workflows

import (
	"errors"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/guestflow/guestflow/activities"
	"github.com/guestflow/guestflow/lifecycle"
)

// mewsUnavailableRetry is how long a stay recorded before mewsOutageProbe
// waits, after Mews stayed down for the whole retry window, before trying
// again by itself.
const mewsUnavailableRetry = time.Hour

// After Mews stayed down for the whole retry window, a stay probes it: one
// short try (mewsProbeWindow) after mewsProbeFirst, the wait doubling up to
// mewsProbeMax, so the guest moves on within minutes of Mews' recovery
// rather than within the hour.
const (
	mewsProbeFirst  = 2 * time.Minute
	mewsProbeMax    = 16 * time.Minute
	mewsProbeWindow = 3 * time.Minute
)

// mewsQueuePerBranch marks stays whose Mews activities run on their
// branch's Mews task queue; earlier ones ran them on the stay's queue.
const mewsQueuePerBranch = "mews-queue-per-branch"

// mewsOutageProbe marks stays that probe Mews after an outage; earlier ones
// waited an hour between windows of two hours.
const mewsOutageProbe = "mews-outage-probe"

// mewsOutcome is how the Mews stage ended.
type mewsOutcome int

const (
	mewsUpdated mewsOutcome = iota
	// rescanned: a newer snapshot arrived while the guest waited for Mews
	// (refused or down); its document is verified again before Mews is
	// tried with it.
	rescanned
	stayEnded
)

// updateMews writes the guest and their document into the branch's Mews.
// A refusal (400, 403) goes to staff with Mews' own message, and waits for
// staff's retry or a rescan; a Mews that stays down for two hours goes to
// staff too, and is probed every few minutes until it answers.
func (s *stay) updateMews(ctx workflow.Context) mewsOutcome {
	// probe is the wait before the next probe once Mews was down for a
	// whole window; 0 until then, and again after Mews answered.
	var probe time.Duration
	queue := "" // the stay's own
	if s.runs(ctx, mewsQueuePerBranch) {
		queue = lifecycle.MewsTaskQueue(s.guest.BranchID)
	}
	for {
		window := 2 * time.Hour
		if probe > 0 {
			window = mewsProbeWindow
		}
		ctx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
			Summary: "Update the guest and their document in Mews",
			// The branch's queue paces Mews calls at its access token's
			// limit for every worker together (activities.MewsRate).
			TaskQueue:           queue,
			StartToCloseTimeout: 2 * time.Minute,
			// The activity heartbeats with each call and while a call waits
			// out a fault, carrying what it has done to the next attempt.
			HeartbeatTimeout:       time.Minute,
			ScheduleToCloseTimeout: window,
			RetryPolicy: &temporal.RetryPolicy{
				InitialInterval:    5 * time.Second,
				BackoffCoefficient: 2,
				MaximumInterval:    10 * time.Minute, // Retry-After may ask for a different delay
				NonRetryableErrorTypes: []string{
					activities.ErrVendorRefused, activities.ErrInvalidInput,
				},
			},
		})
		var res activities.UpdateMewsResult
		err := workflow.ExecuteActivity(ctx, mewsActivities.UpdateMews, activities.UpdateMewsInput{
			BranchID:   s.guest.BranchID,
			Marker:     activities.MarkerFor(s.guest.ReservationID, s.guest.CustomerID),
			PMSGuestID: s.guest.PMSGuestID,
			Profile:    s.guest.Profile,
			Document:   *s.verified,
		}).Get(ctx, &res)
		if err == nil {
			s.status.MewsCustomer = res.CustomerID
			s.reach(ctx, lifecycle.StageMewsUpdated)
			return mewsUpdated
		}
		snapshots, newer := s.snapshots, s.somethingNew()
		if isRefusal(err) {
			probe = 0 // Mews answers; staff's retry gets a whole window
			s.stuck(ctx, lifecycle.ReasonMewsRefused, staffMessage(err), "staff to fix the guest in Mews or PassportScan, then starter retry")
			if !s.await(ctx, time.Time{}, "", newer) {
				return stayEnded
			}
			if s.snapshots != snapshots {
				return rescanned
			}
			continue
		}
		wait, waitingFor := mewsUnavailableRetry, "Mews to answer again (retried hourly), or starter retry"
		if s.runs(ctx, mewsOutageProbe) {
			probe = min(max(2*probe, mewsProbeFirst), mewsProbeMax)
			wait, waitingFor = probe, "Mews to answer again (tried every few minutes), or starter retry"
		}
		s.stuck(ctx, lifecycle.ReasonMewsUnavailable, staffMessage(err), waitingFor)
		if !s.await(ctx, workflow.Now(ctx).Add(wait), "the next Mews retry", newer) {
			return stayEnded
		}
		if s.snapshots != snapshots && s.runs(ctx, rescanAfterMewsOutage) {
			return rescanned
		}
	}
}

// rescanAfterMewsOutage marks stays that verify a snapshot received during
// a Mews outage before Mews sees it; earlier ones sent it unverified.
const rescanAfterMewsOutage = "rescan-after-mews-outage"

// isRefusal tells a vendor's permanent refusal from a vendor that was
// unavailable for the whole retry window.
func isRefusal(err error) bool {
	var app *temporal.ApplicationError
	return errors.As(err, &app) && (app.Type() == activities.ErrVendorRefused || app.Type() == activities.ErrInvalidInput)
}

// staffMessage is what staff see of a failed activity: the vendor's own
// message when it sent one (a Mews 403 names the rule that failed), else
// the error, which carries no personal data.
func staffMessage(err error) string {
	var app *temporal.ApplicationError
	if errors.As(err, &app) && app.HasDetails() {
		var fault activities.VendorFault
		if app.Details(&fault) == nil && fault.Message != "" {
			return fault.Message
		}
	}
	if errors.As(err, &app) {
		return app.Error()
	}
	var timeout *temporal.TimeoutError
	if errors.As(err, &timeout) {
		return "no answer within the retry window"
	}
	return err.Error()
}
