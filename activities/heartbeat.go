package activities

import (
	"context"

	"go.temporal.io/sdk/activity"

	"github.com/guestflow/guestflow/vendors/vendorhttp"
)

// vendorCalls prepares an activity's ctx for its vendor calls: each call,
// and each wait between a call's attempts (vendorhttp retries a transient
// fault inside the call), records the activity's heartbeat, with
// progress() as its details when progress is not nil, so a heartbeat
// never drops what the attempt has learned. It also counts the attempt
// when it is a retry (guestflow_activity_retried_attempts, tagged with the
// activity type by the SDK), beside the per-call retries vendorhttp counts.
func vendorCalls(ctx context.Context, progress func() any) context.Context {
	if !activity.IsActivity(ctx) {
		return ctx
	}
	if activity.GetInfo(ctx).Attempt > 1 {
		activity.GetMetricsHandler(ctx).Counter("guestflow_activity_retried_attempts").Inc(1)
	}
	return vendorhttp.WithHeartbeat(ctx, func() {
		if progress == nil {
			activity.RecordHeartbeat(ctx)
			return
		}
		activity.RecordHeartbeat(ctx, progress())
	})
}

// resume fills p with the progress the previous attempt recorded in its
// heartbeat details, and reports whether there was any. Unreadable
// progress counts as none: starting over is safe, only dearer, since
// every activity looks for a write whose answer it did not get.
func resume(ctx context.Context, p any) bool {
	if !activity.IsActivity(ctx) || !activity.HasHeartbeatDetails(ctx) {
		return false
	}
	if err := activity.GetHeartbeatDetails(ctx, p); err != nil {
		activity.GetLogger(ctx).Warn("previous attempt's progress unreadable; starting over", "error", err)
		return false
	}
	return true
}

// progressed records p at once, so that it outlives a failure of the next call.
func progressed(ctx context.Context, p any) {
	if activity.IsActivity(ctx) {
		activity.RecordHeartbeat(ctx, p)
	}
}
