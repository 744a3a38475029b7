package workflows

import (
	"go.temporal.io/sdk/workflow"

	"github.com/guestflow/guestflow/lifecycle"
)

// Registry is what workflows register on: a worker, or a replayer.
type Registry interface {
	RegisterWorkflowWithOptions(w any, options workflow.RegisterOptions)
}

// Register registers every workflow under its published name.
func Register(r Registry) {
	r.RegisterWorkflowWithOptions(Stay, workflow.RegisterOptions{Name: lifecycle.StayWorkflowName})
	r.RegisterWorkflowWithOptions(Account, workflow.RegisterOptions{Name: lifecycle.AccountWorkflowName})
	r.RegisterWorkflowWithOptions(PollArrivals, workflow.RegisterOptions{Name: lifecycle.PollArrivalsWorkflowName})
	r.RegisterWorkflowWithOptions(BackfillArrivals, workflow.RegisterOptions{Name: lifecycle.BackfillArrivalsWorkflowName})
	r.RegisterWorkflowWithOptions(SyncScans, workflow.RegisterOptions{Name: lifecycle.SyncScansWorkflowName})
	r.RegisterWorkflowWithOptions(DeviceScan, workflow.RegisterOptions{Name: lifecycle.DeviceScanWorkflowName})
	r.RegisterWorkflowWithOptions(Card, workflow.RegisterOptions{Name: lifecycle.CardWorkflowName})
}
