package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/guestflow/guestflow/scenario"
	"github.com/guestflow/guestflow/vendors/sandboxkit"
)

// chaosScenario is one kind of trouble played beside the day.
type chaosScenario struct {
	name    string
	workers int
	faults  func(seed int64) faults
	// during makes the trouble while the day plays, and says what it did.
	during func(ctx context.Context, r *scenarioRun) ([]string, error)
	// after checks what only this scenario promises, once the stays settled.
	after func(ctx context.Context, r *scenarioRun, out *row)
}

// scenarioRun is what a scenario's trouble works on.
type scenarioRun struct {
	st    *stack
	day   *scenario.Day
	hooks *hooks
	play  time.Duration
	rnd   *rand.Rand
	// outage is when Temporal was down, for the webhook's answers.
	outageFrom, outageTo time.Time
}

const baselineName = "baseline"

var baseline = chaosScenario{name: baselineName, workers: 1}

var scenarios = []chaosScenario{
	{name: "worker-sigkill", workers: 1, during: killWorkerRepeatedly},
	{name: "two-workers-one-killed", workers: 2, during: killSecondWorkerForGood},
	{name: "temporal-restart", workers: 1, during: restartTemporal},
	{name: "vendor-faults", workers: 1, faults: func(seed int64) faults {
		return faults{vendors: sandboxkit.Faults{
			ErrorRate: 0.2, DropRate: 0.02, Latency: 30 * time.Millisecond,
			Burst429Every: 25, Burst429Len: 3, RetryAfter: 2 * time.Second, Seed: uint64(seed),
		}}
	}},
	{name: "lost-responses", workers: 1, faults: func(int64) faults { return faults{loseAnswers: true} }},
	{name: "temporal-down-webhook", workers: 1, during: hooksWhileTemporalDown, after: repeatedAndConflictingHooks},
}

func scenarioNames() []string {
	var out []string
	for _, s := range scenarios {
		out = append(out, s.name)
	}
	return out
}

func scenarioNamed(name string) chaosScenario {
	for _, s := range scenarios {
		if s.name == name {
			return s
		}
	}
	return baseline
}

// sleepUntil waits until at, or ctx ends.
func sleepUntil(ctx context.Context, at time.Time) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(time.Until(at)):
		return nil
	}
}

// busyMoment is a seeded moment in the middle half of the play, where the
// day is busiest.
func (r *scenarioRun) busyMoment(start time.Time) time.Time {
	return start.Add(r.play/4 + time.Duration(r.rnd.Int64N(int64(r.play/2))))
}

// killWorkerRepeatedly SIGKILLs the worker at least five times during the
// busiest part of the day and starts it again each time.
func killWorkerRepeatedly(ctx context.Context, r *scenarioRun) ([]string, error) {
	start := time.Now()
	kills := 5 + r.rnd.IntN(2)
	var at []time.Time
	for range kills {
		at = append(at, r.busyMoment(start))
	}
	slices.SortFunc(at, func(a, b time.Time) int { return a.Compare(b) })
	var notes []string
	for _, t := range at {
		if err := sleepUntil(ctx, t); err != nil {
			return notes, err
		}
		r.st.workers[0].Kill()
		down := time.Duration(200+r.rnd.IntN(1300)) * time.Millisecond
		notes = append(notes, fmt.Sprintf("SIGKILL at %.1fs, down %.1fs", time.Since(start).Seconds(), down.Seconds()))
		if err := sleepUntil(ctx, time.Now().Add(down)); err != nil {
			return notes, err
		}
		if err := r.st.startWorker(ctx, 0); err != nil {
			return notes, err
		}
	}
	return notes, nil
}

// killSecondWorkerForGood SIGKILLs one of the two workers mid-day; the
// other carries on alone.
func killSecondWorkerForGood(ctx context.Context, r *scenarioRun) ([]string, error) {
	start := time.Now()
	if err := sleepUntil(ctx, start.Add(r.play/2)); err != nil {
		return nil, err
	}
	r.st.workers[1].Kill()
	return []string{fmt.Sprintf("worker-2 SIGKILLed for good at %.1fs", time.Since(start).Seconds())}, nil
}

// restartTemporal stops the dev server mid-day and starts it again on its
// database file and port.
func restartTemporal(ctx context.Context, r *scenarioRun) ([]string, error) {
	start := time.Now()
	if err := sleepUntil(ctx, r.busyMoment(start)); err != nil {
		return nil, err
	}
	down := time.Duration(2000+r.rnd.IntN(3000)) * time.Millisecond
	at := time.Since(start)
	if err := r.st.stopTemporal(); err != nil {
		return nil, fmt.Errorf("stop Temporal: %w", err)
	}
	if err := sleepUntil(ctx, time.Now().Add(down)); err != nil {
		return nil, err
	}
	if err := r.st.startTemporal(ctx); err != nil {
		return nil, fmt.Errorf("restart Temporal: %w", err)
	}
	return []string{fmt.Sprintf("Temporal stopped at %.1fs, down %.1fs, restarted in %.1fs", at.Seconds(), down.Seconds(),
		time.Since(start).Seconds()-at.Seconds()-down.Seconds())}, nil
}

// outageHooks is how many guests get a createCustomer and an addBalance
// sent during the outage, besides the day's own.
const outageHooks = 3

// outageLength is how long Temporal stays down under the webhook: longer
// than the webhook's 10 s bound on a Temporal call, so hooks get its 503.
const outageLength = 15 * time.Second

// hooksWhileTemporalDown stops Temporal mid-day and sends createCustomer
// and addBalance hooks meanwhile; Passquare's re-sends bring them after
// the recovery.
func hooksWhileTemporalDown(ctx context.Context, r *scenarioRun) ([]string, error) {
	start := time.Now()
	if err := sleepUntil(ctx, start.Add(r.play/2)); err != nil {
		return nil, err
	}
	r.outageFrom = time.Now()
	if err := r.st.stopTemporal(); err != nil {
		return nil, fmt.Errorf("stop Temporal: %w", err)
	}
	sent := 0
	appKey := r.st.cfg.Passquare.AppKey.Value()
	for _, g := range r.day.Guests() {
		if sent == outageHooks {
			break
		}
		c, ok := r.st.sandboxes.Passquare.Customer(appKey, g.E164)
		if !ok || c.CardNumber == "" || !g.InstallsCard {
			continue
		}
		r.hooks.enqueue(hookJob{install: true, grant: grant{phone: g.E164}})
		r.hooks.enqueue(hookJob{grant: grant{phone: g.E164, card: c.CardNumber, sum: r.hooks.sum(),
			txn: fmt.Sprintf("chaos-down-%d-%d", g.ReservationID, g.CustomerID)}})
		sent++
	}
	if err := sleepUntil(ctx, r.outageFrom.Add(outageLength)); err != nil {
		return nil, err
	}
	if err := r.st.startTemporal(ctx); err != nil {
		return nil, fmt.Errorf("restart Temporal: %w", err)
	}
	r.outageTo = time.Now()
	return []string{fmt.Sprintf("Temporal down from %.1fs for %.1fs; %d guests' hooks sent meanwhile",
		r.outageFrom.Sub(start).Seconds(), r.outageTo.Sub(r.outageFrom).Seconds(), sent)}, nil
}

// repeatedAndConflictingHooks checks the webhook's answers during the
// outage (503 with Retry-After, nothing else), then sends every granted
// addBalance again (answered as the first, applied once) and once more
// with another sum (refused); the balances, compared afterwards, must not
// have moved.
func repeatedAndConflictingHooks(ctx context.Context, r *scenarioRun, out *row) {
	h := r.hooks
	h.mu.Lock()
	answers := slices.Clone(h.answers)
	granted := slices.Clone(h.granted)
	h.mu.Unlock()
	unavailable := map[string]int{}
	for _, a := range answers {
		if a.at.Before(r.outageFrom) || a.at.After(r.outageTo) {
			continue
		}
		if a.status == http.StatusServiceUnavailable && a.retryAfter {
			unavailable[a.method]++
			continue
		}
		out.Problems = append(out.Problems, fmt.Sprintf("%s answered %d (Retry-After %v) while Temporal was down", a.method, a.status, a.retryAfter))
	}
	out.Notes = append(out.Notes, fmt.Sprintf("during the outage: %d createCustomer and %d addBalance answered 503 with Retry-After",
		unavailable["createCustomer"], unavailable["addBalance"]))
	if unavailable["createCustomer"] == 0 || unavailable["addBalance"] == 0 {
		out.Problems = append(out.Problems, "no createCustomer or no addBalance reached the webhook while Temporal was down")
	}
	repeats, refused := 0, 0
	for _, g := range granted {
		res, err := h.pq.AddBalance(ctx, g.phone, g.card, g.sum.StringFixed(2), g.txn, nil)
		if err != nil || res.Status != http.StatusOK || res.Success == nil || !*res.Success {
			out.Problems = append(out.Problems, fmt.Sprintf("addBalance %s sent again: answered %d, want the first answer", g.txn, res.Status))
		} else {
			repeats++
		}
		other := g.sum.Add(decimal.New(1, 0))
		res, err = h.pq.AddBalance(ctx, g.phone, g.card, other.StringFixed(2), g.txn, nil)
		if err == nil && res.Status == http.StatusOK && res.Success != nil && *res.Success {
			out.Problems = append(out.Problems, fmt.Sprintf("addBalance %s with another sum was granted", g.txn))
		} else {
			refused++
		}
	}
	out.Notes = append(out.Notes, fmt.Sprintf("%d addBalance repeats answered as the first, %d with another sum refused", repeats, refused))
}
