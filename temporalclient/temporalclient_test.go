package temporalclient_test

import (
	"log/slog"
	"testing"

	"github.com/guestflow/guestflow/temporalclient"
)

func TestClientOptions(t *testing.T) {
	tests := []struct {
		name          string
		env           map[string]string
		flags         temporalclient.Options
		wantHost      string
		wantNamespace string
		wantTLS       bool
	}{
		{name: "defaults", wantHost: "localhost:7233", wantNamespace: "default"},
		{name: "environment", env: map[string]string{"TEMPORAL_ADDRESS": "temporal:7233", "TEMPORAL_NAMESPACE": "hotels"}, wantHost: "temporal:7233", wantNamespace: "hotels"},
		{name: "flags win", env: map[string]string{"TEMPORAL_ADDRESS": "temporal:7233"}, flags: temporalclient.Options{Address: "other:7233", Namespace: "ns"}, wantHost: "other:7233", wantNamespace: "ns"},
		{name: "cloud api key turns TLS on", env: map[string]string{"TEMPORAL_ADDRESS": "eu.aws.api.temporal.io:7233", "TEMPORAL_API_KEY": "secret"}, wantHost: "eu.aws.api.temporal.io:7233", wantNamespace: "default", wantTLS: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("TEMPORAL_CONFIG_FILE", t.TempDir()+"/none.toml")
			for _, k := range []string{"TEMPORAL_ADDRESS", "TEMPORAL_NAMESPACE", "TEMPORAL_API_KEY"} {
				t.Setenv(k, tt.env[k])
			}
			opts, err := tt.flags.ClientOptions(slog.New(slog.DiscardHandler), nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			if opts.HostPort != tt.wantHost || opts.Namespace != tt.wantNamespace {
				t.Errorf("got %s/%s, want %s/%s", opts.HostPort, opts.Namespace, tt.wantHost, tt.wantNamespace)
			}
			if got := opts.ConnectionOptions.TLS != nil; got != tt.wantTLS {
				t.Errorf("TLS = %v, want %v", got, tt.wantTLS)
			}
			if tt.wantTLS && opts.Credentials == nil {
				t.Error("API key not used as credentials")
			}
		})
	}
}
