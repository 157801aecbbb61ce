// Package groupcommit is a store's write queue: one goroutine takes every
// write waiting, up to a batch's limit, and hands them to the store to
// commit in one transaction, so that many concurrent writes share one
// durable commit (one fsync) instead of paying one each.
//
// It knows nothing of transactions: the store's commit function runs a
// batch and reports each write's outcome (Op.Done). It must not be used
// for anything but a store's writes, and it imports nothing of the
// collector (stores turn ErrClosed into their own unavailable error).
// collector/sqlite and collector/postgres share it.
package groupcommit

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// ErrClosed is the outcome of a write sent after Close began.
var ErrClosed = errors.New("database closed")

// Op is one write in a batch: the store's value and where its outcome goes.
type Op[T any] struct {
	Value T
	done  chan error
}

// Done reports the write's outcome to its sender: nil once the
// transaction that holds it committed. The commit function calls it
// exactly once for every op of its batch.
func (o *Op[T]) Done(err error) { o.done <- err }

// Queue gathers writes for one writer goroutine.
type Queue[T any] struct {
	ops      chan *Op[T]
	maxBatch int
	commit   func(batch []*Op[T])
	// linger is how long a busy writer waits for more writes before it
	// commits a batch (SetLinger).
	linger time.Duration

	// expected counts the writes announced (Expect) and not yet queued
	// or withdrawn; announced is set by the first Expect. wake makes a
	// lingering writer look at the count again: a withdrawal that left
	// none to come, or a write counted as come that was not queued.
	expected  atomic.Int64
	announced atomic.Bool
	wake      chan struct{}
	// lingering, when set (tests), runs as the writer starts to linger.
	lingering func()

	stop, stopped chan struct{}
	started       bool
	closeOnce     sync.Once
}

// New returns a queue whose writer, once started, calls commit with
// batches of at most maxBatch writes (256 when maxBatch ≤ 0).
func New[T any](maxBatch int, commit func(batch []*Op[T])) *Queue[T] {
	if maxBatch <= 0 {
		maxBatch = 256
	}
	return &Queue[T]{ops: make(chan *Op[T], 1024), maxBatch: maxBatch, commit: commit,
		wake: make(chan struct{}, 1), stop: make(chan struct{}), stopped: make(chan struct{})}
}

// SetLinger makes a busy writer (its last batch had more than one write)
// wait up to d after taking what is waiting, for more writes to share the
// commit; an idle writer commits at once. Once writes are announced
// (Expect), the wait also ends at the first write or withdrawal after
// which no announced write is left to come. Call it before Start.
func (q *Queue[T]) SetLinger(d time.Duration) { q.linger = d }

// ticketKey is the context key of an announced write.
type ticketKey struct{}

// ticket is one announced write; ended is set once it was queued or
// withdrawn, and only the first of the two counts.
type ticket struct {
	q     any
	ended atomic.Bool
}

// Expect announces a write that is being prepared (a post being read and
// checked) and returns ctx carrying it, for the Send of that write, and
// the func that withdraws it, to call (deferred) when the preparation
// ends, whether it sent or not; a preparation that never calls it keeps
// every busy writer waiting its whole linger again. Only the first Send
// with ctx counts as the announced write. A busy writer that knows of
// announced writes waits for them, up to its linger, and commits once
// none is still to come: without announcements it can only wait the whole
// linger, the CPU idle meanwhile when every writer already sent (issue 11).
func (q *Queue[T]) Expect(ctx context.Context) (context.Context, func()) {
	q.announced.Store(true)
	q.expected.Add(1)
	t := &ticket{q: q}
	return context.WithValue(ctx, ticketKey{}, t), func() { q.withdraw(t) }
}

// arrived takes the write announced in ctx off the count as it is sent.
// It goes just before the write is queued: a writer that takes the one
// before it and finds none still to come may commit without it, by a
// hair, and it waits for the next batch, which beats a writer that
// misses the last write and waits for its linger.
func (q *Queue[T]) arrived(ctx context.Context) {
	if t, ok := ctx.Value(ticketKey{}).(*ticket); ok && t.q == any(q) && t.ended.CompareAndSwap(false, true) {
		q.expected.Add(-1)
	}
}

// withdraw takes an announced write that was not sent off the count, once,
// and wakes a lingering writer when none is left to come.
func (q *Queue[T]) withdraw(t *ticket) {
	if t.ended.CompareAndSwap(false, true) && q.expected.Add(-1) == 0 {
		q.poke()
	}
}

// poke wakes a lingering writer to look at the count again.
func (q *Queue[T]) poke() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// waiting reports whether a busy writer should wait for more writes:
// always when none are announced, else while an announced one is to come.
func (q *Queue[T]) waiting() bool {
	return !q.announced.Load() || q.expected.Load() > 0
}

// Start runs the writer goroutine; call it once.
func (q *Queue[T]) Start() {
	q.started = true
	go q.run()
}

// Send hands v to the writer and waits until its transaction committed
// (nil) or failed (the commit's error for it), or ErrClosed when the queue
// is closing. A caller whose ctx ends while the write waits in the queue
// gets ctx.Err(); once taken, the write is done or undone as a whole and
// the caller waits for which.
func (q *Queue[T]) Send(ctx context.Context, v T) error {
	o := &Op[T]{Value: v, done: make(chan error, 1)}
	select {
	case <-q.stop:
		return ErrClosed
	default:
	}
	q.arrived(ctx)
	select {
	case q.ops <- o:
	case <-q.stop:
		q.poke()
		return ErrClosed
	case <-ctx.Done():
		// Counted as come but never queued: a writer waiting for it
		// looks again.
		q.poke()
		return ctx.Err()
	}
	select {
	case err := <-o.done:
		return err
	case <-q.stopped:
		select {
		case err := <-o.done:
			return err
		default:
			return ErrClosed
		}
	}
}

// Close stops taking writes, lets the writer commit what is queued and
// waits for it to end. It may be called more than once.
func (q *Queue[T]) Close() {
	q.closeOnce.Do(func() {
		close(q.stop)
		if q.started {
			<-q.stopped
		}
	})
}

// run takes every op waiting, up to maxBatch, and commits them together.
// On stop it commits what is queued, then ends.
func (q *Queue[T]) run() {
	defer close(q.stopped)
	var timer *time.Timer
	if q.linger > 0 {
		timer = time.NewTimer(q.linger)
		timer.Stop()
	}
	last := 0
	for {
		var first *Op[T]
		select {
		case first = <-q.ops:
		case <-q.stop:
			for {
				batch := q.gather(nil)
				if len(batch) == 0 {
					return
				}
				q.commit(batch)
			}
		}
		batch := q.gather([]*Op[T]{first})
		if timer != nil && last > 1 && len(batch) < q.maxBatch {
			batch = q.linger1(timer, batch)
		}
		last = len(batch)
		q.commit(batch)
	}
}

// linger1 adds the writes that come within the linger to batch. It
// always waits for one event: a write, a wake or the linger's end. With
// none announced still to come it could commit at once, but the next
// posts may be on their way over the network, not yet announced: under
// wrk that gave batches of a few writes and cost more than the wait
// (issue 11). After an event it stops as soon as no announced write is
// left to come.
func (q *Queue[T]) linger1(timer *time.Timer, batch []*Op[T]) []*Op[T] {
	select {
	case <-q.wake: // left over from before this linger
	default:
	}
	if q.lingering != nil {
		q.lingering()
	}
	timer.Reset(q.linger)
	defer timer.Stop()
	for len(batch) < q.maxBatch {
		select {
		case o := <-q.ops:
			batch = append(batch, o)
		case <-q.wake:
		case <-timer.C:
			return batch
		case <-q.stop:
			return batch
		}
		if !q.waiting() {
			return q.gather(batch)
		}
	}
	return batch
}

func (q *Queue[T]) gather(batch []*Op[T]) []*Op[T] {
	for len(batch) < q.maxBatch {
		select {
		case o := <-q.ops:
			batch = append(batch, o)
		default:
			return batch
		}
	}
	return batch
}
