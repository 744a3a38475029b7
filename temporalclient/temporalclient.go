// Package temporalclient is the one place the three programs build their
// Temporal client, configured the way the temporal CLI is: TEMPORAL_ADDRESS,
// TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_* and an optional
// TEMPORAL_PROFILE in ~/.config/temporalio/temporal.toml, with
// --temporal-address and --temporal-namespace flags on top.
package temporalclient

import (
	"fmt"
	"log/slog"

	"github.com/spf13/pflag"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/contrib/envconfig"
	"go.temporal.io/sdk/converter"

	"github.com/guestflow/guestflow/envflag"
	"github.com/guestflow/guestflow/logging"
)

// Options are the Temporal flags every program has. Secrets (the API key,
// TLS key material) come only from the environment or the profile file.
type Options struct {
	Address   string
	Namespace string
}

// AddFlags registers the flags, fed by the variables the temporal CLI uses.
func (o *Options) AddFlags(fs *pflag.FlagSet) {
	fs.StringVar(&o.Address, "temporal-address", "", "Temporal frontend host:port (default localhost:7233)")
	fs.StringVar(&o.Namespace, "temporal-namespace", "", "Temporal namespace (default \"default\")")
	envflag.Env(fs, "temporal-address", "TEMPORAL_ADDRESS")
	envflag.Env(fs, "temporal-namespace", "TEMPORAL_NAMESPACE")
}

// ClientOptions loads the client options from the profile file and the
// environment, then applies the flags. dc is the data converter every
// program of the group shares (it encrypts payloads); nil means Temporal's
// default.
func (o Options) ClientOptions(logger *slog.Logger, metrics client.MetricsHandler, dc converter.DataConverter) (client.Options, error) {
	profile, err := envconfig.LoadClientConfigProfile(envconfig.LoadClientConfigProfileOptions{})
	if err != nil {
		return client.Options{}, fmt.Errorf("temporal client configuration: %w", err)
	}
	if o.Address != "" {
		profile.Address = o.Address
	}
	if o.Namespace != "" {
		profile.Namespace = o.Namespace
	}
	opts, err := profile.ToClientOptions(envconfig.ToClientOptionsRequest{})
	if err != nil {
		return client.Options{}, fmt.Errorf("temporal client configuration: %w", err)
	}
	if opts.HostPort == "" {
		opts.HostPort = client.DefaultHostPort
	}
	if opts.Namespace == "" {
		opts.Namespace = client.DefaultNamespace
	}
	opts.Logger = logging.ForTemporal(logger)
	opts.MetricsHandler = metrics
	opts.DataConverter = dc
	return opts, nil
}

// Dial connects lazily: the client is returned even when the server is not
// up yet, so a program can start, report not-ready, and recover without a
// restart loop. Readiness checks tell operators when Temporal is reachable.
func Dial(opts client.Options) (client.Client, error) {
	c, err := client.NewLazyClient(opts)
	if err != nil {
		return nil, fmt.Errorf("temporal client for %s namespace %s: %w", opts.HostPort, opts.Namespace, err)
	}
	return c, nil
}
