package passportscan_test

import (
	"context"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/guestflow/guestflow/vendors/passportscan"
	"github.com/guestflow/guestflow/vendors/vendorhttp/answertest"
)

// Every PassportScan answer, to the login or to the reservations after a
// good login, in any status: no panic, a refusal is an error, and no error
// or log line repeats the guests' data the answer carries.
func FuzzPassportScanAnswers(f *testing.F) {
	reservations, err := os.ReadFile("testdata/reservations.json")
	if err != nil {
		f.Fatal(err)
	}
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"exp": time.Now().Add(time.Hour).Unix()}).SignedString([]byte("k"))
	if err != nil {
		f.Fatal(err)
	}
	login := []byte(`{"token":"` + tok + `"}`)
	for _, b := range [][]byte{reservations, login, []byte(`{"success":true,"data":{"token":"` + tok + `"}}`), []byte(`"bearer ` + tok + `"`)} {
		for call := range uint8(3) {
			f.Add(call, uint8(0), b)
		}
	}
	f.Add(uint8(1), uint8(3), []byte(`{"message": "customer Anthony Soprano (787667789) is locked"}`))

	f.Fuzz(func(t *testing.T, call, status uint8, body []byte) {
		code := answertest.Status(status)
		logger, logs := answertest.Logger()
		c := passportscan.New(passportscan.Options{APIKey: "pk-1", AccountID: "69", BaseURL: "http://passportscan.invalid", Logger: logger,
			HTTP: answertest.Client(func(r *http.Request) (int, []byte) {
				if call%3 != 0 && strings.HasSuffix(r.URL.Path, "/login") {
					return http.StatusOK, login
				}
				return code, body
			})})
		err := answertest.Call(t, func(ctx context.Context) error {
			switch call % 3 {
			case 0:
				return c.Login(ctx)
			case 1:
				_, _, err := c.ChangedReservations(ctx, "2026-11-23", 100)
				return err
			default:
				_, err := c.Reservations(ctx, passportscan.ReservationsQuery{ArrivalDate: "2026-11-23", AllCustomers: true, Page: 2, Limit: 1})
				return err
			}
		})
		answertest.Check(t, code, body, err, logs)
	})
}
