package hooks

import (
	"context"
	"errors"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/guestflow/guestflow/lifecycle"
)

// Temporal is what the webhook asks of Temporal; NewTemporal is the real
// one, tests also use one that fails as an unreachable server does.
type Temporal interface {
	// UpdateAccount is lifecycle.UpdateAccount: update-with-start on the
	// account, waiting until the update completed.
	UpdateAccount(ctx context.Context, key string, holder lifecycle.AccountHolder, update, updateID string, arg, result any) error
	// QueryBalance asks the account for its balance; an account that does
	// not exist is a *serviceerror.NotFound, a closed one
	// lifecycle.ErrAccountClosed.
	QueryBalance(ctx context.Context, key string) (lifecycle.Balance, error)
	// DeliverScan is lifecycle.DeliverScan.
	DeliverScan(ctx context.Context, scan lifecycle.Scan) error
	// RecordDeviceScan is lifecycle.RecordDeviceScan.
	RecordDeviceScan(ctx context.Context, taskQueue string, scan lifecycle.DeviceScan) (lifecycle.DeviceScanResult, error)
	// CheckHealth fails when the Temporal frontend does not answer.
	CheckHealth(ctx context.Context) error
}

// NewTemporal speaks to Temporal through c.
func NewTemporal(c client.Client) Temporal { return temporalClient{c} }

type temporalClient struct{ c client.Client }

func (t temporalClient) UpdateAccount(ctx context.Context, key string, holder lifecycle.AccountHolder, update, updateID string, arg, result any) error {
	return lifecycle.UpdateAccount(ctx, t.c, key, holder, update, updateID, arg, result)
}

func (t temporalClient) QueryBalance(ctx context.Context, key string) (lifecycle.Balance, error) {
	var b lifecycle.Balance
	err := lifecycle.QueryAccount(ctx, t.c, key, lifecycle.QueryBalance, &b)
	return b, err
}

func (t temporalClient) DeliverScan(ctx context.Context, scan lifecycle.Scan) error {
	return lifecycle.DeliverScan(ctx, t.c, scan)
}

func (t temporalClient) RecordDeviceScan(ctx context.Context, taskQueue string, scan lifecycle.DeviceScan) (lifecycle.DeviceScanResult, error) {
	return lifecycle.RecordDeviceScan(ctx, t.c, taskQueue, scan)
}

func (t temporalClient) CheckHealth(ctx context.Context) error {
	_, err := t.c.CheckHealth(ctx, &client.CheckHealthRequest{})
	return err
}

// outcome is how a Temporal error is answered.
type outcome int

const (
	// unavailable: Temporal did not answer in time or at all; the caller
	// must retry, as nothing may have been recorded.
	unavailable outcome = iota
	// notFound: no such account.
	notFound
	// refused: the account turned the request down; a retry fails again.
	refused
	// closed: an operator closed the account; nothing changes until an
	// operator recovers it.
	closed
	// conflicting: the account credited this transaction id with another
	// sum, and changed nothing.
	conflicting
)

func classify(err error) outcome {
	var nf *serviceerror.NotFound
	var app *temporal.ApplicationError
	var bad *serviceerror.InvalidArgument
	var query *serviceerror.QueryFailed
	switch {
	case errors.Is(err, lifecycle.ErrAccountClosed):
		return closed
	case errors.As(err, &app) && app.Type() == lifecycle.ErrConflictingTransaction:
		return conflicting
	case errors.As(err, &nf):
		return notFound
	case errors.As(err, &app), errors.As(err, &bad), errors.As(err, &query):
		return refused
	}
	return unavailable
}
