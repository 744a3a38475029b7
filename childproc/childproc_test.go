package childproc_test

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/guestflow/guestflow/childproc"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestKillEndsAChildThatIgnoresInterrupts(t *testing.T) {
	var out lockedBuffer
	c, err := childproc.Start("stubborn", &out, nil, "/bin/sh", "-c", "trap '' INT; echo up; sleep 30")
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(out.String(), "stubborn | up") {
		if time.Now().After(deadline) {
			t.Fatalf("no prefixed line: %q", out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	start := time.Now()
	c.Stop(200 * time.Millisecond) // ignored, then killed
	if !c.Exited() {
		t.Fatal("still running after Stop's grace")
	}
	if time.Since(start) > 5*time.Second {
		t.Fatalf("Stop took %s", time.Since(start))
	}
	if err := c.Wait(); err == nil {
		t.Fatal("a killed child reported success")
	}
}

func TestWaitExitNamesTheChildThatExited(t *testing.T) {
	var out lockedBuffer
	long, err := childproc.Start("long", &out, nil, "/bin/sh", "-c", "sleep 30")
	if err != nil {
		t.Fatal(err)
	}
	defer long.Kill()
	short, err := childproc.Start("short", &out, nil, "/bin/sh", "-c", "exit 3")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	name, err := childproc.WaitExit(ctx, []*childproc.Child{long, short})
	if name != "short" || err == nil {
		t.Fatalf("WaitExit = %q, %v; want short with its exit status", name, err)
	}
	if !short.Exited() || long.Exited() {
		t.Fatal("Exited disagrees with WaitExit")
	}
}
