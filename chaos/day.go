package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/guestflow/guestflow/config"
	"github.com/guestflow/guestflow/rules"
	"github.com/guestflow/guestflow/scenario"
	pqsandbox "github.com/guestflow/guestflow/vendors/passquare/sandbox"
)

// generateDay plans the seeded day for the configuration's branches, with
// the guests arriving over the day as a hotel sees them.
func generateDay(cfg *config.Group, seed int64, arrivalsPerBranch int, now time.Time) (*scenario.Day, error) {
	branches := scenario.BranchesOf(cfg)
	for i := range branches {
		branches[i].PassportScanAPIKey = cfg.Branches[branches[i].ID].PassportScanAPIKey.Value()
	}
	o := scenario.Options{
		Seed: seed, Day: rules.Today(now, cfg.Branches[cfg.BranchIDs[0]].Location), Branches: branches,
		ArrivalsPerBranch: arrivalsPerBranch, ArrivalsOverTime: true,
		Passquare: scenario.PassquareAccount{AppKey: cfg.Passquare.AppKey.Value(), Plan: cfg.Passquare.Plan},
	}
	if err := o.Validate(); err != nil {
		return nil, err
	}
	return scenario.Generate(o), nil
}

// clockFor compresses the day's timeline, from shortly before its first
// event to its last, into play of real time.
func clockFor(day *scenario.Day, play time.Duration) (scenario.Clock, float64) {
	events := day.Timeline()
	if len(events) == 0 {
		return scenario.NewClock(day.Start, 1), 1
	}
	from := events[0].At.Add(-5 * time.Minute)
	speed := float64(events[len(events)-1].At.Sub(from)) / float64(play)
	return scenario.NewClock(from, speed), speed
}

// hooks plays Passquare's side of the hooks: after each install, one
// addBalance per guest (a purchase with the card), and every hook that got
// no success sent again, honouring Retry-After, as Passquare retries. It
// keeps what guestflow acknowledged, which the expected balances follow.
type hooks struct {
	pq     *pqsandbox.Server
	appKey string
	rnd    *rand.Rand

	mu        sync.Mutex
	installed map[string]bool            // phones whose createCustomer was answered 200
	added     map[string]decimal.Decimal // phone: the addBalance sums granted
	granted   []grant                    // every addBalance granted, for the repeats
	answers   []hookAnswer               // every answer, for the outage's checks
	unsettled int                        // hooks still to be answered with a success
	queue     chan hookJob
}

type grant struct {
	phone, card, txn string
	sum              decimal.Decimal
}

type hookAnswer struct {
	method     string
	status     int
	retryAfter bool
	at         time.Time
}

type hookJob struct {
	install bool
	grant
	attempts int
}

// maxHookAttempts bounds Passquare's re-sending of one hook (about two
// minutes at one attempt a second).
const maxHookAttempts = 120

func newHooks(pq *pqsandbox.Server, appKey string, seed int64) *hooks {
	return &hooks{pq: pq, appKey: appKey, rnd: rand.New(rand.NewPCG(uint64(seed), 0x5eed)),
		installed: map[string]bool{}, added: map[string]decimal.Decimal{}, queue: make(chan hookJob, 4096)}
}

// hookSenders is how many hooks are on their way at once.
const hookSenders = 4

// run sends the queued hooks until ctx ends.
func (h *hooks) run(ctx context.Context) {
	var wg sync.WaitGroup
	for range hookSenders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-ctx.Done():
					return
				case j := <-h.queue:
					h.send(ctx, j)
				}
			}
		}()
	}
	wg.Wait()
}

func (h *hooks) enqueue(j hookJob) {
	h.mu.Lock()
	h.unsettled++
	h.mu.Unlock()
	h.queue <- j
}

// pending reports how many hooks still wait for a success.
func (h *hooks) pending() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.unsettled
}

func (h *hooks) send(ctx context.Context, j hookJob) {
	var res pqsandbox.HookResult
	var err error
	method := "addBalance"
	if j.install {
		method = "createCustomer"
		res, err = h.pq.InstallCard(ctx, j.phone)
	} else {
		res, err = h.pq.AddBalance(ctx, j.phone, j.card, j.sum.StringFixed(2), j.txn, nil)
	}
	h.mu.Lock()
	h.answers = append(h.answers, hookAnswer{method: method, status: res.Status, retryAfter: res.RetryAfter != "", at: time.Now()})
	done := err == nil && res.Status == http.StatusOK
	switch {
	case done && j.install:
		h.installed[j.phone] = true
	case done && res.Success != nil && *res.Success:
		h.added[j.phone] = h.added[j.phone].Add(j.sum)
		h.granted = append(h.granted, j.grant)
	}
	retry := !done && (err != nil || res.Status >= 500 || res.Status == 0) && j.attempts < maxHookAttempts
	if !retry {
		h.unsettled--
	}
	h.mu.Unlock()
	if !retry {
		return
	}
	wait := time.Second
	if d, perr := time.ParseDuration(res.RetryAfter + "s"); perr == nil && d > 0 {
		wait = d
	}
	j.attempts++
	go func() {
		select {
		case <-ctx.Done():
		case <-time.After(wait):
			h.queue <- j
		}
	}()
}

// installed reports, after Play installed a card, whether guestflow
// acknowledged its createCustomer; if not, it is sent again.
func (h *hooks) afterInstall(phone, card string, txn string) {
	if st, ok := h.lastStatus("createCustomer", phone); ok && st == http.StatusOK {
		h.mu.Lock()
		h.installed[phone] = true
		h.mu.Unlock()
	} else {
		h.enqueue(hookJob{install: true, grant: grant{phone: phone}})
	}
	h.enqueue(hookJob{grant: grant{phone: phone, card: card, txn: txn, sum: h.sum()}})
}

// sum draws a purchase between 1.00 and 20.00.
func (h *hooks) sum() decimal.Decimal {
	h.mu.Lock()
	defer h.mu.Unlock()
	return decimal.New(int64(100+h.rnd.IntN(1901)), -2)
}

// lastStatus is the answer to the last hook of method the sandbox sent for
// phone.
func (h *hooks) lastStatus(method, phone string) (int, bool) {
	sent := h.pq.HooksSent()
	for i := len(sent) - 1; i >= 0; i-- {
		if sent[i].Method != method {
			continue
		}
		var body struct {
			Customer struct {
				Phone string `json:"phone"`
			} `json:"customer"`
		}
		if json.Unmarshal(sent[i].Body, &body) == nil && body.Customer.Phone == phone {
			return sent[i].Status, true
		}
	}
	return 0, false
}

// play plays the day into the sandboxes and sends each installed card's
// addBalance; it returns when every event has been applied.
func (h *hooks) play(ctx context.Context, day *scenario.Day, sb scenario.Sandboxes, clock scenario.Clock) error {
	return day.Play(ctx, sb, clock, func(a scenario.Applied) {
		if a.Event.Kind == scenario.CardInstalled && a.Err == nil {
			h.afterInstall(a.Event.Phone, a.CardNumber, fmt.Sprintf("chaos-%d-%d", a.Event.ReservationID, a.Event.CustomerID))
		}
	})
}
