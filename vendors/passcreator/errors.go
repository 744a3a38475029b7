package passcreator

import (
	"net/http"

	"github.com/guestflow/guestflow/vendors/vendorhttp"
)

// DecodeError reads Passcreator's message from an error answer. The document
// lists status codes but no error body, so the usual fields are tried in
// turn: message, error (text or {message}), errorMessage, errors (a list or a
// map of texts), detail; a short plain-text body is taken as it is. The
// request id comes from an X-Request-Id style header or a requestId field.
func DecodeError(body []byte, h http.Header) (message, requestID string) {
	return vendorhttp.ErrorText(body, h, "message", "error", "errorMessage", "errors", "detail")
}
