package activities

import (
	"testing"
	"time"

	"github.com/guestflow/guestflow/config"
)

// The Passquare queue's rate, times the requests one activity may send,
// stays within the headroom of Passquare's one request a second (which the
// spacing of each process also keeps: 1/1.25 s) and of each plan's hourly
// quota, however many workers share the queue.
func TestPassquareRateKeepsEveryPlanWithinItsLimits(t *testing.T) {
	for plan, perHour := range config.PassquarePlans {
		rate := PassquareRate(plan)
		requestsPerSecond := rate * passquareCallsPerActivity
		if limit := passquareHeadroom; requestsPerSecond > limit+1e-9 {
			t.Errorf("%s: %.3f requests/s from the queue, above %.2f", plan, requestsPerSecond, limit)
		}
		if perProcess := 1 / passquareSpacing.Seconds(); perProcess > passquareHeadroom+1e-9 {
			t.Errorf("a process spaced by %s sends %.3f requests/s", passquareSpacing, perProcess)
		}
		if hourly := requestsPerSecond * time.Hour.Seconds(); hourly > passquareHeadroom*float64(perHour)+1e-6 {
			t.Errorf("%s: %.0f requests an hour, quota %d", plan, hourly, perHour)
		}
		if o := PassquareWorkerOptions(plan); o.MaxConcurrentActivityExecutionSize != 1 || o.TaskQueueActivitiesPerSecond != rate {
			t.Errorf("%s: worker options %+v", plan, o)
		}
	}
}
