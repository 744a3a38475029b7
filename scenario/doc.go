// Package scenario generates a realistic, repeatable day for a hotel group
// and plays it into the vendor sandboxes: reservations of one to four
// guests arriving through the day at each branch, with the awkward cases
// real hotels have (a document scanned hours late, an expired one, a bad
// recognition, no phone, consent refused or unanswered, minors, returning
// guests Mews already knows, cards scanned at the outlets).
//
// Each guest carries the case it was given and the Outcome guestflow should
// reach, worked out with package rules, the same functions the stay
// workflow applies, so the expectations and guestflow agree by
// construction. A test seeds the sandboxes (Day.Seed), lets guestflow run
// while Day.Play applies the later events, and compares what it sees with
// Day.Expected.
//
// Same Options, same Day: every name, phone, document, time and id comes
// from the seed.
package scenario
