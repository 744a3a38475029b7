package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestMain lets a test run this binary as the worker program itself.
func TestMain(m *testing.M) {
	if os.Getenv("GUESTFLOW_TEST_RUN_WORKER") == "1" {
		main()
	}
	os.Exit(m.Run())
}

func runWorker(t *testing.T, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "GUESTFLOW_TEST_RUN_WORKER=1")
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode(), string(out)
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, string(out)
}

// Bad configuration stops the worker at start-up, naming file, branch and
// field, without printing a secret, and exits 2.
func TestBadConfigurationStopsTheWorker(t *testing.T) {
	file := filepath.Join(t.TempDir(), "guestflow.toml")
	good, err := os.ReadFile("../devstack/guestflow.toml")
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(good), `time_zone = "Europe/Lisbon"`, `time_zone = "Europe/Lisbn"`, 1)
	bad = strings.Replace(bad, `mews_access_token = "sandbox-vienna-mews-token"`, `mews_acces_token = "sandbox-vienna-mews-token"`, 1)
	if err := os.WriteFile(file, []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}

	code, out := runWorker(t, "--config", file)

	if code != 2 {
		t.Errorf("exit code %d, want 2\n%s", code, out)
	}
	for _, want := range []string{
		file + `: branch "lisbon" field time_zone: unknown time zone "Europe/Lisbn"`,
		file + `: branch "vienna" field mews_acces_token: unknown field`,
		file + `: branch "vienna" field mews_access_token: required`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "sandbox-vienna-mews-token") || strings.Contains(out, "sandbox-passquare-app-key") {
		t.Errorf("a secret reached the output:\n%s", out)
	}
}

func TestBadFlagsExitTwo(t *testing.T) {
	code, out := runWorker(t, "--log-format", "xml", "--config", "../devstack/guestflow.toml")
	if code != 2 || !strings.Contains(out, "--log-format") {
		t.Errorf("exit %d: %s", code, out)
	}
	code, out = runWorker(t, "--no-such-flag")
	if code != 2 || !strings.Contains(out, "no-such-flag") {
		t.Errorf("exit %d: %s", code, out)
	}
}

func TestHelpNamesEnvironmentVariables(t *testing.T) {
	code, out := runWorker(t, "--help")
	if code != 0 {
		t.Fatalf("--help exit %d", code)
	}
	for _, v := range []string{"GUESTFLOW_CONFIG", "GUESTFLOW_LOG_LEVEL", "GUESTFLOW_LOG_FORMAT", "TEMPORAL_ADDRESS", "TEMPORAL_NAMESPACE", "GUESTFLOW_OPS_ADDR"} {
		if !strings.Contains(out, "(env "+v+")") {
			t.Errorf("--help does not name %s:\n%s", v, out)
		}
	}
}

// A tuning the SDK would refuse stops the worker at start-up with status 2.
func TestBadTuningStopsTheWorker(t *testing.T) {
	code, out := runWorker(t, "--config", "../devstack/guestflow.toml", "--workflow-task-pollers", "1")
	if code != 2 || !strings.Contains(out, "--workflow-task-pollers") {
		t.Fatalf("exit %d: %s", code, out)
	}
}
