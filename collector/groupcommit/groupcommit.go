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
		stop: make(chan struct{}), stopped: make(chan struct{})}
}

// SetLinger makes a busy writer (its last batch had more than one write)
// wait up to d after taking what is waiting, for more writes to share the
// commit; an idle writer commits at once. Call it before Start.
func (q *Queue[T]) SetLinger(d time.Duration) { q.linger = d }

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
	select {
	case q.ops <- o:
	case <-q.stop:
		return ErrClosed
	case <-ctx.Done():
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

// linger1 adds the writes that come within the linger to batch.
func (q *Queue[T]) linger1(timer *time.Timer, batch []*Op[T]) []*Op[T] {
	timer.Reset(q.linger)
	defer timer.Stop()
	for len(batch) < q.maxBatch {
		select {
		case o := <-q.ops:
			batch = append(batch, o)
		case <-timer.C:
			return batch
		case <-q.stop:
			return batch
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
