// Package childproc runs guestflow's programs as child processes for the
// dev stack and the chaos run: each in its own process group, its output
// prefixed with its name, stopped gracefully or killed outright.
package childproc

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// Child is one program started by Start.
type Child struct {
	Name string
	cmd  *exec.Cmd
	done chan error
}

// outputMu keeps the lines of children sharing one writer whole.
var outputMu sync.Mutex

// Start runs path with args, the environment plus env, and copies its
// output to out line by line, each prefixed with name.
func Start(name string, out io.Writer, env []string, path string, args ...string) (*Child, error) {
	cmd := exec.Command(path, args...)
	cmd.Env = append(os.Environ(), env...)
	// Its own process group, so Ctrl-C in the terminal reaches the parent
	// only, which then stops the children in order.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	c := &Child{Name: name, cmd: cmd, done: make(chan error, 1)}
	go func() {
		prefixLines(name, pipe, out)
		c.done <- cmd.Wait()
	}()
	return c, nil
}

func prefixLines(name string, r io.Reader, out io.Writer) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		outputMu.Lock()
		fmt.Fprintf(out, "%-9s| %s\n", name, sc.Text())
		outputMu.Unlock()
	}
}

// Pid is the child's process id.
func (c *Child) Pid() int { return c.cmd.Process.Pid }

// Wait returns the child's exit, once it has exited.
func (c *Child) Wait() error {
	err := <-c.done
	c.done <- err // keep it for Stop and the next Wait
	return err
}

// Exited reports whether the child has exited, without waiting.
func (c *Child) Exited() bool {
	select {
	case err := <-c.done:
		c.done <- err
		return true
	default:
		return false
	}
}

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

// Kill sends SIGKILL to the child's process group, as a crashing machine
// or the OOM killer would, and waits until it has gone. The whole group:
// a process the child started would keep its output open, and Wait with it.
func (c *Child) Kill() {
	_ = syscall.Kill(-c.cmd.Process.Pid, syscall.SIGKILL)
	_ = c.Wait()
}

// WaitExit reports the first child to exit on its own, or "" once ctx ends.
func WaitExit(ctx context.Context, children []*Child) (string, error) {
	type exit struct {
		name string
		err  error
	}
	exited := make(chan exit, len(children))
	for _, c := range children {
		go func() {
			select {
			case err := <-c.done:
				c.done <- err
				exited <- exit{c.Name, err}
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

// Say writes one line of the parent's own, prefixed with name, between the
// children's lines.
func Say(out io.Writer, name, format string, args ...any) {
	outputMu.Lock()
	defer outputMu.Unlock()
	fmt.Fprintf(out, "%-9s| "+format+"\n", append([]any{name}, args...)...)
}

// WaitReady polls a readiness endpoint until it answers 200, for at most
// bound (0: until ctx ends).
func WaitReady(ctx context.Context, url string, bound time.Duration) error {
	if bound > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, bound)
		defer cancel()
	}
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s not ready: %w", url, ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
}
