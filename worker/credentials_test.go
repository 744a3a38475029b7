package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guestflow/guestflow/activities"
	"github.com/guestflow/guestflow/config"
	"github.com/guestflow/guestflow/telemetry"
	mewssandbox "github.com/guestflow/guestflow/vendors/mews/sandbox"
	pcsandbox "github.com/guestflow/guestflow/vendors/passcreator/sandbox"
	pssandbox "github.com/guestflow/guestflow/vendors/passportscan/sandbox"
	pqsandbox "github.com/guestflow/guestflow/vendors/passquare/sandbox"
	"github.com/guestflow/guestflow/vendors/sandboxkit"
)

// vendors are the four sandboxes, each accepting the group's credentials.
type vendors struct {
	mews *mewssandbox.Server
	cfg  *config.Group
}

func startVendors(t *testing.T) *vendors {
	t.Helper()
	serve := func(h http.Handler) string {
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		return srv.URL
	}
	cfg := &config.Group{Branches: map[string]*config.Branch{}, BranchIDs: []string{"lisbon", "vienna"}}
	cfg.Mews = config.Mews{ClientToken: "mews-client-token"}
	cfg.Passquare = config.Passquare{AppKey: "passquare-app-key", Plan: "expert"}
	cfg.Passcreator = config.Passcreator{APIKey: "passcreator-key"}
	ps := pssandbox.Options{RateLimit: -1}
	for _, id := range cfg.BranchIDs {
		cfg.Branches[id] = &config.Branch{ID: id, MewsAccessToken: config.Secret(id + "-mews-token"),
			PassportScanAPIKey: config.Secret(id + "-ps-key"), PassportScanAccountID: id + "-account"}
		ps.Branches = append(ps.Branches, pssandbox.Branch{APIKey: id + "-ps-key", AccountID: id + "-account"})
	}
	v := &vendors{cfg: cfg, mews: mewssandbox.New(mewssandbox.Options{ClientToken: "mews-client-token",
		AccessTokens: []string{"lisbon-mews-token", "vienna-mews-token"}})}
	pc := pcsandbox.New(pcsandbox.Options{APIKey: "passcreator-key", RateLimit: -1})
	cfg.Branches["vienna"].PasscreatorAppConfigurationID = pc.AddAppConfiguration(pcsandbox.AppConfiguration{Name: "guestflow vienna", ScanMode: 1}).ConfigurationID
	cfg.Mews.BaseURL = serve(v.mews)
	cfg.PassportScan.BaseURL = serve(pssandbox.New(ps))
	cfg.Passquare.BaseURL = serve(pqsandbox.New(pqsandbox.Options{Accounts: []pqsandbox.AccountConfig{{AppKey: "passquare-app-key", Plan: "expert"}}})) + "/api/v2"
	cfg.Passcreator.BaseURL = serve(pc)
	return v
}

// start is a worker's start: its vendor checks and its /readyz.
func (v *vendors) start(t *testing.T) http.Handler {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	logger := slog.New(slog.NewTextHandler(testWriter{t}, nil))
	reg := telemetry.NewRegistry()
	acts := activities.FromConfig(v.cfg, nil, reg, logger)
	return (&telemetry.Server{Registry: reg, Logger: logger,
		Ready: readiness(credentialChecks(ctx, acts.Credentials(v.cfg.BranchIDs), logger))}).Handler()
}

// readyz answers the probe: its status and the checks it names as failing.
func readyz(h http.Handler) (int, map[string]string, string) {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
	var body struct {
		Checks map[string]string `json:"checks"`
	}
	_ = json.Unmarshal(rec.Body.Bytes(), &body)
	return rec.Code, body.Checks, rec.Body.String()
}

func fastStartChecks(t *testing.T) {
	saved := telemetry.StartCheckBackoff
	telemetry.StartCheckBackoff.First, telemetry.StartCheckBackoff.Max = time.Millisecond, 5*time.Millisecond
	t.Cleanup(func() { telemetry.StartCheckBackoff = saved })
}

// A wrong Mews access token makes /readyz answer 503 naming mews and the
// branch (never the token), while every other credential passes; the
// right token and a restart make the worker ready.
func TestAWrongMewsTokenIsNamedByReadyz(t *testing.T) {
	fastStartChecks(t)
	v := startVendors(t)
	v.cfg.Branches["vienna"].MewsAccessToken = "vienna-wrong-token"

	h := v.start(t)
	body := waitFailing(t, h, map[string]string{"mews/vienna": "refused"})
	assert.NotContains(t, body, "wrong-token")
	calls := v.mews.Recorder().Count(http.MethodPost, "/api/connector/v1/customers/getAll")
	assert.Equal(t, 2, calls, "one check per branch; a refusal is not tried again")

	v.cfg.Branches["vienna"].MewsAccessToken = "vienna-mews-token"
	h = v.start(t)
	require.Eventually(t, func() bool {
		code, _, _ := readyz(h)
		return code == http.StatusOK
	}, 10*time.Second, 5*time.Millisecond)
}

// waitFailing waits until /readyz answers 503 naming exactly the checks in
// want, and returns its body.
func waitFailing(t *testing.T, h http.Handler, want map[string]string) string {
	t.Helper()
	var body string
	if !assert.Eventually(t, func() bool {
		code, failing, b := readyz(h)
		body = b
		return code == http.StatusServiceUnavailable && maps.Equal(failing, want)
	}, 10*time.Second, 5*time.Millisecond) {
		t.Fatalf("readyz should name %v; it answered %s", want, body)
	}
	return body
}

// A wrong Passquare app_key is named the same way: the group has one.
func TestAWrongPassquareAppKeyIsNamedByReadyz(t *testing.T) {
	fastStartChecks(t)
	v := startVendors(t)
	v.cfg.Passquare.AppKey = "wrong-app-key"
	body := waitFailing(t, v.start(t), map[string]string{"passquare": "refused"})
	assert.NotContains(t, body, "wrong-app-key")
}

// A vendor failing for now leaves its credentials unknown, and not ready,
// while they are tried again in the background; once it answers, ready.
func TestAVendorDownAtStartIsUnknownUntilItAnswers(t *testing.T) {
	fastStartChecks(t)
	v := startVendors(t)
	v.mews.SetFaults(sandboxkit.Faults{Unavailable: 1 << 30})

	h := v.start(t)
	require.Eventually(t, func() bool {
		return v.mews.Recorder().Count(http.MethodPost, "/api/connector/v1/customers/getAll") >= 6
	}, 10*time.Second, time.Millisecond, "the checks are tried again")
	code, failing, _ := readyz(h)
	assert.Equal(t, http.StatusServiceUnavailable, code)
	assert.Equal(t, "unknown", failing["mews/lisbon"])
	assert.Equal(t, "unknown", failing["mews/vienna"])

	v.mews.SetFaults(sandboxkit.Faults{})
	require.Eventually(t, func() bool {
		code, _, _ := readyz(h)
		return code == http.StatusOK
	}, 10*time.Second, 5*time.Millisecond)
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(b []byte) (int, error) { w.t.Log(string(b)); return len(b), nil }
