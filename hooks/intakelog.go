package hooks

import (
	"sync"
	"time"

	"github.com/guestflow/guestflow/vendors/passcreator"
)

// intakeLog remembers, per deviceScanId, the Passcreator scan recorded for
// it, so a device repeating a post (after a timeout, or a 503 because
// Temporal was down) does not record the scan twice. Entries live a day.
type intakeLog struct {
	now     func() time.Time
	mu      sync.Mutex
	entries map[string]*intakeEntry
	swept   time.Time
}

type intakeEntry struct {
	mu      sync.Mutex // held while the scan is recorded and delivered
	created *passcreator.CreatedAppScan
	at      time.Time // when it was recorded; zero until then
	seen    time.Time
}

const intakeMemory = 24 * time.Hour

func newIntakeLog(now func() time.Time) *intakeLog {
	return &intakeLog{now: now, entries: map[string]*intakeEntry{}}
}

// lock returns the entry of id with its lock held, so concurrent posts of
// one scan wait for each other instead of recording it twice.
func (l *intakeLog) lock(id string) *intakeEntry {
	l.mu.Lock()
	now := l.now()
	if now.Sub(l.swept) > time.Hour {
		for k, e := range l.entries {
			if now.Sub(e.seen) > intakeMemory && e.mu.TryLock() {
				delete(l.entries, k)
				e.mu.Unlock()
			}
		}
		l.swept = now
	}
	e, ok := l.entries[id]
	if !ok {
		e = &intakeEntry{}
		l.entries[id] = e
	}
	e.seen = now
	l.mu.Unlock()
	e.mu.Lock()
	return e
}
