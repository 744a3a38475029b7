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
	err = workflow.UpsertTypedSearchAttributes(ctx,
		lifecycle.BranchIDKey.ValueSet(in.Guest.BranchID),
		lifecycle.ArrivalDateKey.ValueSet(in.Guest.Arrival.At(loc, 0)))
	return s, err
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
	if stage.Behind(s.status.Stage) && workflow.GetVersion(ctx, stagesForwardOnly, workflow.DefaultVersion, 1) == 1 {
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
	// The history reads as the stay's story: an upsert only when the
	// stage or the reason changed.
	if unchanged && workflow.GetVersion(ctx, searchAttributesOnChange, workflow.DefaultVersion, 1) == 1 {
		return
	}
	reasonAttr := lifecycle.StuckReasonKey.ValueUnset()
	if reason != "" {
		reasonAttr = lifecycle.StuckReasonKey.ValueSet(string(reason))
	}
	if err := workflow.UpsertTypedSearchAttributes(ctx, lifecycle.GuestStageKey.ValueSet(string(stage)), reasonAttr); err != nil {
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
	if workflow.GetVersion(ctx, "read-account-news-before-summary", workflow.DefaultVersion, 1) == 1 {
		s.readAccountNews(ctx)
	}
	final, reason := s.status.Stage, s.status.Reason
	s.setStage(ctx, lifecycle.StageCompleted, reason, s.status.LastError, "")
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
