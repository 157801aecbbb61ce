package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/collector/ledger"
)

// Submit stores sub as a new version and returns its receipt once
// committed (collector.Submissions). The writer does the work for a whole
// batch of submissions at once (submitBatch): on PostgreSQL every round
// trip costs more than the work it carries.
func (db *DB) Submit(ctx context.Context, sub *collector.Submission) (collector.Receipt, error) {
	p := sub.Prepare(db.now())
	so := &submitOp{sub: sub, p: p, files: p.Files, filesJSON: p.FilesJSON}
	o := &op{submit: so, signed: func(led *ledger.Appender) error {
		var err error
		so.rec.Ledger, err = led.Prove(so.index)
		return err
	}}
	if err := db.send(ctx, o); err != nil {
		return collector.Receipt{}, err
	}
	return so.rec, nil
}

// submitOp is one submission in the writer's batch, and what it got.
type submitOp struct {
	sub *collector.Submission
	// p is sub prepared outside the writer: receipt id, hash, record.
	p         *collector.Prepared
	files     []collector.File
	filesJSON string
	// Read for the whole batch before any is applied: the receipt already
	// stored under the key (nil: none), and the newest version stored.
	prevReceipt *string
	maxVersion  int
	// codeHash is the branch's code hash in the batch's transaction (nil:
	// none), checked against sub.CodeHash.
	codeHash *string

	rec   collector.Receipt
	index int64
}

type obligation struct{ task, period, branch string }

// submitBatch holds what a batch's submissions share: the versions and
// keys given out so far in it, and the rows to insert at its end.
type submitBatch struct {
	next map[obligation]int
	keys map[string]*submitOp
	rows []*submitOp
}

// prefetch reads, in one query, the receipt each submission's key already
// has and the newest version of its obligation.
func prefetch(ctx context.Context, tx pgx.Tx, subs []*submitOp) error {
	n := len(subs)
	task, period, branch, key := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	for i, so := range subs {
		task[i], period[i], branch[i], key[i] = so.sub.Task, so.sub.Period, so.sub.Branch, so.sub.Key
	}
	rows, err := tx.Query(ctx, `SELECT t.i,
			(SELECT s.receipt FROM submissions s WHERE s.client_key = t.k AND t.k <> ''),
			(SELECT COALESCE(MAX(s.version), 0) FROM submissions s WHERE s.task = t.task AND s.period = t.period AND s.branch = t.branch),
			(SELECT c.hash FROM branch_codes c WHERE c.branch = t.branch)
		FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS t(task, period, branch, k, i)`, task, period, branch, key)
	if err != nil {
		return err
	}
	var i int64
	var prev, code *string
	var max int
	_, err = pgx.ForEachRow(rows, []any{&i, &prev, &max, &code}, func() error {
		if i < 1 || int(i) > n {
			return fmt.Errorf("prefetch: row %d of %d", i, n)
		}
		subs[i-1].prevReceipt, subs[i-1].maxVersion, subs[i-1].codeHash = prev, max, code
		return nil
	})
	return err
}

// apply gives so its version (or its first receipt, for a retry) and
// appends its record; the row is inserted by flush.
func (b *submitBatch) apply(ctx context.Context, tx pgx.Tx, so *submitOp, now time.Time, led *ledger.Appender) error {
	sub := so.sub
	if sub.CodeHash != "" && (so.codeHash == nil || *so.codeHash != sub.CodeHash) {
		// Read in this transaction: a rotation committed before it began
		// is seen (collector.Submission.CodeHash).
		return collector.ErrCodeChanged
	}
	if first, ok := b.keys[sub.Key]; ok && sub.Key != "" {
		so.index = first.index
		var err error
		so.rec, err = so.p.Retry(first.rec)
		return err
	}
	if so.prevReceipt != nil {
		prev, prevIndex, err := receiptByKey(ctx, tx, sub.Key)
		if err != nil {
			return err
		}
		so.index = prevIndex
		so.rec, err = so.p.Retry(prev)
		return err
	}
	ob := obligation{sub.Task, sub.Period, sub.Branch}
	version := max(b.next[ob], so.maxVersion) + 1
	rec, err := so.p.NewReceipt(version, now)
	if err != nil {
		return err
	}
	if so.index, err = led.AppendSubmission(&so.p.Record, rec.Version, rec.Late); err != nil {
		return err
	}
	so.rec = rec
	b.next[ob] = version
	if sub.Key != "" {
		b.keys[sub.Key] = so
	}
	b.rows = append(b.rows, so)
	return nil
}

// flush inserts the batch's new versions in one statement.
func (b *submitBatch) flush(ctx context.Context, tx pgx.Tx) error {
	if len(b.rows) == 0 {
		return nil
	}
	n := len(b.rows)
	receipt, task, period, branch, sha, fields, files := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	key := make([]*string, n)
	version := make([]int32, n)
	received := make([]time.Time, n)
	late := make([]bool, n)
	index := make([]int64, n)
	for i, so := range b.rows {
		r := so.rec
		receipt[i], task[i], period[i], branch[i], sha[i] = r.ID, r.Task, r.Period, r.Branch, r.SHA256
		version[i], received[i], late[i], index[i] = int32(r.Version), r.Received, r.Late, so.index
		fields[i], files[i] = "", so.filesJSON // the fields are in the ledger record (collector.StoredFields)
		if so.sub.Key != "" {
			key[i] = &so.sub.Key
		}
	}
	_, err := tx.Exec(ctx, `INSERT INTO submissions (receipt, client_key, task, period, branch, version, received_at, late, content_sha256, fields_json, files_json, ledger_index)
		SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::integer[], $7::timestamptz[], $8::boolean[], $9::text[], $10::text[], $11::text[], $12::bigint[])`,
		receipt, key, task, period, branch, version, received, late, sha, fields, files, index)
	return err
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
		var fields collector.StoredFields
		var rv reviewScan
		var err error
		r, err = scanReceipt(tx.QueryRow(ctx, `SELECT `+receiptColumns+`, s.ledger_index, `+collector.StoredFieldsSQL+`, r.action, r.comment, r.admin, r.created_at
			FROM submissions s `+latestReview+` WHERE s.receipt = $1`, id), append(append([]any{&index}, fields.Dest()...), rv.dest()...)...)
		if errors.Is(err, pgx.ErrNoRows) {
			return collector.ErrNotFound
		}
		if err != nil {
			return unavailable(err)
		}
		if err := fields.Decode(&r.Fields); err != nil {
			return err
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
	rows, err := db.pool.Query(ctx, `SELECT s.task, s.period, s.branch, s.version, s.received_at, s.late, `+collector.StoredFieldsSQL+`,
			r.action, r.comment, r.admin, r.created_at
		FROM (SELECT DISTINCT ON (task, period, branch) * FROM submissions ORDER BY task, period, branch, version DESC) s
		`+latestReview+`
		ORDER BY s.task, s.period, s.branch`)
	if err != nil {
		return nil, unavailable(err)
	}
	var out []collector.Summary
	var s collector.Summary
	var fields collector.StoredFields
	var rv reviewScan
	dest := append([]any{&s.Task, &s.Period, &s.Branch, &s.Versions, &s.Latest, &s.LatestLate}, fields.Dest()...)
	_, err = pgx.ForEachRow(rows, append(dest, rv.dest()...), func() error {
		x := s
		x.Latest = x.Latest.UTC()
		x.Fields = nil
		if err := fields.Decode(&x.Fields); err != nil {
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
	rows, err := q.Query(ctx, `SELECT `+receiptColumns+`, `+collector.StoredFieldsSQL+`, s.files_json, r.action, r.comment, r.admin, r.created_at
		FROM submissions s `+latestReview+` WHERE s.task = $1 ORDER BY s.id`, task)
	if err != nil {
		return nil, unavailable(err)
	}
	defer rows.Close()
	var out []collector.Version
	for rows.Next() {
		var v collector.Version
		var fields collector.StoredFields
		var files string
		var rv reviewScan
		v.Receipt, err = scanReceipt(rows, append(append(fields.Dest(), &files), rv.dest()...)...)
		if err != nil {
			return nil, unavailable(err)
		}
		if err := fields.Decode(&v.Fields); err != nil {
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
