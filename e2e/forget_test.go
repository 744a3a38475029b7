package e2e

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"

	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/rules"
	ps "github.com/guestflow/guestflow/vendors/passportscan/sandbox"
)

// Erasure on request: `starter forget` refuses while the guest's stay and
// account run, deleting nothing; with --force it deletes the stay, the
// account, the card and the guest's device scans, and names what the
// vendors keep.
func TestForgetGuest(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "starter")
	if out, err := exec.Command("go", "build", "-o", bin, "../starter").CombinedOutput(); err != nil {
		t.Fatalf("build starter: %v\n%s", err, out)
	}
	s := newStack(t)
	rome, _ := time.LoadLocation("Europe/Rome")
	today := rules.Today(time.Now(), rome)
	departure := today.AddDays(2).String()
	s.passport.PutReservation("101", ps.Reservation{ID: 9501, ArrivalDate: today.String(), DepartureDate: &departure,
		CustomerReservations: []ps.CustomerReservation{
			guest(95, "Elena", "Fabbri", "+393401112233", nil),
			guest(96, "Franco", "Fabbri", "+393405556677", nil),
		}})
	var res any
	s.run(lifecycle.PollArrivalsWorkflowName, "forget-poll", lifecycle.PollArrivals{BranchID: "rome", TimeZone: "Europe/Rome", Full: true}, &res)
	stay := lifecycle.StayWorkflowID("rome", 9501, 95)
	companion := lifecycle.StayWorkflowID("rome", 9501, 96)
	s.waitStage(stay, lifecycle.StageWalletIssued)
	s.waitStage(companion, lifecycle.StageWalletIssued)
	st, err := s.status(stay)
	if err != nil || st.Card == nil || st.Card.Number == "" {
		t.Fatalf("no card: %+v %v", st.Card, err)
	}
	account := lifecycle.AccountWorkflowID(st.Card.AccountKey)
	card := lifecycle.CardWorkflowID(st.Card.Number)

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	theirs := lifecycle.DeviceScan{DeviceScanID: "bar-1/0001", BranchID: "rome", AppConfigurationID: romeConfigID,
		Barcode: st.Card.Number, Value: decimal.RequireFromString("10")}
	other := lifecycle.DeviceScan{DeviceScanID: "bar-1/0002", BranchID: "rome", AppConfigurationID: romeConfigID,
		Barcode: "NOT-OUR-CARD-2", Value: decimal.RequireFromString("10")}
	for _, scan := range []lifecycle.DeviceScan{theirs, other} {
		if _, err := lifecycle.RecordDeviceScan(ctx, s.client, lifecycle.TaskQueue, scan); err != nil {
			t.Fatal(err)
		}
	}
	theirScan := lifecycle.DeviceScanWorkflowID(theirs.BranchID, theirs.DeviceScanID)
	otherScan := lifecycle.DeviceScanWorkflowID(other.BranchID, other.DeviceScanID)
	for _, target := range []string{stay, "+393401112233", "340 111 2233"} {
		code, out := s.starter(bin, "forget", target)
		if code != 1 || !strings.Contains(out, "nothing was deleted") || !strings.Contains(out, account) {
			t.Errorf("forget %s without --force: exit %d\n%s", target, code, out)
		}
	}
	for _, id := range []string{stay, account, card, theirScan} {
		if _, err := s.client.DescribeWorkflowExecution(ctx, id, ""); err != nil {
			t.Errorf("%s after a refused forget: %v", id, err)
		}
	}

	// Visibility is eventually consistent: wait until the device scans show
	// by branch before erasing, so the guest's is found.
	s.eventually("device scans listed", 15*time.Second, func() error {
		n, err := s.client.CountWorkflow(ctx, &workflowservice.CountWorkflowExecutionsRequest{
			Query: "WorkflowType = '" + lifecycle.DeviceScanWorkflowName + "' AND BranchId = 'rome'"})
		if err == nil && n.GetCount() != 2 {
			err = errors.New("not yet")
		}
		return err
	})
	out := s.mustStarter(bin, "all deleted", "forget", stay, "--force")
	for _, want := range []string{stay, account, card, theirScan, "the balance", "Passquare", "no documented call: ask Passquare",
		"identityDocuments/clear", "Passcreator", "PassportScan"} {
		if !strings.Contains(out, want) {
			t.Errorf("forget's report lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, otherScan) {
		t.Errorf("forget deleted another card's device scan:\n%s", out)
	}
	s.eventually("the guest's workflows are gone", 120*time.Second, func() error {
		for _, id := range []string{stay, account, card, theirScan} {
			d, err := s.client.DescribeWorkflowExecution(ctx, id, "")
			var nf *serviceerror.NotFound
			if !errors.As(err, &nf) {
				return fmt.Errorf("%s still described: %v %v\n%s", id, d.GetWorkflowExecutionInfo().GetExecution(), d.GetWorkflowExecutionInfo().GetStatus(), out)
			}
		}
		return nil
	})
	if _, err := s.client.DescribeWorkflowExecution(ctx, otherScan, ""); err != nil {
		t.Errorf("another card's device scan: %v", err)
	}
	// The companion is untouched, and is found by phone alone: the account's
	// history names the stay.
	if _, err := s.client.DescribeWorkflowExecution(ctx, companion, ""); err != nil {
		t.Errorf("the companion's stay after forgetting another guest: %v", err)
	}
	out = s.mustStarter(bin, "all deleted", "forget", "340 555 6677", "--force")
	if !strings.Contains(out, companion) || strings.Contains(out, "5556677") {
		t.Errorf("forget by phone: the stay is not listed, or the phone is echoed:\n%s", out)
	}
	code, out := s.starter(bin, "forget", stay)
	if code != 1 || !strings.Contains(out, "no stay") {
		t.Errorf("forgetting a forgotten stay: exit %d\n%s", code, out)
	}
}
