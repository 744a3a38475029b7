// Package rules holds the hotel's domain rules for a guest's stay: whether a
// scanned identity document is good enough, how scanned data maps onto Mews,
// who gets a loyalty card, what a card scan earns and how the loyalty
// account's ledger keeps its balance.
//
// The stay and loyalty workflows call these functions from workflow code, so
// everything here is deterministic: no clock (the time is a parameter), no
// I/O, no randomness, no goroutines and no map iteration whose order shows in
// a result. Types kept in workflow state marshal to JSON with exported fields,
// because that state travels through continue-as-new.
//
// The package must stay free of Temporal, HTTP, the vendor packages and any
// I/O, so that the rules can be read and table-tested on their own.
// workflowcheck passes over every exported function; the one call it would
// flag, in CountryAlpha2, carries a workflowcheck:ignore saying why.
package rules
