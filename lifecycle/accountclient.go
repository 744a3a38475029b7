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

// ErrAccountClosed says the guest's account workflow is closed: an operator
// terminated it, or it failed. An account never completes by itself, and a
// closed one is never started again empty: its id stays taken until an
// operator resets it (README, "Recovering a closed account"). Errors wrap
// it with the account's workflow id, which holds no personal data.
var ErrAccountClosed = errors.New("loyalty account closed by an operator; reset its workflow to recover it")

// accountClosed is ErrAccountClosed for the account of key.
func accountClosed(key string) error {
	return fmt.Errorf("%s: %w", AccountWorkflowID(key), ErrAccountClosed)
}

// UpdateAccount delivers an update to the guest's account, starting the
// account first when it does not exist yet (update-with-start), and waits
// for the update's result. updateID makes a repeated delivery a no-op: the
// same id is answered with the first result. An account that was closed is
// not started again: the answer is ErrAccountClosed.
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
		// A closed account keeps its balance in its history: starting the
		// id again would open it empty. Temporal refuses the start (the
		// operation fails with WorkflowExecutionAlreadyStarted) until the
		// namespace's retention has deleted the closed run.
		WorkflowIDReusePolicy: enums.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
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
	var closed *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &closed) {
		return accountClosed(key)
	}
	if err != nil {
		return err
	}
	return h.Get(ctx, result)
}

// QueryAccount asks the guest's running account a query. An account that
// does not exist is a *serviceerror.NotFound, a closed one ErrAccountClosed:
// what a closed run last held is no answer for a caller about to act on it.
func QueryAccount(ctx context.Context, c client.Client, key, query string, result any) error {
	resp, err := c.QueryWorkflowWithOptions(ctx, &client.QueryWorkflowWithOptionsRequest{
		WorkflowID:           AccountWorkflowID(key),
		QueryType:            query,
		QueryRejectCondition: enums.QUERY_REJECT_CONDITION_NOT_OPEN,
	})
	switch {
	case err != nil:
		return err
	case resp.QueryRejected != nil:
		return accountClosed(key)
	}
	return resp.QueryResult.Get(result)
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
