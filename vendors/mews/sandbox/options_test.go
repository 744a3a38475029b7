package sandbox

import (
	"testing"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The standalone sandbox reads its Options from TOML.
func TestOptionsFromTOML(t *testing.T) {
	var opts Options
	_, err := toml.Decode(`
client_token = "integration"
access_tokens = ["hotel-a", "hotel-b"]
requests_per_window = 50
window = "10s"
[faults]
error_rate = 0.1
retry_after = "2s"
`, &opts)
	require.NoError(t, err)
	assert.Equal(t, "integration", opts.ClientToken)
	assert.Equal(t, []string{"hotel-a", "hotel-b"}, opts.AccessTokens)
	assert.Equal(t, 50, opts.RequestsPerWindow)
	assert.Equal(t, 10*time.Second, opts.Window)
	assert.Equal(t, 0.1, opts.Faults.ErrorRate)
	assert.Equal(t, 2*time.Second, opts.Faults.RetryAfter)

	s := New(opts)
	assert.Empty(t, s.Customers("hotel-b"), "access_tokens are registered as enterprises")
}
