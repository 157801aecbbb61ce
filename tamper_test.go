package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/collector/ledger"
	"github.com/dangwu-org/dangwu/collector/sqlite"
)

// ledgerCase is a site with a ledger of a code change (record 0) and six
// submissions (records 1–6, a minute apart), and the witnesses a branch
// and a web server would hold: a head of 4 records (early), the newest
// head (late, 7 records), the receipts of records 2 and 6, and a backup
// taken at 4 records.
type ledgerCase struct {
	dir, dbPath, keyPath, witness string
	db                            *sqlite.DB
	t0                            time.Time
	walAt4                        int64 // the WAL's size when the ledger had 5 records
}

func newLedgerCase(t *testing.T) *ledgerCase {
	t.Helper()
	dir, _ := collectSite(t)
	c := &ledgerCase{dir: dir, dbPath: filepath.Join(dir, "data", "dangwu.db"), keyPath: filepath.Join(dir, "data", "ledger.key"),
		witness: t.TempDir(), t0: time.Now().UTC().Truncate(time.Second).Add(time.Minute)}
	now := c.t0
	db, err := sqlite.Open(c.dbPath, sqlite.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	c.db = db
	t.Cleanup(func() { db.Close() })
	ctx := context.Background()
	var receipts []collector.Receipt
	for i := range 6 {
		now = c.t0.Add(time.Duration(i) * time.Minute)
		if i == 4 {
			fi, _ := os.Stat(c.dbPath + "-wal")
			c.walAt4 = fi.Size()
		}
		r, err := db.Submit(ctx, &collector.Submission{Task: "baogao", Branch: "yi", Fields: []collector.FieldValue{{Name: "text", Value: fmt.Sprintf("第%d份报告", i+1)}}})
		if err != nil {
			t.Fatal(err)
		}
		receipts = append(receipts, r)
		if i == 2 {
			if _, _, err := db.Backup(ctx, filepath.Join(c.witness, "backup.db")); err != nil {
				t.Fatal(err)
			}
		}
	}
	head, _ := db.LedgerHead(ctx)
	c.write(t, "late.txt", head)
	c.write(t, "early.txt", []byte(receipts[2].Ledger.Head))
	for name, r := range map[string]collector.Receipt{"r2.json": receipts[1], "r6.json": receipts[5]} {
		b, _ := json.Marshal(r)
		c.write(t, name, b)
	}
	return c
}

func (c *ledgerCase) write(t *testing.T, name string, data []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(c.witness, name), data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// raw opens the database as an insider would, behind the collector's back.
func (c *ledgerCase) raw(t *testing.T) *sql.DB {
	t.Helper()
	raw, err := sql.Open("sqlite3", "file:"+c.dbPath+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return raw
}

func must(t *testing.T, db *sql.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// reseal is the insider holding the key file too: it recomputes every tree
// hash from the (tampered) records and signs one new head over them.
func reseal(t *testing.T, raw *sql.DB, keyPath string) {
	t.Helper()
	k, err := ledger.OpenKey(keyPath)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := raw.Query(`SELECT data FROM ledger_records ORDER BY idx`)
	if err != nil {
		t.Fatal(err)
	}
	var records [][]byte
	for rows.Next() {
		var d []byte
		rows.Scan(&d)
		records = append(records, d)
	}
	rows.Close()
	var hashes []tlog.Hash
	hr := tlog.HashReaderFunc(func(ix []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(ix))
		for i, x := range ix {
			out[i] = hashes[x]
		}
		return out, nil
	})
	var last time.Time
	for i, d := range records {
		hs, err := tlog.StoredHashes(int64(i), d, hr)
		if err != nil {
			t.Fatal(err)
		}
		hashes = append(hashes, hs...)
		r, _ := ledger.DecodeRecord(d)
		if rt, err := time.Parse(ledger.TimeFormat, r.Time); err == nil && rt.After(last) {
			last = rt
		}
	}
	root, _ := tlog.TreeHash(int64(len(records)), hr)
	head, err := ledger.Head{Size: int64(len(records)), Root: root, Time: last}.Sign(k.Signer())
	if err != nil {
		t.Fatal(err)
	}
	must(t, raw, `DELETE FROM ledger_hashes`)
	for i, h := range hashes {
		must(t, raw, `INSERT INTO ledger_hashes (idx, hash) VALUES (?, ?)`, i, h[:])
	}
	must(t, raw, `DELETE FROM ledger_heads`)
	must(t, raw, `INSERT INTO ledger_heads (size, head) VALUES (?, ?)`, len(records), string(head))
}

// record returns a stored record, decoded.
func record(t *testing.T, raw *sql.DB, idx int) ledger.Record {
	t.Helper()
	var d []byte
	if err := raw.QueryRow(`SELECT data FROM ledger_records WHERE idx = ?`, idx).Scan(&d); err != nil {
		t.Fatal(err)
	}
	r, err := ledger.DecodeRecord(d)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// verifyExit runs the real binary's verify and returns its exit code and output.
func verifyExit(t *testing.T, args ...string) (int, string) {
	t.Helper()
	bin, err := binary()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	cmd := exec.Command(bin, append([]string{"verify"}, args...)...)
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode(), out.String()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, out.String()
}

// TestTamperTable is issue 9's table: each insider tampering, on a real
// SQLite file, checked by the real binary with each witness. With the key
// in hand the insider can re-sign, so a rewrite fails exactly when a head
// or receipt from before it is held; without the key it always fails.
func TestTamperTable(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the real binary")
	}
	witnesses := []struct{ name, flag, file string }{
		{"none", "", ""},
		{"head of 4", "--head", "early.txt"},
		{"head of 7", "--head", "late.txt"},
		{"receipt #2", "--receipt", "r2.json"},
		{"receipt #6", "--receipt", "r6.json"},
	}
	tests := []struct {
		name string
		// tamper changes the case and returns the database to verify.
		tamper func(t *testing.T, c *ledgerCase) string
		want   [5]int    // exit code per witness
		msg    [5]string // what a failing verify must say
	}{
		{"untouched", func(t *testing.T, c *ledgerCase) string { return c.dbPath },
			[5]int{0, 0, 0, 0, 0}, [5]string{}},
		{"forged back-dated insert at record 2, resealed", func(t *testing.T, c *ledgerCase) string {
			// Branch er "submitted" between the first and second reports.
			raw := c.raw(t)
			sub := collector.Submission{Task: "baogao", Branch: "er", Fields: []collector.FieldValue{{Name: "text", Value: "补交的报告"}}}
			forged := collector.Receipt{ID: "forged", Task: "baogao", Branch: "er", Version: 1, Received: c.t0.Add(30 * time.Second), SHA256: sub.ContentHash()}
			must(t, raw, `UPDATE ledger_records SET idx = -idx WHERE idx >= 2`)
			must(t, raw, `UPDATE ledger_records SET idx = 1 - idx WHERE idx <= -2`)
			must(t, raw, `UPDATE submissions SET ledger_index = ledger_index + 1 WHERE ledger_index >= 2`)
			rec := collector.SubmissionRecord(forged, "", sub.Fields, nil)
			must(t, raw, `INSERT INTO ledger_records (idx, data) VALUES (2, ?)`, rec.Encode())
			must(t, raw, `INSERT INTO submissions (receipt, task, period, branch, version, received_at, late, content_sha256, fields_json, files_json, ledger_index)
				VALUES ('forged', 'baogao', '', 'er', 1, ?, 0, ?, '[{"name":"text","value":"补交的报告"}]', '[]', 2)`, ledger.FormatTime(forged.Received), forged.SHA256)
			reseal(t, raw, c.keyPath)
			return c.dbPath
		}, [5]int{0, 1, 1, 1, 1}, [5]string{"", "不一致", "不一致", "已不是这份提交", "已不是这份提交"}},
		{"edit record 2 and its row, resealed", func(t *testing.T, c *ledgerCase) string {
			raw := c.raw(t)
			r := record(t, raw, 2)
			r.Submission.Fields[0].Value = "改过的报告"
			sub := collector.Submission{Task: "baogao", Branch: "yi", Fields: []collector.FieldValue{{Name: "text", Value: "改过的报告"}}}
			r.Submission.SHA256 = sub.ContentHash()
			must(t, raw, `UPDATE ledger_records SET data = ? WHERE idx = 2`, r.Encode())
			must(t, raw, `UPDATE submissions SET fields_json = '[{"name":"text","value":"改过的报告"}]', content_sha256 = ? WHERE ledger_index = 2`, r.Submission.SHA256)
			reseal(t, raw, c.keyPath)
			return c.dbPath
		}, [5]int{0, 1, 1, 1, 1}, [5]string{"", "不一致", "不一致", "已不是这份提交", "不一致"}},
		{"cut the last two records, resealed", func(t *testing.T, c *ledgerCase) string {
			raw := c.raw(t)
			must(t, raw, `DELETE FROM submissions WHERE ledger_index >= 5`)
			must(t, raw, `DELETE FROM ledger_records WHERE idx >= 5`)
			reseal(t, raw, c.keyPath)
			return c.dbPath
		}, [5]int{0, 0, 1, 0, 1}, [5]string{"", "", "账本比你持有的树头短：5 < 7", "", "账本比你持有的回执短"}},
		{"rollback to the backup of 4 records", func(t *testing.T, c *ledgerCase) string {
			return filepath.Join(c.witness, "backup.db")
		}, [5]int{0, 0, 1, 0, 1}, [5]string{"", "", "账本比你持有的树头短：4 < 7", "", "账本比你持有的回执短"}},
		{"WAL truncated to 5 records", func(t *testing.T, c *ledgerCase) string {
			crashed := filepath.Join(t.TempDir(), "dangwu.db")
			for _, ext := range []string{"", "-wal"} {
				b, err := os.ReadFile(c.dbPath + ext)
				if err != nil {
					t.Fatal(err)
				}
				if ext == "-wal" {
					b = b[:c.walAt4]
				}
				os.WriteFile(crashed+ext, b, 0o600)
			}
			return crashed
		}, [5]int{0, 0, 1, 0, 1}, [5]string{"", "", "账本比你持有的树头短：5 < 7", "", "账本比你持有的回执短"}},
		{"code change appended, signed with the key", func(t *testing.T, c *ledgerCase) string {
			raw := c.raw(t)
			at := c.t0.Add(time.Hour)
			must(t, raw, `UPDATE branch_codes SET hash = 'attacker', updated_at = ? WHERE branch = 'yi'`, ledger.FormatTime(at))
			must(t, raw, `INSERT INTO ledger_records (idx, data) VALUES (7, ?)`, func() []byte {
				r := collector.SecretRecord(ledger.KindBranchCode, "yi", "attacker", at)
				return r.Encode()
			}())
			reseal(t, raw, c.keyPath)
			return c.dbPath
		}, [5]int{0, 0, 0, 0, 0}, [5]string{}},
		{"code change appended back-dated, signed with the key", func(t *testing.T, c *ledgerCase) string {
			raw := c.raw(t)
			at := c.t0.Add(-time.Hour)
			must(t, raw, `UPDATE branch_codes SET hash = 'attacker', updated_at = ? WHERE branch = 'yi'`, ledger.FormatTime(at))
			must(t, raw, `INSERT INTO ledger_records (idx, data) VALUES (7, ?)`, func() []byte {
				r := collector.SecretRecord(ledger.KindBranchCode, "yi", "attacker", at)
				return r.Encode()
			}())
			reseal(t, raw, c.keyPath)
			return c.dbPath
		}, [5]int{1, 1, 1, 1, 1}, [5]string{"早于前一条", "早于前一条", "早于前一条", "早于前一条", "早于前一条"}},
		{"code change appended without the key", func(t *testing.T, c *ledgerCase) string {
			raw := c.raw(t)
			at := c.t0.Add(time.Hour)
			must(t, raw, `UPDATE branch_codes SET hash = 'attacker', updated_at = ? WHERE branch = 'yi'`, ledger.FormatTime(at))
			r := collector.SecretRecord(ledger.KindBranchCode, "yi", "attacker", at)
			data := r.Encode()
			must(t, raw, `INSERT INTO ledger_records (idx, data) VALUES (7, ?)`, data)
			// The insider recomputes the tree hashes but cannot sign.
			hs, _ := tlog.StoredHashes(7, data, tlog.HashReaderFunc(func(ix []int64) ([]tlog.Hash, error) {
				out := make([]tlog.Hash, len(ix))
				for i, x := range ix {
					var b []byte
					raw.QueryRow(`SELECT hash FROM ledger_hashes WHERE idx = ?`, x).Scan(&b)
					copy(out[i][:], b)
				}
				return out, nil
			}))
			for i, h := range hs {
				must(t, raw, `INSERT INTO ledger_hashes (idx, hash) VALUES (?, ?)`, tlog.StoredHashIndex(0, 7)+int64(i), h[:])
			}
			return c.dbPath
		}, [5]int{1, 1, 1, 1, 1}, [5]string{"没有签名树头覆盖", "没有签名树头覆盖", "没有签名树头覆盖", "没有签名树头覆盖", "没有签名树头覆盖"}},
		{"code row swapped, ledger untouched", func(t *testing.T, c *ledgerCase) string {
			must(t, c.raw(t), `UPDATE branch_codes SET hash = 'attacker' WHERE branch = 'yi'`)
			return c.dbPath
		}, [5]int{1, 1, 1, 1, 1}, [5]string{"提交码更换 yi：数据库中的内容与账本第 0 条记录不符", "提交码更换 yi", "提交码更换 yi", "提交码更换 yi", "提交码更换 yi"}},
	}
	var table strings.Builder
	fmt.Fprintf(&table, "\n%-52s | %s\n", "tampering", "exit code with: none / head of 4 / head of 7 / receipt #2 / receipt #6")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newLedgerCase(t)
			dbFile := tt.tamper(t, c)
			codes := make([]string, len(witnesses))
			for i, w := range witnesses {
				args := []string{"--db", dbFile, "--ledger-key", c.keyPath}
				if w.flag != "" {
					args = append(args, w.flag, filepath.Join(c.witness, w.file))
				}
				code, out := verifyExit(t, args...)
				codes[i] = fmt.Sprint(code)
				if code != tt.want[i] || (code != 0 && !strings.Contains(out, tt.msg[i])) {
					t.Errorf("with %s: exit %d, want %d and %q; said:\n%s", w.name, code, tt.want[i], tt.msg[i], out)
				}
				if code != 0 && i == len(witnesses)-1 {
					t.Logf("verify said: %s", strings.TrimSpace(out))
				}
			}
			fmt.Fprintf(&table, "%-52s | %s\n", tt.name, strings.Join(codes, " / "))
		})
	}
	t.Log(table.String())
}
