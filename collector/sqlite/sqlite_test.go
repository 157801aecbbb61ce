package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/collector/files"
	"github.com/dangwu-org/dangwu/collector/ledger"
)

var dump = flag.Bool("dump", false, "keep the test databases and print their paths")

var cst = time.FixedZone("CST", 8*3600)

// clock is a fake clock tests move by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

func mustOpenDB(t testing.TB) (*DB, *clock) {
	t.Helper()
	dir := t.TempDir()
	if *dump {
		dir, _ = os.MkdirTemp("", "dangwu-db-")
		t.Logf("database kept at %s", dir)
	}
	c := &clock{t: time.Date(2026, 11, 28, 10, 0, 0, 0, cst)}
	db, err := Open(filepath.Join(dir, "dangwu.db"), Options{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, c
}

func sub(branch, key, text string) *collector.Submission {
	return &collector.Submission{
		Task: "zongjie", Branch: branch, Key: key,
		Fields:   []collector.FieldValue{{Name: "summary", Value: text}},
		Deadline: time.Date(2026, 12, 20, 17, 0, 0, 0, cst),
	}
}

func TestOpenPragmasAndMode(t *testing.T) {
	db, _ := mustOpenDB(t)
	var mode string
	var sync int
	db.w.QueryRow("PRAGMA journal_mode").Scan(&mode)
	db.w.QueryRow("PRAGMA synchronous").Scan(&sync)
	if mode != "wal" || sync != 2 {
		t.Errorf("journal_mode=%s synchronous=%d", mode, sync)
	}
	fi, err := os.Stat(db.Path())
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("database mode %v, %v", fi.Mode().Perm(), err)
	}
	// Opening again applies no migration twice.
	db2, err := Open(db.Path(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	db2.Close()
}

func TestSubmitVersionsAndIdempotency(t *testing.T) {
	db, c := mustOpenDB(t)
	ctx := context.Background()
	r1, err := db.Submit(ctx, sub("yi", "k1", "第一版"))
	if err != nil {
		t.Fatal(err)
	}
	again, err := db.Submit(ctx, sub("yi", "k1", "第一版"))
	if err != nil || again.ID != r1.ID || again.Version != 1 {
		t.Fatalf("retry with the same key: %+v, %v; want the first receipt", again, err)
	}
	_, err = db.Submit(ctx, sub("yi", "k1", "另一份内容"))
	if collector.ErrorCode(err) != collector.ECONFLICT {
		t.Fatalf("same key, other content: %v, want conflict", err)
	}
	c.Set(time.Date(2026, 12, 20, 17, 0, 0, 0, cst))
	r2, err := db.Submit(ctx, sub("yi", "k2", "第二版"))
	if err != nil || r2.Version != 2 || !r2.Late || r1.Late {
		t.Fatalf("second version: %+v, %v", r2, err)
	}
	closed := sub("yi", "k3", "截止后")
	closed.Closes = closed.Deadline
	if _, err := db.Submit(ctx, closed); collector.ErrorCode(err) != collector.ECONFLICT {
		t.Fatalf("after closing: %v, want conflict", err)
	}
	got, err := db.Receipt(ctx, r2.ID)
	if err != nil || got.SHA256 != r2.SHA256 || !got.Received.Equal(r2.Received) || got.Version != 2 {
		t.Fatalf("receipt %+v, %v; want %+v", got, err, r2)
	}
	if _, err := db.Receipt(ctx, "nope"); !errors.Is(err, collector.ErrNotFound) {
		t.Errorf("unknown receipt: %v", err)
	}
	sums, err := db.Summaries(ctx)
	if err != nil || len(sums) != 1 || sums[0].Versions != 2 || !sums[0].LatestLate || sums[0].Fields[0].Value != "第二版" {
		t.Fatalf("summaries %+v, %v", sums, err)
	}
	if err := db.AddReview(ctx, r2.ID, collector.Review{Action: collector.ActionReturn, Comment: "请补充附件", Admin: "admin"}); err != nil {
		t.Fatal(err)
	}
	sums, _ = db.Summaries(ctx)
	if sums[0].Review == nil || sums[0].Review.Comment != "请补充附件" || collector.StatusOf(sums[0]).Label() != "退回修改" {
		t.Errorf("after return: %+v", sums[0].Review)
	}
}

func TestConcurrentSubmitsGroupCommit(t *testing.T) {
	db, _ := mustOpenDB(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	receipts := make([]collector.Receipt, 200)
	errs := make([]error, 200)
	for i := range receipts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			receipts[i], errs[i] = db.Submit(ctx, sub(fmt.Sprintf("b%d", i%4), fmt.Sprintf("key-%d", i), fmt.Sprintf("内容%d", i)))
		}()
	}
	wg.Wait()
	versions := map[string]map[int]bool{}
	for i, r := range receipts {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if versions[r.Branch] == nil {
			versions[r.Branch] = map[int]bool{}
		}
		if versions[r.Branch][r.Version] {
			t.Fatalf("branch %s got version %d twice", r.Branch, r.Version)
		}
		versions[r.Branch][r.Version] = true
	}
	for b, v := range versions {
		if len(v) != 50 || !v[1] || !v[50] {
			t.Errorf("branch %s versions %v, want 1..50", b, len(v))
		}
	}
	if _, err := db.Verify(ctx, ledger.Options{}); err != nil {
		t.Fatal(err)
	}
}

// TestVerifyDetectsTampering edits, removes and inserts rows and a file
// behind the store's back; verify must name each one.
func TestVerifyDetectsTampering(t *testing.T) {
	tests := []struct {
		name   string
		tamper func(t *testing.T, raw *sql.DB, fs *files.Store, sha string)
		want   string
	}{
		{"edit a field", func(t *testing.T, raw *sql.DB, _ *files.Store, _ string) {
			// A row keeps its fields in its ledger record; one given
			// fields of its own shows those, and verify must see them.
			exec(t, raw, `UPDATE submissions SET fields_json = replace(CAST(l.data AS TEXT) -> '$.submission.fields', '第一版', '改过')
				FROM ledger_records l WHERE l.idx = submissions.ledger_index AND version = 1`)
		}, "数据库中的内容与账本第 0 条记录不符"},
		{"point a row at another record", func(t *testing.T, raw *sql.DB, _ *files.Store, _ string) {
			exec(t, raw, `UPDATE submissions SET ledger_index = 1 WHERE version = 1`)
		}, "数据库中的内容与账本第 0 条记录不符"},
		{"back-date", func(t *testing.T, raw *sql.DB, _ *files.Store, _ string) {
			exec(t, raw, `UPDATE submissions SET received_at = '2026-11-01T00:00:00.000000000Z', late = 0 WHERE version = 2`)
		}, "数据库中的内容与账本第 1 条记录不符"},
		{"remove a row", func(t *testing.T, raw *sql.DB, _ *files.Store, _ string) {
			exec(t, raw, `DELETE FROM submissions WHERE version = 2`)
		}, "账本第 1 条记录了它，数据库里却没有（被删除）"},
		{"insert a row", func(t *testing.T, raw *sql.DB, _ *files.Store, _ string) {
			exec(t, raw, `INSERT INTO submissions (receipt, task, period, branch, version, received_at, late, content_sha256, fields_json, files_json)
				VALUES ('forged', 'zongjie', '', 'yi', 3, '2026-11-01T00:00:00.000000000Z', 0, 'x', '[]', '[]')`)
		}, "提交 forged：数据库里有，账本里没有（事后插入）"},
		{"edit the ledger", func(t *testing.T, raw *sql.DB, _ *files.Store, _ string) {
			exec(t, raw, `UPDATE ledger_records SET data = CAST(replace(CAST(data AS TEXT), '第一版', '改过') AS BLOB) WHERE idx = 0`)
		}, "树的存储哈希 0（第 0 层第 0 个）与记录算出的不符"},
		{"remove a ledger record", func(t *testing.T, raw *sql.DB, _ *files.Store, _ string) {
			exec(t, raw, `DELETE FROM ledger_records WHERE idx = 1`)
		}, "第 1 条记录缺失（下一条是第 2 条）"},
		{"edit a review", func(t *testing.T, raw *sql.DB, _ *files.Store, _ string) {
			exec(t, raw, `UPDATE reviews SET action = 'approve'`)
		}, "审核 1：数据库中的内容与账本第 2 条记录不符"},
		{"edit a file", func(t *testing.T, _ *sql.DB, fs *files.Store, sha string) {
			os.WriteFile(filepath.Join(fs.Dir(), sha[:2], sha), []byte("换掉的文件"), 0o600)
		}, "content changed"},
		{"remove a file", func(t *testing.T, _ *sql.DB, fs *files.Store, sha string) {
			os.Remove(filepath.Join(fs.Dir(), sha[:2], sha))
		}, "file not found"},
		{"swap a branch code", func(t *testing.T, raw *sql.DB, _ *files.Store, _ string) {
			exec(t, raw, `UPDATE branch_codes SET hash = 'attacker'`)
		}, "提交码更换 yi：数据库中的内容与账本第 3 条记录不符"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, c := mustOpenDB(t)
			fs, err := files.Open(filepath.Join(filepath.Dir(db.Path()), "uploads"))
			if err != nil {
				t.Fatal(err)
			}
			p, _ := fs.Create()
			p.Write([]byte("%PDF-1.4 附件"))
			p.Close()
			p.Commit()
			ctx := context.Background()
			first := sub("yi", "", "第一版")
			first.Files = []collector.File{{Field: "file", Name: "总结.pdf", Type: "application/pdf", Size: p.Size, SHA256: p.SHA256}}
			r1, err := db.Submit(ctx, first)
			if err != nil {
				t.Fatal(err)
			}
			c.Set(c.Now().Add(time.Minute))
			db.Submit(ctx, sub("yi", "", "第二版"))
			db.AddReview(ctx, r1.ID, collector.Review{Action: collector.ActionReturn, Comment: "补充", Admin: "a"})
			db.SetBranchCode(ctx, "yi", "hash-1")
			if _, err := db.Verify(ctx, ledger.Options{Files: fs}); err != nil {
				t.Fatalf("untouched database: %v", err)
			}
			raw, err := sql.Open("sqlite3", "file:"+db.Path())
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			tt.tamper(t, raw, fs, p.SHA256)
			_, err = db.Verify(ctx, ledger.Options{Files: fs})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("verify after tampering: %v, want %q", err, tt.want)
			}
		})
	}
}

// TestRowBehindTheLedgersBack: the writer remembers versions from one
// batch to the next while no one appended to the ledger (commit); a row
// inserted by hand meanwhile, with no ledger record, took the version it
// remembers. The next submission still gets the next free version, and
// is stored and proved; verify names the forged row.
func TestRowBehindTheLedgersBack(t *testing.T) {
	db, _ := mustOpenDB(t)
	ctx := context.Background()
	if r := mustSubmitDB(t, db, sub("yi", "a", "第一版")); r.Version != 1 {
		t.Fatalf("first version %d", r.Version)
	}
	raw, err := sql.Open("sqlite3", "file:"+db.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	exec(t, raw, `INSERT INTO submissions (receipt, task, period, branch, version, received_at, late, content_sha256, fields_json, files_json)
		VALUES ('forged', 'zongjie', '', 'yi', 2, '2026-11-01T00:00:00.000000000Z', 0, 'x', '[]', '[]')`)
	r := mustSubmitDB(t, db, sub("yi", "b", "第二版"))
	if r.Version != 3 || r.Ledger == nil {
		t.Errorf("after a forged version 2: version %d, proof %v; want 3 and a proof", r.Version, r.Ledger)
	}
	if r := mustSubmitDB(t, db, sub("yi", "c", "第三版")); r.Version != 4 {
		t.Errorf("next version %d, want 4", r.Version)
	}
	if _, err := db.Verify(ctx, ledger.Options{}); err == nil || !strings.Contains(err.Error(), "提交 forged：数据库里有，账本里没有（事后插入）") {
		t.Errorf("verify: %v, want the forged row named", err)
	}
}

// TestCodeChangedByHand: a code hash the writer read in one batch is not
// taken for the branch's in the next, though no one appended to the
// ledger: one changed by hand counts at once, as before issue 11 kept the
// versions across batches.
func TestCodeChangedByHand(t *testing.T) {
	db, _ := mustOpenDB(t)
	ctx := context.Background()
	if err := db.SetBranchCode(ctx, "yi", "hash-1"); err != nil {
		t.Fatal(err)
	}
	checked := func(key, hash string) *collector.Submission {
		x := sub("yi", key, "内容 "+key)
		x.CodeHash = hash
		return x
	}
	mustSubmitDB(t, db, checked("a", "hash-1"))
	raw, err := sql.Open("sqlite3", "file:"+db.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	exec(t, raw, `UPDATE branch_codes SET hash = 'hash-2' WHERE branch = 'yi'`)
	if _, err := db.Submit(ctx, checked("b", "hash-1")); !errors.Is(err, collector.ErrCodeChanged) {
		t.Errorf("checked against the hash before the change: %v, want ErrCodeChanged", err)
	}
	if r := mustSubmitDB(t, db, checked("c", "hash-2")); r.Version != 2 {
		t.Errorf("checked against the hash now stored: version %d, want 2", r.Version)
	}
}

func mustSubmitDB(t *testing.T, db *DB, s *collector.Submission) collector.Receipt {
	t.Helper()
	r, err := db.Submit(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func exec(t *testing.T, db *sql.DB, q string) {
	t.Helper()
	if _, err := db.Exec(q); err != nil {
		t.Fatal(err)
	}
}

func TestBackupUnderLoad(t *testing.T) {
	db, _ := mustOpenDB(t)
	ctx := context.Background()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := db.Submit(ctx, sub(fmt.Sprintf("w%d", w), "", fmt.Sprint(i))); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	time.Sleep(50 * time.Millisecond)
	backup := filepath.Join(t.TempDir(), "backup.db")
	_, _, err := db.Backup(ctx, backup)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	restored, err := Open(backup, Options{KeyFile: filepath.Join(filepath.Dir(db.Path()), "ledger.key")})
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	if _, err := restored.Verify(ctx, ledger.Options{}); err != nil {
		t.Fatalf("restored backup: %v", err)
	}
	sums, _ := restored.Summaries(ctx)
	if len(sums) == 0 {
		t.Error("backup holds no submissions")
	}
}

func TestCloseFinishesWritesInFlight(t *testing.T) {
	db, _ := mustOpenDB(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	var mu sync.Mutex
	var acked []string
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := db.Submit(ctx, sub("yi", "", fmt.Sprint(i)))
			if err == nil {
				mu.Lock()
				acked = append(acked, r.ID)
				mu.Unlock()
			} else if collector.ErrorCode(err) != collector.EUNAVAILABLE {
				t.Error(err)
			}
		}()
	}
	time.Sleep(5 * time.Millisecond)
	db.Close()
	wg.Wait()
	again, err := Open(db.Path(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	for _, id := range acked {
		if _, err := again.Receipt(ctx, id); err != nil {
			t.Errorf("acknowledged %s lost: %v", id, err)
		}
	}
}

// TestRefusesNewerDatabase: a database a newer dangwu migrated (a
// migration this build lacks) is refused at start with what to do, and
// none of this build's migrations is applied to it.
func TestRefusesNewerDatabase(t *testing.T) {
	db, _ := mustOpenDB(t)
	path := db.Path()
	db.Close()
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	exec(t, raw, `INSERT INTO migrations (name, applied_at) VALUES ('migrations/9999_future.sql', '2027-01-01T00:00:00Z')`)
	exec(t, raw, `DELETE FROM migrations WHERE name = 'migrations/0006_fields_in_ledger.sql'`)
	raw.Close()
	_, err = Open(path, Options{})
	if err == nil || !strings.Contains(err.Error(), "数据库 "+path+"：已由较新版本的 dangwu 升级过（本版本没有的迁移：9999_future.sql）") {
		t.Fatalf("open a newer database: %v", err)
	}
	raw, _ = sql.Open("sqlite3", path)
	defer raw.Close()
	var n int
	raw.QueryRow(`SELECT COUNT(*) FROM migrations WHERE name = 'migrations/0006_fields_in_ledger.sql'`).Scan(&n)
	if n != 0 {
		t.Errorf("a migration was applied to the refused database")
	}
}
