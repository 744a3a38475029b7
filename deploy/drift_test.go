package deploy_test

import (
	"maps"
	"slices"
	"strings"
	"testing"
)

// stubHelp stands in for a program not written yet, with the flags its
// design gives it, so the checks themselves are tested either way.
func stubHelp(name string) *program {
	help := `Usage of ` + name + `:
      --config string               the hotel group's configuration file (env GUESTFLOW_CONFIG) (default "guestflow.toml")
      --log-level string            log level: debug, info, warn or error (env GUESTFLOW_LOG_LEVEL) (default "info")
      --log-format string           log format: json or text (env GUESTFLOW_LOG_FORMAT) (default "json")
      --temporal-address string     Temporal frontend host:port (default localhost:7233) (env TEMPORAL_ADDRESS)
      --temporal-namespace string   Temporal namespace (default "default") (env TEMPORAL_NAMESPACE)
`
	switch name {
	case "worker":
		help += `      --ops-addr string             address of /metrics, /healthz and /readyz (env GUESTFLOW_OPS_ADDR) (default ":9090")` + "\n"
	case "webhook":
		help += `      --listen string               address of the hook endpoints (env GUESTFLOW_LISTEN) (default ":8080")
      --ops-addr string             address of /metrics, /healthz, /readyz and /codec (env GUESTFLOW_OPS_ADDR) (default ":9091")` + "\n"
	}
	return parseHelp(name, help)
}

func TestParseHelpReadsEnvAndDefaults(t *testing.T) {
	p := stubHelp("webhook")
	if got := p.Flags["ops-addr"]; got != (flag{Env: "GUESTFLOW_OPS_ADDR", Default: ":9091"}) {
		t.Errorf("ops-addr: %+v", got)
	}
	// The default inside the usage text is prose, not pflag's default.
	if got := p.Flags["temporal-address"]; got != (flag{Env: "TEMPORAL_ADDRESS"}) {
		t.Errorf("temporal-address: %+v", got)
	}
	want := []string{"GUESTFLOW_CONFIG", "GUESTFLOW_LISTEN", "GUESTFLOW_LOG_FORMAT", "GUESTFLOW_LOG_LEVEL", "GUESTFLOW_OPS_ADDR", "TEMPORAL_ADDRESS", "TEMPORAL_NAMESPACE"}
	if got := sortedKeys(p.Reads); !slices.Equal(got, want) {
		t.Errorf("reads %v, want %v", got, want)
	}
}

// Each change below is a way docker-compose.yml drifts from the programs or
// the configuration; the checks must name every one.
func TestChecksCatchDrift(t *testing.T) {
	progs := map[string]*program{}
	maps.Copy(progs, loadPrograms(t))
	for _, name := range programNames {
		if progs[name] == nil {
			progs[name] = stubHelp(name)
		}
	}

	cases := []struct {
		name   string
		change func(d *deployment)
		want   string
	}{
		{"a variable no program reads", func(d *deployment) {
			setEnv(d, "webhook", "GUESTFLOW_LISTN", ":8080")
		}, "GUESTFLOW_LISTN is set but webhook does not read it"},
		{"a variable of another program", func(d *deployment) {
			setEnv(d, "worker", "GUESTFLOW_LISTEN", ":8080")
		}, "GUESTFLOW_LISTEN is set but worker does not read it"},
		{"a webhook port published to the wrong container port", func(d *deployment) {
			svc(d, "webhook").Ports[0] = port{Host: "8080", Container: "8081"}
		}, "publishes container port 8081"},
		{"the webhook's listen port left unpublished", func(d *deployment) {
			svc(d, "webhook").Ports = svc(d, "webhook").Ports[1:]
		}, "--listen listens on 8080, which is not published"},
		{"the ops port moved by the environment", func(d *deployment) {
			setEnv(d, "webhook", "GUESTFLOW_OPS_ADDR", ":9095")
		}, "--ops-addr listens on 9095, which is not published"},
		{"the listen port moved on the command line", func(d *deployment) {
			svc(d, "webhook").Command = command{"webhook", "--listen=:8181"}
		}, "--listen listens on 8181, which is not published"},
		{"a worker with a container name", func(d *deployment) {
			svc(d, "worker").ContainerName = "guestflow-worker"
		}, `container_name "guestflow-worker" stops --scale`},
		{"a worker with a host port", func(d *deployment) {
			svc(d, "worker").Ports = []port{{Host: "9090", Container: "9090"}}
		}, "host port 9090 stops --scale"},
		{"an image on latest", func(d *deployment) {
			svc(d, "temporal").Image = "temporalio/auto-setup:latest"
		}, `"temporalio/auto-setup:latest" is not pinned`},
		{"an image without a tag", func(d *deployment) {
			svc(d, "postgresql").Image = "postgres"
		}, `"postgres" is not pinned`},
		{"a secret the configuration needs, not provided", func(d *deployment) {
			delete(env(d, "worker"), "MEWS_ACCESS_TOKEN_LISBON_FILE")
		}, "${MEWS_ACCESS_TOKEN_LISBON} in deploy/guestflow.toml is not provided"},
		{"a NAME_FILE where no secret is mounted", func(d *deployment) {
			setEnv(d, "worker", "PASSQUARE_APP_KEY_FILE", "/run/secrets/passquare")
		}, "PASSQUARE_APP_KEY_FILE=/run/secrets/passquare is not where a secret is mounted"},
		{"a secret mounted for nothing", func(d *deployment) {
			s := svc(d, "webhook")
			s.Secrets = append(slices.Clone(s.Secrets), mount{Source: "postgres_password"})
		}, `secret "postgres_password" is mounted but no NAME_FILE`},
		{"a secret not defined", func(d *deployment) {
			delete(d.Compose.Secrets, "payload_key")
		}, `secret "payload_key" is not defined`},
		{"a secret file outside deploy/secrets", func(d *deployment) {
			sec := d.Compose.Secrets["payload_key"]
			sec.File = "./payload_key.txt"
			d.Compose.Secrets["payload_key"] = sec
		}, `file "./payload_key.txt" is not in deploy/secrets/`},
		{"GUESTFLOW_CONFIG not where the config is mounted", func(d *deployment) {
			setEnv(d, "setup", "GUESTFLOW_CONFIG", "/etc/guestflow.toml")
		}, "GUESTFLOW_CONFIG /etc/guestflow.toml is not where a config is mounted"},
		{"the config mounted from another file", func(d *deployment) {
			cfg := d.Compose.Configs["guestflow"]
			cfg.File = "./devstack/guestflow.toml"
			d.Compose.Configs["guestflow"] = cfg
		}, `from "./devstack/guestflow.toml", not deploy/guestflow.toml`},
		{"a Temporal address that is no service", func(d *deployment) {
			setEnv(d, "worker", "TEMPORAL_ADDRESS", "temporal-frontend:7233")
		}, `TEMPORAL_ADDRESS "temporal-frontend:7233" is not a service of this file`},
		{"a codec endpoint on a port the webhook does not publish", func(d *deployment) {
			setEnv(d, "temporal-ui", "TEMPORAL_CODEC_ENDPOINT", "http://localhost:9092/codec")
		}, "TEMPORAL_CODEC_ENDPOINT http://localhost:9092/codec is on no port the webhook publishes"},
		{"a codec endpoint on the webhook's hook port", func(d *deployment) {
			setEnv(d, "temporal-ui", "TEMPORAL_CODEC_ENDPOINT", "http://localhost:8080/codec")
		}, "reaches webhook port 8080, not its --ops-addr port 9091"},
		{"a UI origin the Web UI is not on", func(d *deployment) {
			d.UIOrigin = "http://localhost:8234"
		}, `encryption.ui_origin "http://localhost:8234" of deploy/guestflow.toml is not the Web UI's published port "8233"`},
		{"a starter that restarts", func(d *deployment) {
			svc(d, "setup").Restart = "unless-stopped"
		}, "the starter runs once"},
		{"a program no service runs", func(d *deployment) {
			delete(d.Compose.Services, "webhook")
		}, "no service runs the webhook program"},
		{"a built service running something else", func(d *deployment) {
			svc(d, "setup").Command = command{"setup"}
		}, `command ["setup"] runs none of`},
	}
	if got := loadDeployment(t, progs).problems(); len(got) != 0 {
		t.Fatalf("the file as committed has problems, so drift cannot be told apart:\n%s", strings.Join(got, "\n"))
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := loadDeployment(t, progs)
			tc.change(d)
			got := d.problems()
			if !slices.ContainsFunc(got, func(p string) bool { return strings.Contains(p, tc.want) }) {
				t.Errorf("no problem says %q; got:\n%s", tc.want, strings.Join(got, "\n"))
			}
		})
	}
}

func svc(d *deployment, name string) *service {
	s, ok := d.Compose.Services[name]
	if !ok {
		panic("docker-compose.yml has no service " + name)
	}
	return s
}

// env returns the service's own copy of its environment, which YAML aliases
// might otherwise share with the other services.
func env(d *deployment, name string) environ {
	s := svc(d, name)
	s.Environment = maps.Clone(s.Environment)
	return s.Environment
}

func setEnv(d *deployment, name, key, value string) { env(d, name)[key] = value }
