package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/collector/ledger"
)

// Submit stores sub as a new version and returns its receipt once
// committed (collector.Submissions).
func (db *DB) Submit(ctx context.Context, sub *collector.Submission) (collector.Receipt, error) {
	fieldsJSON, err := json.Marshal(sub.Fields)
	if err != nil {
		return collector.Receipt{}, err
	}
	files := sub.Files
	if files == nil {
		files = []collector.File{}
	}
	filesJSON, err := json.Marshal(files)
	if err != nil {
		return collector.Receipt{}, err
	}
	var rec collector.Receipt
	var index int64
	err = db.doSigned(ctx, func(ctx context.Context, tx pgx.Tx, now time.Time, led *ledger.Appender) error {
		if sub.Key != "" {
			prev, prevIndex, err := receiptByKey(ctx, tx, sub.Key)
			switch {
			case err == nil:
				index = prevIndex
				rec, err = sub.Retry(prev)
				return err
			case !errors.Is(err, pgx.ErrNoRows):
				return err
			}
		}
		var version int
		if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) + 1 FROM submissions WHERE task = $1 AND period = $2 AND branch = $3`,
			sub.Task, sub.Period, sub.Branch).Scan(&version); err != nil {
			return err
		}
		var err error
		if rec, err = sub.NewReceipt(version, now); err != nil {
			return err
		}
		if index, err = led.Append(collector.SubmissionRecord(rec, sub.Key, sub.Fields, files)); err != nil {
			return err
		}
		var key *string
		if sub.Key != "" {
			key = &sub.Key
		}
		_, err = tx.Exec(ctx, `INSERT INTO submissions (receipt, client_key, task, period, branch, version, received_at, late, content_sha256, fields_json, files_json, ledger_index)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
			rec.ID, key, rec.Task, rec.Period, rec.Branch, rec.Version, rec.Received, rec.Late, rec.SHA256, string(fieldsJSON), string(filesJSON), index)
		return err
	}, func(led *ledger.Appender) error {
		var err error
		rec.Ledger, err = led.Prove(index)
		return err
	})
	if err != nil {
		return collector.Receipt{}, err
	}
	return rec, nil
}

const receiptColumns = `s.receipt, s.task, s.period, s.branch, s.version, s.received_at, s.late, s.content_sha256`

func scanReceipt(row pgx.Row, extra ...any) (collector.Receipt, error) {
	var r collector.Receipt
	dest := append([]any{&r.ID, &r.Task, &r.Period, &r.Branch, &r.Version, &r.Received, &r.Late, &r.SHA256}, extra...)
	err := row.Scan(dest...)
	r.Received = r.Received.UTC()
	return r, err
}

func receiptByKey(ctx context.Context, tx querier, key string) (collector.Receipt, int64, error) {
	var index int64
	r, err := scanReceipt(tx.QueryRow(ctx, `SELECT `+receiptColumns+`, s.ledger_index FROM submissions s WHERE s.client_key = $1`, key), &index)
	return r, index, err
}

// reviewCols are the newest review of a version s, as columns r.*.
const latestReview = `LEFT JOIN LATERAL (SELECT action, comment, admin, created_at FROM reviews
		WHERE submission_id = s.id ORDER BY id DESC LIMIT 1) r ON true`

// reviewScan holds the nullable columns of a review.
type reviewScan struct {
	action, comment, admin *string
	at                     *time.Time
}

func (v *reviewScan) dest() []any { return []any{&v.action, &v.comment, &v.admin, &v.at} }

func (v *reviewScan) review() *collector.Review {
	if v.action == nil {
		return nil
	}
	return &collector.Review{Action: collector.ReviewAction(*v.action), Comment: *v.comment, Admin: *v.admin, At: v.at.UTC()}
}

// Receipt returns a stored version by its receipt id with its latest
// review and the proof of its record to the newest head, in one snapshot.
func (db *DB) Receipt(ctx context.Context, id string) (collector.Receipt, error) {
	var r collector.Receipt
	err := db.readTx(ctx, func(tx pgx.Tx) error {
		var index int64
		var rv reviewScan
		var err error
		r, err = scanReceipt(tx.QueryRow(ctx, `SELECT `+receiptColumns+`, s.ledger_index, r.action, r.comment, r.admin, r.created_at
			FROM submissions s `+latestReview+` WHERE s.receipt = $1`, id), append([]any{&index}, rv.dest()...)...)
		if errors.Is(err, pgx.ErrNoRows) {
			return collector.ErrNotFound
		}
		if err != nil {
			return unavailable(err)
		}
		r.Review = rv.review()
		lt := &ledgerTx{ctx: ctx, tx: tx}
		size, head, err := lt.Latest()
		if err != nil {
			return unavailable(err)
		}
		if r.Ledger, err = ledger.Prove(head, size, index, lt); err != nil {
			return unavailable(err)
		}
		return nil
	})
	return r, err
}

// Summaries returns one summary per (task, period, branch) with a version.
func (db *DB) Summaries(ctx context.Context) ([]collector.Summary, error) {
	rows, err := db.pool.Query(ctx, `SELECT s.task, s.period, s.branch, s.version, s.received_at, s.late, s.fields_json,
			r.action, r.comment, r.admin, r.created_at
		FROM (SELECT DISTINCT ON (task, period, branch) * FROM submissions ORDER BY task, period, branch, version DESC) s
		`+latestReview+`
		ORDER BY s.task, s.period, s.branch`)
	if err != nil {
		return nil, unavailable(err)
	}
	var out []collector.Summary
	var s collector.Summary
	var fields string
	var rv reviewScan
	_, err = pgx.ForEachRow(rows, append([]any{&s.Task, &s.Period, &s.Branch, &s.Versions, &s.Latest, &s.LatestLate, &fields}, rv.dest()...), func() error {
		x := s
		x.Latest = x.Latest.UTC()
		x.Fields = nil
		if err := json.Unmarshal([]byte(fields), &x.Fields); err != nil {
			return err
		}
		x.Review = rv.review()
		out = append(out, x)
		return nil
	})
	if err != nil {
		return nil, unavailable(err)
	}
	return out, nil
}

// Versions returns every version of a task in the order stored.
func (db *DB) Versions(ctx context.Context, task string) ([]collector.Version, error) {
	return versions(ctx, db.pool, task)
}

// Export returns Versions and the newest signed head, in one snapshot.
func (db *DB) Export(ctx context.Context, task string) ([]collector.Version, []byte, error) {
	var out []collector.Version
	var head []byte
	err := db.readTx(ctx, func(tx pgx.Tx) error {
		var err error
		if out, err = versions(ctx, tx, task); err != nil {
			return err
		}
		_, head, err = (&ledgerTx{ctx: ctx, tx: tx}).Latest()
		return err
	})
	return out, head, err
}

func versions(ctx context.Context, q querier, task string) ([]collector.Version, error) {
	rows, err := q.Query(ctx, `SELECT `+receiptColumns+`, s.fields_json, s.files_json, r.action, r.comment, r.admin, r.created_at
		FROM submissions s `+latestReview+` WHERE s.task = $1 ORDER BY s.id`, task)
	if err != nil {
		return nil, unavailable(err)
	}
	defer rows.Close()
	var out []collector.Version
	for rows.Next() {
		var v collector.Version
		var fields, files string
		var rv reviewScan
		v.Receipt, err = scanReceipt(rows, append([]any{&fields, &files}, rv.dest()...)...)
		if err != nil {
			return nil, unavailable(err)
		}
		if err := json.Unmarshal([]byte(fields), &v.Fields); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(files), &v.Files); err != nil {
			return nil, err
		}
		v.Review = rv.review()
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, unavailable(err)
	}
	return out, nil
}

// AddReview records an approval or a return of the version with that
// receipt, with its ledger record; collector.ErrNotFound for an unknown one.
func (db *DB) AddReview(ctx context.Context, receipt string, rv collector.Review) error {
	rv.Comment = strings.TrimSpace(rv.Comment)
	return db.do(ctx, func(ctx context.Context, tx pgx.Tx, now time.Time, led *ledger.Appender) error {
		var id int64
		err := tx.QueryRow(ctx, `SELECT id FROM submissions WHERE receipt = $1`, receipt).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return collector.ErrNotFound
		}
		if err != nil {
			return err
		}
		var rid int64
		if err := tx.QueryRow(ctx, `INSERT INTO reviews (submission_id, action, comment, admin, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			id, string(rv.Action), rv.Comment, rv.Admin, now).Scan(&rid); err != nil {
			return err
		}
		rv.At = now
		_, err = led.Append(collector.ReviewRecord(rid, receipt, rv))
		return err
	})
}

// FileHashes returns the SHA-256 of every file a version refers to.
func (db *DB) FileHashes(ctx context.Context) (map[string]bool, error) {
	rows, err := db.pool.Query(ctx, `SELECT DISTINCT f->>'sha256' FROM submissions, jsonb_array_elements(files_json::jsonb) AS f`)
	if err != nil {
		return nil, unavailable(err)
	}
	out := map[string]bool{}
	var sum *string
	if _, err := pgx.ForEachRow(rows, []any{&sum}, func() error {
		if sum != nil {
			out[*sum] = true
		}
		return nil
	}); err != nil {
		return nil, unavailable(err)
	}
	return out, nil
}
