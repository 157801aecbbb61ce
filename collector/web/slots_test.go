package web

import (
	"context"
	"testing"
	"time"
)

// TestSlots: up to n holders a key, a waiter gets a slot given back in
// time and gives up after its wait, a key nobody holds is forgotten, and a
// forgotten slot serves the next key with all its n places (issue 11
// keeps forgotten slots for reuse).
func TestSlots(t *testing.T) {
	s := newSlots(2)
	ctx := context.Background()
	r1, ok1 := s.acquire(ctx, "a", time.Millisecond)
	r2, ok2 := s.acquire(ctx, "a", time.Millisecond)
	if !ok1 || !ok2 {
		t.Fatal("two holders of a key with two places refused")
	}
	if _, ok := s.acquire(ctx, "a", 5*time.Millisecond); ok {
		t.Fatal("a third holder got in")
	}
	got := make(chan bool)
	go func() {
		r, ok := s.acquire(ctx, "a", 5*time.Second)
		if ok {
			r()
		}
		got <- ok
	}()
	time.Sleep(10 * time.Millisecond)
	r1()
	if !<-got {
		t.Fatal("a waiter did not get the place given back")
	}
	r2()
	if n := len(s.m); n != 0 {
		t.Fatalf("%d keys remembered with nobody holding", n)
	}
	for round := range 3 {
		var rs []func()
		for range 2 {
			r, ok := s.acquire(ctx, "b", time.Millisecond)
			if !ok {
				t.Fatalf("round %d: a reused slot refused one of its two places", round)
			}
			rs = append(rs, r)
		}
		if _, ok := s.acquire(ctx, "b", time.Millisecond); ok {
			t.Fatalf("round %d: a reused slot let a third in", round)
		}
		rc, ok := s.acquire(ctx, "c", time.Millisecond)
		if !ok {
			t.Fatalf("round %d: another key waits for b", round)
		}
		rc()
		for _, r := range rs {
			r()
		}
	}
	ctxDone, cancel := context.WithCancel(ctx)
	cancel()
	r, _ := s.acquire(ctx, "d", time.Millisecond)
	r2b, _ := s.acquire(ctx, "d", time.Millisecond)
	if _, ok := s.acquire(ctxDone, "d", time.Second); ok {
		t.Fatal("a waiter whose request ended got in")
	}
	r()
	r2b()
	if n := len(s.m); n != 0 {
		t.Fatalf("%d keys remembered at the end", n)
	}
}
