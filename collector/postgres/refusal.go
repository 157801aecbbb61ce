package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/collector/ledger"
)

// RecordRefusals appends refusals to the audit table (not the ledger).
func (db *DB) RecordRefusals(ctx context.Context, rs []collector.Refusal) error {
	if len(rs) == 0 {
		return nil
	}
	return db.do(ctx, func(ctx context.Context, tx pgx.Tx, _ time.Time, _ *ledger.Appender) error {
		for _, r := range rs {
			if _, err := tx.Exec(ctx, `INSERT INTO refusals (created_at, kind, subject, client, count) VALUES ($1, $2, $3, $4, $5)`,
				r.Time, string(r.Kind), r.Subject, r.Client, max(r.Count, 1)); err != nil {
				return err
			}
		}
		return nil
	})
}

// Refusals returns the refusals recorded at or after since, oldest first.
func (db *DB) Refusals(ctx context.Context, since time.Time) ([]collector.Refusal, error) {
	rows, err := db.pool.Query(ctx, `SELECT created_at, kind, subject, client, count FROM refusals WHERE created_at >= $1 ORDER BY id`, since)
	if err != nil {
		return nil, unavailable(err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (collector.Refusal, error) {
		var r collector.Refusal
		var kind string
		err := row.Scan(&r.Time, &kind, &r.Subject, &r.Client, &r.Count)
		r.Kind, r.Time = collector.RefusalKind(kind), r.Time.UTC()
		return r, err
	})
	if err != nil {
		return nil, unavailable(err)
	}
	return out, nil
}
