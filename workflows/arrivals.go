package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/guestflow/guestflow/activities"
	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/rules"
)

var passportScanActivities *activities.PassportScan

// PollArrivals hands a branch's arriving guests to their stays. The frequent
// poll asks PassportScan for today's changes only, because each call of a
// key moves its "changed since" mark; the reconciling poll reads today and
// tomorrow in full, so a change a failed or overlapping poll missed arrives
// at the latest with the next reconciling poll.
func PollArrivals(ctx workflow.Context, in lifecycle.PollArrivals) (activities.PollArrivalsResult, error) {
	loc, err := time.LoadLocation(in.TimeZone)
	if err != nil {
		return activities.PollArrivalsResult{}, temporal.NewNonRetryableApplicationError("time zone "+in.TimeZone+" does not load", "InvalidPollInput", nil)
	}
	today := rules.Today(workflow.Now(ctx), loc)
	dates := []string{today.String()}
	if in.Full {
		dates = append(dates, today.AddDays(1).String())
	}
	return pollDates(ctx, in.BranchID, dates, in.Full)
}

// BackfillArrivals reads a range of days in full, one day per activity so
// that progress survives a failure.
func BackfillArrivals(ctx workflow.Context, in lifecycle.BackfillArrivals) (activities.PollArrivalsResult, error) {
	var total activities.PollArrivalsResult
	if in.To.Before(in.From) || in.From.AddDays(62).Before(in.To) {
		return total, temporal.NewNonRetryableApplicationError("backfill wants From <= To, at most 62 days", "InvalidBackfill", nil)
	}
	for d := in.From; !d.After(in.To); d = d.AddDays(1) {
		res, err := pollDates(ctx, in.BranchID, []string{d.String()}, true)
		if err != nil {
			return total, err
		}
		total.Reservations += res.Reservations
		total.Guests += res.Guests
		total.Departed += res.Departed
		total.Skipped += res.Skipped
	}
	return total, nil
}

func pollDates(ctx workflow.Context, branchID string, dates []string, full bool) (activities.PollArrivalsResult, error) {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		Summary:             "Fetch arrivals from PassportScan and hand each guest to their stay",
		StartToCloseTimeout: 5 * time.Minute,
		HeartbeatTimeout:    time.Minute,
		// The next scheduled poll comes soon; a poll that cannot finish
		// gives way to it rather than piling up.
		ScheduleToCloseTimeout: 15 * time.Minute,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval: 5 * time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute,
			NonRetryableErrorTypes: []string{activities.ErrVendorRefused, activities.ErrInvalidInput},
		},
	})
	var res activities.PollArrivalsResult
	err := workflow.ExecuteActivity(ctx, passportScanActivities.PollArrivals, activities.PollArrivalsInput{
		BranchID: branchID, Dates: dates, AllCustomers: full,
	}).Get(ctx, &res)
	return res, err
}
