package passportscan

import (
	"net/http"

	"github.com/guestflow/guestflow/vendors/vendorhttp"
)

// DecodeError reads PassportScan's error answer, whose shape is not
// documented: a message under any of the usual keys (a plain string or an
// object holding one), and the request id from X-Request-Id or the body.
func DecodeError(body []byte, h http.Header) (message, requestID string) {
	return vendorhttp.ErrorText(body, h, "message", "error_description", "detail", "error", "title")
}
