// Package activities holds guestflow's Temporal activities: one struct per
// vendor (and one for the Temporal client itself), each holding the clients
// its methods need. Every activity is idempotent, because Temporal delivers
// it at least once: it looks before it writes.
package activities

import (
	"context"
	"errors"

	"go.temporal.io/sdk/temporal"

	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/vendors/vendorhttp"
)

// Error types of the application errors activities return. Workflows name
// them as non-retryable in their retry policies and read VendorFault from
// the details.
const (
	// ErrVendorRefused: the vendor answered 400, 401, 403 or 404. The same
	// call will fail again, so it goes to a human, not to another retry.
	ErrVendorRefused = "VendorRefused"
	// ErrVendorUnavailable: no answer, a timeout, 408, 409, 429 or 5xx.
	// Retried with backoff, sooner or later as the vendor's Retry-After says.
	ErrVendorUnavailable = "VendorUnavailable"
	// ErrInvalidInput: guestflow's own input cannot be sent (for example a
	// phone that is not E.164), or a workflow's validator refused it. Not
	// retried.
	ErrInvalidInput = "InvalidInput"
	// ErrVendorAnswer: the vendor answered 2xx in a form its document does
	// not show. Not retried: the same call reads the same answer.
	ErrVendorAnswer = "VendorAnswerUnreadable"
	// ErrAccountClosed: the guest's loyalty account was closed by an
	// operator (or failed) and is not opened again empty. Not retried: the
	// stay goes to staff until an operator recovers the account.
	ErrAccountClosed = "AccountClosed"
	// ErrUnexpected: a failure nothing above describes (a bug, most
	// likely). Retried, with its cause logged by the worker.
	ErrUnexpected = "Unexpected"
)

// VendorFault is the detail of a vendor error, for staff. Message is the
// vendor's text (a Mews 403 explains the business rule that failed); it
// lives in the error's encrypted details, never in its message.
type VendorFault struct {
	Vendor    string `json:"vendor"`
	Endpoint  string `json:"endpoint"`
	Status    int    `json:"status"`
	Message   string `json:"message,omitempty"`
	RequestID string `json:"requestId,omitempty"`
}

// vendorFailure turns a client error into the application error Temporal
// retries, or does not, as the vendor's answer deserves.
func vendorFailure(err error) error {
	if err == nil {
		return nil
	}
	var ve *vendorhttp.Error
	var ae *vendorhttp.AnswerError
	var app *temporal.ApplicationError
	switch {
	case errors.As(err, &ae):
		return temporal.NewApplicationErrorWithOptions(ae.Error(), ErrVendorAnswer, temporal.ApplicationErrorOptions{
			NonRetryable: true,
			Details:      []any{VendorFault{Vendor: ae.Vendor, Endpoint: ae.Endpoint, Status: 200, RequestID: ae.RequestID}},
		})
	case errors.As(err, &app):
		return err // classified already
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err // the attempt's own deadline: Temporal times it out and retries
	case !errors.As(err, &ve):
		return temporal.NewApplicationErrorWithOptions(err.Error(), ErrUnexpected, temporal.ApplicationErrorOptions{Cause: err})
	}
	fault := VendorFault{Vendor: ve.Vendor, Endpoint: ve.Endpoint, Status: ve.Status, Message: ve.Message, RequestID: ve.RequestID}
	if ve.Retryable() {
		return temporal.NewApplicationErrorWithOptions(ve.Error(), ErrVendorUnavailable, temporal.ApplicationErrorOptions{
			NextRetryDelay: ve.RetryAfter,
			Details:        []any{fault},
		})
	}
	return temporal.NewApplicationErrorWithOptions(ve.Error(), ErrVendorRefused, temporal.ApplicationErrorOptions{
		NonRetryable: true,
		Details:      []any{fault},
	})
}

// accountFailure classifies the answer of an account update: a refusal by
// the account (its validator or handler) and a closed account are final for
// the caller; a failure to reach Temporal is retried.
func accountFailure(err error) error {
	var app *temporal.ApplicationError
	switch {
	case errors.Is(err, lifecycle.ErrAccountClosed):
		// err names the account's workflow id (a keyed hash), which the
		// operator needs; staff read this message on the stay.
		return temporal.NewNonRetryableApplicationError(err.Error()+
			" (README: Recovering a closed account); once recovered, retry the stay", ErrAccountClosed, nil)
	case errors.As(err, &app):
		return temporal.NewNonRetryableApplicationError("the account refused: "+app.Message(), ErrInvalidInput, nil)
	}
	return err
}

// invalidInput refuses input that no retry will fix. msg must not carry
// personal data.
func invalidInput(msg string) error {
	return temporal.NewNonRetryableApplicationError(msg, ErrInvalidInput, nil)
}
