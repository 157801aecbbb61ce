package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/collector/groupcommit"
	"github.com/dangwu-org/dangwu/collector/ledger"
	"golang.org/x/mod/sumdb/tlog"
)

// op is one write waiting for the writer goroutine (the group-commit
// queue, collector/groupcommit). apply runs inside a transaction shared
// with the other ops of its batch: it must return a domain error
// (*collector.Error) only before it has written anything. It appends its
// ledger records through led. Once the batch committed, sealed is the
// batch's signed tree: an op that proves its record (a receipt's proof)
// does it in its own goroutine; in the writer it was a tenth of the time
// the write lock is held (issue 11).
type op struct {
	apply  func(tx *sql.Tx, now time.Time, led *ledger.Appender) error
	sealed *ledger.Sealed
}

var errClosed = errors.New("database closed")

// do hands a write to the writer and waits until its transaction committed
// (nil) or failed. A caller that gives up early still gets the write done or
// undone as a whole; it just does not hear which.
func (db *DB) do(ctx context.Context, apply func(tx *sql.Tx, now time.Time, led *ledger.Appender) error) error {
	return db.send(ctx, &op{apply: apply})
}

// send is do with the op given: after a nil error, o.sealed is set.
func (db *DB) send(ctx context.Context, o *op) error {
	err := db.queue.Send(ctx, o)
	if errors.Is(err, groupcommit.ErrClosed) {
		return collector.Unavailable(errClosed)
	}
	return err
}

// readHashes reads stored tree hashes in a read transaction of its own:
// what a Sealed batch did not hold.
func (db *DB) readHashes(indexes []int64) ([]tlog.Hash, error) {
	var hs []tlog.Hash
	err := db.readTx(context.Background(), func(tx *sql.Tx) error {
		var err error
		hs, err = ledgerTx{tx: tx, db: db}.ReadHashes(indexes)
		return err
	})
	return hs, err
}

// commit runs a batch in one transaction. The transaction starts with
// BEGIN IMMEDIATE (the DSN's _txlock), so it holds SQLite's write lock from
// its first statement, and the ledger's size and head are read after that,
// inside it: whatever another process (a CLI command, a second collector)
// committed before is seen, and nothing it commits can come in between.
// Nothing of the ledger is cached across transactions but the hashes at
// the right edge of the tree the last batch signed, which the next takes
// only when the newest head is still that one (ledger.Appender.Continue).
//
// The versions the last batch read or gave out (db.next) are kept on the
// same condition. Every version stored, by this process or any other,
// appends a ledger record in its transaction, so the same newest head
// means no one stored one since this writer's last commit: they are what
// a read would give. Each batch read them again, a query for every branch
// in it (issue 11). A row written behind the ledger's back (by hand, with
// the sqlite3 shell) is not seen that way: a version it took is found at
// the insert, which then reads the version again (Submit); a newest
// version deleted by hand leaves its number unused. Code hashes (db.codes)
// are still read once a batch: a code changed by hand, tampering as it is,
// must count from the next batch, and nothing at the insert would tell.
func (db *DB) commit(batch []*groupcommit.Op[*op]) {
	fail := func(err error) {
		// What the rolled-back batch read or gave out is not the store's.
		clear(db.next)
		clear(db.codes)
		db.sealed = nil
		for _, o := range batch {
			o.Done(unavailable(err))
		}
	}
	tx, err := db.w.Begin()
	if err != nil {
		fail(err)
		return
	}
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
	clear(db.codes)
	if !led.Continue(db.sealed) && !db.benchNoLedger || len(db.next) > maxRemembered {
		clear(db.next)
	}
	now := led.Now()
	results := make([]error, len(batch))
	for i, o := range batch {
		// An op refuses with a domain error before it writes anything, so
		// the others in the batch go on. Any other error is a storage
		// failure: the whole batch is rolled back and nobody is acknowledged.
		if err := o.Value.apply(tx, now, led); err != nil {
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
	sealed := led.Seal(db.readHashes)
	db.sealed = sealed
	for i, o := range batch {
		o.Value.sealed = sealed
		o.Done(results[i])
	}
}

// maxRemembered bounds db.next: past it it is emptied and read again, so
// that years of obligations are not all held.
const maxRemembered = 1 << 14

// discardTx keeps nothing: BenchmarkLedgerCost's store without a ledger.
type discardTx struct{}

func (discardTx) ReadHashes(ix []int64) ([]tlog.Hash, error) { return make([]tlog.Hash, len(ix)), nil }
func (discardTx) Latest() (int64, []byte, error)             { return 0, nil, nil }
func (discardTx) Append(int64, []byte, []tlog.Hash) error    { return nil }
func (discardTx) SaveHead(int64, []byte) error               { return nil }

// Expect announces a Submit on its way to the writer (collector.Submissions).
func (db *DB) Expect(ctx context.Context) (context.Context, func()) {
	return db.queue.Expect(ctx)
}
