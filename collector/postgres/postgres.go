package postgres

import (
	"context"
	"crypto/rand"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"sort"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/collector/groupcommit"
	"github.com/dangwu-org/dangwu/collector/ledger"
)

//go:embed migrations/*.sql
var migrations embed.FS

// The advisory lock keys: one serialises every write transaction (and so
// the ledger's appends), one the migrations at start.
const (
	lockWrite   int64 = 0x64616e6777750001
	lockMigrate int64 = 0x64616e6777750002
)

// notifyChannel is the channel a commit that appended to the ledger
// notifies, with the ledger's new size as payload.
const notifyChannel = "dangwu_ledger"

// Options configure a DB.
type Options struct {
	// KeyFile is the ledger's signing key (required). It is created at the
	// first start of a ledger, never for an existing one; every collector
	// on one database must use the same key.
	KeyFile string
	// MustExist refuses a database that holds no collector schema instead
	// of creating one (backup, verify, export).
	MustExist bool
	// Now is the clock; time.Now when nil. It is read once per
	// transaction and rounded up to the microsecond timestamptz keeps.
	Now func() time.Time
	// MaxBatch is the most writes one transaction gathers; 256 when 0.
	MaxBatch int
	// MaxConns bounds the connection pool; 8 when 0.
	MaxConns int32
}

// DB is an open collector store on PostgreSQL.
type DB struct {
	url  string // the URL without its password
	pool *pgxpool.Pool
	now  func() time.Time
	key  *ledger.Key
	// origin names this store in its NOTIFY payloads, so that Watch
	// leaves out the commits it made itself.
	origin string

	// queue is the group commit: its writer runs commit.
	queue *groupcommit.Queue[*op]
	// sealed is the writer's alone: the signed tree of the last batch it
	// committed, whose right edge the next batch continues from
	// (ledger.Appender.Continue).
	sealed *ledger.Sealed

	closeOnce sync.Once
	closeErr  error
}

// Open connects to the database rawURL names, checks that commits are
// durable (synchronous_commit on, fsync on), applies pending migrations
// under an advisory lock, loads the ledger's key (creating it for a new
// ledger) and starts the writer.
func Open(ctx context.Context, rawURL string, o Options) (*DB, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.MaxBatch <= 0 {
		o.MaxBatch = 256
	}
	if o.MaxConns <= 0 {
		o.MaxConns = 8
	}
	if o.KeyFile == "" {
		return nil, errors.New("PostgreSQL 存储需要账本签名密钥文件（--ledger-key）")
	}
	name := redact(rawURL)
	cfg, err := pgxpool.ParseConfig(rawURL)
	if err != nil {
		return nil, fmt.Errorf("数据库网址 %s 写得不对：%w", name, err)
	}
	cfg.MaxConns = o.MaxConns
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("无法连接 PostgreSQL 数据库 %s：%w", name, err)
	}
	db := &DB{url: name, pool: pool, origin: collector.NewReceiptID(), now: func() time.Time { return ceilMicro(o.Now()) }}
	db.queue = groupcommit.New(o.MaxBatch, db.commit)
	if err := db.start(ctx, o); err != nil {
		pool.Close()
		return nil, err
	}
	db.queue.Start()
	return db, nil
}

func (db *DB) start(ctx context.Context, o Options) error {
	if err := db.pool.Ping(ctx); err != nil {
		return fmt.Errorf("无法连接 PostgreSQL 数据库 %s：%w", db.url, err)
	}
	if err := db.checkDurable(ctx); err != nil {
		return err
	}
	if o.MustExist {
		var reg *string
		if err := db.pool.QueryRow(ctx, `SELECT to_regclass('migrations')::text`).Scan(&reg); err != nil {
			return fmt.Errorf("数据库 %s：%w", db.url, err)
		}
		if reg == nil {
			return fmt.Errorf("数据库 %s 不是 dangwu 收集器的数据库（没有 migrations 表）。请用 --db 指定收集器的数据库", db.url)
		}
	}
	if err := db.migrate(ctx, o.KeyFile); err != nil {
		return fmt.Errorf("数据库 %s：%w", db.url, err)
	}
	return nil
}

// checkDurable refuses a server that acknowledges commits before they are
// on disk, as SQLite's store refuses anything but synchronous=FULL.
func (db *DB) checkDurable(ctx context.Context) error {
	var sync, fsync string
	if err := db.pool.QueryRow(ctx, `SELECT current_setting('synchronous_commit'), current_setting('fsync')`).Scan(&sync, &fsync); err != nil {
		return fmt.Errorf("数据库 %s：读取 synchronous_commit：%w", db.url, err)
	}
	switch {
	case fsync != "on":
		return fmt.Errorf("拒绝启动：数据库 %s 的 fsync=%s，确认的提交可能在断电后丢失；请把 postgresql.conf 的 fsync 设为 on", db.url, fsync)
	case sync == "off":
		return fmt.Errorf("拒绝启动：数据库 %s 的 synchronous_commit=%s，确认的提交可能在崩溃后丢失；请设为 on（postgresql.conf，或 ALTER ROLE/DATABASE … SET synchronous_commit = on）", db.url, sync)
	}
	return nil
}

// migrate applies every migrations/NNNN_*.sql not yet recorded, in order,
// in one transaction holding the migration lock, and there loads the
// ledger's key and checks it against the one the database knows: several
// collectors starting at once apply each file once and share one key.
func (db *DB) migrate(ctx context.Context, keyFile string) error {
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, lockMigrate); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL)`); err != nil {
		return err
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	// A database a newer dangwu migrated is refused before anything of
	// this build is applied to it.
	rows, err := tx.Query(ctx, `SELECT name FROM migrations`)
	if err != nil {
		return err
	}
	applied, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	if err := collector.CheckMigrations(names, applied); err != nil {
		return err
	}
	for _, name := range names {
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM migrations WHERE name = $1`, name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			continue
		}
		body, err := migrations.ReadFile(name)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, string(body)); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO migrations (name, applied_at) VALUES ($1, $2)`, name, db.now()); err != nil {
			return err
		}
	}
	if err := db.loadKey(ctx, tx, keyFile); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// loadKey opens the key file (creating it for a ledger with no head yet)
// and refuses one whose public key is not the database's.
func (db *DB) loadKey(ctx context.Context, tx pgx.Tx, keyFile string) error {
	var heads int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM ledger_heads`).Scan(&heads); err != nil {
		return err
	}
	var known []string
	rows, err := tx.Query(ctx, `SELECT public FROM ledger_keys`)
	if err != nil {
		return err
	}
	known, err = pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	key, err := ledger.LoadKey(keyFile, heads > 0 || len(known) > 0, rand.Reader)
	if err != nil {
		return err
	}
	switch {
	case len(known) == 0:
		if _, err := tx.Exec(ctx, `INSERT INTO ledger_keys (public, created_at) VALUES ($1, $2)`, key.Public, db.now()); err != nil {
			return err
		}
	case known[0] != key.Public || len(known) > 1:
		return fmt.Errorf("账本签名密钥 %s 的公钥（%s）不是这个数据库的（%s）：同一个数据库上的每个收集器必须使用同一个 ledger.key，请复制原来的密钥文件或用 --ledger-key 指明它", keyFile, key.Public, known[0])
	}
	db.key = key
	return nil
}

// ceilMicro rounds t up to the microsecond timestamptz keeps: the time a
// store stamps is never before the clock, so a version received at a
// deadline's nanosecond is late in its receipt and in its row alike.
func ceilMicro(t time.Time) time.Time {
	if c := t.Truncate(time.Microsecond); !c.Equal(t) {
		return c.Add(time.Microsecond)
	}
	return t.Round(0)
}

// redact is the URL with its password hidden, for messages.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "postgres://…"
	}
	return u.Redacted()
}

// Name is the database's URL without its password.
func (db *DB) Name() string { return db.url }

// LedgerKey is the key that signs this store's heads.
func (db *DB) LedgerKey() *ledger.Key { return db.key }

// Close stops the writer after the writes in flight and closes the pool.
func (db *DB) Close() error {
	db.closeOnce.Do(func() {
		db.queue.Close()
		db.pool.Close()
	})
	return db.closeErr
}

// unavailable turns a storage failure into the domain's 503.
func unavailable(err error) error {
	var e *collector.Error
	if errors.As(err, &e) {
		return err
	}
	return collector.Unavailable(err)
}

// readTx runs fn in one read-only repeatable-read transaction: every query
// sees the same snapshot, however much collectors write meanwhile.
func (db *DB) readTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	tx, err := db.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return unavailable(err)
	}
	defer tx.Rollback(ctx)
	return fn(tx)
}

// Expect announces a Submit on its way to the writer (collector.Submissions).
func (db *DB) Expect(ctx context.Context) (context.Context, func()) {
	return db.queue.Expect(ctx)
}
