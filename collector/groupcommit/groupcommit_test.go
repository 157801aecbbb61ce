package groupcommit

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"testing"
	"time"
)

// TestBatchesAndOutcomes: concurrent writes are committed in batches of at
// most maxBatch, each sender gets its own outcome, and Close commits what
// was queued before it.
func TestBatchesAndOutcomes(t *testing.T) {
	var mu sync.Mutex
	var sizes []int
	q := New(8, func(batch []*Op[int]) {
		mu.Lock()
		sizes = append(sizes, len(batch))
		mu.Unlock()
		for _, o := range batch {
			if o.Value%2 == 1 {
				o.Done(errors.New("odd"))
			} else {
				o.Done(nil)
			}
		}
	})
	var wg sync.WaitGroup
	errs := make([]error, 40)
	for i := range errs {
		wg.Go(func() { errs[i] = q.Send(context.Background(), i) })
	}
	for len(q.ops) < len(errs) { // all queued before the writer starts
		runtime.Gosched()
	}
	q.Start()
	wg.Wait()
	for i, err := range errs {
		if (err != nil) != (i%2 == 1) {
			t.Errorf("write %d: %v", i, err)
		}
	}
	total := 0
	for _, n := range sizes {
		if n < 1 || n > 8 {
			t.Errorf("batch of %d, want 1 to 8", n)
		}
		total += n
	}
	if total != 40 || len(sizes) != 5 {
		t.Errorf("batches %v: want 40 writes in 5 batches", sizes)
	}
	q.Close()
	q.Close()
	if err := q.Send(context.Background(), 2); !errors.Is(err, ErrClosed) {
		t.Errorf("send after Close: %v, want ErrClosed", err)
	}
}

// TestLinger: a busy writer (its last batch had more than one write)
// waits for writes that come within the linger and commits them together;
// an idle one commits a lone write at once.
func TestLinger(t *testing.T) {
	var mu sync.Mutex
	var sizes []int
	newQueue := func() *Queue[int] {
		q := New(64, func(batch []*Op[int]) {
			mu.Lock()
			sizes = append(sizes, len(batch))
			mu.Unlock()
			for _, o := range batch {
				o.Done(nil)
			}
		})
		q.SetLinger(time.Hour) // ended by a full batch here, never by the clock
		return q
	}
	q := newQueue()
	defer q.Close()
	startBusy(q)
	var wg sync.WaitGroup
	// Busy now: 64 writes sent one after another fill one batch.
	for i := range 64 {
		wg.Go(func() { q.Send(context.Background(), i) })
	}
	wg.Wait()
	mu.Lock()
	if len(sizes) != 2 || sizes[0] != 2 || sizes[1] != 64 {
		t.Errorf("batches %v, want [2 64]", sizes)
	}
	mu.Unlock()

	idle := newQueue()
	defer idle.Close()
	idle.Start()
	done := make(chan struct{})
	go func() {
		idle.Send(context.Background(), 1)
		idle.Send(context.Background(), 2)
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("an idle writer lingered over lone writes")
	}
}

// startBusy starts q's writer with two writes queued, so that it commits
// them together and is busy (its last batch had more than one write).
func startBusy(q *Queue[int]) {
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Go(func() { q.Send(context.Background(), i) })
	}
	for len(q.ops) < 2 {
		runtime.Gosched()
	}
	q.Start()
	wg.Wait()
}

// TestExpect: once writes are announced, a busy writer waits for the
// announced ones only: it commits as soon as the last has come or been
// withdrawn, long before its linger ends.
func TestExpect(t *testing.T) {
	batches := make(chan []int, 16)
	q := New(64, func(batch []*Op[int]) {
		var vs []int
		for _, o := range batch {
			vs = append(vs, o.Value)
			o.Done(nil)
		}
		batches <- vs
	})
	q.SetLinger(time.Hour) // only the announcements end a linger here
	lingering := make(chan struct{}, 16)
	q.lingering = func() { lingering <- struct{}{} }
	defer q.Close()
	next := func(what string) []int {
		t.Helper()
		select {
		case b := <-batches:
			return b
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: no commit; the writer waited for its linger", what)
			return nil
		}
	}
	startBusy(q)
	next("first batch")
	var wg sync.WaitGroup

	// Three announced: one is sent, one withdrawn, one sent last.
	ctxA, doneA := q.Expect(context.Background())
	ctxB, doneB := q.Expect(context.Background())
	_, doneC := q.Expect(context.Background())
	wg.Go(func() { defer doneA(); q.Send(ctxA, 10) })
	waitLinger := func(what string) {
		t.Helper()
		select {
		case <-lingering:
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: the writer did not start to linger", what)
		}
	}
	waitLinger("after the first announced write") // with 10 alone
	doneC()
	wg.Go(func() { defer doneB(); q.Send(ctxB, 12) })
	if b := next("announced writes"); len(b) != 2 || b[0]+b[1] != 22 {
		t.Errorf("batch %v, want 10 and 12 together", b)
	}
	wg.Wait()

	// The last announced write withdrawn: the writer commits what it has.
	ctxD, doneD := q.Expect(context.Background())
	_, doneE := q.Expect(context.Background())
	wg.Go(func() { defer doneD(); q.Send(ctxD, 20) })
	waitLinger("after the write before a withdrawal")
	doneE()
	if b := next("a withdrawn write"); len(b) != 1 || b[0] != 20 {
		t.Errorf("batch %v, want [20]", b)
	}
	wg.Wait()
	if n := q.expected.Load(); n != 0 {
		t.Errorf("%d writes still expected, want 0", n)
	}
}
