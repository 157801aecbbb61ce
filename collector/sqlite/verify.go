package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/collector/ledger"
)

// Verify checks the whole store against its ledger (ledger.Verify) in one
// read transaction: one consistent snapshot, however much a running
// collector writes meanwhile. o.Verifier defaults to the ledger's key.
func (db *DB) Verify(ctx context.Context, o ledger.Options) (ledger.Report, error) {
	if o.Verifier == nil {
		o.Verifier = db.key.Verifier()
	}
	var rep ledger.Report
	err := db.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		rep, err = ledger.Verify(readSnapshot{ledgerTx{tx: tx, db: db}}, o)
		return err
	})
	return rep, err
}

// State expresses every row the ledger vouches for as the record it must match.
func (s readSnapshot) State(fn func(ledger.Record) error) error {
	for _, step := range []func(func(ledger.Record) error) error{s.submissions, s.reviews, s.opinions, s.secrets} {
		if err := step(fn); err != nil {
			return err
		}
	}
	return nil
}

func (s readSnapshot) submissions(fn func(ledger.Record) error) error {
	rows, err := s.tx.Query(`SELECT ` + receiptColumns + `, COALESCE(client_key, ''), ` + collector.StoredFieldsSQL + `, files_json FROM submissions s ORDER BY s.id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var key, filesJSON string
		var fields collector.StoredFields
		r, err := scanReceipt(rows, append(append([]any{&key}, fields.Dest()...), &filesJSON)...)
		if err != nil {
			return err
		}
		// Fields that cannot be read make a record that matches none:
		// verify names the row.
		fieldsJSON, _ := fields.JSON()
		if err := fn(collector.StoredSubmissionRecord(r, key, fieldsJSON, filesJSON)); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (s readSnapshot) reviews(fn func(ledger.Record) error) error {
	rows, err := s.tx.Query(`SELECT r.id, s.receipt, r.action, r.comment, r.admin, r.created_at
		FROM reviews r JOIN submissions s ON s.id = r.submission_id ORDER BY r.id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var receipt, action, comment, admin, created string
		if err := rows.Scan(&id, &receipt, &action, &comment, &admin, &created); err != nil {
			return err
		}
		t, _ := parseTime(created)
		rec := collector.ReviewRecord(id, receipt, collector.Review{Action: collector.ReviewAction(action), Comment: comment, Admin: admin, At: t})
		if err := fn(rec); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (s readSnapshot) opinions(fn func(ledger.Record) error) error {
	rows, err := s.tx.Query(`SELECT id, content, status, reply, admin, moderated_at FROM opinions WHERE status != 'pending' ORDER BY id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var o collector.Opinion
		var status, moderated string
		if err := rows.Scan(&o.ID, &o.Content, &status, &o.Reply, &o.Admin, &moderated); err != nil {
			return err
		}
		o.Status = collector.OpinionStatus(status)
		o.Moderated, _ = parseTime(moderated)
		if err := fn(collector.ModerationRecord(o)); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (s readSnapshot) secrets(fn func(ledger.Record) error) error {
	for _, q := range []struct {
		kind  ledger.Kind
		query string
	}{
		{ledger.KindBranchCode, `SELECT branch, hash, updated_at FROM branch_codes ORDER BY branch`},
		{ledger.KindAdmin, `SELECT name, hash, updated_at FROM admins ORDER BY name`},
	} {
		if err := s.secretRows(q.kind, q.query, fn); err != nil {
			return err
		}
	}
	return nil
}

func (s readSnapshot) secretRows(kind ledger.Kind, query string, fn func(ledger.Record) error) error {
	rows, err := s.tx.Query(query)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var key, hash, updated string
		if err := rows.Scan(&key, &hash, &updated); err != nil {
			return err
		}
		t, _ := parseTime(updated)
		if err := fn(collector.SecretRecord(kind, key, hash, t)); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Backup writes a consistent copy of the database to path while the
// collector keeps running (VACUUM INTO reads one snapshot), syncs it, and
// returns the newest signed head the copy holds (the head it ends with)
// and the files the copy refers to, sorted by hash: what its manifest
// must list.
func (db *DB) Backup(ctx context.Context, path string) ([]byte, []collector.File, error) {
	if _, err := db.r.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return nil, nil, fmt.Errorf("backup to %s: %w", path, err)
	}
	if err := syncFile(path); err != nil {
		return nil, nil, err
	}
	copyDB, err := sql.Open("sqlite3", dsn(path, true))
	if err != nil {
		return nil, nil, err
	}
	defer copyDB.Close()
	var head string
	if err := copyDB.QueryRowContext(ctx, `SELECT head FROM ledger_heads ORDER BY size DESC LIMIT 1`).Scan(&head); err != nil {
		return nil, nil, fmt.Errorf("backup %s: read its ledger head: %w", path, err)
	}
	files, err := referencedFiles(ctx, copyDB)
	if err != nil {
		return nil, nil, fmt.Errorf("backup %s: %w", path, err)
	}
	return []byte(head), files, nil
}
