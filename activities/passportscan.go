package activities

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

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
}

// PollArrivals fetches every page of the branch's reservations for each date
// and delivers each guest by update-with-start: a new guest starts a stay,
// a known one gets the snapshot, and a repeated snapshot changes nothing,
// so a retried poll is harmless.
func (a *PassportScan) PollArrivals(ctx context.Context, in PollArrivalsInput) (PollArrivalsResult, error) {
	var res PollArrivalsResult
	c, ok := a.Branches[in.BranchID]
	rules, okRules := a.Rules[in.BranchID]
	if !ok || !okRules {
		return res, invalidInput("no PassportScan account configured for branch " + in.BranchID)
	}
	if !in.AllCustomers && len(in.Dates) > 1 {
		// Each call moves the key's change mark: the second date's call
		// would find the first one's changes already taken.
		return res, invalidInput("a change poll reads one date; read several in full")
	}
	var guests []lifecycle.Guest
	for _, date := range in.Dates {
		reservations, err := c.AllReservations(ctx, date, in.AllCustomers, passportscan.DefaultLimit)
		if err != nil {
			return res, vendorFailure(err)
		}
		for _, r := range reservations {
			res.Reservations++
			for _, cr := range r.CustomerReservations {
				if g, ok := a.guestOf(in.BranchID, r, cr); ok {
					guests = append(guests, g)
				} else {
					res.Skipped++
				}
			}
		}
	}
	res.Guests = len(guests)
	deliveries, err := a.deliverAll(ctx, guests, rules)
	if err != nil {
		return res, err
	}
	for _, d := range deliveries {
		switch d {
		case unchanged:
			res.Unchanged++
		case departed:
			res.Departed++
		}
	}
	activity.GetLogger(ctx).Info("arrivals polled", "branch_id", in.BranchID, "dates", in.Dates,
		"all_customers", in.AllCustomers, "reservations", res.Reservations, "guests", res.Guests, "unchanged", res.Unchanged, "departed", res.Departed)
	return res, nil
}

// parallelDeliveries bounds the stays one poll updates at once. Each
// update waits for a worker to run the stay's validator, so one at a time
// a first poll of 200 new guests took 10 s on a 2-core machine.
const parallelDeliveries = 8

// deliverAll delivers every guest, parallelDeliveries at a time, and says
// what became of each; the first error stops it.
func (a *PassportScan) deliverAll(ctx context.Context, guests []lifecycle.Guest, r lifecycle.BranchRules) ([]delivery, error) {
	deliveries := make([]delivery, len(guests))
	var mu sync.Mutex // heartbeats come from one goroutine at a time
	done := 0
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(parallelDeliveries)
	for i, guest := range guests {
		g.Go(func() error {
			d, err := a.deliver(gctx, guest, r)
			deliveries[i] = d
			mu.Lock()
			done++
			activity.RecordHeartbeat(ctx, done)
			mu.Unlock()
			return err
		})
	}
	return deliveries, g.Wait()
}

// deliver hands the guest's snapshot to their stay by update-with-start: a
// new guest starts a stay, a known one is updated, and a snapshot the stay
// already has is refused by its validator, which writes nothing to the
// stay's history.
func (a *PassportScan) deliver(ctx context.Context, g lifecycle.Guest, r lifecycle.BranchRules) (delivery, error) {
	id := lifecycle.StayWorkflowID(g.BranchID, g.ReservationID, g.CustomerID)
	start := a.Temporal.NewWithStartWorkflowOperation(client.StartWorkflowOptions{
		ID:                       id,
		TaskQueue:                lifecycle.TaskQueue,
		WorkflowIDConflictPolicy: enums.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		// A stay that completed is not started again by a late snapshot.
		WorkflowIDReusePolicy: enums.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		TypedSearchAttributes: temporal.NewSearchAttributes(
			lifecycle.BranchIDKey.ValueSet(g.BranchID),
			lifecycle.GuestStageKey.ValueSet(string(lifecycle.StageArrivalFetched)),
		),
		StaticSummary: fmt.Sprintf("Stay of guest %d, reservation %d, at %s", g.CustomerID, g.ReservationID, g.BranchID),
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
			BirthPlace:  str(c.BirthCity),
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
