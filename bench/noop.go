package main

import (
	"context"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/guestflow/guestflow/activities"
	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/workflows"
)

// The ceiling is a stay that does nothing, of the stay's shape on the happy
// path: started by the real arrivals poll with the same update-with-start,
// the same search attribute writes (one per workflow task), the same four
// activities on the same task queues (Mews and Passquare do nothing; the
// account ones are the real activities, updating an account that does
// nothing), the departure timer, and every payload through the same codec.

// ceilingRegistry registers the no-op Stay and Account in place of guestflow's.
type ceilingRegistry struct{ workflows.Registry }

func (r ceilingRegistry) RegisterWorkflowWithOptions(w any, o workflow.RegisterOptions) {
	switch o.Name {
	case lifecycle.StayWorkflowName:
		w = noopStay
	case lifecycle.AccountWorkflowName:
		w = noopAccount
	}
	r.Registry.RegisterWorkflowWithOptions(w, o)
}

// registerCeilingActivities registers guestflow's activities with the
// vendors' ones replaced by no-ops under the same names.
func registerCeilingActivities(main, pq worker.Worker, mews []worker.Worker, acts *activities.Set) {
	main.RegisterActivity(acts.PassportScan)
	main.RegisterActivity(acts.Accounts)
	for _, w := range mews {
		w.RegisterActivityWithOptions(func(context.Context, activities.UpdateMewsInput) (activities.UpdateMewsResult, error) {
			return activities.UpdateMewsResult{CustomerID: "noop"}, nil
		}, activity.RegisterOptions{Name: "UpdateMews"})
	}
	pq.RegisterActivityWithOptions(func(ctx context.Context, in activities.IssueCardInput) (lifecycle.Card, error) {
		return lifecycle.Card{AccountKey: in.AccountKey, Number: activity.GetInfo(ctx).WorkflowExecution.ID}, nil
	}, activity.RegisterOptions{Name: "IssueCard"})
}

func noopStay(ctx workflow.Context, in lifecycle.StayInput) (lifecycle.StaySummary, error) {
	if err := workflow.SetUpdateHandler(ctx, lifecycle.UpdateGuestSnapshot, func(workflow.Context, lifecycle.Guest) error { return nil }); err != nil {
		return lifecycle.StaySummary{}, err
	}
	id := workflow.GetInfo(ctx).WorkflowExecution.ID
	reach := func(stage lifecycle.Stage) error {
		return workflow.UpsertTypedSearchAttributes(ctx, lifecycle.GuestStageKey.ValueSet(string(stage)))
	}
	ao := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: 30 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: time.Second}})
	if err := reach(lifecycle.StageDocumentVerified); err != nil {
		return lifecycle.StaySummary{}, err
	}
	var mews activities.UpdateMewsResult
	if err := workflow.ExecuteActivity(workflow.WithTaskQueue(ao, lifecycle.MewsTaskQueue(in.Guest.BranchID)), "UpdateMews", activities.UpdateMewsInput{
		BranchID: in.Guest.BranchID, Marker: id, Profile: in.Guest.Profile}).Get(ctx, &mews); err != nil {
		return lifecycle.StaySummary{}, err
	}
	if err := reach(lifecycle.StageMewsUpdated); err != nil {
		return lifecycle.StaySummary{}, err
	}
	holder := lifecycle.AccountHolder{Phone: in.Guest.Profile.Phone + "/" + id, FirstName: in.Guest.Profile.FirstName, LastName: in.Guest.Profile.LastName}
	var view lifecycle.AccountView
	if err := workflow.ExecuteActivity(ao, "OpenAccount", activities.OpenAccountInput{
		Holder: holder, Stay: lifecycle.AccountStay{WorkflowID: id}}).Get(ctx, &view); err != nil {
		return lifecycle.StaySummary{}, err
	}
	var card lifecycle.Card
	pq := workflow.WithTaskQueue(ao, lifecycle.PassquareTaskQueue)
	if err := workflow.ExecuteActivity(pq, "IssueCard", activities.IssueCardInput{AccountKey: view.Key, Holder: holder}).Get(ctx, &card); err != nil {
		return lifecycle.StaySummary{}, err
	}
	if err := workflow.ExecuteActivity(ao, "AttachCard", activities.AttachCardInput{Holder: holder, Card: card}).Get(ctx, &view); err != nil {
		return lifecycle.StaySummary{}, err
	}
	if err := reach(lifecycle.StageWalletIssued); err != nil {
		return lifecycle.StaySummary{}, err
	}
	_ = workflow.NewTimerWithOptions(ctx, 72*time.Hour, workflow.TimerOptions{Summary: "departure and checkout grace"}).Get(ctx, nil)
	return lifecycle.StaySummary{FinalStage: lifecycle.StageWalletIssued}, nil
}

func noopAccount(ctx workflow.Context, in lifecycle.AccountInput) error {
	view := func(workflow.Context, any) (lifecycle.AccountView, error) {
		return lifecycle.AccountView{Key: in.Key}, nil
	}
	for _, name := range []string{lifecycle.UpdateOpenAccount, lifecycle.UpdateAttachCard} {
		if err := workflow.SetUpdateHandler(ctx, name, view); err != nil {
			return err
		}
	}
	return workflow.Await(ctx, func() bool { return false })
}
