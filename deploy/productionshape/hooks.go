package main

import (
	"errors"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// hookBalancer is what sits in front of several webhook replicas in
// production (a load balancer or a Kubernetes Service): the Passquare
// sandbox's hooks go to the replicas in turn, and a replica that refuses
// the connection is skipped for the next. A refused connection carried no
// request, so sending it on cannot apply a hook twice.
type hookBalancer struct {
	replicas []string // host:port
	next     atomic.Uint64
	base     http.RoundTripper

	mu     sync.Mutex
	served map[string]int // hooks answered, by replica
	// after counts the hooks answered once stoppedAt was set.
	stoppedAt time.Time
	after     map[string]int
	refused   int
}

func newHookBalancer(replicas ...string) *hookBalancer {
	// No keep-alive: a replica's connection never outlives the replica, so
	// a stopped one is a refused dial, not a request lost on a dead socket.
	base := &http.Transport{DisableKeepAlives: true, DialContext: (&net.Dialer{Timeout: 5 * time.Second}).DialContext}
	return &hookBalancer{replicas: replicas, base: base, served: map[string]int{}, after: map[string]int{}}
}

func (b *hookBalancer) client() *http.Client {
	return &http.Client{Transport: b, Timeout: 30 * time.Second}
}

func (b *hookBalancer) RoundTrip(req *http.Request) (*http.Response, error) {
	start := int(b.next.Add(1))
	var err error
	for i := range b.replicas {
		host := b.replicas[(start+i)%len(b.replicas)]
		r := req.Clone(req.Context())
		r.URL.Host, r.Host = host, host
		if req.GetBody != nil {
			if r.Body, err = req.GetBody(); err != nil {
				return nil, err
			}
		}
		var resp *http.Response
		resp, err = b.base.RoundTrip(r)
		if err == nil {
			b.count(host)
			return resp, nil
		}
		var op *net.OpError
		if !errors.As(err, &op) || op.Op != "dial" {
			return nil, err
		}
		b.mu.Lock()
		b.refused++
		b.mu.Unlock()
	}
	return nil, err
}

func (b *hookBalancer) count(host string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.served[host]++
	if !b.stoppedAt.IsZero() {
		b.after[host]++
	}
}

// replicaStopped marks the moment from which answers are counted apart.
func (b *hookBalancer) replicaStopped() {
	b.mu.Lock()
	b.stoppedAt = time.Now()
	b.mu.Unlock()
}

// tally returns the hooks each replica answered, in all and after the stop,
// and how many connections were refused and sent on.
func (b *hookBalancer) tally() (served, after map[string]int, refused int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	served, after = map[string]int{}, map[string]int{}
	for k, v := range b.served {
		served[k] = v
	}
	for k, v := range b.after {
		after[k] = v
	}
	return served, after, b.refused
}
