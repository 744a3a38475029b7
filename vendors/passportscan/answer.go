package passportscan

import (
	"bytes"
	"encoding/json"
	"reflect"

	"github.com/guestflow/guestflow/vendors/vendorhttp"
)

// decodeInto reads a 2xx answer into out. An answer not in the form the
// document shows, an empty one included, is a *vendorhttp.AnswerError
// naming the field, never a value; Do adds the request id.
func decodeInto(endpoint string, raw []byte, out any) error {
	if err := json.Unmarshal(raw, out); err != nil {
		return vendorhttp.Unreadable(Vendor, endpoint, raw, err)
	}
	return nil
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
