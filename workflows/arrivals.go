package workflows

import (
	"slices"
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
// key moves its "changed since" mark; the reconciling poll reads today,
// tomorrow and the last LateDocumentDays in full, so a change a failed or
// overlapping poll missed, or a document scanned after its arrival day,
// arrives at the latest with the next reconciling poll.
func PollArrivals(ctx workflow.Context, in lifecycle.PollArrivals) (activities.PollArrivalsResult, error) {
	loc, err := time.LoadLocation(in.TimeZone)
	if err != nil {
		return activities.PollArrivalsResult{}, temporal.NewNonRetryableApplicationError("time zone "+in.TimeZone+" does not load", "InvalidPollInput", nil)
	}
	today := rules.Today(workflow.Now(ctx), loc)
	dates := []string{today.String()}
	if in.Full {
		dates = append(dates, today.AddDays(1).String())
		if workflow.GetVersion(ctx, reconcileLateDocuments, workflow.DefaultVersion, 1) == 1 {
			// A document scanned after the arrival day (a late check-in, a
			// companion scanned on day two) belongs to an earlier date.
			for d := max(in.LateDocumentDays, 1); d >= 1; d-- {
				dates = append(dates, today.AddDays(-d).String())
			}
		}
	}
	return pollDates(ctx, in.BranchID, dates, in.Full)
}

// reconcileLateDocuments marks full polls that read earlier arrival days
// too; earlier ones read today and tomorrow only.
const reconcileLateDocuments = "reconcile-late-documents"

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
		total.Add(res)
	}
	return total, nil
}

// fetchThenDeliver marks polls that fetch in one activity and deliver in
// others; earlier polls did both in one.
const fetchThenDeliver = "poll-fetch-then-deliver"

// deliveryBatch is how many guests one delivery activity hands over.
const deliveryBatch = 50

// pollDates fetches the guests once and keeps them, then hands them to
// their stays in batches: a failed delivery is retried with what was
// fetched, never by fetching again (a change poll's second call would find
// the changes taken). A guest that cannot be delivered is counted and left
// to the next poll; one broken stay never holds up the branch.
func pollDates(ctx workflow.Context, branchID string, dates []string, full bool) (activities.PollArrivalsResult, error) {
	in := activities.PollArrivalsInput{BranchID: branchID, Dates: dates, AllCustomers: full}
	if workflow.GetVersion(ctx, fetchThenDeliver, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return pollInOneActivity(ctx, in)
	}

	fetchCtx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		Summary:             "Fetch arrivals from PassportScan",
		StartToCloseTimeout: 5 * time.Minute,
		HeartbeatTimeout:    time.Minute,
		// The next scheduled poll comes soon; a poll that cannot finish
		// gives way to it rather than piling up.
		ScheduleToCloseTimeout: 10 * time.Minute,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval: 5 * time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute,
			NonRetryableErrorTypes: []string{activities.ErrVendorRefused, activities.ErrInvalidInput},
		},
	})
	var fetched activities.FetchArrivalsResult
	if err := workflow.ExecuteActivity(fetchCtx, passportScanActivities.FetchArrivals, in).Get(ctx, &fetched); err != nil {
		return fetched.Counts, err
	}

	res := fetched.Counts
	deliverCtx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		Summary:                "Hand each guest's snapshot to their stay",
		StartToCloseTimeout:    5 * time.Minute,
		HeartbeatTimeout:       time.Minute,
		ScheduleToCloseTimeout: 10 * time.Minute,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval: 5 * time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute,
			NonRetryableErrorTypes: []string{activities.ErrInvalidInput},
		},
	})
	// The batches go out together; each activity delivers parallelDeliveries
	// at a time, so a slow guest holds up only its own batch.
	type pending struct {
		guests int
		done   workflow.Future
	}
	var batches []pending
	for batch := range slices.Chunk(fetched.Guests, deliveryBatch) {
		batches = append(batches, pending{len(batch), workflow.ExecuteActivity(deliverCtx, passportScanActivities.DeliverSnapshots,
			activities.DeliverSnapshotsInput{BranchID: branchID, Guests: batch})})
	}
	for _, b := range batches {
		var delivered activities.PollArrivalsResult
		if err := b.done.Get(ctx, &delivered); err != nil {
			// Temporal itself stayed out of reach: the next poll delivers them.
			delivered = activities.PollArrivalsResult{Failed: b.guests}
		}
		res.Add(delivered)
	}
	if res.Failed > 0 {
		workflow.GetLogger(ctx).Warn("guests not delivered; the next poll tries again", "branch_id", branchID, "failed", res.Failed)
	}
	return res, nil
}

// pollInOneActivity is the poll of workflows recorded before
// fetchThenDeliver.
func pollInOneActivity(ctx workflow.Context, in activities.PollArrivalsInput) (activities.PollArrivalsResult, error) {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		Summary:                "Fetch arrivals from PassportScan and hand each guest to their stay",
		StartToCloseTimeout:    5 * time.Minute,
		HeartbeatTimeout:       time.Minute,
		ScheduleToCloseTimeout: 15 * time.Minute,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval: 5 * time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute,
			NonRetryableErrorTypes: []string{activities.ErrVendorRefused, activities.ErrInvalidInput},
		},
	})
	var res activities.PollArrivalsResult
	err := workflow.ExecuteActivity(ctx, passportScanActivities.PollArrivals, in).Get(ctx, &res)
	return res, err
}
