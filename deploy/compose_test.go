package deploy_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"text/template"

	"gopkg.in/yaml.v3"

	"github.com/guestflow/guestflow/config"
	"github.com/guestflow/guestflow/deploy"
	"github.com/guestflow/guestflow/lifecycle"
)

const (
	root        = ".."
	composePath = "../docker-compose.yml"
	// configFile is the configuration as docker-compose.yml names it.
	configFile = "deploy/guestflow.toml"
	// payloadKey is 32 bytes in base64, what encryption.payload_key needs.
	payloadKey = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="
)

// plausible is a value each "${NAME}" could have in production.
func plausible(name string) string {
	if strings.Contains(name, "PAYLOAD_KEY") {
		return payloadKey
	}
	return "plausible-" + strings.ToLower(name) + "-value"
}

// loadConfig parses deploy/guestflow.toml with every variable it asks for
// set, and returns the names it asked for.
func loadConfig(t *testing.T) (*config.Group, []string) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(root, configFile))
	if err != nil {
		t.Fatal(err)
	}
	var refs []string
	g, err := config.Parse(configFile, string(raw), func(name string) (string, bool) {
		if !slices.Contains(refs, name) {
			refs = append(refs, name)
		}
		return plausible(name), true
	})
	if err != nil {
		t.Fatalf("%s does not load with every variable set: %v", configFile, err)
	}
	slices.Sort(refs)
	return g, refs
}

var programs struct {
	once   sync.Once
	byName map[string]*program
	err    error
}

// loadPrograms builds the programs that exist, once for all tests, and reads
// their --help.
func loadPrograms(t *testing.T) map[string]*program {
	t.Helper()
	programs.once.Do(func() {
		programs.byName = map[string]*program{}
		c, err := readCompose(composePath)
		if err != nil {
			programs.err = err
			return
		}
		dir := t.TempDir()
		present, missing, err := buildPrograms(root, dir)
		if err != nil {
			programs.err = err
			return
		}
		for _, name := range missing {
			t.Logf("%s/ does not exist yet: its --help is not checked against docker-compose.yml", name)
		}
		for _, name := range present {
			bin := filepath.Join(dir, name)
			// The help of the program as compose runs it: `starter setup
			// --help` lists setup's flags and fails on an unknown subcommand.
			var runs [][]string
			for _, s := range c.Services {
				if s.builtHere() && len(s.Command) > 0 && s.Command[0] == name {
					runs = append(runs, s.Command[1:])
				}
			}
			if len(runs) == 0 {
				runs = [][]string{nil}
			}
			help := ""
			for _, args := range runs {
				h, err := helpOf(bin, args...)
				if err != nil {
					programs.err = err
					return
				}
				help += h + "\n"
			}
			programs.byName[name] = parseHelp(name, help)
		}
	})
	if programs.err != nil {
		t.Fatal(programs.err)
	}
	return programs.byName
}

// loadDeployment reads docker-compose.yml afresh, so a test may change it.
func loadDeployment(t *testing.T, progs map[string]*program) *deployment {
	t.Helper()
	c, err := readCompose(composePath)
	if err != nil {
		t.Fatal(err)
	}
	g, refs := loadConfig(t)
	return &deployment{Compose: c, Programs: progs, SecretRefs: refs, ConfigFile: configFile, UIOrigin: g.Encryption.UIOrigin}
}

func TestComposeAgreesWithPrograms(t *testing.T) {
	progs := loadPrograms(t)
	if progs["worker"] == nil {
		t.Fatal("the worker was not built")
	}
	d := loadDeployment(t, progs)
	for _, p := range d.problems() {
		t.Error(p)
	}
}

// The example is production's: real vendors, two branches, and not one
// credential written in the file.
func TestProductionConfigurationLoads(t *testing.T) {
	g, refs := loadConfig(t)

	for _, u := range []struct{ got, want string }{
		{g.PassportScan.BaseURL, config.DefaultPassportScanURL},
		{g.Mews.BaseURL, config.DefaultMewsURL},
		{g.Passquare.BaseURL, config.DefaultPassquareURL},
		{g.Passcreator.BaseURL, config.DefaultPasscreatorURL},
	} {
		if u.got != u.want {
			t.Errorf("base URL %q, want the vendor's own %q", u.got, u.want)
		}
	}
	if !slices.Equal(g.BranchIDs, []string{"lisbon", "rome"}) {
		t.Errorf("branches %v, want lisbon and rome", g.BranchIDs)
	}
	secrets := map[string]config.Secret{
		"mews.client_token":          g.Mews.ClientToken,
		"passquare.app_key":          g.Passquare.AppKey,
		"passcreator.api_key":        g.Passcreator.APIKey,
		"loyalty.account_key_secret": g.Loyalty.AccountKeySecret,
		"encryption.payload_key":     g.Encryption.PayloadKey,
	}
	for _, id := range g.BranchIDs {
		b := g.Branches[id]
		secrets[id+".passportscan_api_key"] = b.PassportScanAPIKey
		secrets[id+".mews_access_token"] = b.MewsAccessToken
	}
	for field, s := range secrets {
		fromEnv := slices.ContainsFunc(refs, func(ref string) bool { return plausible(ref) == s.Value() })
		if !fromEnv {
			t.Errorf("%s is written in %s; write \"${NAME}\" instead", field, configFile)
		}
	}
	if g.Encryption.CodecToken != "" && !slices.ContainsFunc(refs, func(ref string) bool { return plausible(ref) == g.Encryption.CodecToken.Value() }) {
		t.Errorf("encryption.codec_token is written in %s", configFile)
	}
}

// Passquare's rate limit is the guestflow-passquare task queue's, which the
// server splits across partitions: the Temporal server must load the
// dynamic configuration that gives that queue one partition.
func TestTemporalGivesThePassquareQueueOnePartition(t *testing.T) {
	server := readServerConfig(t, composeTemporal(t).Environment)
	path, ok := strings.CutPrefix(server.DynamicConfigClient.Filepath, composeTemporal(t).configMount(t)+"/")
	if !ok {
		t.Fatalf("the server loads its dynamic config from %q, outside the mounted %s", server.DynamicConfigClient.Filepath, deploy.ServerConfigDir)
	}
	dc, err := os.ReadFile(filepath.Join(root, deploy.ServerConfigDir, path))
	if err != nil {
		t.Fatal(err)
	}
	var cfg map[string][]struct {
		Value       int               `yaml:"value"`
		Constraints map[string]string `yaml:"constraints"`
	}
	if err := yaml.Unmarshal(dc, &cfg); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"matching.numTaskqueueReadPartitions", "matching.numTaskqueueWritePartitions"} {
		ok := false
		for _, e := range cfg[key] {
			if e.Value == 1 && e.Constraints["taskQueueName"] == lifecycle.PassquareTaskQueue {
				ok = true
			}
		}
		if !ok {
			t.Errorf("%s does not give %s one partition", key, lifecycle.PassquareTaskQueue)
		}
	}
}

// What ./scripts/production-shape runs is what compose deploys: the same
// server configuration file, picked the same way, on the same database
// plugin, the schema and namespace set up by the same script, at the
// server version the script builds.
func TestComposeRunsTheProductionShapesTemporal(t *testing.T) {
	c, err := readCompose(composePath)
	if err != nil {
		t.Fatal(err)
	}
	temporal := composeTemporal(t)
	mount := temporal.configMount(t)
	env := temporal.Environment
	if env["TEMPORAL_CONFIG_DIR"] != mount || env["TEMPORAL_ENVIRONMENT"] != deploy.ServerEnvironment {
		t.Errorf("temporal: TEMPORAL_CONFIG_DIR %q and TEMPORAL_ENVIRONMENT %q do not pick %s/%s.yaml mounted at %s",
			env["TEMPORAL_CONFIG_DIR"], env["TEMPORAL_ENVIRONMENT"], deploy.ServerConfigDir, deploy.ServerEnvironment, mount)
	}
	server := readServerConfig(t, env)
	for name, ds := range server.Persistence.Datastores {
		if ds.SQL.PluginName != "postgres12" {
			t.Errorf("datastore %s: plugin %q, want postgres12", name, ds.SQL.PluginName)
		}
		host, _, _ := strings.Cut(ds.SQL.ConnectAddr, ":")
		if _, ok := c.Services[host]; !ok || c.Services[host].Image == "" || !strings.HasPrefix(c.Services[host].Image, "postgres:") {
			t.Errorf("datastore %s connects to %q, which is not the PostgreSQL service", name, ds.SQL.ConnectAddr)
		}
	}
	frontend := fmt.Sprint(server.Services["frontend"].RPC.GRPCPort)
	for _, p := range temporal.Ports {
		if p.Container != frontend {
			t.Errorf("temporal publishes container port %s, but the frontend listens on %s", p.Container, frontend)
		}
	}
	for name, s := range c.Services {
		if a := s.Environment["TEMPORAL_ADDRESS"]; a != "" && a != "temporal:"+frontend {
			t.Errorf("service %s: TEMPORAL_ADDRESS %q, but the frontend is temporal:%s", name, a, frontend)
		}
	}

	raw, err := os.ReadFile(filepath.Join(root, "scripts/production-shape"))
	if err != nil {
		t.Fatal(err)
	}
	version := regexp.MustCompile(`TEMPORAL_SERVER_VERSION=v(\S+)`).FindSubmatch(raw)
	if version == nil {
		t.Fatal("scripts/production-shape names no TEMPORAL_SERVER_VERSION")
	}
	script := mount + "/" + filepath.Base(deploy.SetupScript)
	for _, want := range []struct{ service, image, step string }{
		{"temporal", "temporalio/server:", ""},
		{"temporal-schema", "temporalio/admin-tools:", "schema"},
		{"temporal-namespace", "temporalio/admin-tools:", "namespace"},
	} {
		s, ok := c.Services[want.service]
		if !ok {
			t.Errorf("no service %s", want.service)
			continue
		}
		if s.Image != want.image+string(version[1]) {
			t.Errorf("%s runs %s, but ./scripts/production-shape runs server %s", want.service, s.Image, version[1])
		}
		if want.step == "" {
			continue
		}
		runs := strings.Join(append(append([]string{}, s.Entrypoint...), s.Command...), " ")
		if !strings.Contains(runs, script+" "+want.step) {
			t.Errorf("%s runs %q, not %s %s", want.service, runs, script, want.step)
		}
		if ms := s.mountOf(deploy.ServerConfigDir); ms != mount {
			t.Errorf("%s mounts %s at %q, not at %s as temporal does", want.service, deploy.ServerConfigDir, ms, mount)
		}
	}
}

// serverConfig is the part of Temporal's configuration the tests compare.
type serverConfig struct {
	Persistence struct {
		Datastores map[string]struct {
			SQL struct {
				PluginName  string `yaml:"pluginName"`
				ConnectAddr string `yaml:"connectAddr"`
			} `yaml:"sql"`
		} `yaml:"datastores"`
	} `yaml:"persistence"`
	Services map[string]struct {
		RPC struct {
			GRPCPort int `yaml:"grpcPort"`
		} `yaml:"rpc"`
	} `yaml:"services"`
	DynamicConfigClient struct {
		Filepath string `yaml:"filepath"`
	} `yaml:"dynamicConfigClient"`
}

// readServerConfig renders deploy/temporal/guestflow.yaml as the server
// does (a Go template; env and default as sprig's), with env as the
// container's environment.
func readServerConfig(t *testing.T, env map[string]string) serverConfig {
	t.Helper()
	path := filepath.Join(root, deploy.ServerConfigDir, deploy.ServerEnvironment+".yaml")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	funcs := template.FuncMap{
		"env": func(name string) string { return env[name] },
		"default": func(def string, v string) string {
			if v == "" {
				return def
			}
			return v
		},
		"quote": strconv.Quote,
	}
	tpl, err := template.New(path).Funcs(funcs).Parse(string(raw))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var out bytes.Buffer
	if err := tpl.Execute(&out, nil); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var cfg serverConfig
	if err := yaml.Unmarshal(out.Bytes(), &cfg); err != nil {
		t.Fatalf("%s rendered: %v", path, err)
	}
	return cfg
}

func composeTemporal(t *testing.T) *service {
	t.Helper()
	c, err := readCompose(composePath)
	if err != nil {
		t.Fatal(err)
	}
	s, ok := c.Services["temporal"]
	if !ok {
		t.Fatal("docker-compose.yml has no temporal service")
	}
	return s
}

// configMount is where the service mounts deploy/temporal.
func (s *service) configMount(t *testing.T) string {
	t.Helper()
	m := s.mountOf(deploy.ServerConfigDir)
	if m == "" {
		t.Fatalf("the service does not mount ./%s (volumes %v)", deploy.ServerConfigDir, s.Volumes)
	}
	return m
}

// mountOf is where the service mounts dir of the repository, or "".
func (s *service) mountOf(dir string) string {
	for _, v := range s.Volumes {
		parts := strings.Split(v, ":")
		if len(parts) >= 2 && filepath.Clean(parts[0]) == filepath.Clean(dir) {
			return parts[1]
		}
	}
	return ""
}
