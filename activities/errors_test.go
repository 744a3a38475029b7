package activities

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/vendors/vendorhttp"
)

// Every failure an activity returns is classified: what the same call will
// fail again is non-retryable with a stable type; what may pass later is
// retried.
func TestFailuresAreClassified(t *testing.T) {
	// A 2xx answer in a form the document does not show, read through the
	// real client.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = fmt.Fprint(w, `{"customers": "not a list"}`)
	}))
	defer srv.Close()
	cl := &vendorhttp.Client{Vendor: "mews", BaseURL: srv.URL, HTTP: srv.Client(), Timeout: 5 * time.Second}
	var out struct{ Customers []string }
	decodeErr := cl.Do(context.Background(), vendorhttp.Call{Method: http.MethodPost, Path: "/customers/getAll", Endpoint: "POST customers/getAll", Out: &out})
	if decodeErr == nil {
		t.Fatal("want a decode error")
	}

	tests := []struct {
		name      string
		err       error
		typ       string
		retryable bool
	}{
		{"unreadable answer", decodeErr, ErrVendorAnswer, false},
		{"vendor refusal", &vendorhttp.Error{Vendor: "mews", Endpoint: "POST customers/add", Status: 403}, ErrVendorRefused, false},
		{"vendor down", &vendorhttp.Error{Vendor: "mews", Endpoint: "POST customers/add", Status: 503}, ErrVendorUnavailable, true},
		{"no response", &vendorhttp.Error{Vendor: "mews", Endpoint: "POST customers/add", Err: errors.New("reset")}, ErrVendorUnavailable, true},
		{"a bug", errors.New("index out of range"), ErrUnexpected, true},
		{"own input", invalidInput("no phone"), ErrInvalidInput, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var app *temporal.ApplicationError
			if !errors.As(vendorFailure(tt.err), &app) {
				t.Fatalf("%v is not an application error", tt.err)
			}
			if app.Type() != tt.typ || app.NonRetryable() == tt.retryable {
				t.Errorf("type %s non-retryable %v, want %s non-retryable %v", app.Type(), app.NonRetryable(), tt.typ, !tt.retryable)
			}
		})
	}
}

// An account's refusal (its validator's or handler's answer) is final for
// the stay that asked; a failure to reach Temporal is not.
func TestAccountRefusalIsFinal(t *testing.T) {
	refused := accountFailure(temporal.NewApplicationError("the holder's phone must be E.164", "InvalidStaffAction"))
	var app *temporal.ApplicationError
	if !errors.As(refused, &app) || !app.NonRetryable() || app.Type() != ErrInvalidInput {
		t.Errorf("a validator's refusal came out as %v", refused)
	}
	unreachable := errors.New("connection refused")
	if accountFailure(unreachable) != unreachable {
		t.Error("a failure to reach Temporal must stay retryable")
	}
}

// A closed account is final for the stay that asked, with a stable type and
// a message naming the account's workflow, so staff can have it recovered.
func TestClosedAccountIsFinal(t *testing.T) {
	closed := accountFailure(fmt.Errorf("account/0e6e5d02: %w", lifecycle.ErrAccountClosed))
	var app *temporal.ApplicationError
	if !errors.As(closed, &app) || !app.NonRetryable() || app.Type() != ErrAccountClosed {
		t.Fatalf("a closed account came out as %v", closed)
	}
	for _, want := range []string{"account/0e6e5d02", "closed by an operator", "reset", "retry the stay"} {
		if !strings.Contains(app.Message(), want) {
			t.Errorf("message %q does not say %q", app.Message(), want)
		}
	}
}
