package workflows

import (
	"go.temporal.io/sdk/workflow"

	"github.com/guestflow/guestflow/lifecycle"
)

// Card ties a wallet card's number (or its barcode track) to the account
// that holds it: a scan finds the account by asking the card's own
// workflow, which answers the moment the card is bound, where visibility
// would answer seconds later. It does nothing but answer, until an
// operator retires it.
func Card(ctx workflow.Context, accountKey string) error {
	if err := workflow.SetQueryHandler(ctx, lifecycle.QueryCardAccount, func() (string, error) {
		return accountKey, nil
	}); err != nil {
		return err
	}
	workflow.GetSignalChannel(ctx, lifecycle.SignalRetireCard).Receive(ctx, nil)
	return nil
}
