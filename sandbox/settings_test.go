package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
	assert.Equal(t, int64(7), s.day.Seed, "a flag beats the environment")
	assert.Equal(t, "http://127.0.0.1:8080/hook", s.hook.URL)
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
