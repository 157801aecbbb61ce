package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/collector/ledger"
)

// CreateSession stores a session (and drops expired ones).
func (db *DB) CreateSession(ctx context.Context, s collector.Session) error {
	return db.do(ctx, func(ctx context.Context, tx pgx.Tx, now time.Time, _ *ledger.Appender) error {
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE expires_at < $1`, now); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO sessions (token_sha256, admin, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
			s.TokenHash, s.Admin, s.CSRF, now, s.Expires)
		return err
	})
}

// Session returns the unexpired session with that token hash, or
// collector.ErrNotFound.
func (db *DB) Session(ctx context.Context, tokenHash string, now time.Time) (collector.Session, error) {
	var s collector.Session
	err := db.pool.QueryRow(ctx, `SELECT token_sha256, admin, csrf, expires_at FROM sessions WHERE token_sha256 = $1`, tokenHash).
		Scan(&s.TokenHash, &s.Admin, &s.CSRF, &s.Expires)
	if errors.Is(err, pgx.ErrNoRows) {
		return s, collector.ErrNotFound
	}
	if err != nil {
		return s, unavailable(err)
	}
	if !now.Before(s.Expires) {
		return s, collector.ErrNotFound
	}
	return s, nil
}

// DeleteSession ends a session (logout).
func (db *DB) DeleteSession(ctx context.Context, tokenHash string) error {
	return db.do(ctx, func(ctx context.Context, tx pgx.Tx, _ time.Time, _ *ledger.Appender) error {
		_, err := tx.Exec(ctx, `DELETE FROM sessions WHERE token_sha256 = $1`, tokenHash)
		return err
	})
}

// AddOpinion stores a public opinion for moderation and returns its id.
func (db *DB) AddOpinion(ctx context.Context, o collector.Opinion) (int64, error) {
	var id int64
	err := db.do(ctx, func(ctx context.Context, tx pgx.Tx, now time.Time, _ *ledger.Appender) error {
		var ref *string
		if o.Ref != "" {
			ref = &o.Ref
		}
		return tx.QueryRow(ctx, `INSERT INTO opinions (content, name, contact, client, created_at, ref) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			o.Content, o.Name, o.Contact, o.Client, now, ref).Scan(&id)
	})
	return id, err
}

const opinionColumns = `id, COALESCE(ref, ''), content, name, contact, client, created_at, status, reply, admin, moderated_at`

func scanOpinion(row pgx.CollectableRow) (collector.Opinion, error) {
	var o collector.Opinion
	var st string
	var moderated *time.Time
	if err := row.Scan(&o.ID, &o.Ref, &o.Content, &o.Name, &o.Contact, &o.Client, &o.Created, &st, &o.Reply, &o.Admin, &moderated); err != nil {
		return o, err
	}
	o.Status = collector.OpinionStatus(st)
	o.Created = o.Created.UTC()
	if moderated != nil {
		o.Moderated = moderated.UTC()
	}
	return o, nil
}

// Opinions lists opinions with the given status ("" for all), newest first.
func (db *DB) Opinions(ctx context.Context, status collector.OpinionStatus) ([]collector.Opinion, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+opinionColumns+` FROM opinions WHERE $1 = '' OR status = $1 ORDER BY id DESC`, string(status))
	if err != nil {
		return nil, unavailable(err)
	}
	out, err := pgx.CollectRows(rows, scanOpinion)
	if err != nil {
		return nil, unavailable(err)
	}
	return out, nil
}

// OpinionByRef returns the opinion with that reference number, or
// collector.ErrNotFound.
func (db *DB) OpinionByRef(ctx context.Context, ref string) (collector.Opinion, error) {
	if ref == "" {
		return collector.Opinion{}, collector.ErrNotFound
	}
	rows, err := db.pool.Query(ctx, `SELECT `+opinionColumns+` FROM opinions WHERE ref = $1`, ref)
	if err != nil {
		return collector.Opinion{}, unavailable(err)
	}
	out, err := pgx.CollectRows(rows, scanOpinion)
	if err != nil {
		return collector.Opinion{}, unavailable(err)
	}
	if len(out) == 0 {
		return collector.Opinion{}, collector.ErrNotFound
	}
	return out[0], nil
}

// Moderate publishes an opinion with a reply, or rejects it, with its
// ledger record. Returns collector.ErrNotFound for an unknown id.
func (db *DB) Moderate(ctx context.Context, id int64, status collector.OpinionStatus, reply, admin string) error {
	return db.do(ctx, func(ctx context.Context, tx pgx.Tx, now time.Time, led *ledger.Appender) error {
		var content string
		err := tx.QueryRow(ctx, `SELECT content FROM opinions WHERE id = $1`, id).Scan(&content)
		if errors.Is(err, pgx.ErrNoRows) {
			return collector.ErrNotFound
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE opinions SET status = $1, reply = $2, admin = $3, moderated_at = $4 WHERE id = $5`,
			string(status), reply, admin, now, id); err != nil {
			return err
		}
		_, err = led.Append(collector.ModerationRecord(collector.Opinion{ID: id, Content: content, Status: status, Reply: reply, Admin: admin, Moderated: now}))
		return err
	})
}
