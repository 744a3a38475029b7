package sandboxkit_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/guestflow/guestflow/vendors/sandboxkit"
)

func TestLoseAnswersAppliesTheWriteThenDropsItsFirstAnswer(t *testing.T) {
	var applied atomic.Int32
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			applied.Add(1)
		}
		w.WriteHeader(http.StatusOK)
	})
	l := &sandboxkit.LoseAnswers{IsWrite: func(r *http.Request) bool { return r.Method == http.MethodPost }}
	srv := httptest.NewServer(l.Wrap(h))
	defer srv.Close()
	c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	post := func(body string) error {
		resp, err := c.Post(srv.URL+"/customers/add", "application/json", strings.NewReader(body))
		if err == nil {
			resp.Body.Close()
		}
		return err
	}
	if err := post(`{"guest":1}`); err == nil {
		t.Fatal("the first write's answer arrived")
	}
	if applied.Load() != 1 {
		t.Fatalf("applied %d times, want 1: the write happens before the answer is lost", applied.Load())
	}
	if err := post(`{"guest":1}`); err != nil {
		t.Fatalf("the repeat was not answered: %v", err)
	}
	if err := post(`{"guest":2}`); err == nil {
		t.Fatal("another guest's first write was answered")
	}
	resp, err := c.Get(srv.URL + "/customers")
	if err != nil {
		t.Fatalf("a read lost its answer: %v", err)
	}
	resp.Body.Close()
	if l.Lost() != 2 || applied.Load() != 3 {
		t.Fatalf("lost %d, applied %d; want 2 and 3", l.Lost(), applied.Load())
	}
}
