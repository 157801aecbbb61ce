package sqlite

import (
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/collector/ledger"
)

// openLedger loads the ledger's key (creating it only for a ledger that has
// no head yet) and, at the first start of a database without a ledger,
// turns the hash chain of before into the ledger's first records and signs
// the first head, all in one transaction: after verifying the chain and
// every row it binds, so a broken history is never sealed.
func (db *DB) openLedger(keyFile string) error {
	var heads int
	if err := db.w.QueryRow(`SELECT COUNT(*) FROM ledger_heads`).Scan(&heads); err != nil {
		return err
	}
	key, err := ledger.LoadKey(keyFile, heads > 0, rand.Reader)
	if err != nil {
		return err
	}
	db.key = key
	if heads > 0 {
		return nil
	}
	tx, err := db.w.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var rep legacyReport
	if err := verifyLegacy(tx, &rep); err != nil {
		return fmt.Errorf("账本迁移：原有哈希链校验失败，未写入任何账本记录（请从备份恢复后再启动）：%w", err)
	}
	led, err := ledger.Begin(ledgerTx{tx: tx, db: db, w: tx}, key.Signer(), db.now())
	if err != nil {
		return err
	}
	if err := migrateChain(tx, led); err != nil {
		return fmt.Errorf("账本迁移：%w", err)
	}
	if _, err := led.Finish(); err != nil {
		return err
	}
	return tx.Commit()
}

type chainEntry struct {
	seq                         int64
	kind, ref, payload, created string
	hash                        string
}

// migrateChain appends one record per entry of log_entries, in order, with
// the entry's own time: the full record of the row it logged, or for a code
// or password replaced since (whose row no longer holds it) what the chain
// knew of it.
func migrateChain(tx *sql.Tx, led *ledger.Appender) error {
	rows, err := tx.Query(`SELECT seq, kind, ref, payload_sha256, created_at, hash FROM log_entries ORDER BY seq`)
	if err != nil {
		return err
	}
	var entries []chainEntry
	last := map[string]int64{} // kind/ref → its last seq
	for rows.Next() {
		var e chainEntry
		if err := rows.Scan(&e.seq, &e.kind, &e.ref, &e.payload, &e.created, &e.hash); err != nil {
			rows.Close()
			return err
		}
		entries = append(entries, e)
		last[e.kind+"/"+e.ref] = e.seq
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	for _, e := range entries {
		t, err := parseTime(e.created)
		if err != nil {
			return fmt.Errorf("entry %d: %w", e.seq, err)
		}
		rec, err := chainRecord(tx, e, last[e.kind+"/"+e.ref] == e.seq)
		if err != nil {
			return fmt.Errorf("entry %d (%s %s): %w", e.seq, e.kind, e.ref, err)
		}
		n, err := led.AppendAt(rec, t)
		if err != nil {
			return err
		}
		if e.kind == kindSubmission {
			if _, err := tx.Exec(`UPDATE submissions SET ledger_index = ? WHERE receipt = ?`, n, e.ref); err != nil {
				return err
			}
		}
	}
	return nil
}

func chainRecord(tx *sql.Tx, e chainEntry, latest bool) (ledger.Record, error) {
	switch {
	case e.kind == kindSubmission:
		var key, fieldsJSON, filesJSON string
		r, err := scanReceipt(tx.QueryRow(`SELECT `+receiptColumns+`, COALESCE(client_key, ''), fields_json, files_json FROM submissions WHERE receipt = ?`, e.ref),
			&key, &fieldsJSON, &filesJSON)
		if err != nil {
			return ledger.Record{}, err
		}
		var fields []collector.FieldValue
		var files []collector.File
		if err := json.Unmarshal([]byte(fieldsJSON), &fields); err != nil {
			return ledger.Record{}, err
		}
		if err := json.Unmarshal([]byte(filesJSON), &files); err != nil {
			return ledger.Record{}, err
		}
		return collector.SubmissionRecord(r, key, fields, files), nil
	case e.kind == kindReview:
		id, err := strconv.ParseInt(e.ref, 10, 64)
		if err != nil {
			return ledger.Record{}, err
		}
		return reviewRecord(tx, id)
	case latest && (e.kind == kindBranchCode || e.kind == kindAdmin):
		table, col := "branch_codes", "branch"
		if e.kind == kindAdmin {
			table, col = "admins", "name"
		}
		var hash, updated string
		if err := tx.QueryRow(`SELECT hash, updated_at FROM `+table+` WHERE `+col+` = ?`, e.ref).Scan(&hash, &updated); err != nil {
			return ledger.Record{}, err
		}
		t, err := parseTime(updated)
		if err != nil {
			return ledger.Record{}, err
		}
		return collector.SecretRecord(ledger.Kind(e.kind), e.ref, hash, t), nil
	}
	return ledger.Record{Kind: ledger.KindLegacy, Actor: "migration", Ref: e.kind + ":" + e.ref,
		Legacy: &ledger.Legacy{Seq: e.seq, Kind: e.kind, Ref: e.ref, PayloadSHA256: e.payload, Hash: e.hash}}, nil
}

// reviewRecord builds the record of a stored review from its row.
func reviewRecord(q queryer, id int64) (ledger.Record, error) {
	var receipt, action, comment, admin, created string
	err := q.QueryRow(`SELECT s.receipt, r.action, r.comment, r.admin, r.created_at
		FROM reviews r JOIN submissions s ON s.id = r.submission_id WHERE r.id = ?`, id).Scan(&receipt, &action, &comment, &admin, &created)
	if err != nil {
		return ledger.Record{}, err
	}
	t, err := parseTime(created)
	if err != nil {
		return ledger.Record{}, err
	}
	return collector.ReviewRecord(id, receipt, collector.Review{Action: collector.ReviewAction(action), Comment: comment, Admin: admin, At: t}), nil
}
