package mews_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/guestflow/guestflow/vendors/mews"
	"github.com/guestflow/guestflow/vendors/vendorhttp/answertest"
)

// mewsCalls are the client's calls, each answered with the fuzzed answer;
// the walks follow cursors through repeated answers and must end.
var mewsCalls = []func(context.Context, *mews.Client) error{
	func(ctx context.Context, c *mews.Client) error {
		_, err := c.GetCustomers(ctx, mews.GetCustomersRequest{LastNames: []string{"Carbone"}})
		return err
	},
	func(ctx context.Context, c *mews.Client) error {
		_, err := c.AllCustomers(ctx, mews.GetCustomersRequest{LastNames: []string{"Carbone"}, Limitation: mews.Limitation{Count: 1}})
		return err
	},
	func(ctx context.Context, c *mews.Client) error {
		_, err := c.AddCustomer(ctx, mews.AddCustomerRequest{LastName: "Carbone", Email: "thea@quotidiano.example"})
		return err
	},
	func(ctx context.Context, c *mews.Client) error {
		_, err := c.UpdateCustomer(ctx, mews.UpdateCustomerRequest{CustomerID: "35d4b117-4e60-44a3-9580-c582117eff98", FirstName: "Thea"})
		return err
	},
	func(ctx context.Context, c *mews.Client) error {
		_, err := c.AllIdentityDocuments(ctx, mews.GetIdentityDocumentsRequest{CustomerIDs: []string{"35d4b117-4e60-44a3-9580-c582117eff98"}, Limitation: mews.Limitation{Count: 1}})
		return err
	},
	func(ctx context.Context, c *mews.Client) error {
		d, err := mews.ParseDate("2031-01-02")
		if err != nil {
			return err
		}
		_, err = c.AddIdentityDocuments(ctx, mews.AddIdentityDocumentsRequest{IdentityDocuments: []mews.IdentityDocumentParameters{{
			CustomerID: "35d4b117-4e60-44a3-9580-c582117eff98", Type: mews.DocumentPassport, Number: "AA123456",
			ExpirationDate: mews.DocumentDate{Date: d}, IssuingCountryCode: "IT",
		}}})
		return err
	},
	func(ctx context.Context, c *mews.Client) error {
		return c.DeleteIdentityDocuments(ctx, mews.DeleteIdentityDocumentsRequest{IdentityDocumentIDs: []string{"d1"}})
	},
}

// Every Mews answer, in any status: no panic, a refusal is an error, and
// no error repeats the guests' data the answer carries.
func FuzzMewsAnswers(f *testing.F) {
	answertest.Seed(f, "testdata/*-response.json", len(mewsCalls))
	f.Add(uint8(2), uint8(3), []byte(`{"Message": "Customer Thea Carbone already exists.", "RequestId": "r-1"}`))

	f.Fuzz(func(t *testing.T, call, status uint8, body []byte) {
		code := answertest.Status(status)
		logger, logs := answertest.Logger()
		c := mews.New(mews.Options{BaseURL: "http://mews.invalid", ClientToken: "client", AccessToken: "access", Logger: logger,
			HTTP: answertest.Client(func(*http.Request) (int, []byte) { return code, body })})
		err := answertest.Call(t, func(ctx context.Context) error { return mewsCalls[int(call)%len(mewsCalls)](ctx, c) })
		answertest.Check(t, code, body, err, logs)
	})
}
