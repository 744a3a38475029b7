package main

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

// child is one program the dev stack runs, its output prefixed with its name.
type child struct {
	name string
	cmd  *exec.Cmd
	done chan error
}

var outputMu sync.Mutex

func startChild(name string, env []string, path string, args ...string) (*child, error) {
	cmd := exec.Command(path, args...)
	cmd.Env = append(os.Environ(), env...)
	// Its own process group, so Ctrl-C in the terminal reaches the dev stack
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
	c := &child{name: name, cmd: cmd, done: make(chan error, 1)}
	go func() {
		prefixLines(name, out)
		c.done <- cmd.Wait()
	}()
	return c, nil
}

func prefixLines(name string, r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		outputMu.Lock()
		fmt.Printf("%-9s| %s\n", name, sc.Text())
		outputMu.Unlock()
	}
}

// stop asks the child to stop with SIGINT and kills it after the grace time.
func (c *child) stop(grace time.Duration) {
	_ = c.cmd.Process.Signal(os.Interrupt)
	select {
	case <-c.done:
	case <-time.After(grace):
		_ = c.cmd.Process.Kill()
		<-c.done
	}
}

// waitExit reports the first child to exit on its own.
func waitExit(ctx context.Context, children []*child) (string, error) {
	exited := make(chan struct {
		name string
		err  error
	}, len(children))
	for _, c := range children {
		go func() {
			select {
			case err := <-c.done:
				c.done <- err // keep it for stop
				exited <- struct {
					name string
					err  error
				}{c.name, err}
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
