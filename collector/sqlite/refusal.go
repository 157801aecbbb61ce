package sqlite

import (
	"context"
	"database/sql"
	"github.com/dangwu-org/dangwu/collector/ledger"
	"time"

	"github.com/dangwu-org/dangwu/collector"
)

// RecordRefusals appends refusals to the audit table (not the ledger).
func (db *DB) RecordRefusals(ctx context.Context, rs []collector.Refusal) error {
	if len(rs) == 0 {
		return nil
	}
	return db.do(ctx, func(tx *sql.Tx, _ time.Time, _ *ledger.Appender) error {
		for _, r := range rs {
			if _, err := tx.Exec(`INSERT INTO refusals (created_at, kind, subject, client, count) VALUES (?, ?, ?, ?, ?)`,
				formatTime(r.Time), string(r.Kind), r.Subject, r.Client, max(r.Count, 1)); err != nil {
				return err
			}
		}
		return nil
	})
}

// Refusals returns the refusals recorded at or after since, oldest first.
func (db *DB) Refusals(ctx context.Context, since time.Time) ([]collector.Refusal, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT created_at, kind, subject, client, count FROM refusals WHERE created_at >= ? ORDER BY id`, formatTime(since))
	if err != nil {
		return nil, unavailable(err)
	}
	defer rows.Close()
	var out []collector.Refusal
	for rows.Next() {
		var r collector.Refusal
		var created, kind string
		if err := rows.Scan(&created, &kind, &r.Subject, &r.Client, &r.Count); err != nil {
			return nil, unavailable(err)
		}
		r.Kind = collector.RefusalKind(kind)
		if r.Time, err = parseTime(created); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
