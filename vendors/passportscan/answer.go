package passportscan

import (
	"encoding/json"

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
