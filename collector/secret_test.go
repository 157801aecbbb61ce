package collector

import (
	"context"
	"sync"
	"testing"
	"time"
)

type codeMap map[string]string

func (m codeMap) BranchCodeHash(_ context.Context, b string) (string, error) {
	if h, ok := m[b]; ok {
		return h, nil
	}
	return "", ErrNotFound
}

func TestSecrets(t *testing.T) {
	h, err := HashSecret("k7pq-3mz9-x2c4", 1000)
	if err != nil {
		t.Fatal(err)
	}
	if !CheckSecret(h, "k7pq-3mz9-x2c4") || CheckSecret(h, "k7pq-3mz9-x2c5") || CheckSecret("garbage", "x") {
		t.Error("CheckSecret gives wrong answers")
	}
	h2, _ := HashSecret("k7pq-3mz9-x2c4", 1000)
	if h == h2 {
		t.Error("two hashes of one code are equal: no salt")
	}
	if c := NewCode(); len(c) != 14 || NormalizeCode(" "+c[:4]+"－"+c[5:]+" ") != c {
		t.Errorf("code %q does not survive normalisation", c)
	}
}

func TestAuthCacheAndRotation(t *testing.T) {
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	old, _ := HashSecret("old-code", 1000)
	codes := codeMap{"yi": old}
	a := NewAuth(codes, func() time.Time { return now }, time.Minute)
	ctx := context.Background()
	if err := a.Check(ctx, "yi", "OLD-CODE"); err != nil {
		t.Fatalf("right code refused: %v", err)
	}
	if err := a.Check(ctx, "yi", "wrong"); err != ErrBadCode {
		t.Fatalf("wrong code: %v", err)
	}
	if err := a.Check(ctx, "er", "old-code"); err != ErrBadCode {
		t.Fatalf("unknown branch: %v", err)
	}
	codes["yi"], _ = HashSecret("new-code", 1000)
	if err := a.Check(ctx, "yi", "old-code"); err != ErrBadCode {
		t.Fatalf("rotated code still accepted from the cache: %v", err)
	}
	if err := a.Check(ctx, "yi", "new-code"); err != nil {
		t.Fatalf("new code refused: %v", err)
	}
}

// TestAuthQueueAtGateChecksOnce: posts of one branch that queue at the gate
// (one slow check per branch at a time) behind a check of the same code get
// the cached answer once it is done, instead of each running the slow hash
// in turn (issue 11: most of the collector's CPU under wrk at start-up).
func TestAuthQueueAtGateChecksOnce(t *testing.T) {
	h, _ := HashSecret("right-code", 20_000)
	a := NewAuth(codeMap{"yi": h}, time.Now, time.Minute)
	slot := make(chan struct{}, 1)
	gate := func() (func(bool), error) {
		slot <- struct{}{}
		return func(bool) { <-slot }, nil
	}
	var wg sync.WaitGroup
	errs := make(chan error, 32)
	for range 32 {
		wg.Go(func() { errs <- a.CheckGated(context.Background(), "yi", "right-code", gate) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("right code refused: %v", err)
		}
	}
	if n := a.SlowChecks(); n != 1 {
		t.Errorf("32 queued posts of one code ran %d slow checks, want 1", n)
	}
}
