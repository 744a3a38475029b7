package main

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guestflow/guestflow/config"
	"github.com/guestflow/guestflow/vendors/passcreator"
	pcsandbox "github.com/guestflow/guestflow/vendors/passcreator/sandbox"
	"github.com/guestflow/guestflow/vendors/sandboxkit"
	"github.com/guestflow/guestflow/vendors/vendorhttp"
)

func setupGroup(branches ...string) *config.Group {
	g := &config.Group{Branches: map[string]*config.Branch{}}
	for _, id := range branches {
		g.BranchIDs = append(g.BranchIDs, id)
		g.Branches[id] = &config.Branch{ID: id, Name: "Hotel " + id, TransactionValueProperty: "Transaction value"}
	}
	return g
}

func setupAgainst(t *testing.T) (*pcsandbox.Server, *passcreator.Client) {
	sb := pcsandbox.New(pcsandbox.Options{APIKey: "setup-key", RateLimit: -1})
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	return sb, passcreator.New(passcreator.Options{APIKey: "setup-key", BaseURL: srv.URL})
}

// Two runs of setup without passcreator_app_configuration_id make one app
// configuration per branch, and print the same id to put in the file both
// times; a run with the ids set creates nothing either.
func TestSetupFindsItsAppConfigurationBeforeCreatingOne(t *testing.T) {
	sb, pc := setupAgainst(t)
	sb.AddAppConfiguration(pcsandbox.AppConfiguration{Name: "Front desk", ScanMode: 1})
	g := setupGroup("rome", "lisbon")

	var runs [2]bytes.Buffer
	for i := range runs {
		require.NoError(t, ensureAppConfigurations(context.Background(), pc, g, &runs[i]))
	}
	ours := map[string]string{}
	for _, ac := range sb.Configurations() {
		if strings.HasPrefix(ac.Name, "guestflow ") {
			ours[ac.Name] = ac.ConfigurationID
		}
	}
	require.Len(t, ours, 2, "one configuration per branch, however often setup runs")
	assert.Equal(t, 2, sb.Recorder().Count(http.MethodPost, "/api/appconfiguration"))
	for _, id := range g.BranchIDs {
		want := `set passcreator_app_configuration_id = "` + ours[AppConfigurationName(id)] + `" in [branches.` + id + `]`
		assert.Contains(t, runs[0].String(), "branch "+id+": created")
		assert.Contains(t, runs[0].String(), want)
		assert.Contains(t, runs[1].String(), "branch "+id+": found")
		assert.Contains(t, runs[1].String(), want)
	}

	for _, id := range g.BranchIDs {
		g.Branches[id].PasscreatorAppConfigurationID = ours[AppConfigurationName(id)]
	}
	var third bytes.Buffer
	require.NoError(t, ensureAppConfigurations(context.Background(), pc, g, &third))
	assert.Equal(t, 2, sb.Recorder().Count(http.MethodPost, "/api/appconfiguration"))
	assert.Contains(t, third.String(), `has its "Transaction value" property`)
}

// Two configurations of the branch's name: setup does not pick one, and
// creates no third.
func TestSetupRefusesToGuessBetweenTwoOfItsName(t *testing.T) {
	sb, pc := setupAgainst(t)
	for range 2 {
		sb.AddAppConfiguration(pcsandbox.AppConfiguration{Name: AppConfigurationName("rome"), ScanMode: 1,
			AdditionalProperties: []pcsandbox.AdditionalProperty{{Type: "double", Name: "Transaction value"}}})
	}
	err := ensureAppConfigurations(context.Background(), pc, setupGroup("rome"), &bytes.Buffer{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `2 Passcreator app configurations are named "guestflow rome"`)
	assert.Zero(t, sb.Recorder().Count(http.MethodPost, "/api/appconfiguration"))
}

// A Passcreator that answers 503 a few times is waited out within the
// bounded backoff, and setup goes on; a refused key stops at its first call.
func TestSetupWaitsOutATransientVendorFailureButNotARefusal(t *testing.T) {
	saved := setupBackoff
	setupBackoff = vendorhttp.Backoff{First: time.Millisecond, Max: 4 * time.Millisecond, Attempts: 6}
	t.Cleanup(func() { setupBackoff = saved })
	logger := slog.New(slog.DiscardHandler)

	sb := pcsandbox.New(pcsandbox.Options{APIKey: "setup-key", RateLimit: -1, Faults: sandboxkit.Faults{Unavailable: 3}})
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	pc := passcreator.New(passcreator.Options{APIKey: "setup-key", BaseURL: srv.URL})
	var out bytes.Buffer
	require.NoError(t, ensureAppConfigurationsRetrying(context.Background(), pc, setupGroup("rome"), &out, logger))
	assert.Contains(t, out.String(), "branch rome: created")
	assert.Equal(t, 1, strings.Count(out.String(), "branch rome:"), "only the run that succeeded prints")

	sb.Faults().Set(sandboxkit.Faults{Unavailable: 10})
	err := ensureAppConfigurationsRetrying(context.Background(), pc, setupGroup("lisbon"), &bytes.Buffer{}, logger)
	assert.True(t, vendorhttp.IsStatus(err, http.StatusServiceUnavailable), "gives up after its attempts: %v", err)

	sb.Faults().Set(sandboxkit.Faults{})
	sb.Recorder().Reset()
	wrong := passcreator.New(passcreator.Options{APIKey: "wrong-key", BaseURL: srv.URL})
	err = ensureAppConfigurationsRetrying(context.Background(), wrong, setupGroup("lisbon"), &bytes.Buffer{}, logger)
	assert.True(t, vendorhttp.IsStatus(err, http.StatusUnauthorized) || vendorhttp.IsStatus(err, http.StatusForbidden), "refused: %v", err)
	assert.Len(t, sb.Recorder().Calls(), 1, "a refusal is not tried again")
}
