package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dangwu-org/dangwu/collector/ledger"
	"github.com/dangwu-org/dangwu/collector/throttle"
)

// ThrottleState reads the guess limiter's state of k (throttle.Store).
func (db *DB) ThrottleState(ctx context.Context, k throttle.Key, since time.Time, limit int) (int, time.Time, []time.Time, error) {
	var n int
	var last time.Time
	err := db.pool.QueryRow(ctx, `SELECT fails, last_at FROM throttle_addrs WHERE scope = $1 AND name = $2 AND addr = $3`, k.Scope, k.Name, k.Addr).Scan(&n, &last)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, time.Time{}, nil, nil
	}
	if err != nil {
		return 0, time.Time{}, nil, unavailable(err)
	}
	rows, err := db.pool.Query(ctx, `SELECT failed_at FROM throttle_fails WHERE scope = $1 AND name = $2 AND failed_at >= $3
		ORDER BY failed_at DESC LIMIT $4`, k.Scope, k.Name, since, limit)
	if err != nil {
		return 0, time.Time{}, nil, unavailable(err)
	}
	recent, err := pgx.CollectRows(rows, pgx.RowTo[time.Time])
	if err != nil {
		return 0, time.Time{}, nil, unavailable(err)
	}
	return n, last, recent, nil
}

// ThrottleFail records a failed guess of k at t (throttle.Store). It goes
// through the writer like every write, but needs none of the ledger.
func (db *DB) ThrottleFail(ctx context.Context, k throttle.Key, t time.Time, forget, window time.Duration) error {
	return db.do(ctx, func(ctx context.Context, tx pgx.Tx, _ time.Time, _ *ledger.Appender) error {
		if _, err := tx.Exec(ctx, `INSERT INTO throttle_addrs (scope, name, addr, fails, last_at) VALUES ($1, $2, $3, 1, $4)
			ON CONFLICT (scope, name, addr) DO UPDATE SET
				fails = CASE WHEN throttle_addrs.last_at < $5 THEN 1 ELSE throttle_addrs.fails + 1 END, last_at = excluded.last_at`,
			k.Scope, k.Name, k.Addr, t, t.Add(-forget)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO throttle_fails (scope, name, failed_at) VALUES ($1, $2, $3)`, k.Scope, k.Name, t); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM throttle_fails WHERE scope = $1 AND name = $2 AND failed_at < $3`, k.Scope, k.Name, t.Add(-window)); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM throttle_addrs WHERE scope = $1 AND name = $2 AND last_at < $3`, k.Scope, k.Name, t.Add(-forget))
		return err
	})
}

// ThrottleSucceed forgets k's failures (throttle.Store). Every accepted
// code calls it, so it writes only when there is something to forget.
func (db *DB) ThrottleSucceed(ctx context.Context, k throttle.Key) error {
	var one int
	err := db.pool.QueryRow(ctx, `SELECT 1 FROM throttle_addrs WHERE scope = $1 AND name = $2 AND addr = $3`, k.Scope, k.Name, k.Addr).Scan(&one)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		return unavailable(err)
	}
	return db.do(ctx, func(ctx context.Context, tx pgx.Tx, _ time.Time, _ *ledger.Appender) error {
		_, err := tx.Exec(ctx, `DELETE FROM throttle_addrs WHERE scope = $1 AND name = $2 AND addr = $3`, k.Scope, k.Name, k.Addr)
		return err
	})
}
