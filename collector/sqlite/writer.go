package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/dangwu-org/dangwu/collector"
)

// op is one write waiting for the writer goroutine. apply runs inside a
// transaction shared with the other ops of its batch: it must return a
// domain error (*collector.Error) only before it has written anything.
type op struct {
	apply func(tx *sql.Tx, now time.Time, head *logHead) error
	done  chan error
}

var errClosed = errors.New("database closed")

// do hands a write to the writer and waits until its transaction committed
// (nil) or failed. A caller that gives up early still gets the write done or
// undone as a whole; it just does not hear which.
func (db *DB) do(ctx context.Context, apply func(tx *sql.Tx, now time.Time, head *logHead) error) error {
	o := &op{apply: apply, done: make(chan error, 1)}
	select {
	case <-db.stop:
		return collector.Unavailable(errClosed)
	default:
	}
	select {
	case db.ops <- o:
	case <-db.stop:
		return collector.Unavailable(errClosed)
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-o.done:
		return err
	case <-db.stopped:
		select {
		case err := <-o.done:
			return err
		default:
			return collector.Unavailable(errClosed)
		}
	}
}

// writer is the one goroutine that writes: it takes every op waiting, up to
// maxBatch, and commits them together. On stop it commits what is queued.
func (db *DB) writer() {
	defer close(db.stopped)
	for {
		var first *op
		select {
		case first = <-db.ops:
		case <-db.stop:
			for {
				batch := db.gather(nil)
				if len(batch) == 0 {
					return
				}
				db.commit(batch)
			}
		}
		db.commit(db.gather([]*op{first}))
	}
}

func (db *DB) gather(batch []*op) []*op {
	for len(batch) < db.maxBatch {
		select {
		case o := <-db.ops:
			batch = append(batch, o)
		default:
			return batch
		}
	}
	return batch
}

func (db *DB) commit(batch []*op) {
	now := db.now()
	fail := func(err error) {
		for _, o := range batch {
			o.done <- unavailable(err)
		}
	}
	tx, err := db.w.Begin()
	if err != nil {
		fail(err)
		return
	}
	head := db.head
	results := make([]error, len(batch))
	for i, o := range batch {
		// An op refuses with a domain error before it writes anything, so
		// the others in the batch go on. Any other error is a storage
		// failure: the whole batch is rolled back and nobody is acknowledged.
		if err := o.apply(tx, now, &head); err != nil {
			var de *collector.Error
			if !errors.As(err, &de) || de.Code == collector.EUNAVAILABLE {
				tx.Rollback()
				fail(err)
				return
			}
			results[i] = err
		}
	}
	if err := tx.Commit(); err != nil {
		tx.Rollback()
		fail(err)
		return
	}
	db.head = head
	for i, o := range batch {
		o.done <- results[i]
	}
}
