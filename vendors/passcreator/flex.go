package passcreator

import (
	"bytes"
	"strconv"

	"github.com/guestflow/guestflow/vendors/vendorhttp"
)

// FlexBool is a boolean as Passcreator's pages write it: true or false,
// or the same words as a JSON string (the App Scan Created webhook page
// types passVoided "string" where the scan list shows a boolean). null is
// no value, false. Anything else (0, 1, "yes", "on", "") is not in the
// document and fails the answer, naming the field.
type FlexBool bool

func (f *FlexBool) UnmarshalJSON(b []byte) error {
	switch string(bytes.TrimSpace(b)) {
	case "true", `"true"`:
		*f = true
	case "false", `"false"`, "null":
		*f = false
	default:
		return vendorhttp.WrongForm(b, "", true)
	}
	return nil
}

// decodeInt reads a JSON integer, the one form the document shows for
// scanStatus, scanMode and type. A string ("1"), a fraction or null fails
// the answer, naming the field: null must not read as status 0.
func decodeInt(b []byte) (int, error) {
	n, err := strconv.Atoi(string(bytes.TrimSpace(b)))
	if err != nil {
		return 0, vendorhttp.WrongForm(b, "", 0)
	}
	return n, nil
}
