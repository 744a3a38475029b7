package passquare

import (
	"net/http"

	"github.com/guestflow/guestflow/vendors/vendorhttp"
)

// DecodeError reads Passquare's error answers. The one failure form the
// document shows is {"error": "..."} (with "success": false beside it in
// the answers that carry a success flag); only its error field is read. A
// request id is taken from the usual headers or body fields when present.
func DecodeError(body []byte, h http.Header) (message, requestID string) {
	return vendorhttp.ErrorText(body, h, "error")
}
