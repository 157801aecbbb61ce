package postgres

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/collector/postgres/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// TestRefusesUndurableCommits: a database whose commits are acknowledged
// before they are flushed is refused at start, as SQLite's store refuses
// anything but synchronous=FULL (issue 12).
func TestRefusesUndurableCommits(t *testing.T) {
	ctx := context.Background()
	url := pgtest.Database(t)
	name := url[strings.LastIndex(url, "/")+1 : strings.Index(url, "?")]
	if err := pgtest.Shared(t).Exec(ctx, url, "ALTER DATABASE "+name+" SET synchronous_commit = off"); err != nil {
		t.Fatal(err)
	}
	_, err := Open(ctx, url, Options{KeyFile: filepath.Join(t.TempDir(), "ledger.key")})
	if err == nil || !strings.Contains(err.Error(), "synchronous_commit=off") {
		t.Fatalf("opened with synchronous_commit off: %v", err)
	}
}

// TestStartTogether: collectors starting at once on a new database apply
// each migration once and end up with one key; a collector with another
// key file is refused.
func TestStartTogether(t *testing.T) {
	ctx := context.Background()
	url := pgtest.Database(t)
	key := filepath.Join(t.TempDir(), "ledger.key")
	var wg sync.WaitGroup
	dbs := make([]*DB, 4)
	errs := make([]error, 4)
	for i := range dbs {
		wg.Add(1)
		go func() { defer wg.Done(); dbs[i], errs[i] = Open(ctx, url, Options{KeyFile: key}) }()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("collector %d: %v", i, err)
		}
		defer dbs[i].Close()
		if dbs[i].LedgerKey().Public != dbs[0].LedgerKey().Public {
			t.Errorf("collector %d has another key", i)
		}
	}
	if err := dbs[0].SetBranchCode(ctx, "yi", "h"); err != nil {
		t.Fatal(err)
	}
	_, err := Open(ctx, url, Options{KeyFile: filepath.Join(t.TempDir(), "other.key")})
	if err == nil || !strings.Contains(err.Error(), "找不到账本签名密钥") {
		t.Errorf("a missing key for an existing ledger: %v", err)
	}
	other := filepath.Join(t.TempDir(), "other.key")
	if db, err := Open(ctx, pgtest.Database(t), Options{KeyFile: other}); err != nil {
		t.Fatal(err)
	} else {
		db.Close()
	}
	if _, err := Open(ctx, url, Options{KeyFile: other}); err == nil || !strings.Contains(err.Error(), "不是这个数据库的") {
		t.Errorf("another database's key: %v", err)
	}
}

// TestMustExist: backup, verify and export refuse a database without the
// collector's schema instead of creating it.
func TestMustExist(t *testing.T) {
	_, err := Open(context.Background(), pgtest.Database(t), Options{KeyFile: filepath.Join(t.TempDir(), "k"), MustExist: true})
	if err == nil || !strings.Contains(err.Error(), "不是 dangwu 收集器的数据库") {
		t.Errorf("empty database: %v", err)
	}
	_, err = Open(context.Background(), "postgres://127.0.0.1:1/x?connect_timeout=2", Options{KeyFile: "k"})
	if err == nil || !strings.Contains(err.Error(), "无法连接 PostgreSQL 数据库") {
		t.Errorf("no server: %v", err)
	}
}

// TestHealthReadOnly: a database that takes no writes (a standby, or one
// set read-only) makes /healthz's probe say read_only.
func TestHealthReadOnly(t *testing.T) {
	ctx := context.Background()
	url := pgtest.Database(t)
	db, err := Open(ctx, url, Options{KeyFile: filepath.Join(t.TempDir(), "ledger.key")})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Health(ctx); err != nil {
		t.Fatalf("health: %v", err)
	}
	name := url[strings.LastIndex(url, "/")+1 : strings.Index(url, "?")]
	if err := pgtest.Shared(t).Exec(ctx, url, "ALTER DATABASE "+name+" SET default_transaction_read_only = on"); err != nil {
		t.Fatal(err)
	}
	// The setting applies to new sessions: drop the pool's.
	db.pool.Reset()
	err = db.Health(ctx)
	var u *collector.Unhealthy
	if !errors.As(err, &u) || u.Reason != collector.HealthReadOnly {
		t.Errorf("health on a read-only database: %v", err)
	}
}

// TestWatchReconnects: when the listening connection is cut (a server
// restart, a failover), Watch connects again and still hears commits.
func TestWatchReconnects(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	url := pgtest.Database(t)
	key := filepath.Join(t.TempDir(), "ledger.key")
	db, err := Open(ctx, url, Options{KeyFile: key})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	heard := make(chan struct{}, 64)
	go db.Watch(ctx, func() { heard <- struct{}{} })
	time.Sleep(300 * time.Millisecond)
	if err := pgtest.Shared(t).Exec(ctx, url, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%' AND datname = current_database()`); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond)
	for len(heard) > 0 {
		<-heard
	}
	// Watch hears other stores' commits, not its own: the commit comes
	// from a second store on the database, as from another collector.
	other, err := Open(ctx, url, Options{KeyFile: key})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if err := other.SetBranchCode(ctx, "yi", "h"); err != nil {
		t.Fatal(err)
	}
	select {
	case <-heard:
	case <-time.After(2 * time.Second):
		t.Error("a commit after the listener was cut was not heard")
	}
}

// TestRefusesNewerDatabase: a database a newer dangwu migrated (a
// migration this build lacks) is refused at start with what to do, not
// misread.
func TestRefusesNewerDatabase(t *testing.T) {
	ctx := context.Background()
	url := pgtest.Database(t)
	key := filepath.Join(t.TempDir(), "ledger.key")
	db, err := Open(ctx, url, Options{KeyFile: key})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.pool.Exec(ctx, `INSERT INTO migrations (name, applied_at) VALUES ('migrations/9999_future.sql', now())`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.pool.Exec(ctx, `DELETE FROM migrations WHERE name = 'migrations/0003_fields_in_ledger.sql'`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err = Open(ctx, url, Options{KeyFile: key})
	if err == nil || !strings.Contains(err.Error(), "已由较新版本的 dangwu 升级过（本版本没有的迁移：9999_future.sql）") {
		t.Errorf("open a newer database: %v", err)
	}
	if err := pgtest.Shared(t).Exec(ctx, url, `DO $$ BEGIN IF EXISTS (SELECT 1 FROM migrations WHERE name = 'migrations/0003_fields_in_ledger.sql') THEN RAISE EXCEPTION 'applied'; END IF; END $$`); err != nil {
		t.Errorf("a migration was applied to the refused database: %v", err)
	}
}
