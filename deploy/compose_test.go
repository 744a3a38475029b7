package deploy_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/guestflow/guestflow/config"
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
// server splits across partitions: the Temporal service must load the
// dynamic configuration that gives that queue one partition.
func TestTemporalGivesThePassquareQueueOnePartition(t *testing.T) {
	raw, err := os.ReadFile("../docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	var compose struct {
		Services map[string]struct {
			Environment map[string]string `yaml:"environment"`
			Volumes     []string          `yaml:"volumes"`
		} `yaml:"services"`
	}
	if err := yaml.Unmarshal(raw, &compose); err != nil {
		t.Fatal(err)
	}
	temporal := compose.Services["temporal"]
	path := temporal.Environment["DYNAMIC_CONFIG_FILE_PATH"]
	mounted := ""
	for _, v := range temporal.Volumes {
		parts := strings.Split(v, ":")
		if len(parts) >= 2 && parts[1] == path {
			mounted = parts[0]
		}
	}
	if path == "" || mounted == "" {
		t.Fatalf("the temporal service does not load a mounted dynamic config (path %q, volumes %v)", path, temporal.Volumes)
	}
	dc, err := os.ReadFile(filepath.Join("..", mounted))
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
