package verify

import (
	"testing"
	"time"

	"github.com/guestflow/guestflow/config"
	"github.com/guestflow/guestflow/sandbox/wiring"
	"github.com/guestflow/guestflow/scenario"
	mewssandbox "github.com/guestflow/guestflow/vendors/mews/sandbox"
)

// mewsAsGuestflowLeavesIt seeds a day and writes to Mews what guestflow
// should: a customer for each new guest whose document passed, and that
// document.
func mewsAsGuestflowLeavesIt(t *testing.T) Inputs {
	t.Helper()
	g, err := config.Load("../../devstack/guestflow.toml")
	if err != nil {
		t.Fatal(err)
	}
	var opts wiring.Options
	opts.AcceptGuestflow(g, 5, wiring.Hook{})
	o, err := wiring.DayOptions(g, wiring.Day{Seed: 5, ArrivalsPerBranch: 6, Date: "2026-11-23"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	in := Inputs{Day: scenario.Generate(o), Sandboxes: opts.Sandboxes()}
	if err := in.Day.Seed(in.Sandboxes); err != nil {
		t.Fatal(err)
	}
	for _, gst := range in.Day.Guests() {
		if !gst.Outcome.Mews {
			continue
		}
		b, _ := in.Day.Branch(gst.BranchID)
		id := gst.MewsCustomerID
		if id == "" {
			first := gst.FirstName
			id = in.Sandboxes.Mews.AddCustomer(b.MewsAccessToken, mewssandbox.Customer{FirstName: &first, LastName: gst.LastName})
		}
		in.Sandboxes.Mews.AddDocument(b.MewsAccessToken, mewssandbox.IdentityDocument{CustomerID: id, Type: "Passport", Number: gst.Document.Number})
	}
	return in
}

func TestMewsAsExpectedCountsNothing(t *testing.T) {
	var r Row
	r.mews(mewsAsGuestflowLeavesIt(t))
	if !r.Clean() || r.DuplicateMewsCustomers+r.MissingMewsCustomers+r.DuplicateMewsDocuments+r.MissingMewsDocuments != 0 {
		t.Errorf("Mews as guestflow should leave it: %+v", r)
	}
}

// A second customer and a second document for one guest are duplicates,
// even when the copy's fields differ from the original's.
func TestMewsDuplicatesAreCounted(t *testing.T) {
	in := mewsAsGuestflowLeavesIt(t)
	b := in.Day.Options.Branches[0]
	customers := in.Sandboxes.Mews.Customers(b.MewsAccessToken)
	docs := in.Sandboxes.Mews.Documents(b.MewsAccessToken)
	if len(customers) == 0 || len(docs) == 0 {
		t.Fatal("the branch has no Mews records to copy")
	}
	in.Sandboxes.Mews.AddCustomer(b.MewsAccessToken, mewssandbox.Customer{FirstName: customers[0].FirstName, LastName: customers[0].LastName + " "})
	d := docs[0]
	d.ID = ""
	in.Sandboxes.Mews.AddDocument(b.MewsAccessToken, d)

	var r Row
	r.mews(in)
	if r.DuplicateMewsCustomers != 1 || r.DuplicateMewsDocuments != 1 || r.MissingMewsCustomers != 0 || r.MissingMewsDocuments != 0 {
		t.Errorf("one copied customer and document: %+v", r)
	}
	if r.Clean() {
		t.Error("a row with duplicates reads clean")
	}
}
