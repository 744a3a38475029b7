package passquare_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/guestflow/guestflow/vendors/passquare"
	"github.com/guestflow/guestflow/vendors/vendorhttp/answertest"
)

// passquareCalls are the client's calls, each answered with the fuzzed
// answer; the walk through read_customers meets repeated pages and must end.
var passquareCalls = []func(context.Context, *passquare.Client) error{
	func(ctx context.Context, c *passquare.Client) error { _, err := c.Status(ctx); return err },
	func(ctx context.Context, c *passquare.Client) error {
		_, err := c.UserCreateOrUpdate(ctx, passquare.CustomerUpdate{Phone: "+420777000111", Name: "Ludmila", Email: "ludmila@example.cz"})
		return err
	},
	func(ctx context.Context, c *passquare.Client) error {
		_, err := c.ReadCustomer(ctx, "+420777000111", passquare.ReadOptions{Invites: true, Installs: true})
		return err
	},
	func(ctx context.Context, c *passquare.Client) error {
		_, err := c.AllCustomers(ctx, passquare.CustomersQuery{})
		return err
	},
	func(ctx context.Context, c *passquare.Client) error {
		_, err := c.PushCreate(ctx, passquare.NewCampaign{Message: "Your balance grew"})
		return err
	},
	func(ctx context.Context, c *passquare.Client) error {
		return c.PushToCard(ctx, "+420777000111", "Your balance grew")
	},
}

// Every Passquare answer, in any status: no panic, a refusal is an error,
// and no error or log line repeats the guests' data the answer carries.
func FuzzPassquareAnswers(f *testing.F) {
	answertest.Seed(f, "testdata/*_response*.json", len(passquareCalls))
	f.Add(uint8(1), uint8(3), []byte(`{"success": false, "error": "phone +420777000111 is taken by Ludmila"}`))

	f.Fuzz(func(t *testing.T, call, status uint8, body []byte) {
		code := answertest.Status(status)
		logger, logs := answertest.Logger()
		c := passquare.New(passquare.Options{AppKey: "app-key", BaseURL: "http://passquare.invalid/api/v2", MinInterval: -1, Logger: logger,
			HTTP: answertest.Client(func(*http.Request) (int, []byte) { return code, body })})
		err := answertest.Call(t, func(ctx context.Context) error { return passquareCalls[int(call)%len(passquareCalls)](ctx, c) })
		answertest.Check(t, code, body, err, logs)
	})
}
