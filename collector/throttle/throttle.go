// Package throttle decides when a guess of a branch's access code or an
// admin's password may be tried: failures are counted per (name, client
// address) with exponential back-off, and a per-name ceiling marks a name
// under attack, when only addresses that have not failed may still try. A
// correct code from an address that has not failed is therefore never
// refused, however many guesses others make.
//
// Memory keeps the state in this process; Shared keeps it in a Store that
// several collector instances share (collector/postgres), behind the same
// three methods.
//
// It imports the standard library only.
package throttle

import (
	"sync"
	"time"
)

// Key is one client guessing one name.
type Key struct {
	// Scope separates branch codes ("branch") from admin passwords ("admin").
	Scope string
	// Name is the branch id or the admin name guessed at.
	Name string
	// Addr is the client address (an IPv6 client's /64).
	Addr string
}

// Policy are the limits.
type Policy struct {
	// Free is how many failures of one (name, address) go without waiting.
	Free int
	// Base is the wait after failure Free+1; each further failure doubles it.
	Base time.Duration
	// Max caps the wait.
	Max time.Duration
	// Forget is how long after its last failure a (name, address) starts afresh.
	Forget time.Duration
	// Ceiling failures of one name from all addresses within Window put the
	// name under attack: addresses that failed for it wait until the window
	// has fewer than Ceiling failures; addresses that have not failed still try.
	Ceiling int
	Window  time.Duration
}

// DefaultPolicy is the collector's policy: three free failures, then 1 s,
// 2 s, 4 s … up to 15 minutes; 20 failures in 15 minutes put a name under
// attack.
func DefaultPolicy() Policy {
	return Policy{Free: 3, Base: time.Second, Max: 15 * time.Minute, Forget: 24 * time.Hour, Ceiling: 20, Window: 15 * time.Minute}
}

// maxEntries bounds the memory an attacker with many addresses can take.
const maxEntries = 1 << 16

// Memory is the in-process state. It is safe for concurrent use.
type Memory struct {
	policy Policy
	now    func() time.Time

	mu    sync.Mutex
	addrs map[Key]*addrState
	// names holds the last Ceiling failure times of each (scope, name).
	names map[Key]*nameState
}

type addrState struct {
	n    int
	last time.Time
}

type nameState struct {
	times []time.Time // oldest first, at most Ceiling
}

// NewMemory returns an in-process limiter; now is the clock (time.Now when nil).
func NewMemory(p Policy, now func() time.Time) *Memory {
	if now == nil {
		now = time.Now
	}
	return &Memory{policy: p, now: now, addrs: map[Key]*addrState{}, names: map[Key]*nameState{}}
}

// Wait returns how long k must wait before its next attempt; zero when it
// may try now.
func (m *Memory) Wait(k Key) time.Duration {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	a := m.addr(k, now)
	if a == nil {
		return 0
	}
	var wait time.Duration
	if a.n >= m.policy.Free {
		wait = a.last.Add(m.backoff(a.n)).Sub(now)
	}
	if until := m.attackEnds(k, now); until.After(now) {
		wait = max(wait, until.Sub(now))
	}
	return max(wait, 0)
}

// Fail records a failed attempt of k.
func (m *Memory) Fail(k Key) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	if len(m.addrs) >= maxEntries || len(m.names) >= maxEntries {
		m.prune(now)
	}
	a := m.addr(k, now)
	if a == nil {
		a = &addrState{}
		m.addrs[k] = a
	}
	a.n++
	a.last = now
	nk := Key{Scope: k.Scope, Name: k.Name}
	s := m.names[nk]
	if s == nil {
		s = &nameState{}
		m.names[nk] = s
	}
	s.times = append(s.times, now)
	if c := max(m.policy.Ceiling, 1); len(s.times) > c {
		s.times = s.times[len(s.times)-c:]
	}
}

// Succeed forgets the failures of k (not those of its name from other addresses).
func (m *Memory) Succeed(k Key) {
	m.mu.Lock()
	delete(m.addrs, k)
	m.mu.Unlock()
}

// UnderAttack reports whether k's name has reached the ceiling.
func (m *Memory) UnderAttack(k Key) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	return m.attackEnds(k, now).After(now)
}

func (m *Memory) addr(k Key, now time.Time) *addrState {
	a := m.addrs[k]
	if a != nil && now.Sub(a.last) > m.policy.Forget {
		delete(m.addrs, k)
		return nil
	}
	return a
}

// attackEnds is when k's name falls below the ceiling; zero when it is below.
func (m *Memory) attackEnds(k Key, now time.Time) time.Time {
	s := m.names[Key{Scope: k.Scope, Name: k.Name}]
	if s == nil || m.policy.Ceiling <= 0 || len(s.times) < m.policy.Ceiling {
		return time.Time{}
	}
	return s.times[0].Add(m.policy.Window)
}

func (m *Memory) backoff(n int) time.Duration {
	shift := n - m.policy.Free
	if shift < 0 {
		return 0
	}
	if shift >= 40 {
		return m.policy.Max
	}
	return min(m.policy.Base<<shift, m.policy.Max)
}

// prune drops forgotten entries and, if an attacker with very many addresses
// still fills the table, arbitrary ones: a lost count only costs a few
// free guesses, unbounded memory would cost the process.
func (m *Memory) prune(now time.Time) {
	for k, a := range m.addrs {
		if now.Sub(a.last) > m.policy.Forget || len(m.addrs) > maxEntries*3/4 && now.Sub(a.last) > m.backoff(a.n) {
			delete(m.addrs, k)
		}
	}
	for k := range m.addrs {
		if len(m.addrs) <= maxEntries*3/4 {
			break
		}
		delete(m.addrs, k)
	}
	for k, s := range m.names {
		if len(s.times) == 0 || now.Sub(s.times[len(s.times)-1]) > m.policy.Window {
			delete(m.names, k)
		}
	}
	for k := range m.names {
		if len(m.names) <= maxEntries*3/4 {
			break
		}
		delete(m.names, k)
	}
}
