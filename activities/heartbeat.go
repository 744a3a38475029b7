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
