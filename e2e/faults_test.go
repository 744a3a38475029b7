package e2e

import (
	"os"
	"testing"
	"time"

	"github.com/guestflow/guestflow/vendors/sandboxkit"
)

// issue15Faults are the fault rates of issue 15: every sandbox answers a
// fifth of the calls 500, drops one in twenty connections, adds 300 ms to
// each call and now and then refuses a short burst with 429 (Retry-After 3 s).
var issue15Faults = sandboxkit.Faults{ErrorRate: 0.2, DropRate: 0.05, Latency: 300 * time.Millisecond,
	Burst429Every: 40, Burst429Len: 3, RetryAfter: 3 * time.Second, Seed: 15}

// TestScenarioDayUnderFaults plays a smaller seeded day twice, without and
// with issue15Faults at every sandbox: with faults it ends where the rules
// say, with no guest lost and nothing written twice, in at most twice the
// time. It runs only with GUESTFLOW_FAULT_DAY=1: it takes 3 minutes or
// more, and its time is not yet steady, because a Passquare call that fails
// is retried by Temporal (10 s doubling), not inside the call, and one card
// issuance unlucky four times in a row holds the day for minutes.
func TestScenarioDayUnderFaults(t *testing.T) {
	if os.Getenv("GUESTFLOW_FAULT_DAY") != "1" {
		t.Skip("set GUESTFLOW_FAULT_DAY=1 to play a day under faults")
	}
	clean := playDay(t, sandboxkit.Faults{})
	faulty := playDay(t, issue15Faults)
	t.Logf("settled in %v without faults, %v with them: ratio %.2f", clean.Round(time.Second), faulty.Round(time.Second), faulty.Seconds()/clean.Seconds())
	if faulty > 2*clean {
		t.Errorf("with faults the day took %v, more than twice %v", faulty, clean)
	}
}

// playDay plays a seeded day of 12 arrivals with the sandboxes at faults and
// returns how long it took to settle where the rules say.
func playDay(t *testing.T, faults sandboxkit.Faults) time.Duration {
	s := startStack(t, false)
	day := romeDay(15, 12)
	want := day.Expected()
	s.passport.SetFaults(faults)
	s.mews.SetFaults(faults)
	s.passquare.SetFaults(faults)
	s.passcreator.SetFaults(faults)
	start := time.Now()
	s.playUntilSettled(day, 4*time.Minute)
	took := time.Since(start)
	s.nothingLostNorTwice(want)
	return took
}
