package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain lets a test run this binary as the webhook program itself.
func TestMain(m *testing.M) {
	if os.Getenv("GUESTFLOW_TEST_RUN_WEBHOOK") == "1" {
		main()
	}
	os.Exit(m.Run())
}

func command(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "GUESTFLOW_TEST_RUN_WEBHOOK=1", "TEMPORAL_ADDRESS=127.0.0.1:1",
		"TEMPORAL_CONFIG_FILE=/nonexistent/temporal.toml")
	return cmd
}

func exitCode(err error) int {
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

func TestWithoutWebhookSectionExitsTwo(t *testing.T) {
	good, err := os.ReadFile("../devstack/guestflow.toml")
	if err != nil {
		t.Fatal(err)
	}
	text := string(good)
	file := filepath.Join(t.TempDir(), "guestflow.toml")
	if err := os.WriteFile(file, []byte(text[:strings.Index(text, "[webhook]")]), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := command("--config", file).CombinedOutput()
	if code := exitCode(err); code != 2 || !strings.Contains(string(out), "[webhook] is missing") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

func TestHelpNamesEnvironmentVariables(t *testing.T) {
	out, err := command("--help").CombinedOutput()
	if code := exitCode(err); code != 0 {
		t.Fatalf("--help exit %d", code)
	}
	for _, v := range []string{"GUESTFLOW_CONFIG", "GUESTFLOW_LISTEN", "GUESTFLOW_OPS_ADDR", "GUESTFLOW_TLS_CERT", "TEMPORAL_ADDRESS"} {
		if !strings.Contains(string(out), "(env "+v+")") {
			t.Errorf("--help does not name %s:\n%s", v, out)
		}
	}
}

// The webhook starts without Temporal (it reports not ready), refuses a
// hook without credentials, and stops cleanly on SIGTERM.
func TestServesAndStopsOnSIGTERM(t *testing.T) {
	cmd := command("--config", "../devstack/guestflow.toml", "--listen", "127.0.0.1:0", "--ops-addr", "127.0.0.1:0")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill() }()
	var started struct {
		Msg    string `json:"msg"`
		Listen string `json:"listen"`
		Ops    string `json:"ops_addr"`
	}
	lines := bufio.NewScanner(stderr)
	for lines.Scan() {
		if json.Unmarshal(lines.Bytes(), &started) == nil && started.Msg == "webhook started" {
			break
		}
	}
	if started.Listen == "" {
		t.Fatal("no start-up line")
	}
	go func() {
		for lines.Scan() {
		}
	}()

	resp, err := http.Post("http://"+started.Listen+"/passquare/hooks", "application/json", strings.NewReader(`{"method": "readBalance"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("hook without credentials: %d", resp.StatusCode)
	}
	for path, want := range map[string]int{"/healthz": 200, "/readyz": 503, "/metrics": 200} {
		resp, err := http.Get("http://" + started.Ops + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("%s: %d, want %d", path, resp.StatusCode, want)
		}
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if code := exitCode(err); code != 0 {
			t.Errorf("exit %d after SIGTERM", code)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("no exit after SIGTERM")
	}
}
