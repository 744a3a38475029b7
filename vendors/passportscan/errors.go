package passportscan

import (
	"net/http"

	"github.com/guestflow/guestflow/vendors/vendorhttp"
)

// DecodeError reads PassportScan's error answer, whose shape the document
// does not show. The keys read are those of the forms PassportScan's own
// answers point to and the standard ones: "message" (its token errors,
// {"code": 401, "message": "Expired JWT Token"}), RFC 9457 problem details
// ("detail", then "title"), RFC 6749 token errors ("error_description",
// then "error"), and a validation list or map under "errors". The request
// id comes from vendorhttp's request id headers or the body.
func DecodeError(body []byte, h http.Header) (message, requestID string) {
	return vendorhttp.ErrorText(body, h, "message", "error_description", "detail", "error", "errors", "title")
}
