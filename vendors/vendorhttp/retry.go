package vendorhttp

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"
)

// Backoff says how a vendor call is tried again after a transient failure:
// by a program outside Temporal (setup, the worker's start-up checks) with
// Retry, and by a Client whose Retry is set, inside the one call.
type Backoff struct {
	First    time.Duration // wait after the first failure
	Max      time.Duration // the wait doubles up to this
	Attempts int           // calls in all; 0 means until ctx ends (or Within is spent)
	// Within bounds the waits of one call in all; 0 means no bound. A
	// Retry-After that does not fit in what is left ends the retries, and
	// the caller (Temporal, for an activity) waits it out instead.
	Within time.Duration
}

// InActivity is the Backoff of the clients activities use: a vendor's
// short fault (a dropped connection, a 5xx, a 429 burst) is absorbed within
// the call in about 30 s at most, and only a longer outage fails the
// attempt and reaches the activity's retry policy. Four calls in all keeps
// the extra load on a struggling vendor small.
var InActivity = Backoff{First: time.Second, Max: 8 * time.Second, Attempts: 4, Within: 30 * time.Second}

// Retry calls f until it succeeds, fails in a way that is not transient
// (see Error.Retryable: a refusal stops at once), or b's attempts are spent;
// it returns f's last error, or ctx's error when ctx ends while waiting. A
// vendor's Retry-After longer than the backoff is honoured. retrying, when
// not nil, hears of each failure that will be tried again and the wait.
func Retry(ctx context.Context, b Backoff, f func(context.Context) error, retrying func(err error, wait time.Duration)) error {
	return b.run(ctx, f, (*Error).Retryable, retrying)
}

// run is the one retry loop: f is tried again while again accepts its
// *Error, within b.
func (b Backoff) run(ctx context.Context, f func(context.Context) error, again func(*Error) bool, retrying func(err error, wait time.Duration)) error {
	wait := b.First
	var waited time.Duration
	for attempt := 1; ; attempt++ {
		err := f(ctx)
		var ve *Error
		if err == nil || !errors.As(err, &ve) || !again(ve) || (b.Attempts > 0 && attempt >= b.Attempts) {
			return err
		}
		d := jitter(wait)
		if ve.RetryAfter > 0 {
			// A little over what the vendor asked, so that callers told
			// the same moment do not all arrive in the same instant; but
			// a Retry-After that fits in what is left is always waited out.
			d = max(d, ve.RetryAfter+jitter(ve.RetryAfter/10))
			if left := b.Within - waited; b.Within > 0 && ve.RetryAfter <= left {
				d = min(d, left)
			}
		}
		if b.Within > 0 && waited+d > b.Within {
			return err
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d+time.Second {
			return err // no time left for another call: the caller retries
		}
		if retrying != nil {
			retrying(err, d)
		}
		if err := sleep(ctx, d); err != nil {
			return err
		}
		waited += d
		wait = min(2*wait, b.Max)
	}
}

// jitter is a wait between d/2 and d, so that calls that failed together
// do not come back together.
func jitter(d time.Duration) time.Duration {
	if d <= 1 {
		return d
	}
	return d/2 + rand.N(d/2+1)
}

// heartbeatEvery is how often a waiting call reports that its activity is
// alive; activities that heartbeat set a HeartbeatTimeout well above it.
const heartbeatEvery = 5 * time.Second

// sleep waits d, heartbeating through ctx's hook, or returns ctx's error.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	tick := time.NewTicker(heartbeatEvery)
	defer tick.Stop()
	for {
		heartbeat(ctx)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			return nil
		case <-tick.C:
		}
	}
}

type heartbeatKey struct{}

// WithHeartbeat returns ctx under which every call, and every wait between
// a call's attempts, first calls beat: an activity passes a function that
// records its heartbeat (with its progress as details), so Temporal knows
// it is alive while a call waits out a vendor's fault. Outside activities
// nobody sets it, and nothing beats.
func WithHeartbeat(ctx context.Context, beat func()) context.Context {
	return context.WithValue(ctx, heartbeatKey{}, beat)
}

func heartbeat(ctx context.Context) {
	if beat, ok := ctx.Value(heartbeatKey{}).(func()); ok && beat != nil {
		beat()
	}
}
