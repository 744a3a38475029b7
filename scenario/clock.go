package scenario

import (
	"context"
	"time"
)

// Clock is the day's simulated time, which Play follows.
type Clock interface {
	Now() time.Time
	// Sleep waits until the simulated time has moved on by d, or ctx ends.
	Sleep(ctx context.Context, d time.Duration) error
}

// NewClock starts simulated time at start and runs it speed times faster
// than real time: 60 plays a simulated hour in a real minute, so the dev
// stack shows a whole day in 24 minutes. speed 0 or less means real time.
func NewClock(start time.Time, speed float64) Clock {
	if speed <= 0 {
		speed = 1
	}
	return &compressedClock{start: start, began: time.Now(), speed: speed}
}

type compressedClock struct {
	start, began time.Time
	speed        float64
}

func (c *compressedClock) Now() time.Time {
	return c.start.Add(time.Duration(float64(time.Since(c.began)) * c.speed))
}

func (c *compressedClock) Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(time.Duration(float64(d) / c.speed))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
