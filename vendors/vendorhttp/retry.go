package vendorhttp

import (
	"context"
	"errors"
	"time"
)

// Backoff says how a program outside Temporal (setup, the worker's start-up
// checks) tries a vendor call again after a transient failure. Activities
// do not use it: Temporal's retry policy retries them.
type Backoff struct {
	First    time.Duration // wait after the first failure
	Max      time.Duration // the wait doubles up to this
	Attempts int           // calls in all; 0 means until ctx ends
}

// Retry calls f until it succeeds, fails in a way that is not transient
// (see Error.Retryable: a refusal stops at once), or b's attempts are spent;
// it returns f's last error, or ctx's error when ctx ends while waiting. A
// vendor's Retry-After longer than the backoff is honoured. retrying, when
// not nil, hears of each failure that will be tried again and the wait.
func Retry(ctx context.Context, b Backoff, f func(context.Context) error, retrying func(err error, wait time.Duration)) error {
	wait := b.First
	for attempt := 1; ; attempt++ {
		err := f(ctx)
		var ve *Error
		if err == nil || !errors.As(err, &ve) || !ve.Retryable() || (b.Attempts > 0 && attempt >= b.Attempts) {
			return err
		}
		d := max(wait, ve.RetryAfter)
		if retrying != nil {
			retrying(err, d)
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		wait = min(2*wait, b.Max)
	}
}
