package lifecycle

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
)

// UpdateAccount delivers an update to the guest's account, starting the
// account first when it does not exist yet (update-with-start), and waits
// for the update's result. updateID makes a repeated delivery a no-op: the
// same id is answered with the first result.
func UpdateAccount(ctx context.Context, c client.Client, key string, holder AccountHolder, update, updateID string, arg, result any) error {
	start := c.NewWithStartWorkflowOperation(client.StartWorkflowOptions{
		ID:                       AccountWorkflowID(key),
		TaskQueue:                TaskQueue,
		WorkflowIDConflictPolicy: enums.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		// An account closed by an operator may be opened again.
		WorkflowIDReusePolicy: enums.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
	}, AccountWorkflowName, AccountInput{Key: key, Holder: holder})
	h, err := c.UpdateWithStartWorkflow(ctx, client.UpdateWithStartWorkflowOptions{
		StartWorkflowOperation: start,
		UpdateOptions: client.UpdateWorkflowOptions{
			UpdateID:     updateID,
			UpdateName:   update,
			Args:         []any{arg},
			WaitForStage: client.WorkflowUpdateStageCompleted,
		},
	})
	if err != nil {
		return err
	}
	return h.Get(ctx, result)
}

// ErrUnknownCard says no account holds the scanned card: a card of another
// programme, or one issued before guestflow. Callers count and log it.
var ErrUnknownCard = errors.New("no loyalty account holds this card")

// FindAccountByCard returns the workflow id of the running account holding
// the card number, from visibility (the CardNumbers search attribute).
func FindAccountByCard(ctx context.Context, c client.Client, cardNumber string) (string, error) {
	if cardNumber == "" || strings.ContainsAny(cardNumber, `'"\`) {
		return "", ErrUnknownCard
	}
	resp, err := c.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{
		PageSize: 2,
		Query: fmt.Sprintf("WorkflowType = '%s' AND ExecutionStatus = 'Running' AND %s = '%s'",
			AccountWorkflowName, CardNumbersKey.GetName(), cardNumber),
	})
	if err != nil {
		return "", err
	}
	if len(resp.GetExecutions()) == 0 {
		return "", ErrUnknownCard
	}
	return resp.GetExecutions()[0].GetExecution().GetWorkflowId(), nil
}

// DeliverScan hands a scan to the account holding the scanned card. The
// account records each appScanId once, so delivering again is harmless.
func DeliverScan(ctx context.Context, c client.Client, scan Scan) error {
	id, err := FindAccountByCard(ctx, c, scan.Barcode)
	if err != nil {
		return err
	}
	return c.SignalWorkflow(ctx, id, "", SignalRecordScan, scan)
}
