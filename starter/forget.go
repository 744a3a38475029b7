package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/pflag"
	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/serviceerror"
	workflowpb "go.temporal.io/api/workflow/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"

	"github.com/guestflow/guestflow/config"
	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/program"
	"github.com/guestflow/guestflow/rules"
)

var forgetFlags struct {
	force   bool
	country string
	wait    time.Duration
}

var forgetCommand = &command{
	summary: "erase a guest: delete their stays, account, cards and device scans from Temporal",
	args:    "<stay-id | phone>",
	flags: func(fs *pflag.FlagSet) {
		fs.BoolVar(&forgetFlags.force, "force", false,
			"also terminate what still runs (a stay, the account: its balance is lost) before deleting it")
		fs.StringVar(&forgetFlags.country, "country", "",
			"region of a phone given without +country code (default: each branch's country)")
		fs.DurationVar(&forgetFlags.wait, "wait", 2*time.Minute, "how long to wait for the server to confirm each deletion")
	},
	run: func(ctx context.Context, p *program.Program, args []string) error {
		target, err := oneArg(args, "a stay's workflow id or the guest's phone")
		if err != nil {
			return err
		}
		e := &eraser{c: p.Temporal, namespace: p.Namespace, dc: p.Codec.DataConverter(), cfg: p.Config, out: os.Stdout}
		return e.forget(ctx, target, forgetFlags.force, forgetFlags.country)
	},
}

// eraser finds a guest's workflow executions and deletes them.
type eraser struct {
	c         client.Client
	namespace string
	dc        converter.DataConverter
	cfg       *config.Group
	out       io.Writer
}

// execution is one run of a workflow the erasure deletes.
type execution struct {
	id, runID string
	running   bool
}

// guestTrail is what guestflow holds of one guest.
type guestTrail struct {
	stays         []string // workflow ids
	accounts      []string // workflow ids
	cards         []string // numbers and tracks
	scans         []string // Passcreator appScanIds
	mewsCustomers map[string]string
	balance       map[string]string // account id → balance lost
}

// ErrRefused: the erasure would stop a running stay or account without --force.
var errRefused = errors.New("refused: nothing was deleted")

func (e *eraser) forget(ctx context.Context, target string, force bool, country string) error {
	tr := &guestTrail{mewsCustomers: map[string]string{}, balance: map[string]string{}}
	if strings.HasPrefix(target, "stay/") {
		if err := e.fromStay(ctx, target, tr); err != nil {
			return err
		}
	} else if err := e.fromPhone(ctx, target, country, tr); err != nil {
		return err
	}
	for _, acc := range tr.accounts {
		if err := e.readAccount(ctx, acc, tr); err != nil {
			return err
		}
	}
	var all []execution
	var refuse []string
	add := func(ids []string, mustForce bool) error {
		for _, id := range ids {
			runs, err := e.runs(ctx, id)
			if err != nil {
				return err
			}
			for _, r := range runs {
				if r.running && mustForce && !force {
					refuse = append(refuse, id)
				}
			}
			all = append(all, runs...)
		}
		return nil
	}
	cardIDs := make([]string, 0, len(tr.cards))
	for _, n := range tr.cards {
		cardIDs = append(cardIDs, lifecycle.CardWorkflowID(n))
	}
	deviceScans, err := e.deviceScans(ctx, tr)
	if err != nil {
		return err
	}
	for _, step := range []struct {
		ids       []string
		mustForce bool
	}{{tr.stays, true}, {tr.accounts, true}, {cardIDs, false}, {deviceScans, false}} {
		if err := add(step.ids, step.mustForce); err != nil {
			return err
		}
	}
	if len(refuse) > 0 {
		fmt.Fprintf(e.out, "still running, so nothing was deleted (--force terminates them first; an account's balance is then lost):\n")
		for _, id := range slices.Compact(refuse) {
			fmt.Fprintf(e.out, "  %s\n", id)
		}
		return errRefused
	}
	fmt.Fprintln(e.out, "deleting from Temporal (histories and visibility records):")
	for _, x := range all {
		// The server terminates a running execution and deletes it once
		// terminated: a delete sent right after our own terminate could
		// find the close not yet processed and leave the execution.
		_, err := e.c.WorkflowService().DeleteWorkflowExecution(ctx, &workflowservice.DeleteWorkflowExecutionRequest{
			Namespace: e.namespace, WorkflowExecution: &commonpb.WorkflowExecution{WorkflowId: x.id, RunId: x.runID},
		})
		if err != nil && !isNotFound(err) {
			return fmt.Errorf("delete %s: %w", x.id, err)
		}
		note := ""
		if x.running {
			note = " (terminated first)"
			if b, ok := tr.balance[x.id]; ok {
				note = fmt.Sprintf(" (terminated first: the balance %s is gone)", b)
			}
		}
		fmt.Fprintf(e.out, "  %s run %s%s\n", x.id, x.runID, note)
	}
	if len(all) == 0 {
		fmt.Fprintln(e.out, "  nothing: no workflow of this guest is left")
	}
	left := e.awaitGone(ctx, all, forgetFlags.wait)
	if len(left) == 0 {
		fmt.Fprintln(e.out, "all deleted: the server describes none of them")
	}
	e.printVendors(tr)
	if len(left) > 0 {
		fmt.Fprintf(e.out, "still described after %s (the server deletes in the background; run forget again):\n", forgetFlags.wait)
		for _, x := range left {
			fmt.Fprintf(e.out, "  %s run %s\n", x.id, x.runID)
		}
		return errors.New("deletion not confirmed")
	}
	return nil
}

// awaitGone waits until the server no longer describes each execution, and
// returns those it still describes once wait is over.
func (e *eraser) awaitGone(ctx context.Context, all []execution, wait time.Duration) []execution {
	deadline := time.Now().Add(wait)
	for {
		var left []execution
		for _, x := range all {
			if _, err := e.c.DescribeWorkflowExecution(ctx, x.id, x.runID); !isNotFound(err) {
				left = append(left, x)
			}
		}
		if len(left) == 0 || time.Now().After(deadline) || ctx.Err() != nil {
			return left
		}
		all = left
		time.Sleep(500 * time.Millisecond)
	}
}

// fromStay starts from one stay: its card names the account.
func (e *eraser) fromStay(ctx context.Context, id string, tr *guestTrail) error {
	d, err := e.c.DescribeWorkflowExecution(ctx, id, "")
	if err != nil {
		if isNotFound(err) {
			return fmt.Errorf("no stay %s", id)
		}
		return err
	}
	tr.stays = append(tr.stays, id)
	if d.GetWorkflowExecutionInfo().GetStatus() == enums.WORKFLOW_EXECUTION_STATUS_RUNNING {
		v, err := e.c.QueryWorkflow(ctx, id, "", lifecycle.QueryStatus)
		if err != nil {
			return fmt.Errorf("ask %s for its card: %w", id, err)
		}
		var st lifecycle.StayStatus
		if err := v.Get(&st); err != nil {
			return err
		}
		if st.MewsCustomer != "" {
			tr.mewsCustomers[st.MewsCustomer] = st.BranchID
		}
		if st.Card != nil {
			tr.cards = append(tr.cards, cardIDs(*st.Card)...)
		}
		if st.Card != nil && st.Card.AccountKey != "" {
			tr.accounts = append(tr.accounts, lifecycle.AccountWorkflowID(st.Card.AccountKey))
		}
		return nil
	}
	var sum lifecycle.StaySummary
	if err := e.c.GetWorkflow(ctx, id, "").Get(ctx, &sum); err != nil {
		return nil // a failed or terminated stay has no summary: it is deleted alone
	}
	if sum.MewsCustomer != "" {
		tr.mewsCustomers[sum.MewsCustomer] = strings.SplitN(strings.TrimPrefix(id, "stay/"), "/", 2)[0]
	}
	if sum.CardNumber != "" {
		tr.cards = append(tr.cards, sum.CardNumber)
		acc, err := lifecycle.FindAccountByCard(ctx, e.c, sum.CardNumber)
		if err == nil {
			tr.accounts = append(tr.accounts, acc)
		} else if !errors.Is(err, lifecycle.ErrUnknownCard) {
			return err
		}
	}
	return nil
}

// fromPhone derives the account key of the phone as each possible region
// reads it.
func (e *eraser) fromPhone(ctx context.Context, raw, country string, tr *guestTrail) error {
	regions := []string{country}
	if country == "" {
		for _, b := range e.cfg.Branches {
			regions = append(regions, b.Country)
		}
	}
	secret := []byte(e.cfg.Loyalty.AccountKeySecret.Value())
	for _, region := range regions {
		e164, err := rules.NormalisePhone(raw, region)
		if err != nil {
			continue
		}
		id := lifecycle.AccountWorkflowID(rules.AccountKey(e164, secret))
		if slices.Contains(tr.accounts, id) {
			continue
		}
		if _, err := e.c.DescribeWorkflowExecution(ctx, id, ""); err == nil {
			tr.accounts = append(tr.accounts, id)
		} else if !isNotFound(err) {
			return err
		}
	}
	if len(tr.accounts) == 0 {
		return errors.New("no loyalty account for this phone (a stay id finds a guest without a card)")
	}
	return nil
}

// readAccount reads every run of the account's history for its stays, cards
// and scans: the stays do not carry the phone, and the account's state
// keeps only recent stays, so the history is where all of them show.
func (e *eraser) readAccount(ctx context.Context, id string, tr *guestTrail) error {
	runs, err := e.runs(ctx, id)
	if err != nil {
		return err
	}
	for _, r := range runs {
		if r.running {
			if v, err := e.c.QueryWorkflow(ctx, id, r.runID, lifecycle.QueryBalance); err == nil {
				var b lifecycle.Balance
				if v.Get(&b) == nil {
					tr.balance[id] = b.Balance.String()
				}
			}
		}
		it := e.c.GetWorkflowHistory(ctx, id, r.runID, false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
		for it.HasNext() {
			ev, err := it.Next()
			if err != nil {
				return fmt.Errorf("read %s: %w", id, err)
			}
			e.accountEvent(ev, tr)
		}
	}
	tr.stays = uniq(tr.stays)
	tr.cards = uniq(tr.cards)
	tr.scans = uniq(tr.scans)
	return nil
}

func (e *eraser) accountEvent(ev *historypb.HistoryEvent, tr *guestTrail) {
	switch ev.GetEventType() {
	case enums.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
		var in lifecycle.AccountInput
		if e.decode(ev.GetWorkflowExecutionStartedEventAttributes().GetInput(), &in) && in.Carried != nil {
			for _, s := range in.Carried.Stays {
				tr.stays = append(tr.stays, s.WorkflowID)
			}
			for _, c := range in.Carried.Cards {
				tr.cards = append(tr.cards, cardIDs(c)...)
			}
			tr.scans = append(tr.scans, in.Carried.Scans...)
		}
	case enums.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
		req := ev.GetWorkflowExecutionUpdateAcceptedEventAttributes().GetAcceptedRequest().GetInput()
		switch req.GetName() {
		case lifecycle.UpdateOpenAccount:
			var open lifecycle.OpenAccount
			if e.decode(req.GetArgs(), &open) {
				tr.stays = append(tr.stays, open.Stay.WorkflowID)
			}
		case lifecycle.UpdateAttachCard:
			var c lifecycle.Card
			if e.decode(req.GetArgs(), &c) {
				tr.cards = append(tr.cards, cardIDs(c)...)
			}
		case lifecycle.UpdateInstallCard:
			var in lifecycle.InstallCard
			if e.decode(req.GetArgs(), &in) {
				tr.cards = append(tr.cards, in.CardNumbers...)
				for _, t := range in.CardTracks {
					tr.cards = append(tr.cards, t.Card, t.Track)
				}
			}
		}
	case enums.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
		a := ev.GetWorkflowExecutionSignaledEventAttributes()
		var scan lifecycle.Scan
		if a.GetSignalName() == lifecycle.SignalRecordScan && e.decode(a.GetInput(), &scan) {
			tr.scans = append(tr.scans, scan.AppScanID)
		}
	}
}

// deviceScans finds the DeviceScan workflows of the guest's cards at the
// branches of their stays. Visibility carries only their branch, so each
// one's input is read for the barcode scanned.
func (e *eraser) deviceScans(ctx context.Context, tr *guestTrail) ([]string, error) {
	if len(tr.cards) == 0 {
		return nil, nil
	}
	var branches []string
	for _, s := range tr.stays {
		branches = append(branches, strings.SplitN(strings.TrimPrefix(s, "stay/"), "/", 2)[0])
	}
	var ids []string
	for _, b := range uniq(branches) {
		if !queryValue.MatchString(b) {
			continue
		}
		q := fmt.Sprintf("WorkflowType = '%s' AND %s = '%s'", lifecycle.DeviceScanWorkflowName, lifecycle.BranchIDKey.GetName(), b)
		err := e.list(ctx, q, func(x execution) error {
			it := e.c.GetWorkflowHistory(ctx, x.id, x.runID, false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
			if !it.HasNext() {
				return nil
			}
			ev, err := it.Next()
			if err != nil {
				return err
			}
			var scan lifecycle.DeviceScan
			if e.decode(ev.GetWorkflowExecutionStartedEventAttributes().GetInput(), &scan) && slices.Contains(tr.cards, scan.Barcode) {
				ids = append(ids, x.id)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return uniq(ids), nil
}

// runs lists every run of a workflow id (continue-as-new leaves several).
func (e *eraser) runs(ctx context.Context, id string) ([]execution, error) {
	if strings.ContainsAny(id, `'"\`) {
		return nil, fmt.Errorf("workflow id %q cannot be queried", id)
	}
	var runs []execution
	err := e.list(ctx, fmt.Sprintf("WorkflowId = '%s'", id), func(x execution) error {
		runs = append(runs, x)
		return nil
	})
	return runs, err
}

func (e *eraser) list(ctx context.Context, q string, each func(execution) error) error {
	return lifecycle.ListWorkflows(ctx, e.c, q, func(x *workflowpb.WorkflowExecutionInfo) error {
		return each(execution{id: x.GetExecution().GetWorkflowId(), runID: x.GetExecution().GetRunId(),
			running: x.GetStatus() == enums.WORKFLOW_EXECUTION_STATUS_RUNNING})
	})
}

func (e *eraser) decode(p *commonpb.Payloads, v any) bool {
	return len(p.GetPayloads()) > 0 && e.dc.FromPayload(p.GetPayloads()[0], v) == nil
}

// printVendors says what the vendors keep and how to ask them to delete it,
// as far as their documents offer a call.
func (e *eraser) printVendors(tr *guestTrail) {
	fmt.Fprintln(e.out, "kept by the vendors (guestflow cannot delete these):")
	for _, id := range slices.Sorted(maps.Keys(tr.mewsCustomers)) {
		fmt.Fprintf(e.out, "  Mews (branch %s): customer %s: identity documents: POST [PlatformAddress]/api/connector/v1/identityDocuments/clear with CustomerIds [%q] (or identityDocuments/delete by IdentityDocumentIds); the customer profile: no documented delete (customers/update can overwrite its fields): ask Mews\n",
			tr.mewsCustomers[id], id, id)
	}
	if len(tr.mewsCustomers) == 0 {
		fmt.Fprintln(e.out, "  Mews: no customer id known to guestflow: search the branch's Mews for the guest; identity documents: identityDocuments/clear by CustomerIds")
	}
	fmt.Fprintf(e.out, "  Passquare: the customer of the guest's phone, cards %s: no documented call: ask Passquare\n", listOrNone(tr.cards))
	fmt.Fprintf(e.out, "  Passcreator: app scans %s (they hold the card's barcode): the document offers list and create only: ask Passcreator\n", listOrNone(tr.scans))
	fmt.Fprintf(e.out, "  PassportScan: the reservations and ID scans of stays %s: the document offers login and reservations (read only): ask PassportScan; while it lists a reservation, the arrivals poll starts that stay again\n", listOrNone(tr.stays))
}

func cardIDs(c lifecycle.Card) []string {
	var ids []string
	for _, n := range []string{c.Number, c.Track} {
		if n != "" {
			ids = append(ids, n)
		}
	}
	return ids
}

func uniq(s []string) []string {
	s = slices.DeleteFunc(s, func(v string) bool { return v == "" })
	slices.Sort(s)
	return slices.Compact(s)
}

func listOrNone(s []string) string {
	if len(s) == 0 {
		return "(none known)"
	}
	return strings.Join(s, ", ")
}

func isNotFound(err error) bool {
	var nf *serviceerror.NotFound
	return errors.As(err, &nf)
}
