package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/collector/ledger"
)

// SetBranchCode stores the slow hash of a branch's new access code,
// replacing the old one, and logs the rotation.
func (db *DB) SetBranchCode(ctx context.Context, branch, hash string) error {
	return db.setSecret(ctx, "branch_codes", "branch", ledger.KindBranchCode, branch, hash)
}

// BranchCodeHash returns the stored hash of a branch's code, or
// collector.ErrNotFound when the branch has none.
func (db *DB) BranchCodeHash(ctx context.Context, branch string) (string, error) {
	return db.secret(ctx, `SELECT hash FROM branch_codes WHERE branch = ?`, branch)
}

// SetAdminPassword creates an admin or sets its password hash.
func (db *DB) SetAdminPassword(ctx context.Context, name, hash string) error {
	return db.setSecret(ctx, "admins", "name", ledger.KindAdmin, name, hash)
}

// AdminPasswordHash returns an admin's password hash, or collector.ErrNotFound.
func (db *DB) AdminPasswordHash(ctx context.Context, name string) (string, error) {
	return db.secret(ctx, `SELECT hash FROM admins WHERE name = ?`, name)
}

func (db *DB) setSecret(ctx context.Context, table, keyCol string, kind ledger.Kind, key, hash string) error {
	return db.do(ctx, func(tx *sql.Tx, now time.Time, led *ledger.Appender) error {
		if table == "branch_codes" {
			delete(db.codes, key) // read earlier in this batch (codeStill)
		}
		if _, err := tx.Exec(`INSERT INTO `+table+` (`+keyCol+`, hash, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (`+keyCol+`) DO UPDATE SET hash = excluded.hash, updated_at = excluded.updated_at`, key, hash, formatTime(now)); err != nil {
			return err
		}
		_, err := led.Append(collector.SecretRecord(kind, key, hash, now))
		return err
	})
}

// codeStill refuses, with collector.ErrCodeChanged, a submission checked
// against a code hash that is not the branch's in the writer's
// transaction: it holds the write lock, so no rotation by any process can
// come between this read and the commit. Each branch's hash is read once a
// batch.
func (db *DB) codeStill(tx *sql.Tx, branch, hash string) error {
	stored, ok := db.codes[branch]
	if !ok {
		st, err := db.stmt(tx, sqlCodeHash)
		if err != nil {
			return err
		}
		switch err := st.QueryRow(branch).Scan(&stored); {
		case errors.Is(err, sql.ErrNoRows):
			stored = ""
		case err != nil:
			return err
		}
		db.codes[branch] = stored
	}
	if stored != hash {
		return collector.ErrCodeChanged
	}
	return nil
}

func (db *DB) secret(ctx context.Context, query, key string) (string, error) {
	var hash string
	// A read by primary key in WAL mode does not wait for writers, so it
	// is not made cancellable: with a request's context database/sql and
	// the driver each watch it for the query's duration (a goroutine, an
	// AfterFunc), which was half the cost of this read on every post.
	err := db.r.QueryRowContext(context.WithoutCancel(ctx), query, key).Scan(&hash)
	if errors.Is(err, sql.ErrNoRows) {
		return "", collector.ErrNotFound
	}
	if err != nil {
		return "", unavailable(err)
	}
	return hash, nil
}
