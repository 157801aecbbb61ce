package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/collector/ledger"
)

// CreateSession stores a session whose cookie token hashes to tokenHash.
func (db *DB) CreateSession(ctx context.Context, s collector.Session) error {
	return db.do(ctx, func(tx *sql.Tx, now time.Time, _ *ledger.Appender) error {
		if _, err := tx.Exec(`DELETE FROM sessions WHERE expires_at < ?`, formatTime(now)); err != nil {
			return err
		}
		_, err := tx.Exec(`INSERT INTO sessions (token_sha256, admin, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
			s.TokenHash, s.Admin, s.CSRF, formatTime(now), formatTime(s.Expires))
		return err
	})
}

// Session returns the unexpired session with that token hash, or
// collector.ErrNotFound.
func (db *DB) Session(ctx context.Context, tokenHash string, now time.Time) (collector.Session, error) {
	var s collector.Session
	var expires string
	err := db.r.QueryRowContext(ctx, `SELECT token_sha256, admin, csrf, expires_at FROM sessions WHERE token_sha256 = ?`, tokenHash).
		Scan(&s.TokenHash, &s.Admin, &s.CSRF, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return s, collector.ErrNotFound
	}
	if err != nil {
		return s, unavailable(err)
	}
	if s.Expires, err = parseTime(expires); err != nil {
		return s, err
	}
	if !now.Before(s.Expires) {
		return s, collector.ErrNotFound
	}
	return s, nil
}

// DeleteSession ends a session (logout).
func (db *DB) DeleteSession(ctx context.Context, tokenHash string) error {
	return db.do(ctx, func(tx *sql.Tx, _ time.Time, _ *ledger.Appender) error {
		_, err := tx.Exec(`DELETE FROM sessions WHERE token_sha256 = ?`, tokenHash)
		return err
	})
}

// AddOpinion stores a public opinion for moderation, with its reference
// number o.Ref when it has one, and returns its id.
func (db *DB) AddOpinion(ctx context.Context, o collector.Opinion) (int64, error) {
	var id int64
	err := db.do(ctx, func(tx *sql.Tx, now time.Time, _ *ledger.Appender) error {
		var ref any
		if o.Ref != "" {
			ref = o.Ref
		}
		res, err := tx.Exec(`INSERT INTO opinions (content, name, contact, client, created_at, ref) VALUES (?, ?, ?, ?, ?, ?)`,
			o.Content, o.Name, o.Contact, o.Client, formatTime(now), ref)
		if err != nil {
			return err
		}
		id, err = res.LastInsertId()
		return err
	})
	return id, err
}

// OpinionByRef returns the opinion with that reference number, or
// collector.ErrNotFound.
func (db *DB) OpinionByRef(ctx context.Context, ref string) (collector.Opinion, error) {
	if ref == "" {
		return collector.Opinion{}, collector.ErrNotFound
	}
	ops, err := db.opinions(ctx, ` WHERE ref = ?`, ref)
	if err != nil {
		return collector.Opinion{}, err
	}
	if len(ops) == 0 {
		return collector.Opinion{}, collector.ErrNotFound
	}
	return ops[0], nil
}

// Opinions lists opinions with the given status ("" for all), newest first.
func (db *DB) Opinions(ctx context.Context, status collector.OpinionStatus) ([]collector.Opinion, error) {
	if status != "" {
		return db.opinions(ctx, ` WHERE status = ?`, string(status))
	}
	return db.opinions(ctx, "")
}

func (db *DB) opinions(ctx context.Context, where string, args ...any) ([]collector.Opinion, error) {
	q := `SELECT id, COALESCE(ref, ''), content, name, contact, client, created_at, status, reply, admin, moderated_at FROM opinions`
	rows, err := db.r.QueryContext(ctx, q+where+` ORDER BY id DESC`, args...)
	if err != nil {
		return nil, unavailable(err)
	}
	defer rows.Close()
	var out []collector.Opinion
	for rows.Next() {
		var o collector.Opinion
		var created, moderated, st string
		if err := rows.Scan(&o.ID, &o.Ref, &o.Content, &o.Name, &o.Contact, &o.Client, &created, &st, &o.Reply, &o.Admin, &moderated); err != nil {
			return nil, unavailable(err)
		}
		o.Status = collector.OpinionStatus(st)
		o.Created, _ = parseTime(created)
		if moderated != "" {
			o.Moderated, _ = parseTime(moderated)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// Moderate publishes an opinion with a reply, or rejects it. Returns
// collector.ErrNotFound for an unknown id.
func (db *DB) Moderate(ctx context.Context, id int64, status collector.OpinionStatus, reply, admin string) error {
	return db.do(ctx, func(tx *sql.Tx, now time.Time, led *ledger.Appender) error {
		var content string
		err := tx.QueryRow(`SELECT content FROM opinions WHERE id = ?`, id).Scan(&content)
		if errors.Is(err, sql.ErrNoRows) {
			return collector.ErrNotFound
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE opinions SET status = ?, reply = ?, admin = ?, moderated_at = ? WHERE id = ?`,
			string(status), reply, admin, formatTime(now), id); err != nil {
			return err
		}
		_, err = led.Append(collector.ModerationRecord(collector.Opinion{ID: id, Content: content, Status: status, Reply: reply, Admin: admin, Moderated: now}))
		return err
	})
}
