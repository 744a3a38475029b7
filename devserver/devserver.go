// Package devserver runs the real Temporal dev server (temporal server
// start-dev) for the dev stack and the integration tests, from one pinned
// CLI release built with the Go toolchain, since this project must work
// where the CLI cannot be downloaded.
package devserver

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/testsuite"
)

// The pinned CLI: v1.5.1 is the newest release `go install` accepts (later
// ones carry a replace directive). It serves Server 1.29.1 and Web UI 2.42.1.
const (
	CLIModule  = "github.com/temporalio/cli/cmd/temporal"
	CLIVersion = "v1.5.1"
)

// CLIPath returns the pinned temporal CLI: $TEMPORAL_CLI when set, else the
// one `go install` put in GOBIN or GOPATH/bin, if it is the pinned version.
func CLIPath() (string, error) {
	if p := os.Getenv("TEMPORAL_CLI"); p != "" {
		return p, nil
	}
	p, err := installedPath()
	if err != nil {
		return "", err
	}
	if !isPinned(p) {
		return "", fmt.Errorf("temporal CLI %s not found at %s: run `go install %s@%s` (scripts/test does)", CLIVersion, p, CLIModule, CLIVersion)
	}
	return p, nil
}

// Install builds the pinned CLI through the Go toolchain unless it is
// already there. The first build takes minutes; output goes to progress.
func Install(ctx context.Context, progress io.Writer) (string, error) {
	if p, err := CLIPath(); err == nil {
		return p, nil
	}
	cmd := exec.CommandContext(ctx, "go", "install", CLIModule+"@"+CLIVersion)
	cmd.Stdout, cmd.Stderr = progress, progress
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go install %s@%s: %w", CLIModule, CLIVersion, err)
	}
	return CLIPath()
}

func installedPath() (string, error) {
	out, err := exec.Command("go", "env", "GOBIN", "GOPATH").Output()
	if err != nil {
		return "", fmt.Errorf("go env: %w", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) == 2 && lines[0] != "" {
		return filepath.Join(lines[0], "temporal"), nil
	}
	gopath := strings.Split(lines[len(lines)-1], string(os.PathListSeparator))[0]
	return filepath.Join(gopath, "bin", "temporal"), nil
}

// isPinned reads the module version the binary was built from.
func isPinned(path string) bool {
	out, err := exec.Command("go", "version", "-m", path).Output()
	return err == nil && bytes.Contains(out, []byte("github.com/temporalio/cli\t"+CLIVersion))
}

// Options configure a dev server.
type Options struct {
	HostPort  string // "" picks a free loopback port
	Namespace string // "" means default
	DBFile    string // "" keeps state in memory
	UIPort    string // "" with UI true picks a free port
	UI        bool
	Stdout    io.Writer // nil discards the server's own log
	ExtraArgs []string
}

// Start starts the pinned dev server and waits until it answers. The dynamic
// config makes task queues single-partition, so a task queue's activity rate
// limit (Passquare's one request per second) holds exactly instead of
// being split across four partitions.
func Start(ctx context.Context, o Options) (*testsuite.DevServer, error) {
	cli, err := CLIPath()
	if err != nil {
		return nil, err
	}
	out := o.Stdout
	if out == nil {
		out = io.Discard
	}
	args := append([]string{
		"--dynamic-config-value", "matching.numTaskqueueReadPartitions=1",
		"--dynamic-config-value", "matching.numTaskqueueWritePartitions=1",
	}, o.ExtraArgs...)
	hostPort := o.HostPort
	if hostPort == "" {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		hostPort = "127.0.0.1:" + port
	}
	srv, err := testsuite.StartDevServer(ctx, testsuite.DevServerOptions{
		ExistingPath:  cli,
		ClientOptions: &client.Options{HostPort: hostPort, Namespace: o.Namespace},
		DBFilename:    o.DBFile,
		EnableUI:      o.UI,
		UIPort:        o.UIPort,
		LogLevel:      "warn",
		ExtraArgs:     args,
		Stdout:        out,
		Stderr:        out,
	})
	if err != nil {
		if _, port, perr := net.SplitHostPort(hostPort); perr == nil {
			stopLeftover(cli, port)
		}
		return nil, fmt.Errorf("start temporal dev server: %w", err)
	}
	return srv, nil
}
