package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/collector/groupcommit"
	"github.com/dangwu-org/dangwu/collector/ledger"
)

// op is one write waiting for the writer goroutine (the group-commit
// queue, collector/groupcommit). apply runs inside a transaction shared
// with the other ops of its batch: it must return a domain error
// (*collector.Error) only before it has written anything (a failed
// statement would abort the whole transaction in PostgreSQL). It appends
// its ledger records through led; signed, when set, runs after the batch's
// head is signed (a receipt takes its proof there).
//
// A submission is an op with submit set instead of apply: the writer reads
// and inserts for all of a batch's submissions together.
type op struct {
	apply  func(ctx context.Context, tx pgx.Tx, now time.Time, led *ledger.Appender) error
	submit *submitOp
	signed func(led *ledger.Appender) error
}

var errClosed = errors.New("database closed")

type applyFunc = func(ctx context.Context, tx pgx.Tx, now time.Time, led *ledger.Appender) error

// do hands a write to the writer and waits until its transaction committed
// (nil) or failed.
func (db *DB) do(ctx context.Context, apply applyFunc) error {
	return db.doSigned(ctx, apply, nil)
}

// doSigned is do with a step after the batch's head is signed.
func (db *DB) doSigned(ctx context.Context, apply applyFunc, signed func(*ledger.Appender) error) error {
	return db.send(ctx, &op{apply: apply, signed: signed})
}

// send hands o to the writer and waits for its outcome.
func (db *DB) send(ctx context.Context, o *op) error {
	err := db.queue.Send(ctx, o)
	if errors.Is(err, groupcommit.ErrClosed) {
		return collector.Unavailable(errClosed)
	}
	return err
}

// commitTimeout bounds one batch's transaction: a database that does not
// answer makes the writes fail (503) rather than hang forever.
const commitTimeout = 30 * time.Second

// commit runs a batch in one READ COMMITTED transaction whose first
// statement takes the write lock: every statement after it sees what
// every other process committed before it got the lock, so the ledger's
// size and head are read fresh, and nothing else appends until this
// commits. A commit that appended notifies Watch's listeners.
func (db *DB) commit(ops []*groupcommit.Op[*op]) {
	fail := func(err error) {
		for _, o := range ops {
			o.Done(unavailable(err))
		}
	}
	batch := make([]*op, len(ops))
	for i, o := range ops {
		batch[i] = o.Value
	}
	ctx, cancel := context.WithTimeout(context.Background(), commitTimeout)
	defer cancel()
	tx, err := db.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.ReadCommitted})
	if err != nil {
		fail(err)
		return
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, lockWrite); err != nil {
		fail(err)
		return
	}
	lt := &ledgerTx{ctx: ctx, tx: tx}
	led, err := ledger.Begin(lt, db.key.Signer(), db.now())
	if err != nil {
		fail(err)
		return
	}
	led.Continue(db.sealed)
	now := led.Now()
	subs := &submitBatch{next: map[obligation]int{}, keys: map[string]*submitOp{}}
	var pre []*submitOp
	for _, o := range batch {
		if o.submit != nil {
			pre = append(pre, o.submit)
		}
	}
	if len(pre) > 0 {
		if err := prefetch(ctx, tx, pre); err != nil {
			fail(err)
			return
		}
	}
	results := make([]error, len(batch))
	for i, o := range batch {
		// An op refuses with a domain error before it writes anything, so
		// the others in the batch go on. Any other error is a storage
		// failure: the whole batch is rolled back and nobody is acknowledged.
		var err error
		if o.submit != nil {
			err = subs.apply(ctx, tx, o.submit, now, led)
		} else {
			err = o.apply(ctx, tx, now, led)
		}
		if err != nil {
			var de *collector.Error
			if !errors.As(err, &de) || de.Code == collector.EUNAVAILABLE {
				fail(err)
				return
			}
			results[i] = err
		}
	}
	if err := subs.flush(ctx, tx); err != nil {
		fail(err)
		return
	}
	if _, err := led.Finish(); err != nil {
		fail(err)
		return
	}
	for i, o := range batch {
		if o.signed == nil || results[i] != nil {
			continue
		}
		if err := o.signed(led); err != nil {
			fail(err)
			return
		}
	}
	if lt.appended {
		if _, err := tx.Exec(ctx, `SELECT pg_notify($1, $2)`, notifyChannel, db.origin); err != nil {
			fail(err)
			return
		}
	}
	if err := tx.Commit(ctx); err != nil {
		fail(err)
		return
	}
	// Only for the next batch's Continue: the receipts were proved inside
	// the transaction.
	db.sealed = led.Seal(nil)
	for i, o := range ops {
		o.Done(results[i])
	}
}
