// Package passportscan is the client for the PassportScan External API: the
// documents each guest scanned at a branch, read per branch with that
// branch's own API key.
//
// One Client serves one branch. It logs in with the branch's public key and
// account id, keeps the Bearer JWT until its exp claim (or, for a token
// without one, until the API answers 401), and after a 401 logs in once more
// and repeats that one call once. Nothing else is retried here: Temporal
// retries activities.
//
// The change feed: with AllCustomers false the API returns only the
// reservations and guests changed since this key's previous call, and the
// key's mark moves on every call, whatever its arrival date or all_customers
// value. A caller that polls with AllCustomers false must therefore poll a
// single arrival date per key, and must walk every page of one query before
// asking anything else (AllReservations does).
package passportscan
