package passcreator_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/guestflow/guestflow/vendors/passcreator"
	"github.com/guestflow/guestflow/vendors/vendorhttp/answertest"
)

var rome, _ = time.LoadLocation("Europe/Rome")

// passcreatorCalls are the client's calls, each answered with the fuzzed
// answer; the walk through the scans meets repeated pages and must end.
var passcreatorCalls = []func(context.Context, *passcreator.Client) error{
	func(ctx context.Context, c *passcreator.Client) error {
		_, err := c.ListAppConfigurations(ctx)
		return err
	},
	func(ctx context.Context, c *passcreator.Client) error {
		_, err := c.GetAppConfiguration(ctx, "74019cd8-f8e1-4ca5-a366-7c64d494cf2f")
		return err
	},
	func(ctx context.Context, c *passcreator.Client) error {
		_, err := c.CreateAppConfiguration(ctx, passcreator.NewAppConfiguration{Name: "Rome bar", ScanMode: passcreator.ScanModeAttendance})
		return err
	},
	func(ctx context.Context, c *passcreator.Client) error {
		_, err := c.AllAppScans(ctx, "74019cd8-f8e1-4ca5-a366-7c64d494cf2f", time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC), rome)
		return err
	},
	func(ctx context.Context, c *passcreator.Client) error {
		_, err := c.CreateAppScan(ctx, passcreator.NewAppScan{AppConfigurationID: "74019cd8-f8e1-4ca5-a366-7c64d494cf2f",
			ScanStatus: passcreator.ScanPassNotFound, CreatedOn: passcreator.NewTimestamp(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC), rome),
			ScannedBarcodeValue: "CARD-1001", DeviceName: "Bar till 2"})
		return err
	},
}

// Every Passcreator answer, in any status: no panic, a refusal is an
// error, and no error or log line repeats the guests' data the answer
// carries (a pass's additional properties hold names and e-mails).
func FuzzPasscreatorAnswers(f *testing.F) {
	answertest.Seed(f, "testdata/*.json", len(passcreatorCalls))
	f.Add(uint8(4), uint8(3), []byte(`{"errors": {"scannedBarcodeValue": ["pass of John Doe (example@example.com) not found"]}}`))

	f.Fuzz(func(t *testing.T, call, status uint8, body []byte) {
		code := answertest.Status(status)
		logger, logs := answertest.Logger()
		c := passcreator.New(passcreator.Options{APIKey: "pc-key", BaseURL: "http://passcreator.invalid", Logger: logger,
			HTTP: answertest.Client(func(*http.Request) (int, []byte) { return code, body })})
		err := answertest.Call(t, func(ctx context.Context) error { return passcreatorCalls[int(call)%len(passcreatorCalls)](ctx, c) })
		answertest.Check(t, code, body, err, logs)
	})
}
