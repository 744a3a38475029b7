package hooks_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"

	"github.com/guestflow/guestflow/activities"
	"github.com/guestflow/guestflow/devserver"
	"github.com/guestflow/guestflow/lifecycle"
)

// An account an operator terminated is never started again empty: each
// Passquare hook for it is refused in Passquare's form, without internals,
// logged as an error with the account key, and changes nothing (the
// terminated run stays the latest); a stay asking for the account gets a
// non-retryable AccountClosed that tells staff how it is recovered. The
// README's recovery command brings the account back with its balance.
func TestClosedAccountIsNotReopened(t *testing.T) {
	e := newEnv(t)
	g := newGuest()
	e.install(g)
	require.Equal(t, http.StatusOK, e.hook(g.addBalance(t, "20.00", "closed-account-1")).Code)

	id := lifecycle.AccountWorkflowID(g.key())
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	open, err := temporalClient.DescribeWorkflowExecution(ctx, id, "")
	require.NoError(t, err)
	require.NoError(t, temporalClient.TerminateWorkflow(ctx, id, "", "test: an operator closes the account"))

	// A repeat of the delivered install is answered as before (its update
	// id is known to the closed run); a new card is refused.
	w := e.hook(g.createCustomer(t))
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	newCard := g
	newCard.card, newCard.track = g.card+"1", g.track+"1"
	hooks := []struct{ call, body string }{
		{"install-card", newCard.createCustomer(t)},
		{"balance", g.readBalance(t)},
		{"balance", g.addBalance(t, "30.00", "closed-account-2")},
	}
	for _, h := range hooks {
		w := e.hook(h.body)
		require.Equal(t, http.StatusBadRequest, w.Code, w.Body.String())
		require.JSONEq(t, `{"success": false, "error": "loyalty account closed; ask the hotel"}`, w.Body.String())
	}
	require.Equal(t, []string{"install-card", "balance", "balance"}, closedAccountErrors(t, e.logs.String(), g.key()),
		"each refusal is logged as an error naming the account for operators")

	accounts := &activities.Accounts{Temporal: temporalClient, KeySecret: []byte(accountSecret)}
	_, err = accounts.OpenAccount(ctx, activities.OpenAccountInput{
		Holder: lifecycle.AccountHolder{Phone: g.phone},
		Stay:   lifecycle.AccountStay{WorkflowID: "stay/closed-account-test", BranchID: "rome", BonusPercent: decimal.NewFromInt(5)},
	})
	var app *temporal.ApplicationError
	require.True(t, errors.As(err, &app), "OpenAccount answered %v", err)
	require.Equal(t, activities.ErrAccountClosed, app.Type())
	require.True(t, app.NonRetryable())
	require.Contains(t, app.Message(), id, "staff can hand the operator the workflow to reset")
	require.NotContains(t, app.Message(), g.phone)

	latest, err := temporalClient.DescribeWorkflowExecution(ctx, id, "")
	require.NoError(t, err)
	require.Equal(t, open.GetWorkflowExecutionInfo().GetExecution().GetRunId(),
		latest.GetWorkflowExecutionInfo().GetExecution().GetRunId(), "no new, empty run of the account")
	require.Equal(t, enumspb.WORKFLOW_EXECUTION_STATUS_TERMINATED, latest.GetWorkflowExecutionInfo().GetStatus())

	// The README's recovery: the operator resets the account to its last
	// workflow task; it runs again with its balance and cards.
	cli, err := devserver.CLIPath()
	require.NoError(t, err)
	out, err := exec.CommandContext(ctx, cli, "workflow", "reset", "--address", frontend, "--namespace", "default",
		"--workflow-id", id, "--type", "LastWorkflowTask", "--reason", "test: operator recovers the account").CombinedOutput()
	require.NoError(t, err, "%s", out)
	require.Equal(t, "20", e.balance(g), "the recovered account keeps its balance")
	require.Equal(t, http.StatusOK, e.hook(g.addBalance(t, "30.00", "closed-account-3")).Code)
	require.Equal(t, "50", e.balance(g))
}

// closedAccountErrors lists, in order, the calls of the webhook's
// error-level log lines about the closed account of key.
func closedAccountErrors(t *testing.T, logs, key string) []string {
	t.Helper()
	var calls []string
	for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
		var rec struct {
			Level, Msg, Call string
			AccountKey       string `json:"account_key"`
		}
		require.NoError(t, json.Unmarshal([]byte(line), &rec), line)
		if rec.Level == "ERROR" && rec.AccountKey == key && strings.Contains(rec.Msg, "closed") {
			calls = append(calls, rec.Call)
		}
	}
	return calls
}
