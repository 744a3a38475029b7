package lifecycle

import (
	"context"

	"go.temporal.io/api/enums/v1"
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
