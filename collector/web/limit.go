package web

import (
	"sync"
	"time"
)

// limiter counts failed attempts per key (a branch, a client address) in a
// sliding window; a key with max failures in the window is refused until the
// oldest one leaves it.
type limiter struct {
	now    func() time.Time
	max    int
	window time.Duration

	mu   sync.Mutex
	fail map[string][]time.Time
}

func newLimiter(now func() time.Time, max int, window time.Duration) *limiter {
	return &limiter{now: now, max: max, window: window, fail: map[string][]time.Time{}}
}

// Wait returns how long the key must wait; zero when it may try now.
func (l *limiter) Wait(key string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	times := l.prune(key)
	if len(times) < l.max {
		return 0
	}
	return times[0].Add(l.window).Sub(l.now())
}

// Fail records a failed attempt.
func (l *limiter) Fail(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.fail[key] = append(l.prune(key), l.now())
}

// Reset forgets a key's failures after a success.
func (l *limiter) Reset(key string) {
	l.mu.Lock()
	delete(l.fail, key)
	l.mu.Unlock()
}

func (l *limiter) prune(key string) []time.Time {
	times := l.fail[key]
	cut := l.now().Add(-l.window)
	i := 0
	for i < len(times) && !times[i].After(cut) {
		i++
	}
	times = times[i:]
	if len(times) == 0 {
		delete(l.fail, key)
		return nil
	}
	l.fail[key] = times
	return times
}
