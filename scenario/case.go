package scenario

import "slices"

// Case is an awkward situation real hotels have, tagged on the guest it was
// given to so a test can count what to expect. A guest has at most one.
type Case string

const (
	// Ordinary is a guest with nothing awkward: a valid document scanned at
	// arrival, an adult who consented and has a phone.
	Ordinary Case = ""
	// LateDocument: the guest checks in unscanned (EXT, every document
	// field null) and the document is scanned hours later.
	LateDocument Case = "LateDocument"
	// NoDocument: the guest is never scanned during the day.
	NoDocument Case = "NoDocument"
	// ExpiredDocument: the document expired before the arrival day.
	ExpiredDocument Case = "ExpiredDocument"
	// BadRecognition: PassportScan read the document but flags it
	// bad_recognized.
	BadRecognition Case = "BadRecognition"
	// NoPhone: the guest left no phone number.
	NoPhone Case = "NoPhone"
	// ConsentRefused: loyalty_program is false.
	ConsentRefused Case = "ConsentRefused"
	// ConsentUnanswered: loyalty_program is null; what it means is the
	// branch's configuration.
	ConsentUnanswered Case = "ConsentUnanswered"
	// Minor: a child or teenager travelling with an adult; never the
	// reservation's leader.
	Minor Case = "Minor"
	// Returning: the guest stayed before and Mews already has them, with
	// the same e-mail.
	Returning Case = "Returning"
	// OutletScans: the guest's card is scanned several times at the
	// branch's outlets, each with a transaction value.
	OutletScans Case = "OutletScans"
)

// Cases lists every awkward case in a fixed order.
var Cases = []Case{
	LateDocument, NoDocument, ExpiredDocument, BadRecognition, NoPhone,
	ConsentRefused, ConsentUnanswered, Minor, Returning, OutletScans,
}

func (c Case) known() bool { return slices.Contains(Cases, c) }
