package wiring

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
	o, err := ReadOptions(good)
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
	_, err = ReadOptions(typo)
	var usage program.UsageError
	require.ErrorAs(t, err, &usage)
	assert.Contains(t, err.Error(), "mews.faults.error_rat")

	_, err = ReadOptions(filepath.Join(dir, "missing.toml"))
	assert.ErrorAs(t, err, &usage)
}

func TestGuestflowsCredentialsJoinTheFile(t *testing.T) {
	g, err := config.Load("../../devstack/guestflow.toml")
	require.NoError(t, err)
	o := Options{}
	o.Mews.AccessTokens = []string{"another-hotel"}
	o.AcceptGuestflow(g, 3, Hook{URL: "http://hook", CRMKey: "crm", Headers: map[string]string{"X-program-id": "7"}})

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
