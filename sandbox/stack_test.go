package main

import (
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guestflow/guestflow/config"
	"github.com/guestflow/guestflow/scenario"
	"github.com/guestflow/guestflow/vendors/mews"
	"github.com/guestflow/guestflow/vendors/passcreator"
	"github.com/guestflow/guestflow/vendors/passportscan"
	"github.com/guestflow/guestflow/vendors/passquare"
	"github.com/guestflow/guestflow/vendors/vendorhttp"
)

const devstackConfig = "../devstack/guestflow.toml"

// startStack runs the program's wiring in-process on free ports, as
// guestflow's dev stack configuration describes the group.
func startStack(t *testing.T, args ...string) (*stack, *config.Group) {
	t.Helper()
	s, err := parseSettings(append([]string{
		"--guestflow-config", devstackConfig, "--passportscan-port", "0", "--mews-port", "0",
		"--passquare-port", "0", "--passcreator-port", "0", "--arrivals-per-branch", "12",
		"--arrivals-over-time=false", "--day", "2026-11-23", "--seed", "3",
	}, args...))
	require.NoError(t, err)
	st, err := newStack(s, io.Discard)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- st.run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			assert.NoError(t, err, "a signal stops the sandboxes cleanly")
		case <-time.After(15 * time.Second):
			t.Error("the sandboxes did not stop")
		}
	})
	g, err := config.Load(devstackConfig)
	require.NoError(t, err)
	return st, g
}

func (st *stack) urlOf(vendor string) string {
	for _, sv := range st.servers {
		if sv.vendor == vendor {
			return sv.url()
		}
	}
	return ""
}

func status(err error) int {
	var ve *vendorhttp.Error
	if errors.As(err, &ve) {
		return ve.Status
	}
	return -1
}

func TestTheSandboxesAcceptGuestflowsCredentialsAndHoldTheDay(t *testing.T) {
	st, g := startStack(t)
	ctx := context.Background()
	e := st.day.Expected()

	t.Run("PassportScan", func(t *testing.T) {
		for _, id := range g.BranchIDs {
			b := g.Branches[id]
			c := passportscan.New(passportscan.Options{APIKey: b.PassportScanAPIKey.Value(), AccountID: b.PassportScanAccountID,
				BaseURL: st.urlOf("PassportScan")})
			got, err := c.AllReservations(ctx, "2026-11-23", true, 5)
			require.NoError(t, err, id)
			assert.Len(t, got, 12, "%s: every seeded reservation", id)
			guests := 0
			for _, r := range got {
				guests += len(r.CustomerReservations)
			}
			want := 0
			for _, gst := range st.day.Guests() {
				if gst.BranchID == id {
					want++
				}
			}
			assert.Equal(t, want, guests, "%s: every guest", id)
		}
		wrong := passportscan.New(passportscan.Options{APIKey: "not-a-key", AccountID: "101", BaseURL: st.urlOf("PassportScan")})
		_, err := wrong.AllReservations(ctx, "2026-11-23", true, 5)
		assert.Equal(t, 401, status(err))
	})

	t.Run("Mews", func(t *testing.T) {
		for _, id := range g.BranchIDs {
			var emails []string
			for _, gst := range st.day.Guests() {
				if gst.BranchID == id && gst.Case == scenario.Returning {
					emails = append(emails, gst.Email)
				}
			}
			require.NotEmpty(t, emails, "%s has returning guests", id)
			c := mews.New(mews.Options{BaseURL: st.urlOf("Mews"), ClientToken: g.Mews.ClientToken.Value(),
				AccessToken: g.Branches[id].MewsAccessToken.Value(), ClientName: "guestflow test"})
			page, err := c.GetCustomers(ctx, mews.GetCustomersRequest{Emails: emails, Limitation: mews.Limitation{Count: 100}})
			require.NoError(t, err, id)
			assert.Len(t, page.Customers, len(emails), "%s: the returning guests are in Mews", id)
		}
		wrong := mews.New(mews.Options{BaseURL: st.urlOf("Mews"), ClientToken: g.Mews.ClientToken.Value(),
			AccessToken: "not-a-token", ClientName: "guestflow test"})
		_, err := wrong.GetCustomers(ctx, mews.GetCustomersRequest{Emails: []string{"a@example.com"}, Limitation: mews.Limitation{Count: 1}})
		assert.Equal(t, 401, status(err))
	})

	t.Run("Passquare", func(t *testing.T) {
		c := passquare.New(passquare.Options{AppKey: g.Passquare.AppKey.Value(), BaseURL: st.urlOf("Passquare"), MinInterval: -1})
		_, err := c.Status(ctx)
		require.NoError(t, err, "the group's account exists")
		time.Sleep(1100 * time.Millisecond) // Passquare's one request a second
		wrong := passquare.New(passquare.Options{AppKey: "not-a-key", BaseURL: st.urlOf("Passquare"), MinInterval: -1})
		_, err = wrong.Status(ctx)
		assert.Error(t, err)
	})

	t.Run("Passcreator", func(t *testing.T) {
		c := passcreator.New(passcreator.Options{APIKey: g.Passcreator.APIKey.Value(), BaseURL: st.urlOf("Passcreator")})
		for _, id := range g.BranchIDs {
			b := g.Branches[id]
			cfg, err := c.GetAppConfiguration(ctx, b.PasscreatorAppConfigurationID)
			require.NoError(t, err, id)
			_, ok := passcreator.PropertyIDByName(cfg.AdditionalProperties, b.TransactionValueProperty)
			assert.True(t, ok, "%s: outlets are asked the transaction value", id)
		}
		wrong := passcreator.New(passcreator.Options{APIKey: "not-a-key", BaseURL: st.urlOf("Passcreator")})
		_, err := wrong.ListAppConfigurations(ctx)
		assert.Equal(t, 401, status(err))
	})

	assert.Positive(t, e.Cards)
	assert.Zero(t, e.Installs, "no hook URL: nobody installs a card")
}

func TestTheDayFollowsGuestflowsBranchRules(t *testing.T) {
	st, g := startStack(t, "--hook-url", "http://127.0.0.1:1/hook")
	require.Len(t, st.day.Options.Branches, len(g.BranchIDs))
	for _, b := range st.day.Options.Branches {
		rules := g.Branches[b.ID].Rules
		assert.Equal(t, rules.ConsentWhenUnanswered, b.ConsentWhenUnanswered, b.ID)
		assert.True(t, rules.BonusPercent.Equal(b.BonusPercent), b.ID)
		assert.Len(t, b.AcceptedDocuments, len(rules.AcceptedDocuments), b.ID)
	}
	assert.Positive(t, st.day.Expected().Installs, "with a hook, guests install their cards")
}

func TestThePlayBringsLateDocumentsAsSimulatedTimePasses(t *testing.T) {
	st, g := startStack(t, "--speed", "1000000", "--start-at", "0s")
	late := 0
	for _, gst := range st.day.Guests() {
		if gst.Case == scenario.LateDocument {
			late++
		}
	}
	require.Positive(t, late)
	assert.Eventually(t, func() bool {
		scanned := 0
		for _, gst := range st.day.Guests() {
			if gst.Case != scenario.LateDocument {
				continue
			}
			r, _ := st.sandboxes.PassportScan.Reservation(g.Branches[gst.BranchID].PassportScanAccountID, gst.ReservationID)
			for _, cr := range r.CustomerReservations {
				if cr.Customer.ID == gst.CustomerID && cr.Customer.LastDocument.DocumentNumber != nil {
					scanned++
				}
			}
		}
		return scanned == late
	}, 5*time.Second, 20*time.Millisecond, "every late document is scanned")
}
