package lifecycle

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
)

// UpdateAccount delivers an update to the guest's account, starting the
// account first when it does not exist yet (update-with-start), and waits
// for the update's result. updateID makes a repeated delivery a no-op: the
// same id is answered with the first result.
//
// A card the update gives the account (attach-card, install-card) is bound
// to it first (BindCard), so its scans find the account from the moment
// the caller is answered.
func UpdateAccount(ctx context.Context, c client.Client, key string, holder AccountHolder, update, updateID string, arg, result any) error {
	for _, number := range cardsOf(arg) {
		if err := BindCard(ctx, c, number, key); err != nil {
			return err
		}
	}
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

// BindCard starts the card's workflow, which holds the key of the account
// the card belongs to, or finds it already running. A card number or
// barcode track belongs to one account for good.
func BindCard(ctx context.Context, c client.Client, number, accountKey string) error {
	if !validCardNumber(number) {
		return fmt.Errorf("card number of %d bytes cannot name a workflow", len(number))
	}
	_, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                       CardWorkflowID(number),
		TaskQueue:                TaskQueue,
		WorkflowIDConflictPolicy: enums.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		WorkflowIDReusePolicy:    enums.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		StaticSummary:            "Card " + number + " of account " + accountKey,
	}, CardWorkflowName, accountKey)
	return err
}

// cardsOf lists the card numbers and tracks an account update gives.
func cardsOf(arg any) []string {
	var cards []string
	add := func(n string) {
		if n != "" && !slices.Contains(cards, n) {
			cards = append(cards, n)
		}
	}
	switch a := arg.(type) {
	case Card:
		add(a.Number)
		add(a.Track)
	case InstallCard:
		for _, n := range a.CardNumbers {
			add(n)
		}
		for _, t := range a.CardTracks {
			add(t.Track)
		}
	}
	return cards
}

// validCardNumber: a scanned barcode is outside input; only a sane one
// names a workflow.
func validCardNumber(n string) bool {
	if n == "" || len(n) > 200 {
		return false
	}
	for _, r := range n {
		if r < 0x21 || r == 0x7f {
			return false
		}
	}
	return true
}

// FindAccountByCard returns the workflow id of the account holding the card
// number or track. The card's own workflow answers, which is consistent
// the moment the card is bound; visibility (the CardNumbers search
// attribute, eventually consistent) is asked only for cards bound before
// card workflows existed.
func FindAccountByCard(ctx context.Context, c client.Client, cardNumber string) (string, error) {
	if !validCardNumber(cardNumber) {
		return "", ErrUnknownCard
	}
	v, err := c.QueryWorkflow(ctx, CardWorkflowID(cardNumber), "", QueryCardAccount)
	var nf *serviceerror.NotFound
	switch {
	case err == nil:
		var key string
		if err := v.Get(&key); err != nil {
			return "", err
		}
		return AccountWorkflowID(key), nil
	case !errors.As(err, &nf):
		return "", err
	}
	return findAccountInVisibility(ctx, c, cardNumber)
}

func findAccountInVisibility(ctx context.Context, c client.Client, cardNumber string) (string, error) {
	if strings.ContainsAny(cardNumber, `'"\`) {
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
