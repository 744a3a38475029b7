package workflows

import (
	"strings"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/rules"
)

// verifyDocument holds the guest until their document passes the branch's
// rules, or staff approve it. No document yet: AwaitingDocument, for newer
// snapshots. A failed rule: NeedsAttention, for a rescan or staff. It
// reports false when the stay ends first.
func (s *stay) verifyDocument(ctx workflow.Context) bool {
	for {
		verified, reason := rules.VerifyDocument(s.guest.Document, s.guest.Arrival, s.rules.AcceptedDocuments, s.rules.DocumentTypes)
		if reason != "" && s.approval != nil && approvable(reason) {
			verified, reason = approvedDocument(s.guest.Document)
		}
		switch reason {
		case "":
			s.verified = &verified
			s.reach(ctx, lifecycle.StageDocumentVerified)
			return true
		case rules.DocumentMissing:
			s.setStage(ctx, lifecycle.StageAwaitingDocument, reason, "", "a document scan at PassportScan")
		case rules.DocumentTypeUnknown:
			// Stays keep the mapping they started with: the code added to the
			// configuration helps later guests; this one needs staff.
			s.stuck(ctx, reason, "PassportScan document type "+s.guest.Document.Type.Shown()+
				" is not in [passportscan] document_types (add it there for later guests)", "staff approval (starter approve), or a rescan of another document")
		default:
			waitingFor := "a rescan at PassportScan"
			if approvable(reason) {
				waitingFor += ", or staff approval (starter approve)"
			}
			s.stuck(ctx, reason, "", waitingFor)
		}
		approved := s.approval
		newer := s.somethingNew()
		if !s.await(ctx, time.Time{}, "", func() bool { return newer() || s.approval != approved }) {
			return false
		}
	}
}

// approvedDocument is the document as staff accepted it: the rules that
// staff may overrule are skipped, those that make a document unusable in
// Mews (no number, no country) still apply.
func approvedDocument(d *rules.Document) (rules.Verified, rules.Reason) {
	if d == nil {
		return rules.Verified{}, rules.DocumentMissing
	}
	country, ok := rules.CountryAlpha2(d.IssueCountry)
	if !ok {
		return rules.Verified{}, rules.DocumentCountryUnknown
	}
	return rules.Verified{
		Type:           d.Type,
		Number:         d.Number,
		IssueDate:      d.IssueDate,
		ExpirationDate: d.ExpirationDate,
		IssuingCountry: country,
		IssuingCity:    strings.TrimSpace(d.IssuePlace),
	}, ""
}
