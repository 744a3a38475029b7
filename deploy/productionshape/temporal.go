package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/guestflow/guestflow/childproc"
	"github.com/guestflow/guestflow/deploy"
)

// tools are the Temporal programs the run needs, built by
// ./scripts/production-shape through the Go toolchain.
type tools struct {
	server, sqlTool, cli, schemaDir string
}

// serverPorts are the Temporal services' ports, each free on loopback.
var serverPortNames = []string{
	"FRONTEND_GRPC_PORT", "FRONTEND_HTTP_PORT", "FRONTEND_MEMBERSHIP_PORT",
	"HISTORY_GRPC_PORT", "HISTORY_MEMBERSHIP_PORT",
	"MATCHING_GRPC_PORT", "MATCHING_MEMBERSHIP_PORT",
	"WORKER_GRPC_PORT", "WORKER_MEMBERSHIP_PORT",
	"TEMPORAL_METRICS_PORT",
}

// setup runs deploy/temporal/setup.sh, as compose's one-shot services do.
func setup(ctx context.Context, log io.Writer, step string, env []string) error {
	cmd := exec.CommandContext(ctx, "sh", deploy.SetupScript, step)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s %s: %w (see setup.log in the run directory)", deploy.SetupScript, step, err)
	}
	return nil
}

// temporalServer is the real Temporal server, all four services in one
// process as compose runs it.
type temporalServer struct {
	child    *childproc.Child
	frontend string
}

func startServer(ctx context.Context, t tools, env []string, log io.Writer) (*temporalServer, error) {
	abs, err := filepath.Abs(deploy.ServerConfigDir)
	if err != nil {
		return nil, err
	}
	ports := map[string]string{}
	for _, name := range serverPortNames {
		p, err := freeServerPort()
		if err != nil {
			return nil, err
		}
		ports[name] = p
		env = append(env, name+"="+p)
	}
	env = append(env, "BIND_ON_IP=127.0.0.1", "TEMPORAL_BROADCAST_ADDRESS=127.0.0.1",
		"TEMPORAL_CONFIG_DIR="+abs, "TEMPORAL_ENVIRONMENT="+deploy.ServerEnvironment)
	child, err := childproc.Start("temporal", log, env, t.server, "--root", "/", "--allow-no-auth", "start")
	if err != nil {
		return nil, err
	}
	s := &temporalServer{child: child, frontend: "127.0.0.1:" + ports["FRONTEND_GRPC_PORT"]}
	if err := s.waitServing(ctx, 3*time.Minute); err != nil {
		s.stop()
		return nil, err
	}
	return s, nil
}

// waitServing waits until the frontend answers a health check.
func (s *temporalServer) waitServing(ctx context.Context, limit time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	exited := make(chan error, 1)
	go func() { exited <- s.child.Wait() }()
	for {
		c, err := client.Dial(client.Options{HostPort: s.frontend, Namespace: "temporal-system"})
		if err == nil {
			_, err = c.CheckHealth(ctx, &client.CheckHealthRequest{})
			c.Close()
			if err == nil {
				return nil
			}
		}
		select {
		case err := <-exited:
			return fmt.Errorf("the Temporal server exited while starting: %v", err)
		case <-ctx.Done():
			return fmt.Errorf("the Temporal server at %s did not serve within %s: %v", s.frontend, limit, err)
		case <-time.After(500 * time.Millisecond):
		}
	}
}

func (s *temporalServer) stop() { s.child.Stop(30 * time.Second) }

// freeServerPort is a free loopback port below 32768: Temporal keeps its
// services' membership ports in a SMALLINT column (cluster_membership's
// rpc_port on PostgreSQL), and a port from Linux's ephemeral range
// (32768-60999) stops the server at start with "out of range for type
// smallint".
func freeServerPort() (string, error) {
	for range 100 {
		p := strconv.Itoa(20000 + mrand.IntN(12000))
		ln, err := net.Listen("tcp", "127.0.0.1:"+p)
		if err == nil {
			ln.Close()
			return p, nil
		}
	}
	return "", errors.New("no free loopback port between 20000 and 32000")
}
