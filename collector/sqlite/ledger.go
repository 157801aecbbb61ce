package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/bits"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/collector/ledger"
)

// queryer is what a write and a read transaction share.
type queryer interface {
	QueryRow(query string, args ...any) *sql.Row
	Query(query string, args ...any) (*sql.Rows, error)
}

// ledgerTx is the ledger's view of one transaction (ledger.Tx): it reads
// the size and the newest head inside the transaction every time, never
// from memory, so a write by another process (dangwu branch code while
// collect runs, a second collector) is always seen.
type ledgerTx struct {
	tx queryer
	db *DB
	w  *sql.Tx // the writer's transaction; nil in a read transaction
}

// queryRow runs a query with the writer's prepared statement when in the
// writer's transaction.
func (t ledgerTx) queryRow(query string, args ...any) *sql.Row {
	if t.w != nil {
		if st, err := t.db.stmt(t.w, query); err == nil {
			return st.QueryRow(args...)
		}
	}
	return t.tx.QueryRow(query, args...)
}

func (t ledgerTx) exec(query string, args ...any) error {
	st, err := t.db.stmt(t.w, query)
	if err != nil {
		return err
	}
	_, err = st.Exec(args...)
	return err
}

func (t ledgerTx) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		var b []byte
		if err := t.queryRow(sqlLedgerHash, x).Scan(&b); err != nil {
			return nil, fmt.Errorf("ledger hash %d: %w", x, err)
		}
		if len(b) != tlog.HashSize {
			return nil, fmt.Errorf("ledger hash %d: %d bytes", x, len(b))
		}
		out[i] = tlog.Hash(b)
	}
	return out, nil
}

func (t ledgerTx) Latest() (int64, []byte, error) {
	var size int64
	if err := t.queryRow(sqlLedgerSize).Scan(&size); err != nil {
		return 0, nil, err
	}
	var head string
	err := t.queryRow(sqlLedgerHead).Scan(&head)
	if errors.Is(err, sql.ErrNoRows) {
		return size, nil, nil
	}
	if err != nil {
		return 0, nil, err
	}
	return size, []byte(head), nil
}

func (t ledgerTx) Append(n int64, data []byte, hashes []tlog.Hash) error {
	if err := t.exec(sqlInsertRecord, n, data); err != nil {
		return err
	}
	base := tlog.StoredHashIndex(0, n)
	for i, h := range hashes {
		if err := t.exec(sqlInsertHash, base+int64(i), h[:]); err != nil {
			return err
		}
	}
	return nil
}

func (t ledgerTx) SaveHead(size int64, head []byte) error {
	return t.exec(sqlInsertHead, size, string(head))
}

// LedgerHead returns the newest signed head (the note text /api/ledger/head
// and /ledger/head.txt publish).
func (db *DB) LedgerHead(ctx context.Context) ([]byte, error) {
	var head string
	err := db.r.QueryRowContext(ctx, sqlLedgerHead).Scan(&head)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, collector.ErrNoHead
	}
	if err != nil {
		return nil, unavailable(err)
	}
	return []byte(head), nil
}

// LedgerKey is the ledger's key (its public half is published).
func (db *DB) LedgerKey() *ledger.Key { return db.key }

// readSnapshot is one read transaction as the ledger's Snapshot.
type readSnapshot struct {
	ledgerTx
}

func (s readSnapshot) Records(fn func(n int64, data []byte) error) error {
	rows, err := s.tx.Query(`SELECT idx, data FROM ledger_records ORDER BY idx`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var n int64
		var data []byte
		if err := rows.Scan(&n, &data); err != nil {
			return err
		}
		if err := fn(n, data); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (s readSnapshot) Hashes(fn func(int64, tlog.Hash) error) error {
	rows, err := s.tx.Query(`SELECT idx, hash FROM ledger_hashes ORDER BY idx`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var i int64
		var b []byte
		if err := rows.Scan(&i, &b); err != nil {
			return err
		}
		var h tlog.Hash
		copy(h[:], b)
		if len(b) != tlog.HashSize {
			h[0] ^= 0xff // a wrong length never matches
		}
		if err := fn(i, h); err != nil {
			return err
		}
	}
	return rows.Err()
}

// readTx runs fn in one read transaction: every query sees the same
// snapshot of the database, however much a collector writes meanwhile.
func (db *DB) readTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return unavailable(err)
	}
	defer tx.Rollback()
	return fn(tx)
}

// CheckHead proves that the ledger today extends the signed head given (a
// head kept elsewhere, such as the output folder's /ledger/head.txt), in
// one read transaction, from the stored tree hashes.
func (db *DB) CheckHead(ctx context.Context, head []byte) error {
	h, err := ledger.OpenHead(head, db.key.Verifier())
	if err != nil {
		return err
	}
	return db.readTx(ctx, func(tx *sql.Tx) error {
		lt := ledgerTx{tx: tx, db: db}
		size, _, err := lt.Latest()
		if err != nil {
			return err
		}
		return ledger.Consistent(size, lt, h)
	})
}

// watchEvery is how often Watch looks at the ledger's newest head.
const watchEvery = 200 * time.Millisecond

// Watch calls changed whenever the ledger grew by records this store did
// not append itself (a commit by another process or another store on the
// same file), polled every 200 ms with one indexed read, until ctx ends.
// Its own commits are left out: its callers know what they wrote.
func (db *DB) Watch(ctx context.Context, changed func()) error {
	var last, lastOwn int64 = -1, 0
	t := time.NewTicker(watchEvery)
	defer t.Stop()
	for {
		var size int64
		db.watchMu.Lock()
		err := db.r.QueryRowContext(ctx, `SELECT COALESCE(MAX(size), 0) FROM ledger_heads`).Scan(&size)
		own := db.appended
		db.watchMu.Unlock()
		if err == nil {
			if last >= 0 && size-last > own-lastOwn {
				changed()
			}
			last, lastOwn = size, own
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// batchTx is the writer's ledger.Tx: the records and tree hashes a batch
// appends are inserted together when its head is saved, many rows a
// statement, instead of one statement a row (three or four per
// submission, a third of the writer's statements). Until then the
// Appender, which keeps what it stored, is the only one to read them; a
// read of the tables through batchTx inserts them first.
type batchTx struct {
	ledgerTx
	records, hashes []ledgerRow
}

type ledgerRow struct {
	idx  int64
	data []byte
}

func (t *batchTx) Append(n int64, data []byte, hashes []tlog.Hash) error {
	t.records = append(t.records, ledgerRow{n, data})
	base := tlog.StoredHashIndex(0, n)
	for i, h := range hashes {
		t.hashes = append(t.hashes, ledgerRow{base + int64(i), h[:]})
	}
	return nil
}

func (t *batchTx) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	if err := t.flush(); err != nil {
		return nil, err
	}
	return t.ledgerTx.ReadHashes(indexes)
}

func (t *batchTx) Latest() (int64, []byte, error) {
	if err := t.flush(); err != nil {
		return 0, nil, err
	}
	return t.ledgerTx.Latest()
}

func (t *batchTx) SaveHead(size int64, head []byte) error {
	if err := t.flush(); err != nil {
		return err
	}
	return t.ledgerTx.SaveHead(size, head)
}

// flush inserts the rows kept so far.
func (t *batchTx) flush() error {
	if err := insertRows(t.w, "ledger_records", "data", t.records); err != nil {
		return err
	}
	if err := insertRows(t.w, "ledger_hashes", "hash", t.hashes); err != nil {
		return err
	}
	t.records, t.hashes = t.records[:0], t.hashes[:0]
	return nil
}

// rowsPerInsert keeps a statement's parameters far below SQLite's limit.
const rowsPerInsert = 128

// insertRows inserts (idx, col) rows into table, in statements of a power
// of two rows each, at most rowsPerInsert: a batch of 45 is 32 + 8 + 4 + 1.
// So there are only a few statements, which the writer connection's
// statement cache keeps prepared (dsn); one of exactly as many rows as the
// batch had was a new statement nearly every time, and preparing it was
// 40 % of inserting the ledger's rows under wrk (issue 11).
func insertRows(tx *sql.Tx, table, col string, rows []ledgerRow) error {
	for len(rows) > 0 {
		n := 1 << (bits.Len(uint(min(len(rows), rowsPerInsert))) - 1)
		args := make([]any, 0, 2*n)
		for _, r := range rows[:n] {
			args = append(args, r.idx, r.data)
		}
		q := "INSERT INTO " + table + " (idx, " + col + ") VALUES (?, ?)" + strings.Repeat(", (?, ?)", n-1)
		if _, err := tx.Exec(q, args...); err != nil {
			return fmt.Errorf("insert into %s: %w", table, err)
		}
		rows = rows[n:]
	}
	return nil
}
