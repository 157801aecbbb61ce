package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/collector/ledger"
	"golang.org/x/mod/sumdb/tlog"
)

// op is one write waiting for the writer goroutine. apply runs inside a
// transaction shared with the other ops of its batch: it must return a
// domain error (*collector.Error) only before it has written anything. It
// appends its ledger records through led; signed, when set, runs after the
// batch's head is signed (a receipt takes its proof there).
type op struct {
	apply  func(tx *sql.Tx, now time.Time, led *ledger.Appender) error
	signed func(led *ledger.Appender) error
	done   chan error
}

var errClosed = errors.New("database closed")

// do hands a write to the writer and waits until its transaction committed
// (nil) or failed. A caller that gives up early still gets the write done or
// undone as a whole; it just does not hear which.
func (db *DB) do(ctx context.Context, apply func(tx *sql.Tx, now time.Time, led *ledger.Appender) error) error {
	return db.doSigned(ctx, apply, nil)
}

// doSigned is do with a step after the batch's head is signed.
func (db *DB) doSigned(ctx context.Context, apply func(tx *sql.Tx, now time.Time, led *ledger.Appender) error, signed func(*ledger.Appender) error) error {
	o := &op{apply: apply, signed: signed, done: make(chan error, 1)}
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

// commit runs a batch in one transaction. The transaction starts with
// BEGIN IMMEDIATE (the DSN's _txlock), so it holds SQLite's write lock from
// its first statement, and the ledger's size and head are read after that,
// inside it: whatever another process (a CLI command, a second collector)
// committed before is seen, and nothing it commits can come in between.
// Nothing of the ledger is cached across transactions.
func (db *DB) commit(batch []*op) {
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
	clear(db.next)
	var lt ledger.Tx = &batchTx{ledgerTx: ledgerTx{tx: tx, db: db, w: tx}}
	signer := db.key.Signer()
	if db.benchSigner != nil {
		signer = db.benchSigner
	}
	if db.benchNoLedger {
		lt = discardTx{}
	}
	led, err := ledger.Begin(lt, signer, db.now())
	if err != nil {
		tx.Rollback()
		fail(err)
		return
	}
	now := led.Now()
	results := make([]error, len(batch))
	for i, o := range batch {
		// An op refuses with a domain error before it writes anything, so
		// the others in the batch go on. Any other error is a storage
		// failure: the whole batch is rolled back and nobody is acknowledged.
		if err := o.apply(tx, now, led); err != nil {
			var de *collector.Error
			if !errors.As(err, &de) || de.Code == collector.EUNAVAILABLE {
				tx.Rollback()
				fail(err)
				return
			}
			results[i] = err
		}
	}
	if _, err := led.Finish(); err != nil {
		tx.Rollback()
		fail(err)
		return
	}
	for i, o := range batch {
		if o.signed == nil || results[i] != nil {
			continue
		}
		if err := o.signed(led); err != nil {
			tx.Rollback()
			fail(err)
			return
		}
	}
	// watchMu makes the commit and the count of this store's own records
	// one step for Watch, which tells them from other processes' records.
	db.watchMu.Lock()
	err = tx.Commit()
	if err == nil {
		db.appended += led.Appended()
	}
	db.watchMu.Unlock()
	if err != nil {
		tx.Rollback()
		fail(err)
		return
	}
	for i, o := range batch {
		o.done <- results[i]
	}
}

// discardTx keeps nothing: BenchmarkLedgerCost's store without a ledger.
type discardTx struct{}

func (discardTx) ReadHashes(ix []int64) ([]tlog.Hash, error) { return make([]tlog.Hash, len(ix)), nil }
func (discardTx) Latest() (int64, []byte, error)             { return 0, nil, nil }
func (discardTx) Append(int64, []byte, []tlog.Hash) error    { return nil }
func (discardTx) SaveHead(int64, []byte) error               { return nil }
