package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"go.temporal.io/api/workflowservice/v1"

	"github.com/guestflow/guestflow/activities"
	"github.com/guestflow/guestflow/lifecycle"
)

// A device's scan is recorded at Passcreator once, even when Passcreator's
// answer to the recording is lost and when the device posts it again.
func TestDeviceScanRecordedOnce(t *testing.T) {
	s := newStack(t)
	scan := lifecycle.DeviceScan{
		DeviceScanID: "bar-till-2/000917", BranchID: "rome", AppConfigurationID: romeConfigID,
		Barcode: "NOT-OUR-CARD-1", Value: decimal.RequireFromString("18.40"),
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	s.loseScanAnswers.Store(1)
	first, err := lifecycle.RecordDeviceScan(ctx, s.client, lifecycle.TaskQueue, scan)
	if err != nil {
		t.Fatal(err)
	}
	again, err := lifecycle.RecordDeviceScan(ctx, s.client, lifecycle.TaskQueue, scan)
	if err != nil {
		t.Fatal(err)
	}
	if again != first {
		t.Errorf("the repeated post was answered %+v, the first %+v", again, first)
	}
	scans := s.passcreator.Scans(romeConfigID)
	if len(scans) != 1 {
		t.Fatalf("Passcreator holds %d scans, want 1", len(scans))
	}
	if scans[0].AppScanID != first.AppScanID || scans[0].DeviceName != activities.DeviceName(scan.DeviceScanID) {
		t.Errorf("Passcreator's scan %s (%s), answered %s", scans[0].AppScanID, scans[0].DeviceName, first.AppScanID)
	}
	if first.AccountFound {
		t.Error("a card no account holds was credited")
	}
	s.eventually("the device scan is found by branch in the Web UI", 10*time.Second, func() error {
		n, err := s.client.CountWorkflow(ctx, &workflowservice.CountWorkflowExecutionsRequest{
			Query: fmt.Sprintf("WorkflowType = '%s' AND BranchId = 'rome'", lifecycle.DeviceScanWorkflowName),
		})
		if err == nil && n.GetCount() != 1 {
			err = fmt.Errorf("%d found", n.GetCount())
		}
		return err
	})
	s.exportHistories(map[string]string{"devicescan.json": lifecycle.DeviceScanWorkflowID(scan.BranchID, scan.DeviceScanID)})
}
