package passquare

import (
	"net/http"

	"github.com/guestflow/guestflow/vendors/vendorhttp"
)

// DecodeError reads Passquare's error answers. Their shape is undocumented,
// so every common form is read: {"error": "..."}, {"message": "..."},
// {"errors": ...} as a string, a list or a map of field to messages, and
// {"success": false, "message": "..."}. A request id is taken from the usual
// headers or body fields when present.
func DecodeError(body []byte, h http.Header) (message, requestID string) {
	return vendorhttp.ErrorText(body, h, "error", "message", "errors", "error_description", "detail", "msg")
}
