package scenario

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"time"
)

// random is the day's one source of chance. Each branch draws from its own
// stream, derived from the seed and the branch id, so a branch's guests do
// not shift when another branch is added (short of a phone or e-mail
// collision, which makes one guest draw again).
type random struct{ *rand.Rand }

func newRandom(seed int64, stream string) random {
	h := fnv.New64a()
	h.Write([]byte(stream))
	return random{rand.New(rand.NewPCG(uint64(seed), h.Sum64()))}
}

func (r random) chance(p float64) bool { return r.Float64() < p }

func (r random) pick(list []string) string { return list[r.IntN(len(list))] }

// between returns an int in [lo, hi].
func (r random) between(lo, hi int) int { return lo + r.IntN(hi-lo+1) }

// minutes returns a duration in [lo, hi] with minute resolution.
func (r random) minutes(lo, hi time.Duration) time.Duration {
	return time.Duration(r.between(int(lo/time.Minute), int(hi/time.Minute))) * time.Minute
}

// weighted picks an index by weight.
func (r random) weighted(weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := r.IntN(total)
	for i, w := range weights {
		if n < w {
			return i
		}
		n -= w
	}
	return len(weights) - 1
}

func (r random) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.IntN(10))
	}
	return string(b)
}

func (r random) letters(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('A' + r.IntN(26))
	}
	return string(b)
}

// uuid is a version 4 UUID drawn from the stream, so ids repeat with the
// seed.
func (r random) uuid() string {
	var b [16]byte
	for i := range b {
		b[i] = byte(r.IntN(256))
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
