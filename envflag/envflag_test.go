package envflag_test

import (
	"strings"
	"testing"

	"github.com/guestflow/guestflow/envflag"
	"github.com/spf13/pflag"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		env      map[string]string
		wantLvl  string
		wantAddr string
		wantErr  string
	}{
		{name: "defaults", wantLvl: "info", wantAddr: "localhost:7233"},
		{name: "environment fills unset flags", env: map[string]string{"GUESTFLOW_LOG_LEVEL": "debug", "TEMPORAL_ADDRESS": "temporal:7233"}, wantLvl: "debug", wantAddr: "temporal:7233"},
		{name: "flag wins over environment", args: []string{"--log-level=warn"}, env: map[string]string{"GUESTFLOW_LOG_LEVEL": "debug"}, wantLvl: "warn", wantAddr: "localhost:7233"},
		{name: "empty variable is ignored", env: map[string]string{"GUESTFLOW_LOG_LEVEL": ""}, wantLvl: "info", wantAddr: "localhost:7233"},
		{name: "bad variable names itself", env: map[string]string{"GUESTFLOW_WORKERS": "many"}, wantErr: "GUESTFLOW_WORKERS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
			lvl := fs.String("log-level", "info", "level")
			addr := fs.String("temporal-address", "localhost:7233", "address")
			fs.Int("workers", 1, "workers")
			envflag.Env(fs, "temporal-address", "TEMPORAL_ADDRESS")
			err := envflag.Parse(fs, tt.args)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to name %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if *lvl != tt.wantLvl || *addr != tt.wantAddr {
				t.Errorf("got level %q address %q, want %q %q", *lvl, *addr, tt.wantLvl, tt.wantAddr)
			}
			if u := fs.Lookup("temporal-address").Usage; !strings.Contains(u, "(env TEMPORAL_ADDRESS)") {
				t.Errorf("usage %q does not name its variable", u)
			}
		})
	}
}
