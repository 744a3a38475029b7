package passportscan

import (
	"net/http"

	"github.com/guestflow/guestflow/vendors/vendorhttp"
)

// DecodeError reads PassportScan's error answer, whose shape is not
// documented: a message under any of the usual keys (a plain string, a list,
// an object holding one, or a map of field to messages), and the request id
// from X-Request-Id or the body.
func DecodeError(body []byte, h http.Header) (message, requestID string) {
	return vendorhttp.ErrorText(body, h, "message", "Message", "error_description", "detail", "error", "errors", "msg", "error_message", "title")
}
