package workflows

import (
	"time"

	"github.com/shopspring/decimal"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/workflow"

	"github.com/guestflow/guestflow/activities"
	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/rules"
)

// Account tunables. The coalescing window lets several credits close
// together reach Passquare as one call, to spare the hourly quota.
const (
	pushCoalesce = 30 * time.Second
	keepScanIDs  = 2000
	keepStays    = 20
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

// run sleeps until the next thing to do: record a scan, push the balance to
// Passquare, burn an accrual whose lifetime ended, or continue as new.
// Scans are received here, on the main line, so that none can be taken off
// the channel and then lost when the run continues as new.
func (a *account) run(ctx workflow.Context) error {
	for {
		sel := workflow.NewSelector(ctx)
		sel.AddReceive(a.scans, func(c workflow.ReceiveChannel, _ bool) {
			var scan lifecycle.Scan
			c.Receive(ctx, &scan)
			a.recordScan(ctx, scan)
		})
		sel.AddReceive(a.wake, func(c workflow.ReceiveChannel, _ bool) { c.Receive(ctx, nil) })
		timerCtx, cancelTimer := workflow.WithCancel(ctx)
		if wake := a.nextWake(); !wake.IsZero() {
			sel.AddFuture(workflow.NewTimer(timerCtx, wake.Sub(workflow.Now(ctx))), func(workflow.Future) {})
		}
		sel.Select(ctx)
		cancelTimer()
		if err := ctx.Err(); err != nil {
			return err
		}

		now := workflow.Now(ctx)
		a.burnDue(now)
		if a.pushDue != nil && !now.Before(*a.pushDue) && len(a.state.Cards) > 0 {
			a.pushBalance(ctx)
		}
		if a.historyFull(ctx) {
			return a.continueAsNew(ctx)
		}
	}
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
}

func newAccount(ctx workflow.Context, in lifecycle.AccountInput) (*account, error) {
	a := &account{
		key:    in.Key,
		holder: in.Holder,
		logger: log.With(workflow.GetLogger(ctx), "account_key", in.Key),
		scans:  workflow.GetSignalChannel(ctx, lifecycle.SignalRecordScan),
		wake:   workflow.NewBufferedChannel(ctx, 1),
	}
	if in.Carried != nil {
		a.state = *in.Carried
		if a.state.Pushed == nil || !a.state.Pushed.Balance.Equal(a.state.Ledger.Balance()) {
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
		{lifecycle.UpdateAddBalance, a.addBalance, validAddBalance},
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
	for _, number := range in.CardNumbers {
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
			// A completed stay no longer listens; the account has it all.
			_ = workflow.SignalExternalWorkflow(ctx, stay.WorkflowID, "", lifecycle.SignalCardInstalled, card).Get(ctx, nil)
		}
	}
	a.changed()
	return a.key, a.publishCards(ctx)
}

// addBalance applies Passquare's addBalance hook, once per transaction id.
// An accrual with a lifetime burns when it ends (see run).
func (a *account) addBalance(ctx workflow.Context, in lifecycle.AddBalance) (lifecycle.Balance, error) {
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
		_ = workflow.SignalExternalWorkflow(ctx, stay.WorkflowID, "", lifecycle.SignalScanRecorded, lifecycle.ScanRecorded{
			AppScanID: scan.AppScanID, Status: scan.Status, Credit: credit, At: scan.At,
		}).Get(ctx, nil)
	}
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

// pushBalance sends the current balance to the guest's card. Passquare's
// rate-limited queue may hold it for a while; it is retried for a day.
func (a *account) pushBalance(ctx workflow.Context) {
	balance, message := a.state.Ledger.Balance(), a.pushMessage
	a.pushDue, a.pushMessage = nil, ""
	ctx = withPassquare(ctx, "Show the new balance on the guest's wallet card")
	err := workflow.ExecuteActivity(ctx, passquareActivities.PushBalance, activities.PushBalanceInput{
		AccountKey: a.key, Phone: a.holder.Phone, Balance: balance, Message: message,
	}).Get(ctx, nil)
	if err != nil {
		// The ledger stays right; the card shows it at the next push.
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

func (a *account) continueAsNew(ctx workflow.Context) error {
	// Scans already delivered to this run are recorded here, not lost.
	var scan lifecycle.Scan
	for a.scans.ReceiveAsync(&scan) {
		a.recordScan(ctx, scan)
	}
	a.state.Ledger.Compact(rules.DefaultKeepIDs)
	state := a.state
	if a.pushDue != nil {
		state.Pushed = nil // the next run pushes what this one did not
	}
	return workflow.NewContinueAsNewError(ctx, Account, lifecycle.AccountInput{Key: a.key, Holder: a.holder, Carried: &state})
}

func (a *account) nextWake() time.Time {
	var wake time.Time
	if a.pushDue != nil && len(a.state.Cards) > 0 {
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
