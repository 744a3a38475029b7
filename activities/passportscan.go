package activities

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"golang.org/x/sync/errgroup"

	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/rules"
	"github.com/guestflow/guestflow/vendors/passportscan"
)

// PassportScan reads each branch's arrivals and hands every guest to their
// stay. It holds the Temporal client because delivering is its job.
type PassportScan struct {
	Branches map[string]*passportscan.Client // by branch id
	Rules    map[string]lifecycle.BranchRules
	Temporal client.Client
	// DeliveryTimeout bounds one guest's delivery; 0 means 30 s.
	DeliveryTimeout time.Duration
	// Undelivered counts, by branch, the guests a poll could not hand to
	// their stays; nil counts nothing.
	Undelivered *prometheus.CounterVec
	// UnknownDocumentTypes counts the snapshots read whose document code
	// the branch's mapping lacks (nil counts nothing).
	UnknownDocumentTypes *prometheus.CounterVec
}

// PollArrivalsInput asks for one branch's reservations arriving on Dates.
// AllCustomers false asks PassportScan only for what changed since the
// branch key's previous call; true for everything (the reconciling sync).
type PollArrivalsInput struct {
	BranchID     string   `json:"branchId"`
	Dates        []string `json:"dates"` // YYYY-MM-DD
	AllCustomers bool     `json:"allCustomers"`
}

// PollArrivalsResult counts what the poll saw and did.
type PollArrivalsResult struct {
	Reservations int `json:"reservations"`
	Guests       int `json:"guests"`
	// Unchanged guests' stays already had the snapshot.
	Unchanged int `json:"unchanged"`
	// Departed guests' stays are closed; their snapshots are dropped.
	Departed int `json:"departed"`
	// Skipped guests had ids PassportScan sent unreadable.
	Skipped int `json:"skipped"`
	// Failed guests could not be handed to their stays in time (a stay
	// whose workflow task keeps failing, say); the next poll tries again.
	Failed int `json:"failed"`
}

// Add counts another poll's figures in.
func (r *PollArrivalsResult) Add(o PollArrivalsResult) {
	r.Reservations += o.Reservations
	r.Guests += o.Guests
	r.Unchanged += o.Unchanged
	r.Departed += o.Departed
	r.Skipped += o.Skipped
	r.Failed += o.Failed
}

// FetchArrivalsResult is what PassportScan reported: the guests, and the
// reservations and unreadable guests counted.
type FetchArrivalsResult struct {
	Guests []lifecycle.Guest  `json:"guests"`
	Counts PollArrivalsResult `json:"counts"`
}

// changePageLimit is the page a change poll asks for, large enough that one
// page serves (the document asks for modest values and names no maximum).
const changePageLimit = 100

// FetchArrivals reads the branch's guests arriving on the dates. A change
// poll reads one page of changes; when that page says more remain, or when
// this is a retry (the failed attempt may have moved the key's change mark
// already), it reads the date in full instead, so a change is never lost
// to a retry. The workflow keeps the result, so delivering again never
// fetches again.
func (a *PassportScan) FetchArrivals(ctx context.Context, in PollArrivalsInput) (FetchArrivalsResult, error) {
	var res FetchArrivalsResult
	c, ok := a.Branches[in.BranchID]
	if !ok {
		return res, invalidInput("no PassportScan account configured for branch " + in.BranchID)
	}
	if !in.AllCustomers && len(in.Dates) > 1 {
		// Each call moves the key's change mark: the second date's call
		// would find the first one's changes already taken.
		return res, invalidInput("a change poll reads one date; read several in full")
	}
	ctx = vendorCalls(ctx, nil)
	heartbeat := func(page int) { activity.RecordHeartbeat(ctx, page) }
	for _, date := range in.Dates {
		var reservations []passportscan.Reservation
		complete := false
		var err error
		if !in.AllCustomers && activity.GetInfo(ctx).Attempt == 1 {
			reservations, complete, err = c.ChangedReservations(ctx, date, changePageLimit)
			if err != nil {
				return res, vendorFailure(err)
			}
		}
		if !in.AllCustomers && !complete {
			activity.GetLogger(ctx).Info("change poll reads the date in full", "branch_id", in.BranchID, "date", date,
				"attempt", activity.GetInfo(ctx).Attempt)
		}
		if in.AllCustomers || !complete {
			if reservations, err = c.WalkReservations(ctx, date, true, passportscan.DefaultLimit, heartbeat); err != nil {
				return res, vendorFailure(err)
			}
		}
		for _, r := range reservations {
			res.Counts.Reservations++
			for _, cr := range r.CustomerReservations {
				if g, ok := a.guestOf(in.BranchID, r, cr); ok {
					res.Guests = append(res.Guests, g)
				} else {
					res.Counts.Skipped++
				}
			}
		}
	}
	res.Counts.Guests = len(res.Guests)
	return res, nil
}

// DeliverSnapshotsInput is a batch of one branch's guests to hand to their
// stays.
type DeliverSnapshotsInput struct {
	BranchID string            `json:"branchId"`
	Guests   []lifecycle.Guest `json:"guests"`
}

// DeliverSnapshots hands each guest's snapshot to their stay. A guest
// that cannot be delivered within DeliveryTimeout is counted as failed and
// left to the next poll; the others are delivered all the same.
func (a *PassportScan) DeliverSnapshots(ctx context.Context, in DeliverSnapshotsInput) (PollArrivalsResult, error) {
	rules, ok := a.Rules[in.BranchID]
	if !ok {
		return PollArrivalsResult{}, invalidInput("no rules configured for branch " + in.BranchID)
	}
	res := a.deliverAll(ctx, in.Guests, rules)
	if res.Failed > 0 && a.Undelivered != nil {
		a.Undelivered.WithLabelValues(in.BranchID).Add(float64(res.Failed))
	}
	activity.GetLogger(ctx).Info("snapshots delivered", "branch_id", in.BranchID, "guests", len(in.Guests),
		"unchanged", res.Unchanged, "departed", res.Departed, "failed", res.Failed)
	return res, nil
}

// PollArrivals is FetchArrivals then DeliverSnapshots in one activity: the
// poll of workflows recorded before the two were apart.
func (a *PassportScan) PollArrivals(ctx context.Context, in PollArrivalsInput) (PollArrivalsResult, error) {
	fetched, err := a.FetchArrivals(ctx, in)
	if err != nil {
		return fetched.Counts, err
	}
	delivered, err := a.DeliverSnapshots(ctx, DeliverSnapshotsInput{BranchID: in.BranchID, Guests: fetched.Guests})
	fetched.Counts.Add(delivered)
	return fetched.Counts, err
}

// parallelDeliveries bounds the stays one poll updates at once. Each
// update waits for a worker to run the stay's validator, so one at a time
// a first poll of 200 new guests took 10 s on a 2-core machine.
const parallelDeliveries = 8

// deliverAll delivers every guest, parallelDeliveries at a time, each
// within its own deadline, and counts what became of them.
func (a *PassportScan) deliverAll(ctx context.Context, guests []lifecycle.Guest, r lifecycle.BranchRules) PollArrivalsResult {
	var res PollArrivalsResult
	var mu sync.Mutex // counts and heartbeats, from one goroutine at a time
	timeout := a.DeliveryTimeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	// A zone that does not load starts stays without ArrivalDate: the stay
	// writes it, or refuses the rules, as it does for any start.
	loc, _ := time.LoadLocation(r.TimeZone)
	var g errgroup.Group
	g.SetLimit(parallelDeliveries)
	for _, guest := range guests {
		g.Go(func() error {
			dctx, cancel := context.WithTimeout(ctx, timeout)
			d, err := a.deliver(dctx, guest, r, loc)
			cancel()
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				res.Failed++
				activity.GetLogger(ctx).Warn("snapshot not delivered; the next poll tries again",
					"workflow_id", lifecycle.StayWorkflowID(guest.BranchID, guest.ReservationID, guest.CustomerID), "error", err)
			case d == unchanged:
				res.Unchanged++
			case d == departed:
				res.Departed++
			}
			activity.RecordHeartbeat(ctx, res)
			return nil
		})
	}
	_ = g.Wait() // the goroutines count their failures and return none
	return res
}

// deliver hands the guest's snapshot to their stay by update-with-start: a
// new guest starts a stay, a known one is updated, and a snapshot the stay
// already has is refused by its validator, which writes nothing to the
// stay's history. The start carries every search attribute a new stay has,
// so its first workflow task writes only where the guest got to.
func (a *PassportScan) deliver(ctx context.Context, g lifecycle.Guest, r lifecycle.BranchRules, loc *time.Location) (delivery, error) {
	id := lifecycle.StayWorkflowID(g.BranchID, g.ReservationID, g.CustomerID)
	attrs := []temporal.SearchAttributeUpdate{
		lifecycle.BranchIDKey.ValueSet(g.BranchID),
		lifecycle.GuestStageKey.ValueSet(string(lifecycle.StageArrivalFetched)),
	}
	if loc != nil {
		attrs = append(attrs, lifecycle.ArrivalDateKey.ValueSet(g.Arrival.At(loc, 0)))
	}
	start := a.Temporal.NewWithStartWorkflowOperation(client.StartWorkflowOptions{
		ID:                       id,
		TaskQueue:                lifecycle.TaskQueue,
		WorkflowIDConflictPolicy: enums.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		// A stay that completed is not started again by a late snapshot.
		WorkflowIDReusePolicy: enums.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		TypedSearchAttributes: temporal.NewSearchAttributes(attrs...),
		StaticSummary:         fmt.Sprintf("Stay of guest %d, reservation %d, at %s", g.CustomerID, g.ReservationID, g.BranchID),
	}, lifecycle.StayWorkflowName, lifecycle.StayInput{Guest: g, Rules: r})
	h, err := a.Temporal.UpdateWithStartWorkflow(ctx, client.UpdateWithStartWorkflowOptions{
		StartWorkflowOperation: start,
		UpdateOptions: client.UpdateWorkflowOptions{
			UpdateName:   lifecycle.UpdateGuestSnapshot,
			Args:         []any{g},
			WaitForStage: client.WorkflowUpdateStageCompleted,
		},
	})
	if err == nil {
		err = h.Get(ctx, nil)
	}
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	var app *temporal.ApplicationError
	switch {
	case err == nil:
		return delivered, nil
	case errors.As(err, &app) && app.Type() == lifecycle.ErrSnapshotUnchanged:
		return unchanged, nil
	case errors.As(err, &started):
		return departed, nil
	}
	return 0, err
}

// delivery is what became of a guest's snapshot.
type delivery int

const (
	delivered delivery = iota // a new stay, or news for a running one
	unchanged                 // the running stay already had it
	departed                  // the stay is closed
)

// guestOf maps one guest of a PassportScan reservation to the lifecycle's
// Guest. Unreadable ids make it report false: such a guest cannot have a
// stable stay. A document code the branch's mapping lacks is counted here,
// where every snapshot passes (the stay that refuses it is workflow code).
func (a *PassportScan) guestOf(branchID string, r passportscan.Reservation, cr passportscan.CustomerReservation) (lifecycle.Guest, bool) {
	resID, ok1 := r.ID.Int64()
	custID, ok2 := cr.Customer.ID.Int64()
	arrival, err := rules.ParseDate(string(r.ArrivalDate))
	if !ok1 || !ok2 || err != nil {
		return lifecycle.Guest{}, false
	}
	c := cr.Customer
	g := lifecycle.Guest{
		BranchID:      branchID,
		ReservationID: resID,
		CustomerID:    custID,
		Arrival:       arrival,
		Departure:     arrival,
		Profile: rules.Profile{
			FirstName:   str(c.FirstName),
			LastName:    str(c.LastName),
			BirthDate:   date(c.BirthDate),
			BirthPlace:  rules.BirthPlace(str(c.BirthCity), str(c.BirthProvince), str(c.BirthNation)),
			Nationality: alpha2(str(c.Nationality)),
			Sex:         rules.Sex(c.Sex()),
		},
		LoyaltyConsent: c.PrivacyFlags.LoyaltyProgram.Bool(),
	}
	if r.DepartureDate != nil {
		if d, err := rules.ParseDate(string(*r.DepartureDate)); err == nil {
			g.Departure = d
		}
	}
	if r.PMSReservationID != nil {
		g.PMSReservationID = string(*r.PMSReservationID)
	}
	if c.PMSGuestID != nil {
		g.PMSGuestID = string(*c.PMSGuestID)
	}
	if ct := c.LastContact; ct != nil {
		g.Profile.Email = strings.TrimSpace(str(ct.Email))
		if ct.Phone != nil {
			g.Profile.Phone = strings.TrimSpace(string(*ct.Phone))
		}
	}
	if ad := c.LastAddress; ad != nil {
		g.Profile.Address = rules.Address{Line1: str(ad.Address), City: str(ad.City), Country: alpha2(str(ad.Country))}
		if ad.Zip != nil {
			g.Profile.Address.PostalCode = string(*ad.Zip)
		}
	}
	if d := c.LastDocument; d != nil {
		doc := &rules.Document{
			Type:           rules.DocumentType(d.Type()),
			IssueDate:      date(d.IssueDate),
			ExpirationDate: date(d.ExpirationDate),
			IssueCountry:   str(d.IssueCountry),
			IssuePlace:     str(d.IssuePlace),
			BadRecognized:  c.BadRecognized.Bool(),
		}
		if d.DocumentNumber != nil {
			doc.Number = strings.TrimSpace(string(*d.DocumentNumber))
		}
		g.Document = doc
		a.countUnknownDocumentType(branchID, doc.Type)
	}
	return g, true
}

func str(s *string) string {
	if s == nil {
		return ""
	}
	return strings.TrimSpace(*s)
}

func date(d *passportscan.Date) *rules.Date {
	if d == nil {
		return nil
	}
	v, err := rules.ParseDate(string(*d))
	if err != nil || v.IsZero() {
		return nil
	}
	return &v
}

// alpha2 maps PassportScan's alpha-3 countries to Mews' alpha-2; an
// unknown one is left out rather than guessed.
func alpha2(alpha3 string) string {
	if alpha3 == "" {
		return ""
	}
	a2, _ := rules.CountryAlpha2(alpha3)
	return a2
}
