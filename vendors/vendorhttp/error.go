// Package vendorhttp is the HTTP plumbing the four vendor clients share: one
// typed error that tells activities whether a failure is worth retrying, one
// JSON round trip with a timeout, and the per-call Prometheus metrics.
//
// A Client whose Retry is set tries one call again after a transient fault
// (no answer, 408, 429, 5xx), a few times within seconds (Backoff), before
// the error reaches its caller: an activity of several calls then loses
// only the failed call, not the ones before it. Only a call that may be
// repeated is repeated: reads and writes the vendor makes idempotent
// (Call.Idempotent), and any call the vendor cannot have acted on (429,
// 503, or a request that never left). A write whose answer was lost comes
// back to its caller, which looks before it writes again (OutcomeUnknown).
// A NotReplayable call is never repeated. A vendor that counts requests
// per second takes every request, a repeat as a first one, through its
// Client.Turn, and may stop repeats (Client.MayRepeat). Every retry is counted
// (guestflow_vendor_call_retries_total); the Temporal retry of the activity
// stays the answer to a longer outage.
package vendorhttp

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"time"
)

// Error is a failed vendor call: either the vendor answered with a non-2xx
// status, or the request never got an answer (Status 0).
//
// Message is the vendor's own text, kept for staff (a Mews 403 explains which
// business rule failed). It is deliberately left out of Error(), because a
// vendor may echo back the personal data it was sent.
type Error struct {
	Vendor     string        // "mews", "passquare", ...
	Endpoint   string        // the route template, "POST customers/add"; never a URL with ids
	Status     int           // HTTP status; 0 when the transport failed
	Message    string        // vendor's message, for staff; not part of Error()
	RequestID  string        // vendor's request id, for support tickets
	RetryAfter time.Duration // from a Retry-After header, 0 when absent
	Err        error         // transport error when Status is 0
	// Written: the request left (its headers reached the vendor's
	// connection) before the transport failed, so a vendor that did not
	// answer may still have acted on it. Only meaningful with Status 0.
	Written bool
}

func (e *Error) Error() string {
	s := fmt.Sprintf("%s %s: ", e.Vendor, e.Endpoint)
	if e.Status == 0 {
		s += "no response"
		if e.Err != nil {
			s += ": " + transportReason(e.Err)
		}
	} else {
		s += fmt.Sprintf("HTTP %d", e.Status)
	}
	if e.RequestID != "" {
		s += " (request id " + e.RequestID + ")"
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Retryable reports whether the same call may succeed later: the network
// failed, the request timed out, the vendor is rate limiting, the data moved
// under us (409), or the vendor is down. 400, 401, 403 and 404 are permanent
// and must reach a human instead of being retried.
func (e *Error) Retryable() bool {
	switch {
	case e.Status == 0:
		return true
	case e.Status == http.StatusRequestTimeout, e.Status == http.StatusConflict,
		e.Status == http.StatusTooManyRequests, e.Status >= 500:
		return true
	}
	return false
}

// transient reports whether the same call is worth sending again within
// seconds: the network failed or timed out, the request took too long
// (408), the vendor is rate limiting (429) or failing (5xx). 409 (the data
// moved) is not: the caller reads again first, so it goes to Temporal.
func (e *Error) transient() bool {
	return e.Status == 0 || e.Status == http.StatusRequestTimeout ||
		e.Status == http.StatusTooManyRequests || e.Status >= 500
}

// Unseen reports whether the vendor cannot have acted on the call: it
// refused it for its rate (429) or as unavailable (503) before doing
// anything, or the request never left. Any call may be repeated then.
func (e *Error) Unseen() bool {
	switch e.Status {
	case 0:
		return !e.Written
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		return true
	}
	return false
}

// OutcomeUnknown reports whether err is a transient failure after which the
// vendor may or may not have done what the call asked: the answer was lost
// (no answer after the request left, a timeout), 408, or a 5xx other than
// 503. A write in that state is looked for before it is sent again.
func OutcomeUnknown(err error) bool {
	var ve *Error
	return errors.As(err, &ve) && ve.transient() && !ve.Unseen()
}

// AnswerError is a 2xx answer guestflow cannot read: it is not in a form
// the vendor's document shows. The same call reads the same answer, so it
// is not retried; Reason names the field or offset, never the content.
type AnswerError struct {
	Vendor    string
	Endpoint  string
	Reason    string
	RequestID string
}

func (e *AnswerError) Error() string {
	s := e.Vendor + " " + e.Endpoint + ": " + e.Reason
	if e.RequestID != "" {
		s += " (request id " + e.RequestID + ")"
	}
	return s
}

// FormReason is implemented by the errors a vendor package's UnmarshalJSON
// methods return for a form the document does not show: AnswerReason names
// the form ("date is not ISO 8601"), never the value.
type FormReason interface {
	AnswerReason() string
}

// Unreadable is the AnswerError for a 2xx body that err, from decoding it,
// says is not in the documented form. The reason names a field, an offset
// or a form, never a value: answers carry guests' data.
func Unreadable(vendor, endpoint string, raw []byte, err error) *AnswerError {
	ae := &AnswerError{Vendor: vendor, Endpoint: endpoint, Reason: fmt.Sprintf("answer in an undocumented form (%d bytes)", len(raw))}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var form FormReason
	switch {
	case errors.As(err, &syn):
		ae.Reason = fmt.Sprintf("answer is not JSON (%d bytes, offset %d)", len(raw), syn.Offset)
	case errors.As(err, &typ):
		ae.Reason = fmt.Sprintf("answer field %q is a JSON %s, want %s", typ.Field, typ.Value, typ.Type)
	case errors.As(err, &form):
		ae.Reason = "answer " + form.AnswerReason()
	}
	return ae
}

// WrongForm is what a vendor type's UnmarshalJSON returns for a value in
// a form the document does not show: encoding/json adds the field's path,
// and Unreadable then names the field. form says what was found ("string
// not YYYY-MM-DD"); "" names b's JSON type. Never the value.
func WrongForm(b []byte, form string, want any) error {
	if form == "" {
		form = jsonKind(b)
	}
	return &json.UnmarshalTypeError{Value: form, Type: reflect.TypeOf(want)}
}

func jsonKind(b []byte) string {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return "nothing"
	}
	switch b[0] {
	case '"':
		return "string"
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "number"
}

// IsStatus reports whether err is a vendor Error with the given HTTP status.
func IsStatus(err error, status int) bool {
	var ve *Error
	return errors.As(err, &ve) && ve.Status == status
}

// ParseRetryAfter reads a Retry-After header in either of its forms
// (delay-seconds or an HTTP date). Unparseable or past values give 0.
func ParseRetryAfter(h http.Header, now time.Time) time.Duration {
	v := h.Get("Retry-After")
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(v); err == nil {
		if secs < 0 {
			return 0
		}
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// transportReason keeps the kind of transport failure without the URL, which
// may carry query parameters such as dates or ids.
func transportReason(err error) string {
	var te interface{ Timeout() bool }
	if errors.As(err, &te) && te.Timeout() {
		return "timeout"
	}
	var ue interface{ Unwrap() error }
	if errors.As(err, &ue) {
		if inner := ue.Unwrap(); inner != nil {
			return inner.Error()
		}
	}
	return err.Error()
}
