package sandboxkit

import (
	"bytes"
	"crypto/sha256"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
)

// LoseAnswers wraps a sandbox so that the first time each distinct write
// arrives (a path IsWrite accepts, with the same body), the sandbox applies
// it and then closes the connection without answering: the vendor did the
// work and the caller never hears. A repeat of the same write is answered,
// so a caller that retries sees the effect of its first attempt.
type LoseAnswers struct {
	IsWrite func(r *http.Request) bool
	// Max bounds the answers lost in all; 0 loses the first of every
	// distinct write.
	Max int

	mu   sync.Mutex
	seen map[[32]byte]bool
	lost int
}

// Lost reports how many answers were dropped.
func (l *LoseAnswers) Lost() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lost
}

// Wrap returns h with the writes' first answers lost.
func (l *LoseAnswers) Wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !l.IsWrite(r) {
			h.ServeHTTP(w, r)
			return
		}
		body, _ := io.ReadAll(io.LimitReader(r.Body, 8<<20))
		r.Body = io.NopCloser(bytes.NewReader(body))
		key := sha256.Sum256(append([]byte(r.Method+" "+r.URL.Path+"\n"), body...))
		l.mu.Lock()
		first := !l.seen[key] && (l.Max == 0 || l.lost < l.Max)
		if first {
			if l.seen == nil {
				l.seen = map[[32]byte]bool{}
			}
			l.seen[key] = true
			l.lost++
		}
		l.mu.Unlock()
		if !first {
			h.ServeHTTP(w, r)
			return
		}
		h.ServeHTTP(httptest.NewRecorder(), r)
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return
			}
		}
		w.WriteHeader(http.StatusBadGateway)
	})
}
