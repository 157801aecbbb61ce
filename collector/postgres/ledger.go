package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/collector/ledger"
)

// querier is what a write and a read transaction share.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// ledgerTx is the ledger's view of one transaction (ledger.Tx, and in a
// read transaction the reading half of ledger.Snapshot): it reads the
// size and the newest head inside the transaction every time, never from
// memory, so what another collector appended is always seen.
//
// In a write transaction it saves round trips, the cost that dominates on
// PostgreSQL: hashes once read are remembered for the transaction, and the
// records and hashes appended are sent with the head in one statement
// (SaveHead, at the end of the batch); until then the Appender reads them
// from its own memory.
type ledgerTx struct {
	ctx context.Context
	tx  querier
	// appended is set once this transaction stored a record.
	appended bool
	// known are hashes read or appended in this transaction.
	known map[int64]tlog.Hash
	// The appends not yet sent.
	recIdx, hashIdx []int64
	recData, hashes [][]byte
}

const (
	sqlLedgerSize = `SELECT COALESCE(MAX(idx) + 1, 0) FROM ledger_records`
	sqlLedgerHead = `SELECT head FROM ledger_heads ORDER BY size DESC LIMIT 1`
)

// ReadHashes reads the stored hashes at indexes, those not known yet in
// one query.
func (t *ledgerTx) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	if t.known == nil {
		t.known = map[int64]tlog.Hash{}
	}
	var missing []int64
	for _, x := range indexes {
		if _, ok := t.known[x]; !ok {
			missing = append(missing, x)
		}
	}
	if len(missing) > 0 {
		rows, err := t.tx.Query(t.ctx, `SELECT idx, hash FROM ledger_hashes WHERE idx = ANY($1)`, missing)
		if err != nil {
			return nil, err
		}
		var idx int64
		var b []byte
		if _, err := pgx.ForEachRow(rows, []any{&idx, &b}, func() error {
			if len(b) != tlog.HashSize {
				return fmt.Errorf("ledger hash %d: %d bytes", idx, len(b))
			}
			t.known[idx] = tlog.Hash(b)
			return nil
		}); err != nil {
			return nil, err
		}
	}
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		h, ok := t.known[x]
		if !ok {
			return nil, fmt.Errorf("ledger hash %d: missing", x)
		}
		out[i] = h
	}
	return out, nil
}

// Latest returns the number of records and the newest signed head.
func (t *ledgerTx) Latest() (int64, []byte, error) {
	var size int64
	if err := t.tx.QueryRow(t.ctx, sqlLedgerSize).Scan(&size); err != nil {
		return 0, nil, err
	}
	var head string
	err := t.tx.QueryRow(t.ctx, sqlLedgerHead).Scan(&head)
	if errors.Is(err, pgx.ErrNoRows) {
		return size, nil, nil
	}
	if err != nil {
		return 0, nil, err
	}
	return size, []byte(head), nil
}

// Append keeps record n and the tree hashes it adds, for SaveHead to store.
func (t *ledgerTx) Append(n int64, data []byte, hashes []tlog.Hash) error {
	if t.known == nil {
		t.known = map[int64]tlog.Hash{}
	}
	t.recIdx, t.recData = append(t.recIdx, n), append(t.recData, data)
	base := tlog.StoredHashIndex(0, n)
	for i, h := range hashes {
		t.hashIdx, t.hashes = append(t.hashIdx, base+int64(i)), append(t.hashes, append([]byte(nil), h[:]...))
		t.known[base+int64(i)] = h
	}
	t.appended = true
	return nil
}

// SaveHead stores the records and hashes appended and the signed head of
// the tree of size records, in one statement.
func (t *ledgerTx) SaveHead(size int64, head []byte) error {
	_, err := t.tx.Exec(t.ctx, `WITH r AS (INSERT INTO ledger_records (idx, data) SELECT * FROM unnest($1::bigint[], $2::bytea[])),
		h AS (INSERT INTO ledger_hashes (idx, hash) SELECT * FROM unnest($3::bigint[], $4::bytea[]))
		INSERT INTO ledger_heads (size, head) VALUES ($5, $6)`, t.recIdx, t.recData, t.hashIdx, t.hashes, size, string(head))
	t.recIdx, t.recData, t.hashIdx, t.hashes = nil, nil, nil, nil
	return err
}

// LedgerHead returns the newest signed head, or collector.ErrNoHead.
func (db *DB) LedgerHead(ctx context.Context) ([]byte, error) {
	var head string
	err := db.pool.QueryRow(ctx, sqlLedgerHead).Scan(&head)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, collector.ErrNoHead
	}
	if err != nil {
		return nil, unavailable(err)
	}
	return []byte(head), nil
}

// CheckHead proves that the ledger today extends the signed head given, in
// one snapshot, from the stored tree hashes.
func (db *DB) CheckHead(ctx context.Context, head []byte) error {
	h, err := ledger.OpenHead(head, db.key.Verifier())
	if err != nil {
		return err
	}
	return db.readTx(ctx, func(tx pgx.Tx) error {
		lt := &ledgerTx{ctx: ctx, tx: tx}
		size, _, err := lt.Latest()
		if err != nil {
			return err
		}
		return ledger.Consistent(size, lt, h)
	})
}

// Records lists every record in order (ledger.Snapshot).
func (t *ledgerTx) Records(fn func(n int64, data []byte) error) error {
	rows, err := t.tx.Query(t.ctx, `SELECT idx, data FROM ledger_records ORDER BY idx`)
	if err != nil {
		return err
	}
	var n int64
	var data []byte
	_, err = pgx.ForEachRow(rows, []any{&n, &data}, func() error { return fn(n, data) })
	return err
}

// Hashes lists every stored tree hash in order (ledger.Snapshot).
func (t *ledgerTx) Hashes(fn func(int64, tlog.Hash) error) error {
	rows, err := t.tx.Query(t.ctx, `SELECT idx, hash FROM ledger_hashes ORDER BY idx`)
	if err != nil {
		return err
	}
	var i int64
	var b []byte
	_, err = pgx.ForEachRow(rows, []any{&i, &b}, func() error {
		var h tlog.Hash
		copy(h[:], b)
		if len(b) != tlog.HashSize {
			h[0] ^= 0xff // a wrong length never matches
		}
		return fn(i, h)
	})
	return err
}

// Watch listens on the ledger's channel and calls changed after every
// commit that appended by another store (another process, or another
// store in this one) on the database; its own commits are left out. When the
// connection is lost it connects again (every second until it can) and
// calls changed once, for what it may have missed.
func (db *DB) Watch(ctx context.Context, changed func()) error {
	for ctx.Err() == nil {
		err := db.listen(ctx, changed)
		if ctx.Err() != nil {
			return nil
		}
		_ = err // the connection was lost: try again
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(time.Second):
		}
		changed()
	}
	return nil
}

func (db *DB) listen(ctx context.Context, changed func()) error {
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	// The connection is closed rather than put back: it is in LISTEN.
	c := conn.Hijack()
	defer c.Close(context.Background())
	if _, err := c.Exec(ctx, `LISTEN `+notifyChannel); err != nil {
		return err
	}
	for {
		n, err := c.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		if n.Payload != db.origin {
			changed()
		}
	}
}
