package workflows

import (
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/guestflow/guestflow/activities"
	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/rules"
)

// Account tunables. The coalescing window lets several credits close
// together reach Passquare as one call, to spare the hourly quota.
const (
	pushCoalesce = 30 * time.Second
	// A push that failed is tried again by the main loop, after a backoff
	// between these bounds (or Passquare's Retry-After), with the balance of
	// that moment: after an outage the card gets the final balance at once.
	pushRetryFirst = time.Minute
	pushRetryMax   = 15 * time.Minute
	keepScanIDs    = 2000
	keepStays      = 20
	// Beyond these, or when the server suggests it, the account continues
	// as new with its compacted state, so it can live for years.
	accountHistoryLimit = 5000
	accountHistoryMB    = 5
)

// Account is a guest's loyalty account: their cards, the ledger of their
// balance, and the balance shown on their card. It never completes.
func Account(ctx workflow.Context, in lifecycle.AccountInput) error {
	a, err := newAccount(ctx, in)
	if err != nil {
		return err
	}
	return a.run(ctx)
}

// accountNeverBlocks marks the runs whose handlers and main line never wait
// on Passquare or on a stay: the balance push runs beside the loop, news to
// the stays is sent without waiting, and continue-as-new drains. Runs
// recorded before it keep the old path until they continue as new.
const accountNeverBlocks = "account-never-blocks"

// run sleeps until the next thing to do: record a scan, push the balance to
// Passquare, burn an accrual whose lifetime ended, or continue as new.
// Scans are received here, on the main line, so that none can be taken off
// the channel and then lost when the run continues as new.
func (a *account) run(ctx workflow.Context) error {
	for {
		workflow.SetCurrentDetails(ctx, a.details())
		a.sleep(ctx)
		if err := ctx.Err(); err != nil {
			return err
		}
		now := workflow.Now(ctx)
		a.burnDue(now)
		if a.pushReady(now) {
			a.push(ctx)
		}
		if a.historyFull(ctx) {
			return a.continueAsNew(ctx)
		}
	}
}

// details is what the account's Web UI page says: the balance, the cards,
// and where the balance push stands (ids and amounts only; it goes through
// the codec like every payload).
func (a *account) details() string {
	installed := 0
	for _, c := range a.state.Cards {
		if c.Installed {
			installed++
		}
	}
	d := fmt.Sprintf("Balance: %s\n\nCards: %d (%d installed)", a.state.Ledger.Balance().StringFixed(2), len(a.state.Cards), installed)
	switch {
	case a.pushing:
		d += "\n\nBalance push: on its way to Passquare"
	case a.pushDue != nil && a.pushFailures > 0:
		d += fmt.Sprintf("\n\nBalance push: %d failed in a row; next try %s", a.pushFailures, a.pushDue.UTC().Format(time.RFC3339))
	case a.pushDue != nil:
		d += "\n\nBalance push: due " + a.pushDue.UTC().Format(time.RFC3339)
	case a.state.Pushed != nil:
		d += "\n\nThe card shows " + a.state.Pushed.Balance.StringFixed(2)
	}
	return d
}

// sleep waits for a scan, an update's wake-up, the end of a push, or the
// next push or burn that is due.
func (a *account) sleep(ctx workflow.Context) {
	sel := workflow.NewSelector(ctx)
	sel.AddReceive(a.scans, func(c workflow.ReceiveChannel, _ bool) {
		var scan lifecycle.Scan
		c.Receive(ctx, &scan)
		a.recordScan(ctx, scan)
	})
	sel.AddReceive(a.wake, func(c workflow.ReceiveChannel, _ bool) { c.Receive(ctx, nil) })
	timerCtx, cancelTimer := workflow.WithCancel(ctx)
	defer cancelTimer()
	if wake := a.nextWake(); !wake.IsZero() {
		sel.AddFuture(workflow.NewTimerWithOptions(timerCtx, wake.Sub(workflow.Now(ctx)), workflow.TimerOptions{
			Summary: "the next balance push or accrual burn",
		}), func(workflow.Future) {})
	}
	sel.Select(ctx)
}

type account struct {
	key    string
	holder lifecycle.AccountHolder
	state  lifecycle.AccountState
	logger log.Logger
	scans  workflow.ReceiveChannel
	// wake tells the main line that an update changed what it waits for.
	wake workflow.Channel
	// pushDue is when the balance should next reach Passquare.
	pushDue *time.Time
	// pushMessage is the push text for the credits waiting to be pushed.
	pushMessage string
	// pushing: a push is in flight beside the main loop; cancelPush stops
	// it; pushFailures counts the pushes that failed in a row.
	pushing      bool
	cancelPush   workflow.CancelFunc
	pushFailures int
	// telling counts the news to stays not yet delivered.
	telling int
	// blocking: a run recorded before accountNeverBlocks.
	blocking bool
}

func newAccount(ctx workflow.Context, in lifecycle.AccountInput) (*account, error) {
	a := &account{
		key:    in.Key,
		holder: in.Holder,
		logger: log.With(workflow.GetLogger(ctx), "account_key", in.Key),
		scans:  workflow.GetSignalChannel(ctx, lifecycle.SignalRecordScan),
		wake:   workflow.NewBufferedChannel(ctx, 1),
	}
	a.blocking = workflow.GetVersion(ctx, accountNeverBlocks, workflow.DefaultVersion, 1) == workflow.DefaultVersion
	if in.Carried != nil {
		a.state = *in.Carried
		switch {
		case in.PendingPush != nil:
			a.pushDue, a.pushMessage = &in.PendingPush.Due, in.PendingPush.Message
		case a.state.Pushed == nil || !a.state.Pushed.Balance.Equal(a.state.Ledger.Balance()):
			a.schedulePush(workflow.Now(ctx), "")
		}
	}
	if err := a.setHandlers(ctx); err != nil {
		return nil, err
	}
	return a, a.publishCards(ctx)
}

func (a *account) setHandlers(ctx workflow.Context) error {
	if err := workflow.SetQueryHandler(ctx, lifecycle.QueryBalance, func() (lifecycle.Balance, error) {
		return a.balance(), nil
	}); err != nil {
		return err
	}
	handlers := []struct {
		name      string
		handler   any
		validator any
	}{
		{lifecycle.UpdateOpenAccount, a.openAccount, validOpenAccount},
		{lifecycle.UpdateAttachCard, a.attachCard, validCard},
		{lifecycle.UpdateInstallCard, a.installCard, validInstallCard},
		{lifecycle.UpdateAddBalance, a.addBalance, a.validAddBalance},
	}
	for _, h := range handlers {
		if err := workflow.SetUpdateHandlerWithOptions(ctx, h.name, h.handler,
			workflow.UpdateHandlerOptions{Validator: h.validator}); err != nil {
			return err
		}
	}
	return nil
}

// openAccount registers a stay (and refreshes the holder's details).
func (a *account) openAccount(ctx workflow.Context, o lifecycle.OpenAccount) (lifecycle.AccountView, error) {
	a.holder = o.Holder
	for i, st := range a.state.Stays {
		if st.WorkflowID == o.Stay.WorkflowID {
			a.state.Stays = append(a.state.Stays[:i], a.state.Stays[i+1:]...)
			break
		}
	}
	a.state.Stays = append(a.state.Stays, o.Stay)
	if n := len(a.state.Stays); n > keepStays {
		a.state.Stays = a.state.Stays[n-keepStays:]
	}
	a.changed()
	return a.view(), nil
}

// attachCard keeps a card Passquare issued for this account.
func (a *account) attachCard(ctx workflow.Context, card lifecycle.Card) (lifecycle.AccountView, error) {
	a.addCard(card)
	a.changed()
	return a.view(), a.publishCards(ctx)
}

// installCard is Passquare saying the guest installed a card: the card is
// kept, the welcome bonus of the guest's latest stay is credited once per
// card, and the stay hears of it. It answers with the account key, which
// Passquare stores as the customer id.
func (a *account) installCard(ctx workflow.Context, in lifecycle.InstallCard) (string, error) {
	if in.Holder.Phone != "" {
		a.holder = mergeHolder(a.holder, in.Holder)
	}
	now := workflow.Now(ctx)
	stay, hasStay := a.latestStay()
	// An account with nothing yet (a card issued before guestflow, say)
	// starts from what Passquare says the card holds.
	takeOver := in.Balance != nil && a.state.Ledger.Empty() && len(a.state.Cards) == 0
	for _, number := range in.CardNumbers {
		if takeOver && a.state.Ledger.Credit(rules.Entry{
			ID: rules.CardBalanceEntryID(number), Amount: *in.Balance, Reason: rules.EntryCardBalance, At: now,
		}) {
			takeOver = false
		}
		card := lifecycle.Card{AccountKey: a.key, Number: number, Installed: true}
		for _, t := range in.CardTracks {
			if t.Card == number {
				card.Track = t.Track
			}
		}
		a.addCard(card)
		if hasStay && stay.WelcomeBonus.IsPositive() {
			if a.state.Ledger.Credit(rules.Entry{
				ID: rules.WelcomeEntryID(number), Amount: stay.WelcomeBonus, Reason: rules.EntryWelcome, At: now,
			}) {
				a.schedulePush(now, stay.PushMessage)
			}
		}
		if hasStay {
			a.tell(ctx, stay.WorkflowID, lifecycle.SignalCardInstalled, card)
		}
	}
	a.changed()
	return a.key, a.publishCards(ctx)
}

// addBalance applies Passquare's addBalance hook, once per transaction id.
// An accrual with a lifetime burns when it ends (see run). A transaction id
// credited with another sum fails the update and changes nothing, also when
// both arrived together and passed the validator before either ran.
func (a *account) addBalance(ctx workflow.Context, in lifecycle.AddBalance) (lifecycle.Balance, error) {
	if err := a.conflicting(in); err != nil {
		return a.balance(), err
	}
	now := workflow.Now(ctx)
	if a.state.Ledger.Credit(rules.Entry{
		ID: rules.AddBalanceEntryID(in.TransactionID), Amount: in.Sum, Reason: rules.EntryAddBalance,
		At: now, ExpiresAt: rules.ExpiresAfter(now, in.Lifetime),
	}) {
		a.schedulePush(now, "")
		a.changed()
	}
	return a.balance(), nil
}

// recordScan records a scan of one of the account's cards, once per
// appScanId, credits the bonus a real use with a transaction value earns,
// and tells the guest's latest stay.
func (a *account) recordScan(ctx workflow.Context, scan lifecycle.Scan) {
	for _, id := range a.state.Scans {
		if id == scan.AppScanID {
			return
		}
	}
	a.state.Scans = append(a.state.Scans, scan.AppScanID)
	if n := len(a.state.Scans); n > keepScanIDs {
		a.state.Scans = a.state.Scans[n-keepScanIDs:]
	}
	credit := decimal.Zero
	if scan.Value != nil && rules.IsRealUse(scan.Status, scan.RealUseStatuses) {
		credit = rules.ScanCredit(*scan.Value, scan.BonusPercent)
	}
	now := workflow.Now(ctx)
	if credit.IsPositive() && a.state.Ledger.Credit(rules.Entry{
		ID: rules.ScanEntryID(scan.AppScanID), Amount: credit, Reason: rules.EntryScan, At: now,
	}) {
		stay, _ := a.latestStay()
		a.schedulePush(now, stay.PushMessage)
	} else {
		credit = decimal.Zero
	}
	a.changed()
	a.logger.Info("scan recorded", "app_scan_id", scan.AppScanID, "status", scan.Status, "credited", credit.String())
	if stay, ok := a.latestStay(); ok {
		a.tell(ctx, stay.WorkflowID, lifecycle.SignalScanRecorded, lifecycle.ScanRecorded{
			AppScanID: scan.AppScanID, Status: scan.Status, Credit: credit, At: scan.At,
		})
	}
}

// tell gives a stay news of its guest's account without waiting for it:
// only continue-as-new waits, so that no news is lost with the run. A
// completed stay no longer listens; the account has it all.
func (a *account) tell(ctx workflow.Context, stayID, signal string, news any) {
	if a.blocking {
		_ = workflow.SignalExternalWorkflow(ctx, stayID, "", signal, news).Get(ctx, nil)
		return
	}
	a.telling++
	workflow.Go(ctx, func(ctx workflow.Context) {
		defer func() { a.telling-- }()
		_ = workflow.SignalExternalWorkflow(ctx, stayID, "", signal, news).Get(ctx, nil)
	})
}

// changed wakes the main line after an update, to reschedule its timer.
func (a *account) changed() {
	a.wake.SendAsync(struct{}{})
}

// burnDue burns the accruals whose lifetime has ended.
func (a *account) burnDue(now time.Time) {
	for _, id := range a.state.Ledger.DueBurns(now) {
		burned := a.state.Ledger.Burn(id, now)
		a.logger.Info("accrual burned", "entry_id", id, "amount", burned.String())
		a.schedulePush(now, "")
	}
}

// schedulePush asks for the balance to reach Passquare after the coalescing
// window; credits arriving meanwhile go out in the same call.
func (a *account) schedulePush(now time.Time, message string) {
	if message != "" {
		a.pushMessage = message
	}
	if a.pushDue == nil {
		due := now.Add(pushCoalesce)
		a.pushDue = &due
	}
}

// pushReady: a push is due, the account has a card to show it on, and no
// other push is in flight.
func (a *account) pushReady(now time.Time) bool {
	return a.pushDue != nil && !now.Before(*a.pushDue) && len(a.state.Cards) > 0 && !a.pushing
}

// push sends the current balance to the guest's card, beside the main
// loop: credits, burns, updates and continue-as-new go on meanwhile. A
// newer balance than the one it carries is pushed next.
func (a *account) push(ctx workflow.Context) {
	if a.blocking {
		a.pushBalance(ctx)
		return
	}
	balance, message := a.state.Ledger.Balance(), a.pushMessage
	a.pushDue, a.pushMessage = nil, ""
	a.pushing = true
	ctx, a.cancelPush = workflow.WithCancel(ctx)
	workflow.Go(ctx, func(ctx workflow.Context) {
		defer func() { a.pushing = false; a.changed() }()
		// A few quick attempts; the loop owns the longer retry, so that each
		// retry carries the balance of its time. The wait for Passquare's
		// rate-limited queue counts in ScheduleToClose.
		ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
			Summary:                "Show the new balance on the guest's wallet card",
			TaskQueue:              lifecycle.PassquareTaskQueue,
			StartToCloseTimeout:    30 * time.Second,
			HeartbeatTimeout:       passquareHeartbeat,
			ScheduleToCloseTimeout: time.Hour,
			RetryPolicy: &temporal.RetryPolicy{
				InitialInterval: 10 * time.Second, BackoffCoefficient: 2, MaximumAttempts: 3,
				NonRetryableErrorTypes: []string{activities.ErrVendorRefused, activities.ErrInvalidInput},
			},
		})
		err := workflow.ExecuteActivity(ctx, passquareActivities.PushBalance, activities.PushBalanceInput{
			AccountKey: a.key, Phone: a.holder.Phone, Balance: balance, Message: message,
		}).Get(ctx, nil)
		now := workflow.Now(ctx)
		switch {
		case err == nil:
			a.pushFailures = 0
			a.state.Pushed = &lifecycle.PushedBalance{Balance: balance, At: now}
		case temporal.IsCanceledError(err):
			a.owePush(now, message) // continue-as-new: the next run sends it
		default:
			a.pushFailures++
			retry := retryDelay(err, a.pushFailures)
			a.logger.Warn("balance not pushed to Passquare; tried again later", "error", err, "retry_in", retry)
			a.owePush(now.Add(retry), message)
		}
	})
}

// owePush makes sure a push is due no sooner than at, keeping the push text
// of the credits it covers when no newer one came.
func (a *account) owePush(at time.Time, message string) {
	if a.pushMessage == "" {
		a.pushMessage = message
	}
	if a.pushDue == nil || a.pushDue.Before(at) {
		a.pushDue = &at
	}
}

// retryDelay is the main loop's backoff after failures pushes in a row,
// or longer when Passquare said when to come back.
func retryDelay(err error, failures int) time.Duration {
	d := pushRetryFirst << min(failures-1, 10)
	d = min(d, pushRetryMax)
	var app *temporal.ApplicationError
	if errors.As(err, &app) && app.NextRetryDelay() > d {
		d = app.NextRetryDelay()
	}
	return d
}

// pushBalance is the push of runs recorded before accountNeverBlocks: it
// stops the main loop until Passquare answers, for up to a day.
func (a *account) pushBalance(ctx workflow.Context) {
	balance, message := a.state.Ledger.Balance(), a.pushMessage
	a.pushDue, a.pushMessage = nil, ""
	ctx = withPassquare(ctx, "Show the new balance on the guest's wallet card")
	err := workflow.ExecuteActivity(ctx, passquareActivities.PushBalance, activities.PushBalanceInput{
		AccountKey: a.key, Phone: a.holder.Phone, Balance: balance, Message: message,
	}).Get(ctx, nil)
	if err != nil {
		a.logger.Error("balance not pushed to Passquare", "error", err)
		return
	}
	a.state.Pushed = &lifecycle.PushedBalance{Balance: balance, At: workflow.Now(ctx)}
}

// historyFull says it is time to continue as new, once no update is running.
func (a *account) historyFull(ctx workflow.Context) bool {
	info := workflow.GetInfo(ctx)
	full := info.GetContinueAsNewSuggested() || info.GetCurrentHistoryLength() >= accountHistoryLimit ||
		info.GetCurrentHistorySize() >= accountHistoryMB<<20
	return full && workflow.AllHandlersFinished(ctx)
}

// continueAsNew hands the account to a new run once nothing is in flight:
// it records the scans already delivered, stops the push (the new run owes
// it), waits for the running handlers and the news to the stays, and drains
// again until both are quiet.
func (a *account) continueAsNew(ctx workflow.Context) error {
	if a.blocking {
		return a.continueAsNewBlocking(ctx)
	}
	if a.cancelPush != nil {
		a.cancelPush()
	}
	for {
		a.recordDeliveredScans(ctx)
		if err := workflow.Await(ctx, func() bool {
			return workflow.AllHandlersFinished(ctx) && !a.pushing && a.telling == 0
		}); err != nil {
			return err
		}
		if a.scans.Len() == 0 {
			break
		}
	}
	a.state.Ledger.Compact(workflow.Now(ctx), rules.IDWindow)
	next := lifecycle.AccountInput{Key: a.key, Holder: a.holder, Carried: &a.state}
	if a.pushDue != nil {
		next.PendingPush = &lifecycle.PendingPush{Due: *a.pushDue, Message: a.pushMessage}
	}
	return workflow.NewContinueAsNewError(ctx, Account, next)
}

// recordDeliveredScans records the scans already delivered to this run.
func (a *account) recordDeliveredScans(ctx workflow.Context) {
	var scan lifecycle.Scan
	for a.scans.ReceiveAsync(&scan) {
		a.recordScan(ctx, scan)
	}
}

// continueAsNewBlocking is the hand-over of runs recorded before
// accountNeverBlocks.
func (a *account) continueAsNewBlocking(ctx workflow.Context) error {
	a.recordDeliveredScans(ctx)
	a.state.Ledger.Compact(workflow.Now(ctx), rules.IDWindow)
	state := a.state
	if a.pushDue != nil {
		state.Pushed = nil // the next run pushes what this one did not
	}
	return workflow.NewContinueAsNewError(ctx, Account, lifecycle.AccountInput{Key: a.key, Holder: a.holder, Carried: &state})
}

func (a *account) nextWake() time.Time {
	var wake time.Time
	if a.pushDue != nil && len(a.state.Cards) > 0 && !a.pushing {
		wake = *a.pushDue
	}
	if exp := a.state.Ledger.NextExpiry(); exp != nil && (wake.IsZero() || exp.Before(wake)) {
		wake = *exp
	}
	return wake
}

func (a *account) addCard(card lifecycle.Card) {
	card.AccountKey = a.key
	for i, c := range a.state.Cards {
		if c.Number == card.Number {
			if c.Installed {
				card.Installed = true
			}
			if card.Track == "" {
				card.Track = c.Track
			}
			if card.AppleURL == "" {
				card.AppleURL, card.GoogleURL, card.FormURL = c.AppleURL, c.GoogleURL, c.FormURL
			}
			a.state.Cards[i] = card
			return
		}
	}
	a.state.Cards = append(a.state.Cards, card)
}

// publishCards lets the scan sync find this account by what an outlet's
// scanner reads: the card number or its barcode track.
func (a *account) publishCards(ctx workflow.Context) error {
	if len(a.state.Cards) == 0 {
		return nil
	}
	numbers := make([]string, 0, 2*len(a.state.Cards))
	for _, c := range a.state.Cards {
		numbers = append(numbers, c.Number)
		if c.Track != "" && c.Track != c.Number {
			numbers = append(numbers, c.Track)
		}
	}
	return workflow.UpsertTypedSearchAttributes(ctx, lifecycle.CardNumbersKey.ValueSet(numbers))
}

func (a *account) latestStay() (lifecycle.AccountStay, bool) {
	if n := len(a.state.Stays); n > 0 {
		return a.state.Stays[n-1], true
	}
	return lifecycle.AccountStay{}, false
}

func (a *account) view() lifecycle.AccountView {
	return lifecycle.AccountView{Key: a.key, Balance: a.state.Ledger.Balance(), Cards: append([]lifecycle.Card(nil), a.state.Cards...)}
}

func (a *account) balance() lifecycle.Balance {
	b := lifecycle.Balance{Balance: a.state.Ledger.Balance(), Cards: []string{}}
	if stay, ok := a.latestStay(); ok {
		b.Bonus = stay.BonusPercent
	}
	for _, c := range a.state.Cards {
		b.Cards = append(b.Cards, c.Number)
	}
	return b
}

// mergeHolder keeps what is known, taking the newer value where one is sent.
func mergeHolder(have, got lifecycle.AccountHolder) lifecycle.AccountHolder {
	pick := func(a, b string) string {
		if b != "" {
			return b
		}
		return a
	}
	have.Phone = pick(have.Phone, got.Phone)
	have.FirstName = pick(have.FirstName, got.FirstName)
	have.LastName = pick(have.LastName, got.LastName)
	have.MiddleName = pick(have.MiddleName, got.MiddleName)
	have.Email = pick(have.Email, got.Email)
	if got.BirthDate != nil {
		have.BirthDate = got.BirthDate
	}
	return have
}
