// Package e2e runs guestflow end to end: a real Temporal dev server, the
// real worker wiring (workflows and activities built from configuration),
// and the four vendor sandboxes over HTTP. It has only tests.
package e2e
