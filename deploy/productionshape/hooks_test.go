package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// Hooks alternate between the replicas; once one is gone, every hook
// reaches the other with its body whole, and none is lost.
func TestHooksFailOverToTheReplicaStillUp(t *testing.T) {
	var got [2]atomic.Int32
	replica := func(i int) *httptest.Server {
		return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			if string(body) != `{"method":"addBalance"}` || r.URL.Path != "/passquare/hooks" {
				t.Errorf("replica %d got %s %q", i, r.URL.Path, body)
			}
			got[i].Add(1)
		}))
	}
	one, two := replica(0), replica(1)
	defer one.Close()
	b := newHookBalancer(strings.TrimPrefix(one.URL, "http://"), strings.TrimPrefix(two.URL, "http://"))
	c := b.client()
	send := func() {
		t.Helper()
		resp, err := c.Post("http://webhooks/passquare/hooks", "application/json", strings.NewReader(`{"method":"addBalance"}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	for range 4 {
		send()
	}
	if got[0].Load() != 2 || got[1].Load() != 2 {
		t.Fatalf("replicas got %d and %d hooks, want 2 each", got[0].Load(), got[1].Load())
	}

	two.Close()
	b.replicaStopped()
	for range 4 {
		send()
	}
	if got[0].Load() != 6 || got[1].Load() != 2 {
		t.Errorf("after the second replica stopped, replicas got %d and %d hooks, want 6 and 2", got[0].Load(), got[1].Load())
	}
	_, after, refused := b.tally()
	if after[strings.TrimPrefix(one.URL, "http://")] != 4 || refused == 0 {
		t.Errorf("after the stop: %v answered, %d refused; want 4 on the first, some refused", after, refused)
	}
}
