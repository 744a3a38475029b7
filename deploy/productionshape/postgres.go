package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// postgres is a PostgreSQL server of Debian's package in a data directory
// of the run's own, on a loopback port, with a password for user temporal
// as compose's has.
type postgres struct {
	bin, dir, port, password string
	// asUser runs the server's programs as the postgres account when this
	// process is root: initdb refuses to run as root.
	asUser string
}

// findPostgres finds the newest server binaries Debian installed.
func findPostgres() (string, error) {
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		if bin := strings.TrimSpace(string(out)); fileExists(filepath.Join(bin, "initdb")) {
			return bin, nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	for i := len(dirs) - 1; i >= 0; i-- {
		if fileExists(filepath.Join(dirs[i], "initdb")) {
			return dirs[i], nil
		}
	}
	return "", fmt.Errorf("no PostgreSQL server found (Debian: apt-get install postgresql)")
}

func startPostgres(ctx context.Context, dir, port string) (*postgres, error) {
	bin, err := findPostgres()
	if err != nil {
		return nil, err
	}
	secret := make([]byte, 16)
	if _, err := rand.Read(secret); err != nil {
		return nil, err
	}
	pg := &postgres{bin: bin, dir: dir, port: port, password: hex.EncodeToString(secret)}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	pwfile := filepath.Join(dir, "pwfile")
	if err := os.WriteFile(pwfile, []byte(pg.password+"\n"), 0o600); err != nil {
		return nil, err
	}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("running as root, and no postgres account to run PostgreSQL as: %w", err)
		}
		// The account must reach its directory through the run's, which
		// mktemp made private to root; traversal is all it gets.
		if err := os.Chmod(filepath.Dir(dir), 0o711); err != nil {
			return nil, err
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		for _, p := range []string{dir, pwfile} {
			if err := os.Chown(p, uid, gid); err != nil {
				return nil, err
			}
		}
		pg.asUser = "postgres"
	}
	// Local socket connections trust the server's own account; TCP, which
	// Temporal and the schema tool use, needs the password.
	if out, err := pg.run(ctx, "initdb", "-D", pg.data(), "-U", "temporal", "--pwfile", pwfile,
		"--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--no-instructions"); err != nil {
		return nil, fmt.Errorf("initdb: %w\n%s", err, out)
	}
	opts := fmt.Sprintf("-p %s -c listen_addresses=127.0.0.1 -k %s -c max_connections=200", port, dir)
	if out, err := pg.run(ctx, "pg_ctl", "-D", pg.data(), "-o", opts, "-l", filepath.Join(dir, "postgresql.log"), "-w", "-t", "60", "start"); err != nil {
		return nil, fmt.Errorf("pg_ctl start: %w\n%s", err, out)
	}
	return pg, nil
}

func (pg *postgres) data() string { return filepath.Join(pg.dir, "data") }

func (pg *postgres) run(ctx context.Context, program string, args ...string) ([]byte, error) {
	path := filepath.Join(pg.bin, program)
	var cmd *exec.Cmd
	if pg.asUser != "" {
		cmd = exec.CommandContext(ctx, "runuser", append([]string{"-u", pg.asUser, "--", path}, args...)...)
	} else {
		cmd = exec.CommandContext(ctx, path, args...)
	}
	cmd.Dir = pg.dir
	return cmd.CombinedOutput()
}

// stop shuts the server down, ending its connections; the data directory
// goes with the run's.
func (pg *postgres) stop() {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if out, err := pg.run(ctx, "pg_ctl", "-D", pg.data(), "-m", "fast", "-w", "stop"); err != nil {
		say("pg_ctl stop: %v %s", err, out)
	}
}

// env is what guestflow.yaml and setup.sh read to reach the database.
func (pg *postgres) env() []string {
	return []string{"POSTGRES_SEEDS=127.0.0.1", "DB_PORT=" + pg.port, "POSTGRES_USER=temporal", "POSTGRES_PWD=" + pg.password}
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
