package devserver_test

import (
	"context"
	"testing"
	"time"

	"go.temporal.io/api/operatorservice/v1"

	"github.com/guestflow/guestflow/devserver"
	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/temporalclient"
)

// The dev server starts from the pinned CLI, and guestflow's search
// attributes register on it idempotently.
func TestDevServerAndSearchAttributes(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	srv, err := devserver.Start(ctx, devserver.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	c := srv.Client()

	for range 2 { // the second run must find them and change nothing
		if err := temporalclient.EnsureSearchAttributes(ctx, c, "default", lifecycle.SearchAttributes); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := c.OperatorService().ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: "default"})
	if err != nil {
		t.Fatal(err)
	}
	for name, typ := range lifecycle.SearchAttributes {
		if got := resp.GetCustomAttributes()[name]; got != typ {
			t.Errorf("search attribute %s: got %v, want %v", name, got, typ)
		}
	}
}
