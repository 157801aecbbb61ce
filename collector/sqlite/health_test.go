package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dangwu-org/dangwu/collector"
)

// corruptPage overwrites page n (1-based, 4096 bytes) of a closed database.
func corruptPage(t *testing.T, path string, n int64) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	junk := make([]byte, 4096)
	for i := range junk {
		junk[i] = byte(i*7 + 13)
	}
	if _, err := f.WriteAt(junk, (n-1)*4096); err != nil {
		t.Fatal(err)
	}
}

// TestCorruptPageRefused: a database with one damaged page is refused at
// open with a message that says how to restore from a backup (issue 10).
func TestCorruptPageRefused(t *testing.T) {
	db, _ := mustOpenDB(t)
	ctx := context.Background()
	for i := range 200 {
		if _, err := db.Submit(ctx, sub("yi", fmt.Sprint(i), strings.Repeat("支部工作总结。", 40))); err != nil {
			t.Fatal(err)
		}
	}
	path := db.Path()
	db.Close()
	fi, _ := os.Stat(path)
	pages := fi.Size() / 4096
	corruptPage(t, path, pages/2)
	_, err := Open(path, Options{})
	if err == nil {
		t.Fatalf("a database with page %d of %d overwritten opened", pages/2, pages)
	}
	t.Logf("page %d of %d overwritten: %v", pages/2, pages, err)
	if !errors.Is(err, ErrCorrupt) {
		t.Errorf("not ErrCorrupt: %v", err)
	}
	for _, want := range []string{"已损坏", "拒绝启动", "备份", "dangwu verify --db " + path} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message lacks %q", want)
		}
	}
}

// TestMustExist: backup, verify and export open with MustExist: a missing
// path is refused and not created, an empty file or a foreign SQLite file
// is refused too (issue 10).
func TestMustExist(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "typo", "dangwu.db")
	_, err := Open(missing, Options{MustExist: true})
	if !errors.Is(err, ErrNoDatabase) || !strings.Contains(err.Error(), "不存在") {
		t.Errorf("missing: %v", err)
	}
	if _, serr := os.Stat(filepath.Dir(missing)); !errors.Is(serr, os.ErrNotExist) {
		t.Errorf("the folder of a missing database was created")
	}
	empty := filepath.Join(dir, "empty.db")
	os.WriteFile(empty, nil, 0o600)
	if _, err := Open(empty, Options{MustExist: true}); !errors.Is(err, ErrNoDatabase) {
		t.Errorf("empty: %v", err)
	}
	foreign := filepath.Join(dir, "foreign.db")
	fdb, _ := sql.Open("sqlite3", foreign)
	fdb.Exec(`CREATE TABLE t (x)`)
	fdb.Close()
	if _, err := Open(foreign, Options{MustExist: true}); !errors.Is(err, ErrNoDatabase) || !strings.Contains(err.Error(), "不是 dangwu 收集器的数据库") {
		t.Errorf("foreign: %v", err)
	}
	db, _ := mustOpenDB(t)
	path := db.Path()
	db.Close()
	again, err := Open(path, Options{MustExist: true})
	if err != nil {
		t.Fatalf("an existing database: %v", err)
	}
	again.Close()
}

// TestHealthLocked: while another process holds the write lock, Health says
// "locked" within its deadline; once released, it is healthy (issue 10).
func TestHealthLocked(t *testing.T) {
	db, _ := mustOpenDB(t)
	if err := db.Health(context.Background()); err != nil {
		t.Fatalf("fresh database: %v", err)
	}
	other, err := sql.Open("sqlite3", "file:"+db.Path()+"?_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	tx, err := other.Begin()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	err = db.Health(ctx)
	var u *collector.Unhealthy
	if !errors.As(err, &u) || u.Reason != collector.HealthLocked {
		t.Fatalf("while locked: %v", err)
	}
	t.Logf("while another connection holds the write lock: %v", err)
	tx.Rollback()
	if err := db.Health(context.Background()); err != nil {
		t.Errorf("after the lock is released: %v", err)
	}
}
