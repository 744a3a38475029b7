package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guestflow/guestflow/config"
	"github.com/guestflow/guestflow/program"
)

func TestSettingsDefaultToTheDevStack(t *testing.T) {
	for _, v := range []string{"GUESTFLOW_CONFIG", "GUESTFLOW_SPEED", "GUESTFLOW_HOST", "GUESTFLOW_MEWS_PORT"} {
		t.Setenv(v, "") // an empty variable leaves the default
	}
	s, err := parseSettings(nil)
	require.NoError(t, err)
	assert.Equal(t, ports{passportScan: 18101, mews: 18102, passquare: 18103, passcreator: 18104}, s.ports)
	assert.Equal(t, "127.0.0.1", s.host)
	assert.Equal(t, "devstack/guestflow.toml", s.guestflowConfig)
	assert.Equal(t, 60.0, s.speed)
}

// The dev stack hands every program GUESTFLOW_CONFIG, guestflow's file;
// the sandboxes' own file has a variable of its own.
func TestEnvironmentFeedsTheFlags(t *testing.T) {
	t.Setenv("GUESTFLOW_CONFIG", "/etc/guestflow.toml")
	t.Setenv("GUESTFLOW_SANDBOX_CONFIG", "/etc/sandbox.toml")
	t.Setenv("GUESTFLOW_SEED", "42")
	t.Setenv("GUESTFLOW_HOOK_URL", "http://127.0.0.1:8080/hook")
	s, err := parseSettings([]string{"--seed", "7"})
	require.NoError(t, err)
	assert.Equal(t, "/etc/guestflow.toml", s.guestflowConfig)
	assert.Equal(t, "/etc/sandbox.toml", s.config)
	assert.Equal(t, int64(7), s.seed, "a flag beats the environment")
	assert.Equal(t, "http://127.0.0.1:8080/hook", s.hook.url)
}

func TestBadSettingsAreUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"--speed", "0"}, {"--arrivals-per-branch", "-1"}, {"--start-at", "25h"},
		{"--install-share", "2"}, {"--no-such-flag"},
	} {
		_, err := parseSettings(args)
		var usage program.UsageError
		assert.ErrorAs(t, err, &usage, "%v", args)
	}
}

func TestTheSandboxesOwnFileSetsFaultsAndRefusesTypos(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "sandbox.toml")
	require.NoError(t, os.WriteFile(good, []byte(`
[passportscan]
token_ttl = "10m"
[passportscan.faults]
error_rate = 0.05
latency = "20ms"
[mews.faults]
burst_429_every = 50
burst_429_len = 3
retry_after = "2s"
[passquare]
flags_as_messages = true
[passcreator.faults]
drop_rate = 0.01
`), 0o600))
	o, err := readSandboxOptions(good)
	require.NoError(t, err)
	assert.Equal(t, 10*time.Minute, o.PassportScan.TokenTTL)
	assert.Equal(t, 0.05, o.PassportScan.Faults.ErrorRate)
	assert.Equal(t, 20*time.Millisecond, o.PassportScan.Faults.Latency)
	assert.Equal(t, 50, o.Mews.Faults.Burst429Every)
	assert.Equal(t, 2*time.Second, o.Mews.Faults.RetryAfter)
	assert.True(t, o.Passquare.FlagsAsMessages)
	assert.Equal(t, 0.01, o.Passcreator.Faults.DropRate)

	typo := filepath.Join(dir, "typo.toml")
	require.NoError(t, os.WriteFile(typo, []byte("[mews.faults]\nerror_rat = 0.5\n"), 0o600))
	_, err = readSandboxOptions(typo)
	var usage program.UsageError
	require.ErrorAs(t, err, &usage)
	assert.Contains(t, err.Error(), "mews.faults.error_rat")

	_, err = readSandboxOptions(filepath.Join(dir, "missing.toml"))
	assert.ErrorAs(t, err, &usage)
}

func TestGuestflowsCredentialsJoinTheFile(t *testing.T) {
	g, err := config.Load(devstackConfig)
	require.NoError(t, err)
	o := sandboxOptions{}
	o.Mews.AccessTokens = []string{"another-hotel"}
	o.acceptGuestflow(g, 3, hookSettings{url: "http://hook", crmKey: "crm", headers: map[string]string{"X-program-id": "7"}})

	assert.Len(t, o.PassportScan.Branches, len(g.BranchIDs))
	assert.Equal(t, "sandbox-rome-key", o.PassportScan.Branches[1].APIKey)
	assert.Equal(t, "101", o.PassportScan.Branches[1].AccountID)
	assert.ElementsMatch(t, []string{"another-hotel", "sandbox-lisbon-mews-token", "sandbox-rome-mews-token", "sandbox-vienna-mews-token"}, o.Mews.AccessTokens)
	assert.Equal(t, "sandbox-mews-client-token", o.Mews.ClientToken)
	assert.Equal(t, "sandbox-passcreator-api-key", o.Passcreator.APIKey)
	assert.Equal(t, "Europe/Rome", o.Passcreator.TimeZone)
	assert.Equal(t, "http://hook", o.Passquare.HookURL)
	assert.Equal(t, "crm", o.Passquare.HookCRMKey)
	assert.Equal(t, map[string]string{"X-program-id": "7"}, o.Passquare.HookHeaders)
}
