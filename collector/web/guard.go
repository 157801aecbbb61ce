package web

import (
	"context"
	"sync"
	"time"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/collector/throttle"
)

// bodyWait is how long a request waits for one of its address's body slots
// (MaxBodiesPerAddr) before 429: a burst of quick posts queues briefly,
// slow bodies holding every slot turn the next one away.
const bodyWait = time.Second

// Limiter holds the failed guesses of access codes and passwords.
// throttle.Memory keeps them in this process; a store shared by several
// collector instances can implement the same methods.
type Limiter interface {
	// Wait returns how long k must wait before its next attempt, 0 when it may try now.
	Wait(k throttle.Key) time.Duration
	// Fail records a failed attempt of k.
	Fail(k throttle.Key)
	// Succeed forgets k's failures.
	Succeed(k throttle.Key)
}

// Messages of the limits, in one place.
const (
	msgCodeLimited  = "提交码错误次数过多，请稍后再试。"
	msgLoginLimited = "登录失败次数过多，请稍后再试。"
	msgSlotBusy     = "正在核对同一支部（或账号）的另一次提交，请几秒后再试。"
	msgUploads      = "同一地址同时进行的提交过多，请等前面的提交完成后再试。"
)

// admit is the gate in front of a slow hash for k: the limiter first, then
// the one slot of k's name (at most one slow check per branch or admin at a
// time; a request waits up to SlotWait for it), then the limiter again, since
// the check it waited for may have been a failure from the same address.
func (h *Handler) admit(ctx context.Context, k throttle.Key) (release func(), err error) {
	if wait := h.limiter.Wait(k); wait > 0 {
		return nil, h.limited(k, wait)
	}
	release, ok := h.slots.acquire(ctx, k.Scope+"\x00"+k.Name, h.opts.SlotWait)
	if !ok {
		h.audit.record(collector.RefusedBusy, k.Name, k.Addr)
		return nil, &collector.Error{Code: collector.ERATELIMIT, Message: msgSlotBusy, RetryAfter: 2 * time.Second}
	}
	if wait := h.limiter.Wait(k); wait > 0 {
		release()
		return nil, h.limited(k, wait)
	}
	return release, nil
}

func (h *Handler) limited(k throttle.Key, wait time.Duration) error {
	h.audit.record(collector.RefusedLimit, k.Name, k.Addr)
	msg := msgCodeLimited
	if k.Scope == scopeAdmin {
		msg = msgLoginLimited
	}
	return &collector.Error{Code: collector.ERATELIMIT, Message: msg, RetryAfter: wait}
}

// The limiter's scopes.
const (
	scopeBranch = "branch"
	scopeAdmin  = "admin"
)

// slots lets up to n holders per key at a time; keys with nobody holding
// or waiting are forgotten, so made-up names cost no memory.
type slots struct {
	n  int
	mu sync.Mutex
	m  map[string]*slot
	// free keeps forgotten slots for the next key: every post takes one
	// (the per-address bodies), most while no other post of its address
	// is reading, and making a slot and its channel each time was two of
	// a post's allocations (issue 11).
	free []*slot
}

type slot struct {
	ch   chan struct{}
	refs int
	// release gives the slot back and forgets it when none holds or
	// waits: made once per slot, not per acquire.
	release func()
}

func newSlots(n int) *slots { return &slots{n: n, m: map[string]*slot{}} }

// maxFree bounds slots.free.
const maxFree = 64

// acquire waits up to wait for key's slot; ok is false when it did not get it.
func (s *slots) acquire(ctx context.Context, key string, wait time.Duration) (release func(), ok bool) {
	s.mu.Lock()
	sl := s.m[key]
	if sl == nil {
		if n := len(s.free); n > 0 {
			sl, s.free = s.free[n-1], s.free[:n-1]
		} else {
			sl = &slot{ch: make(chan struct{}, s.n)}
		}
		k, taken := key, sl
		sl.release = func() { <-taken.ch; s.unref(k, taken) }
		s.m[key] = sl
	}
	sl.refs++
	release = sl.release
	s.mu.Unlock()
	select {
	case sl.ch <- struct{}{}:
		// Free: no timer, nor the request context's Done channel (0.17 s
		// of acquire's 0.21 s in a 20 s wrk profile of 108,264 posts, issue 11).
		return release, true
	default:
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case sl.ch <- struct{}{}:
		return release, true
	case <-t.C:
	case <-ctx.Done():
	}
	s.unref(key, sl)
	return nil, false
}

// unref drops a hold or a wait on key's slot sl, and forgets the key when
// it was the last.
func (s *slots) unref(key string, sl *slot) {
	s.mu.Lock()
	if sl.refs--; sl.refs == 0 {
		delete(s.m, key)
		if len(s.free) < maxFree {
			sl.release = nil
			s.free = append(s.free, sl)
		}
	}
	s.mu.Unlock()
}
