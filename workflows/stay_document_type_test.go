package workflows

import (
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"

	"github.com/guestflow/guestflow/activities"
	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/rules"
)

// A code the group's mapping lacks is a reason of its own that names the
// code, and staff may approve it.
func TestStayUnknownDocumentTypeGoesToStaff(t *testing.T) {
	st := newStayTest(t)
	var sent activities.UpdateMewsInput
	st.env.OnActivity(mewsActivities.UpdateMews, mock.Anything, mock.Anything).
		Run(func(args mock.Arguments) { sent = args.Get(1).(activities.UpdateMewsInput) }).
		Return(activities.UpdateMewsResult{CustomerID: "mews-1"}, nil)
	st.walletSucceeds()
	g := testGuest()
	g.Document.Type = "PSP"

	st.at(30*time.Minute, func() {
		s := st.status()
		require.Equal(t, lifecycle.StageNeedsAttention, s.Stage)
		require.Equal(t, rules.DocumentTypeUnknown, s.Reason)
		require.Contains(t, s.LastError, "PSP")
		st.env.UpdateWorkflow(lifecycle.UpdateApproveDocument, "1", &updateExpectsSuccess{t: t},
			lifecycle.StaffAction{By: "front-desk-7", Reason: "passport checked by hand"})
	})
	st.at(time.Hour, func() {
		require.Equal(t, lifecycle.StageWalletIssued, st.status().Stage)
	})

	st.run(g)
	require.Equal(t, rules.DocumentType("PSP"), sent.Document.Type)
}

// The mapping the stay carries in its rules decides.
func TestStayDocumentTypeFromTheGroupsMapping(t *testing.T) {
	st := newStayTest(t)
	st.mewsSucceeds()
	st.walletSucceeds()
	g := testGuest()
	g.Document.Type = "PSP"
	r := testRules()
	r.DocumentTypes = rules.DocumentTypes{"PSP": "Passport", rules.IdentityCard: "IdentityCard"}
	r.AcceptedDocuments = nil

	st.at(time.Hour, func() {
		require.Equal(t, lifecycle.StageWalletIssued, st.status().Stage)
	})
	st.env.ExecuteWorkflow(lifecycle.StayWorkflowName, lifecycle.StayInput{Guest: g, Rules: r})
	require.True(t, st.env.IsWorkflowCompleted())
	require.NoError(t, st.env.GetWorkflowError())
	st.env.AssertNumberOfCalls(t, "UpdateMews", 1)
}
