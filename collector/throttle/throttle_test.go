package throttle

import (
	"fmt"
	"testing"
	"time"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// TestBackoff: three free failures, then 1 s, 2 s, 4 s … capped; a success
// starts afresh; a quiet day forgets (issue 10).
func TestBackoff(t *testing.T) {
	c := &clock{t: time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)}
	m := NewMemory(DefaultPolicy(), c.now)
	k := Key{Scope: "branch", Name: "yi", Addr: "127.0.0.2"}
	var got []time.Duration
	for range 8 {
		m.Fail(k)
		got = append(got, m.Wait(k))
	}
	want := []time.Duration{0, 0, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second, 32 * time.Second}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("waits %v, want %v", got, want)
	}
	for range 30 {
		m.Fail(k)
	}
	if w := m.Wait(k); w != 15*time.Minute {
		t.Errorf("capped wait %v, want 15m", w)
	}
	if w := m.Wait(Key{Scope: "branch", Name: "yi", Addr: "127.0.0.1"}); w != 0 {
		t.Errorf("an address that has not failed waits %v", w)
	}
	c.t = c.t.Add(25 * time.Hour)
	if w := m.Wait(k); w != 0 {
		t.Errorf("after a quiet day: %v", w)
	}
	m.Fail(k)
	m.Fail(k)
	m.Fail(k)
	m.Succeed(k)
	if w := m.Wait(k); w != 0 {
		t.Errorf("after a success: %v", w)
	}
}

// TestCeiling: 20 failures from 20 addresses within 15 minutes put the
// branch under attack: each failed address waits for the window, an address
// that has not failed does not wait at all.
func TestCeiling(t *testing.T) {
	c := &clock{t: time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)}
	m := NewMemory(DefaultPolicy(), c.now)
	for i := range 20 {
		m.Fail(Key{Scope: "branch", Name: "yi", Addr: fmt.Sprintf("10.0.0.%d", i)})
		c.t = c.t.Add(time.Second)
	}
	failed := Key{Scope: "branch", Name: "yi", Addr: "10.0.0.19"}
	if !m.UnderAttack(failed) {
		t.Fatal("not under attack after 20 failures")
	}
	if w := m.Wait(failed); w != 15*time.Minute-20*time.Second {
		t.Errorf("failed address waits %v, want the rest of the window", w)
	}
	if w := m.Wait(Key{Scope: "branch", Name: "yi", Addr: "10.0.1.1"}); w != 0 {
		t.Errorf("fresh address waits %v", w)
	}
	if w := m.Wait(Key{Scope: "branch", Name: "er", Addr: "10.0.0.19"}); w != 0 {
		t.Errorf("another branch waits %v", w)
	}
	if w := m.Wait(Key{Scope: "admin", Name: "yi", Addr: "10.0.0.19"}); w != 0 {
		t.Errorf("another scope waits %v", w)
	}
	c.t = c.t.Add(15 * time.Minute)
	if m.UnderAttack(failed) || m.Wait(failed) != 0 {
		t.Errorf("still limited after the window: %v", m.Wait(failed))
	}
}

// TestBounded: an attacker with a million addresses does not grow the table
// past its bound.
func TestBounded(t *testing.T) {
	c := &clock{t: time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)}
	m := NewMemory(DefaultPolicy(), c.now)
	for i := range 3 * maxEntries {
		m.Fail(Key{Scope: "admin", Name: fmt.Sprint(i % 7), Addr: fmt.Sprint(i)})
	}
	if len(m.addrs) > maxEntries || len(m.names) > maxEntries {
		t.Errorf("%d address and %d name entries", len(m.addrs), len(m.names))
	}
}
