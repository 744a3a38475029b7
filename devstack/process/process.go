// Package process runs the programs of a local stack (the dev stack, the
// production shape) as child processes, their output prefixed with their
// names on one terminal.
package process

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// Child is one program the stack runs.
type Child struct {
	Name string
	cmd  *exec.Cmd
	done chan error
}

var outputMu sync.Mutex

// Printf writes a line to the terminal the children share, whole.
func Printf(format string, args ...any) {
	outputMu.Lock()
	defer outputMu.Unlock()
	fmt.Printf(format, args...)
}

// Start runs path with args, with env added to this process's environment,
// its output on the shared terminal.
func Start(name string, env []string, path string, args ...string) (*Child, error) {
	return StartTo(nil, name, env, path, args...)
}

// StartTo is Start with the output written to w instead, prefixed the same
// way; nil means the terminal.
func StartTo(w io.Writer, name string, env []string, path string, args ...string) (*Child, error) {
	cmd := exec.Command(path, args...)
	cmd.Env = append(os.Environ(), env...)
	// Its own process group, so Ctrl-C in the terminal reaches the stack
	// only, which then stops the children in order.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	c := &Child{Name: name, cmd: cmd, done: make(chan error, 1)}
	go func() {
		prefixLines(w, name, out)
		c.done <- cmd.Wait()
	}()
	return c, nil
}

func prefixLines(w io.Writer, name string, r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		if w == nil {
			Printf("%-9s| %s\n", name, sc.Text())
		} else {
			fmt.Fprintf(w, "%-9s| %s\n", name, sc.Text())
		}
	}
}

// Wait waits for the child to exit on its own.
func (c *Child) Wait() error {
	err := <-c.done
	c.done <- err // keep it for Stop
	return err
}

// Pid is the child's process id.
func (c *Child) Pid() int { return c.cmd.Process.Pid }

// Stop asks the child to stop with SIGINT and kills it after the grace time.
func (c *Child) Stop(grace time.Duration) {
	_ = c.cmd.Process.Signal(os.Interrupt)
	select {
	case err := <-c.done:
		c.done <- err
	case <-time.After(grace):
		c.Kill()
	}
}

// Kill ends the child with SIGKILL, as a crash or the OOM killer would,
// and waits for it to be gone.
func (c *Child) Kill() {
	_ = c.cmd.Process.Kill()
	err := <-c.done
	c.done <- err
}

// WaitExit reports the first child to exit on its own.
func WaitExit(ctx context.Context, children []*Child) (string, error) {
	exited := make(chan struct {
		name string
		err  error
	}, len(children))
	for _, c := range children {
		go func() {
			select {
			case err := <-c.done:
				c.done <- err // keep it for Stop
				exited <- struct {
					name string
					err  error
				}{c.Name, err}
			case <-ctx.Done():
			}
		}()
	}
	select {
	case e := <-exited:
		return e.name, e.err
	case <-ctx.Done():
		return "", nil
	}
}
