package rules

import "time"

// DefaultCheckout is the time of day a stay's departure counts from.
const DefaultCheckout = 12 * time.Hour

// StayEnd is the moment the stay workflow completes: the checkout time on the
// departure day as the branch's wall clock shows it (checkout zero or less
// means DefaultCheckout; loc nil means UTC), plus grace (negative counts as
// none). The checkout is wall-clock, so noon stays noon on the days the
// clocks change; grace is elapsed time, since it is a waiting period, not an
// appointment. A checkout inside the spring-forward gap moves forward by the
// gap, as time.Date does.
func StayEnd(departure Date, loc *time.Location, checkout, grace time.Duration) time.Time {
	if checkout <= 0 {
		checkout = DefaultCheckout
	}
	if grace < 0 {
		grace = 0
	}
	return departure.At(loc, checkout).Add(grace)
}

// Today is the civil date at the branch at the moment now.
func Today(now time.Time, loc *time.Location) Date {
	if loc == nil {
		loc = time.UTC
	}
	return DateOf(now.In(loc))
}
