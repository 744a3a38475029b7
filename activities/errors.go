// Package activities holds guestflow's Temporal activities: one struct per
// vendor (and one for the Temporal client itself), each holding the clients
// its methods need. Every activity is idempotent, because Temporal delivers
// it at least once: it looks before it writes.
package activities

import (
	"errors"

	"go.temporal.io/sdk/temporal"

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
	// phone that is not E.164). Not retried.
	ErrInvalidInput = "InvalidInput"
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
	if !errors.As(err, &ve) {
		return err
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

// invalidInput refuses input that no retry will fix. msg must not carry
// personal data.
func invalidInput(msg string) error {
	return temporal.NewNonRetryableApplicationError(msg, ErrInvalidInput, nil)
}
