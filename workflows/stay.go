// Package workflows holds guestflow's workflow code: the Stay, which carries
// one guest of one reservation from arrival to departure, and the Account,
// the guest's loyalty balance that outlives the stays. The contract they
// implement (names, ids, payloads) is package lifecycle.
//
// Everything here is deterministic: time comes from workflow.Now, waiting
// from workflow timers and Await, work from activities.
package workflows

import (
	"time"

	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/guestflow/guestflow/activities"
	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/rules"
)

// Stay carries one guest through the lifecycle:
// arrival fetched → document verified → Mews updated → wallet issued →
// scans recorded → bonus credited, and completes at departure plus the
// branch's grace period.
func Stay(ctx workflow.Context, in lifecycle.StayInput) (lifecycle.StaySummary, error) {
	s, err := newStay(ctx, in)
	if err != nil {
		return lifecycle.StaySummary{}, err
	}
	return s.run(ctx), nil
}

func (s *stay) run(ctx workflow.Context) lifecycle.StaySummary {
	s.reach(ctx, lifecycle.StageArrivalFetched)
	for s.verifyDocument(ctx) {
		switch s.updateMews(ctx) {
		case mewsUpdated:
			s.issueWallet(ctx)
			s.stayUntilDeparture(ctx)
			return s.complete(ctx)
		case rescanned:
			continue // a newer snapshot came while Mews refused: check it first
		}
		break
	}
	return s.complete(ctx)
}

// stay is the Stay's state. Handlers change it; the main line waits on it.
type stay struct {
	id     string
	rules  lifecycle.BranchRules
	loc    *time.Location
	guest  lifecycle.Guest
	status lifecycle.StayStatus
	logger log.Logger

	// snapshots counts the distinct guest snapshots received, so waits can
	// tell that something new arrived.
	snapshots int
	// snapshotUpdated: a snapshot update was accepted. The one that starts
	// the stay (update-with-start) carries the input's snapshot and is
	// accepted all the same, so the poll can tell a new stay from an
	// unchanged one; only later repeats are refused.
	snapshotUpdated bool
	// deadlineMoved wakes a wait whose departure moved.
	deadlineMoved bool
	// retryRequested is staff asking to try the stuck stage again.
	retryRequested bool
	approval       *lifecycle.StaffAction
	walletSkipped  *lifecycle.StaffAction
	walletForced   *lifecycle.StaffAction
	verified       *rules.Verified

	// current: the stay started on code holding every change named below
	// (see searchAttributesPerTask), so it asks for none of their versions.
	current bool
	// indexed is the stage and reason the search attributes hold, and
	// unindexed what the start did not set: a current stay writes them
	// once per workflow task (see writeSearchAttributes).
	indexed   stageReason
	unindexed []temporal.SearchAttributeUpdate

	// The account's news, kept so the end of the stay can read what came
	// with its last wake-up (see complete).
	installs, scans workflow.ReceiveChannel
}

func newStay(ctx workflow.Context, in lifecycle.StayInput) (*stay, error) {
	info := workflow.GetInfo(ctx)
	loc, err := time.LoadLocation(in.Rules.TimeZone)
	if err != nil {
		return nil, invalidStayInput("time zone " + in.Rules.TimeZone + " does not load")
	}
	s := &stay{
		id:    info.WorkflowExecution.ID,
		rules: in.Rules,
		loc:   loc,
		guest: in.Guest,
		logger: log.With(workflow.GetLogger(ctx),
			"branch_id", in.Guest.BranchID, "reservation_id", in.Guest.ReservationID, "customer_id", in.Guest.CustomerID),
	}
	s.status = lifecycle.StayStatus{WorkflowID: s.id, BranchID: in.Guest.BranchID, StageTimes: []lifecycle.StageTime{}}
	s.status.EndsAt = s.endsAt()
	if err := s.setHandlers(ctx); err != nil {
		return nil, err
	}
	s.current = workflow.GetVersion(ctx, searchAttributesPerTask, workflow.DefaultVersion, 1) == 1
	if !s.current {
		err = workflow.UpsertTypedSearchAttributes(ctx,
			lifecycle.BranchIDKey.ValueSet(in.Guest.BranchID),
			lifecycle.ArrivalDateKey.ValueSet(in.Guest.Arrival.At(loc, 0)))
		return s, err
	}
	s.indexFromStart(ctx)
	workflow.Go(ctx, s.writeSearchAttributes)
	return s, nil
}

// runs reports whether the stay runs the change: a current stay runs every
// change released before searchAttributesPerTask, or with it
// (mewsQueuePerBranch, mewsOutageProbe), without asking, since each version
// asked for costs a marker and a search attribute upsert in its history.
func (s *stay) runs(ctx workflow.Context, change string) bool {
	return s.current || workflow.GetVersion(ctx, change, workflow.DefaultVersion, 1) == 1
}

// stageReason is what GuestStage and StuckReason say.
type stageReason struct {
	stage  lifecycle.Stage
	reason rules.Reason
}

// indexFromStart reads what the start's search attributes already say (the
// arrivals poll sets the branch, the arrival date and ArrivalFetched), so
// only what they lack is written.
func (s *stay) indexFromStart(ctx workflow.Context) {
	sa := workflow.GetTypedSearchAttributes(ctx)
	stage, _ := sa.GetKeyword(lifecycle.GuestStageKey)
	reason, _ := sa.GetKeyword(lifecycle.StuckReasonKey)
	s.indexed = stageReason{lifecycle.Stage(stage), rules.Reason(reason)}
	if _, ok := sa.GetKeyword(lifecycle.BranchIDKey); !ok {
		s.unindexed = append(s.unindexed, lifecycle.BranchIDKey.ValueSet(s.guest.BranchID))
	}
	if _, ok := sa.GetTime(lifecycle.ArrivalDateKey); !ok {
		s.unindexed = append(s.unindexed, lifecycle.ArrivalDateKey.ValueSet(s.guest.Arrival.At(s.loc, 0)))
	}
}

// writeSearchAttributes runs beside the main line and the handlers: it
// wakes when they have all yielded, so the stages a workflow task passes
// through (ArrivalFetched, DocumentVerified in the first) cost one upsert
// of where the guest ended up, not one each.
func (s *stay) writeSearchAttributes(ctx workflow.Context) {
	for workflow.Await(ctx, s.searchAttributesStale) == nil {
		s.flushSearchAttributes(ctx)
	}
}

func (s *stay) searchAttributesStale() bool {
	return len(s.unindexed) > 0 || s.indexed != stageReason{s.status.Stage, s.status.Reason}
}

// flushSearchAttributes writes what changed since the last write, if
// anything did.
func (s *stay) flushSearchAttributes(ctx workflow.Context) {
	updates := s.unindexed
	s.unindexed = nil
	now := stageReason{s.status.Stage, s.status.Reason}
	if now.stage != s.indexed.stage {
		updates = append(updates, lifecycle.GuestStageKey.ValueSet(string(now.stage)))
	}
	if now.reason != s.indexed.reason {
		updates = append(updates, reasonAttribute(now.reason))
	}
	s.indexed = now
	if len(updates) == 0 {
		return
	}
	if err := workflow.UpsertTypedSearchAttributes(ctx, updates...); err != nil {
		s.logger.Error("search attributes not updated", "error", err)
	}
}

func reasonAttribute(reason rules.Reason) temporal.SearchAttributeUpdate {
	if reason == "" {
		return lifecycle.StuckReasonKey.ValueUnset()
	}
	return lifecycle.StuckReasonKey.ValueSet(string(reason))
}

// endsAt is when the stay completes: checkout on the departure day in the
// branch's time zone, plus the grace period.
func (s *stay) endsAt() time.Time {
	return rules.StayEnd(s.guest.Departure, s.loc, s.rules.Checkout, s.rules.DepartureGrace)
}

// reach records that the guest reached a stage and publishes it.
func (s *stay) reach(ctx workflow.Context, stage lifecycle.Stage) {
	s.setStage(ctx, stage, "", "", "")
}

// stuck parks the guest in NeedsAttention for staff, saying why and what
// would move it on.
func (s *stay) stuck(ctx workflow.Context, reason rules.Reason, lastError, waitingFor string) {
	s.setStage(ctx, lifecycle.StageNeedsAttention, reason, lastError, waitingFor)
}

func (s *stay) setStage(ctx workflow.Context, stage lifecycle.Stage, reason rules.Reason, lastError, waitingFor string) {
	// A late answer (a card issuance retried after the guest had installed
	// and used the card) never takes the guest back.
	if stage.Behind(s.status.Stage) && s.runs(ctx, stagesForwardOnly) {
		s.logger.Info("stage kept: the guest is further on", "stage", s.status.Stage, "late", stage)
		return
	}
	if s.status.Stage != stage {
		s.status.StageTimes = append(s.status.StageTimes, lifecycle.StageTime{Stage: stage, At: workflow.Now(ctx)})
		s.logger.Info("stage reached", "stage", stage, "reason", reason)
	}
	unchanged := s.status.Stage == stage && s.status.Reason == reason
	s.status.Stage, s.status.Reason, s.status.LastError, s.status.WaitingFor = stage, reason, lastError, waitingFor
	workflow.SetCurrentDetails(ctx, s.status.Details())
	if s.current {
		return // writeSearchAttributes writes it once the task yields
	}
	// The history reads as the stay's story: an upsert only when the
	// stage or the reason changed.
	if unchanged && workflow.GetVersion(ctx, searchAttributesOnChange, workflow.DefaultVersion, 1) == 1 {
		return
	}
	if err := workflow.UpsertTypedSearchAttributes(ctx, lifecycle.GuestStageKey.ValueSet(string(stage)), reasonAttribute(reason)); err != nil {
		s.logger.Error("search attributes not updated", "error", err)
	}
}

// stagesForwardOnly marks stays whose stage never moves back; earlier ones
// took whatever stage an answer reached last.
const stagesForwardOnly = "stages-forward-only"

// searchAttributesOnChange marks stays that upsert their search attributes
// only when the stage or the reason changes; earlier ones upserted on every
// stage report.
const searchAttributesOnChange = "search-attributes-on-change"

// searchAttributesPerTask marks stays that write their search attributes at
// most once per workflow task, trust the start's (the arrivals poll sets the
// branch, the arrival date and the first stage), and run every change named
// before it without asking for its version. Stays started earlier write on
// each stage reached and ask as they did.
const searchAttributesPerTask = "search-attributes-per-task"

// await blocks until ready holds, or until wake (what wakeFor names) when
// it is not zero, and reports false instead when the stay ends first. A
// departure moved by a newer snapshot moves the deadline.
func (s *stay) await(ctx workflow.Context, wake time.Time, wakeFor string, ready func() bool) bool {
	for {
		s.deadlineMoved = false
		until, summary := s.status.EndsAt, "departure and checkout grace"
		if !wake.IsZero() && wake.Before(until) {
			until, summary = wake, wakeFor
		}
		remaining := until.Sub(workflow.Now(ctx))
		if remaining > 0 {
			if _, err := workflow.AwaitWithOptions(ctx, workflow.AwaitOptions{
				Timeout: remaining, TimerOptions: workflow.TimerOptions{Summary: summary},
			}, func() bool { return ready() || s.deadlineMoved }); err != nil {
				return false // cancelled
			}
		}
		now := workflow.Now(ctx)
		switch {
		case ready():
			return true
		case s.deadlineMoved:
			continue
		case now.Before(s.status.EndsAt):
			if !wake.IsZero() && !now.Before(wake) {
				return true
			}
			continue
		}
		return false
	}
}

// somethingNew is a wait condition: a newer snapshot or staff's retry.
func (s *stay) somethingNew() func() bool {
	seen := s.snapshots
	s.retryRequested = false
	return func() bool { return s.snapshots != seen || s.retryRequested }
}

// acceptSnapshot takes a newer PassportScan snapshot of the guest. The same
// snapshot again changes nothing.
func (s *stay) acceptSnapshot(g lifecycle.Guest) {
	if sameGuest(s.guest, g) {
		return
	}
	s.guest = g
	s.snapshots++
	if ends := s.endsAt(); !ends.Equal(s.status.EndsAt) {
		s.status.EndsAt, s.deadlineMoved = ends, true
	}
}

// sameGuest compares two snapshots field by field (reflection and JSON are
// off limits in workflow code).
func sameGuest(a, b lifecycle.Guest) bool {
	if !samePtr(a.Profile.BirthDate, b.Profile.BirthDate) || !sameDocument(a.Document, b.Document) ||
		!samePtr(a.LoyaltyConsent, b.LoyaltyConsent) {
		return false
	}
	a.Profile.BirthDate, b.Profile.BirthDate = nil, nil
	a.Document, b.Document = nil, nil
	a.LoyaltyConsent, b.LoyaltyConsent = nil, nil
	return a == b
}

func sameDocument(a, b *rules.Document) bool {
	if a == nil || b == nil {
		return a == b
	}
	x, y := *a, *b
	x.IssueDate, x.ExpirationDate, x.BadRecognized = nil, nil, nil
	y.IssueDate, y.ExpirationDate, y.BadRecognized = nil, nil, nil
	return x == y && samePtr(a.IssueDate, b.IssueDate) && samePtr(a.ExpirationDate, b.ExpirationDate) &&
		samePtr(a.BadRecognized, b.BadRecognized)
}

func samePtr[T comparable](a, b *T) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// complete ends the stay with its summary. The account goes on.
func (s *stay) complete(ctx workflow.Context) lifecycle.StaySummary {
	// A scan or install the account reported with the departure's wake-up
	// is still in its channel: the signal goroutine would read it only after
	// the summary is made. Stays recorded before this read carry no marker
	// and end as they did.
	if s.runs(ctx, "read-account-news-before-summary") {
		s.readAccountNews(ctx)
	}
	final, reason := s.status.Stage, s.status.Reason
	s.setStage(ctx, lifecycle.StageCompleted, reason, s.status.LastError, "")
	if s.current {
		// The workflow completes with this task: nothing yields to the writer.
		s.flushSearchAttributes(ctx)
	}
	sum := lifecycle.StaySummary{
		FinalStage:   final,
		Reason:       reason,
		MewsCustomer: s.status.MewsCustomer,
		NoWallet:     s.status.NoWallet,
		Scans:        len(s.status.Scans),
		Credited:     s.status.Credited,
		StageTimes:   s.status.StageTimes,
	}
	if s.status.Card != nil {
		sum.CardNumber = s.status.Card.Number
	}
	return sum
}

// Activities are referred to through typed nil pointers: the worker
// registers the real ones.
var (
	mewsActivities      *activities.Mews
	passquareActivities *activities.Passquare
	accountActivities   *activities.Accounts
)
