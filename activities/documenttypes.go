package activities

import "github.com/guestflow/guestflow/rules"

// countUnknownDocumentType counts a code that is neither empty, nor EXT, nor
// mapped; the label is the code (not personal data), or "?" when the value
// has not the shape of a code, so the label set stays small.
func (a *PassportScan) countUnknownDocumentType(branchID string, t rules.DocumentType) {
	if a.UnknownDocumentTypes == nil || t.Normalized() == "" || t.Normalized() == rules.Unrecognised {
		return
	}
	if _, ok := a.Rules[branchID].DocumentTypes.MewsType(t); !ok {
		a.UnknownDocumentTypes.WithLabelValues(branchID, t.Shown()).Inc()
	}
}
