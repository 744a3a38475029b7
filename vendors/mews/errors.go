package mews

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/guestflow/guestflow/vendors/vendorhttp"
)

// decodeError reads Mews' error body {"Message": ..., "RequestId": ...}.
// Field names match case-insensitively, so a camel-cased variant decodes too.
func decodeError(body []byte, h http.Header) (message, requestID string) {
	var e struct {
		Message   string `json:"Message"`
		RequestID string `json:"RequestId"`
	}
	if json.Unmarshal(body, &e) != nil {
		e.Message, e.RequestID = "", ""
	}
	if e.RequestID == "" {
		e.RequestID = h.Get("Request-Id")
	}
	return e.Message, e.RequestID
}

// BusinessRuleMessage returns the message of a 403: Mews refused the call
// because a business rule failed (a duplicate e-mail, for instance), and the
// message explains it to hotel staff. It may contain personal data, so show
// it to staff; do not log it.
func BusinessRuleMessage(err error) (string, bool) {
	var ve *vendorhttp.Error
	if errors.As(err, &ve) && ve.Status == http.StatusForbidden {
		return ve.Message, true
	}
	return "", false
}
