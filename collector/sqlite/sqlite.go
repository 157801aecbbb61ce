package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	_ "github.com/mattn/go-sqlite3" // the database/sql driver "sqlite3"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/collector/groupcommit"
	"github.com/dangwu-org/dangwu/collector/ledger"
	"golang.org/x/mod/sumdb/note"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Options configure a DB.
type Options struct {
	// Now is the clock; time.Now when nil. It is read once per transaction.
	Now func() time.Time
	// MaxBatch is the most writes one transaction gathers; 256 when 0.
	MaxBatch int
	// Linger is how long a busy writer (its last batch had more than one
	// write) waits for more writes to share its commit; DefaultLinger when
	// 0, none when negative. An idle writer commits at once.
	Linger time.Duration
	// KeyFile is the ledger's signing key; ledger.key beside the database
	// when empty. It is created at the first start of a ledger, never for
	// an existing one.
	KeyFile string
	// MustExist refuses a path that is not already a collector database
	// instead of creating one (backup, verify, export).
	MustExist bool
}

// DefaultLinger is Options.Linger's default. Under wrk (64 connections,
// two cores) a busy writer that took only what was waiting committed
// batches of a few submissions, each paying a commit and a signed head;
// waiting 1 ms for more cut the CPU of a submission by about a fifth
// (issue 11), at 1 ms more latency while busy.
const DefaultLinger = time.Millisecond

// DB is an open collector database.
type DB struct {
	path string
	w    *sql.DB // the one writer connection
	r    *sql.DB // read-only pool
	now  func() time.Time

	// queue is the group commit: its writer runs commit.
	queue *groupcommit.Queue[*op]

	// key signs the ledger's heads.
	key *ledger.Key
	// benchSigner and benchNoLedger are for BenchmarkLedgerCost only: sign
	// with another signer, or keep no ledger at all, to price each part.
	benchSigner   note.Signer
	benchNoLedger bool
	// stmts are the writer's prepared statements; txStmts the writer's
	// alone too: those of its transaction stmtsTx (stmt).
	stmts   map[string]*sql.Stmt
	txStmts map[string]*sql.Stmt
	stmtsTx *sql.Tx
	// next is the writer's alone: the newest version of each obligation
	// its batches have read or given out (nextVersion), carried from one
	// batch to the next only while no one else wrote (commit, which says
	// why that is safe); a failed batch empties it.
	next map[obligation]int
	// codes is the writer's alone too: the branch code hashes its current
	// batch has read (codeStill), emptied at each batch's start and when
	// the batch rotates a code.
	codes map[string]string
	// sealed is the writer's alone: the signed tree of the last batch it
	// committed, whose right edge the next batch continues from.
	sealed *ledger.Sealed
	// watchMu guards appended, the ledger records this store's writer has
	// committed (see Watch).
	watchMu  sync.Mutex
	appended int64
	// checkMu guards the last integrity check Health made.
	checkMu  sync.Mutex
	checked  time.Time
	checkErr error
	// sums is what Summaries read so far.
	sums summaryCache
	// closeOnce makes Close idempotent.
	closeOnce sync.Once
	closeErr  error
}

// The writer's hot statements, prepared once at Open: parsing SQL was a
// third of the writer's time. (They cannot be prepared lazily: the one
// writer connection is busy in the transaction then.)
const (
	sqlInsertSub = `INSERT INTO submissions (receipt, client_key, task, period, branch, version, received_at, late, content_sha256, fields_json, files_json, ledger_index)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (client_key) DO NOTHING`
	// A bare MAX over the unique index's prefix: SQLite reads it from the
	// index's end (COALESCE(MAX(…)) around it made it scan every version).
	// likely() keeps the prepared statement prepared: a plain "column = ?"
	// on a non-unique index prefix makes SQLite (3.54) mark the parameter
	// as one that may change the plan, and go-sqlite3 clears the bindings
	// before every execution, which then re-prepares the statement each
	// time (SQLITE_STMTSTATUS_REPREPARE counted one per run; four times
	// the cost). The plan is the same index search.
	sqlMaxVersion = `SELECT MAX(version) FROM submissions WHERE likely(task = ?) AND likely(period = ?) AND likely(branch = ?)`
	sqlByKey      = `SELECT ` + receiptColumns + `, COALESCE(ledger_index, -1) FROM submissions WHERE client_key = ?`
	sqlCodeHash   = `SELECT hash FROM branch_codes WHERE branch = ?`

	sqlLedgerHash   = `SELECT hash FROM ledger_hashes WHERE idx = ?`
	sqlLedgerSize   = `SELECT COALESCE(MAX(idx) + 1, 0) FROM ledger_records`
	sqlLedgerHead   = `SELECT head FROM ledger_heads ORDER BY size DESC LIMIT 1`
	sqlInsertRecord = `INSERT INTO ledger_records (idx, data) VALUES (?, ?)`
	sqlInsertHash   = `INSERT INTO ledger_hashes (idx, hash) VALUES (?, ?)`
	sqlInsertHead   = `INSERT INTO ledger_heads (size, head) VALUES (?, ?)`
)

func (db *DB) prepare() error {
	for _, q := range []string{sqlInsertSub, sqlMaxVersion, sqlByKey, sqlCodeHash, sqlLedgerHash, sqlLedgerSize, sqlLedgerHead, sqlInsertRecord, sqlInsertHash, sqlInsertHead} {
		st, err := db.w.Prepare(q)
		if err != nil {
			return err
		}
		db.stmts[q] = st
	}
	return nil
}

// stmt returns the writer's prepared statement for query within tx, the
// same one for the rest of tx: database/sql makes a new statement of the
// transaction's on every Tx.Stmt, one or more a post (0.15 s of 18.91 s in
// a 20 s wrk profile of 108,264 posts, issue 11). stmtsTx keeps the last
// transaction reachable, so a new one never has its address.
func (db *DB) stmt(tx *sql.Tx, query string) (*sql.Stmt, error) {
	if tx != db.stmtsTx {
		clear(db.txStmts)
		db.stmtsTx = tx
	}
	if st, ok := db.txStmts[query]; ok {
		return st, nil
	}
	st, ok := db.stmts[query]
	if !ok {
		return nil, fmt.Errorf("statement not prepared: %s", query)
	}
	st = tx.Stmt(st)
	db.txStmts[query] = st
	return st, nil
}

// Open opens (creating when needed, with mode 0600) the database at path,
// applies pending migrations and starts the writer. It refuses to run
// unless the connection confirms journal_mode=wal and synchronous=FULL, and
// refuses a database that fails PRAGMA quick_check with an error (wrapping
// ErrCorrupt) that says how to restore from a backup. With MustExist it
// refuses, wrapping ErrNoDatabase, a path that is not a collector database.
func Open(path string, o Options) (*DB, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.MaxBatch <= 0 {
		o.MaxBatch = 256
	}
	if o.MustExist {
		if err := mustExist(path); err != nil {
			return nil, err
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	f.Close()
	db := &DB{path: path, now: o.Now, stmts: map[string]*sql.Stmt{}, txStmts: map[string]*sql.Stmt{}, next: map[obligation]int{}, codes: map[string]string{}}
	db.queue = groupcommit.New(o.MaxBatch, db.commit)
	if db.w, err = sql.Open("sqlite3", dsn(path, false)); err != nil {
		return nil, err
	}
	db.w.SetMaxOpenConns(1)
	db.w.SetConnMaxLifetime(0)
	if err := db.checkPragmas(); err != nil {
		db.w.Close()
		return nil, asCorrupt(path, fmt.Errorf("open %s: %w", path, err))
	}
	if err := quickCheck(db.w, path); err != nil {
		db.w.Close()
		return nil, err
	}
	if o.MustExist {
		if err := db.isCollector(); err != nil {
			db.w.Close()
			return nil, err
		}
	}
	if err := db.checkNewer(); err != nil {
		db.w.Close()
		return nil, asCorrupt(path, fmt.Errorf("数据库 %s：%w", path, err))
	}
	if err := db.migrate(); err != nil {
		db.w.Close()
		return nil, asCorrupt(path, fmt.Errorf("migrate %s: %w", path, err))
	}
	if err := db.prepare(); err != nil {
		db.w.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if db.r, err = sql.Open("sqlite3", dsn(path, true)); err != nil {
		db.w.Close()
		return nil, err
	}
	db.r.SetMaxOpenConns(8)
	if o.KeyFile == "" {
		o.KeyFile = filepath.Join(filepath.Dir(path), "ledger.key")
	}
	if err := db.openLedger(o.KeyFile); err != nil {
		db.Close()
		return nil, err
	}
	if o.Linger >= 0 {
		db.queue.SetLinger(cmp.Or(o.Linger, DefaultLinger))
	}
	db.queue.Start()
	return db, nil
}

// mustExist refuses a path with no database file (a mistyped --db must
// not become a new empty database).
func mustExist(path string) error {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return &missingError{path: path, why: "不存在"}
	case err != nil:
		return fmt.Errorf("open %s: %w", path, err)
	case !fi.Mode().IsRegular():
		return &missingError{path: path, why: "不是文件"}
	case fi.Size() == 0:
		return &missingError{path: path, why: "是空文件，不是收集器的数据库"}
	}
	return nil
}

// isCollector refuses an SQLite file that dangwu never opened.
func (db *DB) isCollector() error {
	var n int
	if err := db.w.QueryRow(`SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'migrations'`).Scan(&n); err != nil {
		return asCorrupt(db.path, err)
	}
	if n == 0 {
		return &missingError{path: db.path, why: "不是 dangwu 收集器的数据库"}
	}
	return nil
}

// dsn carries the per-connection pragmas, so every connection of the pool gets them.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Set("_foreign_keys", "on")
	q.Set("_busy_timeout", "5000")
	if readOnly {
		q.Set("mode", "ro")
		// The readers' few queries (a branch's code hash on every post,
		// the summaries on every render) are prepared once a connection.
		q.Set("_stmt_cache_size", "16")
	} else {
		// Kept prepared: the few multi-row inserts of the ledger's
		// records and hashes (insertRows), not worth preparing at Open.
		q.Set("_stmt_cache_size", "32")
		q.Set("_journal_mode", "WAL")
		q.Set("_synchronous", "FULL")
		q.Set("_txlock", "immediate")
	}
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

func (db *DB) checkPragmas() error {
	var mode string
	var sync int
	if err := db.w.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil {
		return err
	}
	if err := db.w.QueryRow("PRAGMA synchronous").Scan(&sync); err != nil {
		return err
	}
	if mode != "wal" || sync != 2 {
		return fmt.Errorf("refusing to start: journal_mode=%s synchronous=%d, want wal and 2 (FULL)", mode, sync)
	}
	return nil
}

// migrate applies every migrations/NNNN_*.sql not yet recorded, in order,
// each in its own transaction.
func (db *DB) migrate() error {
	if _, err := db.w.Exec(`CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return err
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		var n int
		if err := db.w.QueryRow(`SELECT COUNT(*) FROM migrations WHERE name = ?`, name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			continue
		}
		body, err := migrations.ReadFile(name)
		if err != nil {
			return err
		}
		tx, err := db.w.Begin()
		if err != nil {
			return err
		}
		if _, err := tx.Exec(string(body)); err != nil {
			tx.Rollback()
			return fmt.Errorf("%s: %w", name, err)
		}
		if _, err := tx.Exec(`INSERT INTO migrations (name, applied_at) VALUES (?, ?)`, name, formatTime(db.now())); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}

// checkNewer refuses a database a newer dangwu migrated
// (collector.CheckMigrations), before any migration of this one is applied.
func (db *DB) checkNewer() error {
	known, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	var tables int
	if err := db.w.QueryRow(`SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'migrations'`).Scan(&tables); err != nil {
		return err
	}
	if tables == 0 {
		return nil // a new database: no migration yet
	}
	rows, err := db.w.Query(`SELECT name FROM migrations`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var applied []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return err
		}
		applied = append(applied, name)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return collector.CheckMigrations(known, applied)
}

// Close stops the writer after the writes in flight and closes the database.
func (db *DB) Close() error {
	db.closeOnce.Do(func() {
		db.queue.Close()
		var errs []error
		for _, st := range db.stmts {
			errs = append(errs, st.Close())
		}
		if db.r != nil {
			errs = append(errs, db.r.Close())
		}
		errs = append(errs, db.w.Close())
		db.closeErr = errors.Join(errs...)
	})
	return db.closeErr
}

// Ping reports whether the store answers.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	return db.r.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// Path is the database file.
func (db *DB) Path() string { return db.path }

// Name is the database file, as the store shows itself to people.
func (db *DB) Name() string { return db.path }

// Times are stored as UTC RFC 3339 text with nanoseconds, one format only.
const timeFormat = "2006-01-02T15:04:05.000000000Z07:00"

func formatTime(t time.Time) string { return t.UTC().Format(timeFormat) }

func parseTime(s string) (time.Time, error) { return time.Parse(timeFormat, s) }

// unavailable turns a storage failure into the domain's 503.
func unavailable(err error) error {
	var e *collector.Error
	if errors.As(err, &e) {
		return err
	}
	return collector.Unavailable(err)
}
