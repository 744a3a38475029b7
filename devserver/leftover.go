package devserver

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// stopLeftover kills the dev server a failed Start left running: the SDK's
// StartDevServer returns an error when the server is not ready in time or
// its context ends, without stopping the process it started. The process
// is found among this process's children by its executable and port.
// It reports how many it killed.
func stopLeftover(cli, port string) int {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	killed := 0
	for _, stat := range stats {
		pid, ok := leftoverPid(filepath.Dir(stat), cli, port)
		if !ok {
			continue
		}
		p, err := os.FindProcess(pid)
		if err != nil {
			continue
		}
		if p.Signal(syscall.SIGKILL) == nil {
			_, _ = p.Wait()
			killed++
		}
	}
	return killed
}

// leftoverPid reads /proc/<pid>: a child of this process running cli with
// --port port.
func leftoverPid(dir, cli, port string) (int, bool) {
	pid, err := strconv.Atoi(filepath.Base(dir))
	if err != nil {
		return 0, false
	}
	stat, err := os.ReadFile(filepath.Join(dir, "stat"))
	if err != nil {
		return 0, false
	}
	// The command name in brackets may hold spaces; the fields after it
	// are state, then the parent's pid.
	rest := stat[bytes.LastIndexByte(stat, ')')+1:]
	fields := strings.Fields(string(rest))
	if len(fields) < 2 || fields[1] != strconv.Itoa(os.Getpid()) {
		return 0, false
	}
	cmdline, err := os.ReadFile(filepath.Join(dir, "cmdline"))
	if err != nil {
		return 0, false
	}
	args := strings.Split(strings.TrimRight(string(cmdline), "\x00"), "\x00")
	if len(args) == 0 || args[0] != cli {
		return 0, false
	}
	for i := range args[:len(args)-1] {
		if args[i] == "--port" && args[i+1] == port {
			return pid, true
		}
	}
	return 0, false
}

// freePort picks a loopback port nobody listens on now, so a failed start
// knows which server to look for.
func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("pick a port for the dev server: %w", err)
	}
	defer ln.Close()
	_, port, _ := strings.Cut(ln.Addr().String(), ":")
	return port, nil
}
