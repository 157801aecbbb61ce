package throttle

import (
	"context"
	"time"
)

// Store keeps the limiter's state in a database that several collectors
// share (collector/postgres), so that a limit holds whichever collector a
// guess reaches.
type Store interface {
	// ThrottleState returns k's failures and the time of the last one (0
	// and the zero time when it has none), and the times of the newest
	// failures (at most limit, from any address) of k's name at or after
	// since.
	ThrottleState(ctx context.Context, k Key, since time.Time, limit int) (fails int, last time.Time, recent []time.Time, err error)
	// ThrottleFail records a failure of k at t: k's count grows by one, or
	// starts again at one when its last failure is older than t-forget.
	// Failures of the name older than t-window may be dropped.
	ThrottleFail(ctx context.Context, k Key, t time.Time, forget, window time.Duration) error
	// ThrottleSucceed forgets k's failures.
	ThrottleSucceed(ctx context.Context, k Key) error
}

// storeTimeout bounds one call to the Store.
const storeTimeout = 2 * time.Second

// Shared is the limiter with its state in a Store: the same policy and the
// same answers as Memory, across processes. When the store cannot be read
// it lets the attempt through: the code or password it would check lives
// in the same database, so nothing can be guessed meanwhile.
type Shared struct {
	policy Policy
	now    func() time.Time
	store  Store
}

// NewShared returns a limiter keeping its state in s; now is the clock
// (time.Now when nil).
func NewShared(p Policy, now func() time.Time, s Store) *Shared {
	if now == nil {
		now = time.Now
	}
	return &Shared{policy: p, now: now, store: s}
}

// Wait returns how long k must wait before its next attempt; zero when it
// may try now.
func (s *Shared) Wait(k Key) time.Duration {
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	now := s.now()
	n, last, recent, err := s.store.ThrottleState(ctx, k, now.Add(-s.policy.Window), max(s.policy.Ceiling, 1))
	if err != nil || n == 0 || now.Sub(last) > s.policy.Forget {
		return 0
	}
	m := Memory{policy: s.policy}
	var wait time.Duration
	if n >= s.policy.Free {
		wait = last.Add(m.backoff(n)).Sub(now)
	}
	if s.policy.Ceiling > 0 && len(recent) >= s.policy.Ceiling {
		oldest := recent[0]
		for _, t := range recent {
			if t.Before(oldest) {
				oldest = t
			}
		}
		wait = max(wait, oldest.Add(s.policy.Window).Sub(now))
	}
	return max(wait, 0)
}

// Fail records a failed attempt of k.
func (s *Shared) Fail(k Key) {
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	s.store.ThrottleFail(ctx, k, s.now(), s.policy.Forget, s.policy.Window)
}

// Succeed forgets the failures of k (not those of its name from other addresses).
func (s *Shared) Succeed(k Key) {
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	s.store.ThrottleSucceed(ctx, k)
}
