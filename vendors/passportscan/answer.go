package passportscan

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"

	"github.com/guestflow/guestflow/vendors/vendorhttp"
)

// undocumented is a 2xx answer not in the form the document shows. It is a
// *vendorhttp.Error with status 200, so it is not retried (the same answer
// would come again) and reaches staff with the vendor's request id. what
// names the field, never a value: answers hold guests' data.
func undocumented(endpoint string, h http.Header, raw []byte, what string) error {
	_, requestID := DecodeError(raw, h)
	return &vendorhttp.Error{Vendor: Vendor, Endpoint: endpoint, Status: http.StatusOK,
		Message: "undocumented answer: " + what, RequestID: requestID}
}

// decodeInto reads a 2xx answer into out, or says what was undocumented.
func decodeInto(endpoint string, h http.Header, raw []byte, out any) error {
	err := json.Unmarshal(raw, out)
	if err == nil {
		return nil
	}
	var typ *json.UnmarshalTypeError
	var syn *json.SyntaxError
	switch {
	case errors.As(err, &typ):
		return undocumented(endpoint, h, raw, fmt.Sprintf("field %q is a JSON %s", typ.Field, typ.Value))
	case errors.As(err, &syn):
		return undocumented(endpoint, h, raw, fmt.Sprintf("not JSON (offset %d)", syn.Offset))
	}
	return undocumented(endpoint, h, raw, fmt.Sprintf("not JSON (%d bytes)", len(raw)))
}

// wrongForm is what a value's UnmarshalJSON returns for a form the document
// does not show; encoding/json adds the field's path to it. It names the
// JSON kind, never the value.
func wrongForm(b []byte, kind string, want any) error {
	if kind == "" {
		kind = jsonKind(b)
	}
	return &json.UnmarshalTypeError{Value: kind, Type: reflect.TypeOf(want)}
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
