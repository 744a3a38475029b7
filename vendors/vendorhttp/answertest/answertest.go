// Package answertest feeds a vendor client answers a test chooses, without
// a network, for the vendor packages' fuzz targets: each answers one call
// with a fuzzed status and body and checks what the client makes of it.
package answertest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/guestflow/guestflow/internal/piicheck"
	"github.com/guestflow/guestflow/vendors/vendorhttp"
)

// Statuses are the answers a vendor document or its common pages name:
// success, the refusals, rate limiting and outages.
var Statuses = []int{200, 201, 204, 400, 401, 403, 404, 408, 409, 429, 500, 502, 503}

// Status picks one of Statuses, so a fuzzer's byte chooses a meaningful one.
func Status(b uint8) int { return Statuses[int(b)%len(Statuses)] }

// Seed adds each file pattern names (a vendor's documented answers in
// testdata/) as a 200 answer to each of calls calls: the fuzz targets take
// (call, status, body).
func Seed(f *testing.F, pattern string, calls int) {
	f.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) == 0 {
		f.Fatalf("no documented answers match %s: %v", pattern, err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		for call := range calls {
			f.Add(uint8(call), uint8(0), b)
		}
	}
}

// Client is an HTTP client whose every request is answered by answer.
func Client(answer func(*http.Request) (status int, body []byte)) *http.Client {
	return &http.Client{Transport: roundTrip(func(r *http.Request) (*http.Response, error) {
		if r.Body != nil {
			_, _ = io.Copy(io.Discard, r.Body)
			_ = r.Body.Close()
		}
		status, body := answer(r)
		return &http.Response{
			StatusCode: status, Status: http.StatusText(status), Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(bytes.NewReader(body)),
			ContentLength: int64(len(body)), Request: r,
		}, nil
	})}
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// CallTimeout bounds one fuzzed call: a walk that follows pages of
// repeated answers for longer never ends.
const CallTimeout = 5 * time.Second

// Call runs call with a deadline and fails the test when it does not
// return soon after it.
func Call(t *testing.T, call func(context.Context) error) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), CallTimeout)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- call(ctx) }()
	select {
	case err := <-done:
		return err
	case <-time.After(CallTimeout + time.Second):
		t.Fatalf("the call did not end within %s", CallTimeout)
		return nil
	}
}

// Logger writes a client's log lines to the buffer Check reads.
func Logger() (*slog.Logger, *bytes.Buffer) {
	var b bytes.Buffer
	return slog.New(slog.NewTextHandler(&b, &slog.HandlerOptions{Level: slog.LevelDebug})), &b
}

// The vendor's request id is kept in errors for support tickets, as the
// vendor wrote it.
var (
	requestID     = regexp.MustCompile(`\(request id .*\)`)
	requestIDAttr = regexp.MustCompile(`request_id=("[^"]*"|\S*)`)
)

// Check fails the test when a call answered with status and body succeeded
// although the vendor refused it, or failed with an error whose text
// repeats personal data of the body (the vendor's own message is kept
// apart from the text, for staff; the request id is the vendor's), or when
// the client's log lines do.
func Check(t *testing.T, status int, body []byte, err error, logs *bytes.Buffer) {
	t.Helper()
	values := piicheck.Find(body)
	if found := values.In(requestIDAttr.ReplaceAllString(logs.String(), "")); len(found) > 0 {
		t.Fatalf("the log repeats personal data %q of the answer:\n%s", found, logs)
	}
	if err == nil {
		if status < 200 || status > 299 {
			t.Fatalf("HTTP %d was taken for a success", status)
		}
		return
	}
	var ve *vendorhttp.Error
	if (status < 200 || status > 299) && !errors.As(err, &ve) {
		t.Fatalf("HTTP %d gave %T, not a vendorhttp.Error: %v", status, err, err)
	}
	text := requestID.ReplaceAllString(err.Error(), "")
	if found := values.In(text); len(found) > 0 {
		t.Fatalf("the error %q repeats personal data %q of the answer", err.Error(), found)
	}
}
