package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/collector/ledger"
)

// legacyDB writes a database as the version before the ledger did: schema
// 0001 and 0002, rows, and the hash chain of log_entries over them.
func legacyDB(t *testing.T, path string) {
	t.Helper()
	raw, err := sql.Open("sqlite3", "file:"+path+"?_journal_mode=WAL")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	exec(t, raw, `CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`)
	for _, name := range []string{"migrations/0001_init.sql", "migrations/0002_add_sessions_opinions.sql"} {
		body, _ := migrations.ReadFile(name)
		exec(t, raw, string(body))
		exec(t, raw, `INSERT INTO migrations VALUES ('`+name+`', '2026-11-01T00:00:00.000000000Z')`)
	}
	seq, prev := int64(0), genesis
	logEntry := func(kind, ref, payload, created string) {
		seq++
		hash := chainHash(prev, seq, kind, ref, payload, created)
		if _, err := raw.Exec(`INSERT INTO log_entries VALUES (?, ?, ?, ?, ?, ?, ?)`, seq, kind, ref, payload, created, prev, hash); err != nil {
			t.Fatal(err)
		}
		prev = hash
	}
	t1, t2, t3, t4 := "2026-11-20T01:00:00.000000000Z", "2026-11-21T01:00:00.000000000Z", "2026-11-22T01:00:00.000000000Z", "2026-11-23T01:00:00.000000000Z"
	exec(t, raw, `INSERT INTO branch_codes VALUES ('yi', 'hash-1', '`+t1+`')`)
	logEntry(kindBranchCode, "yi", payloadHash("yi", "hash-1", t1), t1)
	s := collector.Submission{Task: "zongjie", Branch: "yi", Fields: []collector.FieldValue{{Name: "summary", Value: "迁移前的总结"}}}
	received, _ := parseTime(t2)
	r := collector.Receipt{ID: "old1", Task: "zongjie", Branch: "yi", Version: 1, Received: received, SHA256: s.ContentHash()}
	fields := `[{"name":"summary","value":"迁移前的总结"}]`
	exec(t, raw, `INSERT INTO submissions (id, receipt, client_key, task, period, branch, version, received_at, late, content_sha256, fields_json, files_json)
		VALUES (1, 'old1', 'k1', 'zongjie', '', 'yi', 1, '`+t2+`', 0, '`+r.SHA256+`', '`+fields+`', '[]')`)
	logEntry(kindSubmission, "old1", submissionPayload(r, "k1", fields, "[]"), t2)
	exec(t, raw, `INSERT INTO reviews VALUES (1, 1, 'return', '请补充', 'a', '`+t3+`')`)
	logEntry(kindReview, "1", reviewPayload("1", "old1", "return", "请补充", "a", t3), t3)
	exec(t, raw, `UPDATE branch_codes SET hash = 'hash-2', updated_at = '`+t4+`'`)
	logEntry(kindBranchCode, "yi", payloadHash("yi", "hash-2", t4), t4)
}

// TestMigrateChainToLedger is issue 9's item 7: a database of the schema
// before the ledger is upgraded in place at the first start, its history
// verified and turned into the first records; a receipt of before gets a
// proof; a broken chain is refused and no record is written.
func TestMigrateChainToLedger(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "dangwu.db")
	legacyDB(t, path)
	now := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	db, err := Open(path, Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rep, err := db.Verify(ctx, ledger.Options{})
	if err != nil || rep.Records != 4 || rep.Submissions != 1 || rep.Reviews != 1 || rep.Head.Size != 4 {
		t.Fatalf("after migration: %+v %v", rep, err)
	}
	var kinds []string
	rows, _ := db.r.Query(`SELECT data FROM ledger_records ORDER BY idx`)
	for rows.Next() {
		var d []byte
		rows.Scan(&d)
		r, _ := ledger.DecodeRecord(d)
		kinds = append(kinds, string(r.Kind)+"@"+r.Time[:10])
	}
	rows.Close()
	if got := strings.Join(kinds, " "); got != "legacy@2026-11-20 submission@2026-11-21 review@2026-11-22 branch_code@2026-11-23" {
		t.Errorf("migrated records: %s", got)
	}
	old, err := db.Receipt(ctx, "old1")
	if err != nil || old.Ledger == nil || old.Ledger.Index != 1 {
		t.Fatalf("receipt of before: %+v %v", old.Ledger, err)
	}
	// The same client key again answers the old receipt, with its proof.
	again, err := db.Submit(ctx, &collector.Submission{Task: "zongjie", Branch: "yi", Key: "k1", Fields: []collector.FieldValue{{Name: "summary", Value: "迁移前的总结"}}})
	if err != nil || again.ID != "old1" || again.Ledger == nil || again.Ledger.Index != 1 {
		t.Errorf("retry of an old submission: %+v %v", again, err)
	}
	if _, err := db.Submit(ctx, sub("yi", "", "迁移后")); err != nil {
		t.Fatal(err)
	}
	if rep, err := db.Verify(ctx, ledger.Options{}); err != nil || rep.Records != 5 {
		t.Errorf("after a new submission: %+v %v", rep, err)
	}

	broken := filepath.Join(t.TempDir(), "dangwu.db")
	legacyDB(t, broken)
	raw, _ := sql.Open("sqlite3", "file:"+broken)
	exec(t, raw, `UPDATE submissions SET fields_json = '[{"name":"summary","value":"改过"}]'`)
	raw.Close()
	if _, err := Open(broken, Options{}); err == nil || !strings.Contains(err.Error(), "原有哈希链校验失败") {
		t.Errorf("broken chain: %v", err)
	}
	raw, _ = sql.Open("sqlite3", "file:"+broken)
	defer raw.Close()
	var n int
	raw.QueryRow(`SELECT COUNT(*) FROM ledger_records`).Scan(&n)
	if n != 0 {
		t.Errorf("%d records written from a broken chain", n)
	}
}
