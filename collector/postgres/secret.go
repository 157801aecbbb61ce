package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/collector/ledger"
)

// SetBranchCode stores the slow hash of a branch's new access code,
// replacing the old one, with its ledger record.
func (db *DB) SetBranchCode(ctx context.Context, branch, hash string) error {
	return db.setSecret(ctx, `INSERT INTO branch_codes (branch, hash, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (branch) DO UPDATE SET hash = excluded.hash, updated_at = excluded.updated_at`, ledger.KindBranchCode, branch, hash)
}

// BranchCodeHash returns the stored hash of a branch's code, or
// collector.ErrNotFound.
func (db *DB) BranchCodeHash(ctx context.Context, branch string) (string, error) {
	return db.secret(ctx, `SELECT hash FROM branch_codes WHERE branch = $1`, branch)
}

// SetAdminPassword creates an admin or sets its password hash.
func (db *DB) SetAdminPassword(ctx context.Context, name, hash string) error {
	return db.setSecret(ctx, `INSERT INTO admins (name, hash, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (name) DO UPDATE SET hash = excluded.hash, updated_at = excluded.updated_at`, ledger.KindAdmin, name, hash)
}

// AdminPasswordHash returns an admin's password hash, or collector.ErrNotFound.
func (db *DB) AdminPasswordHash(ctx context.Context, name string) (string, error) {
	return db.secret(ctx, `SELECT hash FROM admins WHERE name = $1`, name)
}

func (db *DB) setSecret(ctx context.Context, upsert string, kind ledger.Kind, key, hash string) error {
	return db.do(ctx, func(ctx context.Context, tx pgx.Tx, now time.Time, led *ledger.Appender) error {
		if _, err := tx.Exec(ctx, upsert, key, hash, now); err != nil {
			return err
		}
		_, err := led.Append(collector.SecretRecord(kind, key, hash, now))
		return err
	})
}

func (db *DB) secret(ctx context.Context, query, key string) (string, error) {
	var hash string
	err := db.pool.QueryRow(ctx, query, key).Scan(&hash)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", collector.ErrNotFound
	}
	if err != nil {
		return "", unavailable(err)
	}
	return hash, nil
}
