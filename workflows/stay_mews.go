package workflows

import (
	"errors"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/guestflow/guestflow/activities"
	"github.com/guestflow/guestflow/lifecycle"
)

// mewsUnavailableRetry is how long a stay waits, after Mews stayed down for
// the whole retry window, before trying again by itself.
const mewsUnavailableRetry = time.Hour

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
// staff too, and is retried hourly.
func (s *stay) updateMews(ctx workflow.Context) mewsOutcome {
	for {
		ctx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
			Summary:             "Update the guest and their document in Mews",
			StartToCloseTimeout: 2 * time.Minute,
			// The activity heartbeats with each call and while a call waits
			// out a fault, carrying what it has done to the next attempt.
			HeartbeatTimeout:       time.Minute,
			ScheduleToCloseTimeout: 2 * time.Hour,
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
			s.stuck(ctx, lifecycle.ReasonMewsRefused, staffMessage(err), "staff to fix the guest in Mews or PassportScan, then starter retry")
			if !s.await(ctx, time.Time{}, "", newer) {
				return stayEnded
			}
			if s.snapshots != snapshots {
				return rescanned
			}
			continue
		}
		s.stuck(ctx, lifecycle.ReasonMewsUnavailable, staffMessage(err), "Mews to answer again (retried hourly), or starter retry")
		if !s.await(ctx, workflow.Now(ctx).Add(mewsUnavailableRetry), "the next Mews retry", newer) {
			return stayEnded
		}
		if s.snapshots != snapshots && workflow.GetVersion(ctx, rescanAfterMewsOutage, workflow.DefaultVersion, 1) == 1 {
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
