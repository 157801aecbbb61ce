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
	// However the groups are parted, the code is the one shown.
	for _, typed := range []string{"K7PQ 3MZ9 X2C4", "k7pq3mz9x2c4", "k7pq - 3mz9 - x2c4", "k7pq_3mz9_x2c4", "k7pq—3mz9—x2c4", "ｋ７ｐｑ－３ｍｚ９－ｘ２ｃ４", " k7pq-3mz9-x2c4\t"} {
		if got := NormalizeCode(typed); got != "k7pq-3mz9-x2c4" {
			t.Errorf("NormalizeCode(%q) = %q, want k7pq-3mz9-x2c4", typed, got)
		}
	}
	// Anything else stays wrong: it must not be made into a code.
	for typed, want := range map[string]string{"k7pq-3mz9-x2c": "k7pq-3mz9-x2c", "K7pq3mz9x2c4x": "k7pq3mz9x2c4x", "": "", "right - code": "right-code"} {
		if got := NormalizeCode(typed); got != want {
			t.Errorf("NormalizeCode(%q) = %q, want %q", typed, got, want)
		}
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

type countingCodes struct {
	codeMap
	reads int
}

func (c *countingCodes) BranchCodeHash(ctx context.Context, b string) (string, error) {
	c.reads++
	return c.codeMap.BranchCodeHash(ctx, b)
}

// TestAuthRemembered: a code verified once is checked against the hash
// remembered with it, with no read of the store, and the hash is given
// back for the store to confirm at commit; a wrong code still reads the
// store and is refused; Forget makes the next check read it again.
func TestAuthRemembered(t *testing.T) {
	h, _ := HashSecret("right-code", 1000)
	codes := &countingCodes{codeMap: codeMap{"yi": h}}
	a := NewAuth(codes, time.Now, time.Minute)
	ctx := context.Background()
	for i := range 3 {
		stored, err := a.CheckRemembered(ctx, "yi", "RIGHT-code", nil)
		if err != nil || stored != h {
			t.Fatalf("check %d: %q %v", i, stored, err)
		}
	}
	if codes.reads != 1 {
		t.Errorf("three checks of a remembered code read the store %d times, want 1", codes.reads)
	}
	if _, err := a.CheckRemembered(ctx, "yi", "wrong", nil); err != ErrBadCode {
		t.Errorf("wrong code: %v", err)
	}
	codes.codeMap["yi"], _ = HashSecret("new-code", 1000)
	a.Forget("yi")
	if _, err := a.CheckRemembered(ctx, "yi", "right-code", nil); err != ErrBadCode {
		t.Errorf("rotated code after Forget: %v", err)
	}
	if stored, err := a.CheckRemembered(ctx, "yi", "new-code", nil); err != nil || stored != codes.codeMap["yi"] {
		t.Errorf("new code: %q %v", stored, err)
	}
}

// BenchmarkCheckRemembered is the check every post of a branch whose code
// was verified a moment ago runs (issue 11): normalise, HMAC, compare.
func BenchmarkCheckRemembered(b *testing.B) {
	h, _ := HashSecret("k7pq-3mz9-x2c4", 1000)
	a := NewAuth(codeMap{"bangongshi": h}, time.Now, time.Hour)
	ctx := context.Background()
	if _, err := a.CheckRemembered(ctx, "bangongshi", "k7pq-3mz9-x2c4", nil); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := a.CheckRemembered(ctx, "bangongshi", "k7pq-3mz9-x2c4", nil); err != nil {
			b.Fatal(err)
		}
	}
}
