package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/collector/ledger"
	"github.com/mattn/go-sqlite3"
)

// submissionPayload is what the log binds of a submission row: every column.
func submissionPayload(r collector.Receipt, clientKey, fieldsJSON, filesJSON string) string {
	return payloadHash(r.ID, clientKey, r.Task, r.Period, r.Branch, strconv.Itoa(r.Version),
		formatTime(r.Received), strconv.FormatBool(r.Late), r.SHA256, fieldsJSON, filesJSON)
}

// Submit stores sub as a new version and returns its receipt once committed.
//
// A submission whose Key was seen before returns the first receipt when the
// content is the same and stores nothing; with other content it is an
// ECONFLICT. One received at or after sub.Closes is an ECONFLICT. Storage
// failures are EUNAVAILABLE: nothing was stored, but for a proof that
// could not be read once the version committed (it is proved after the
// commit, outside the write lock), when the version is stored and a retry
// with the same Key gets its receipt.
func (db *DB) Submit(ctx context.Context, sub *collector.Submission) (collector.Receipt, error) {
	// Everything that does not need the write lock is done here, in the
	// request's goroutine: the JSON of the row, the content hash, the
	// receipt id and the ledger record but for its time and version.
	p := sub.Prepare(db.now())
	var rec collector.Receipt
	index := int64(-1)
	o := &op{}
	o.apply = func(tx *sql.Tx, now time.Time, led *ledger.Appender) error {
		if sub.CodeHash != "" {
			if err := db.codeStill(tx, sub.Branch, sub.CodeHash); err != nil {
				return err
			}
		}
		ob := obligation{sub.Task, sub.Period, sub.Branch}
		version, err := db.nextVersion(tx, ob)
		if err != nil {
			return err
		}
		if rec, err = p.NewReceipt(version, now); err != nil {
			// Closed: a retry of one stored before the close still gets
			// its receipt.
			if prev, prevIndex, ok, kerr := db.sameKey(tx, p); ok || kerr != nil {
				rec, index = prev, prevIndex
				return kerr
			}
			return err
		}
		var key any
		if sub.Key != "" {
			key = sub.Key
		}
		// A client key seen before inserts nothing. The version comes
		// from the batch's count (nextVersion), not from a subquery of
		// the insert, and the insert returns nothing: RETURNING and a
		// MAX that SQLite could not answer from the index's end were
		// half of the writer's time under wrk.
		ins, err := db.stmt(tx, sqlInsertSub)
		if err != nil {
			return err
		}
		next := led.Next()
		fields := "" // in the ledger record (collector.StoredFields)
		if db.benchNoLedger {
			fields = p.FieldsJSON()
		}
		insert := func() (sql.Result, error) {
			return ins.Exec(rec.ID, key, rec.Task, rec.Period, rec.Branch, rec.Version,
				formatTime(rec.Received), rec.Late, rec.SHA256, fields, p.FilesJSON, next)
		}
		res, err := insert()
		if isUnique(err) {
			// The version remembered from an earlier batch was taken by
			// a row written behind the ledger's back (commit): read it
			// again and insert once more. The failed insert changed
			// nothing; the transaction goes on.
			delete(db.next, ob)
			if version, err = db.nextVersion(tx, ob); err != nil {
				return err
			}
			if rec, err = p.NewReceipt(version, now); err != nil {
				return err
			}
			res, err = insert()
		}
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			if err != nil {
				return err
			}
			prev, prevIndex, ok, err := db.sameKey(tx, p)
			if err != nil {
				return err
			}
			if !ok {
				return collector.ErrKeyReused
			}
			rec, index = prev, prevIndex
			return nil
		}
		db.next[ob] = version
		if index, err = led.AppendSubmission(&p.Record, rec.Version, rec.Late); err != nil {
			return err
		}
		if index != next {
			return fmt.Errorf("ledger record %d, want %d", index, next)
		}
		return nil
	}
	if err := db.send(ctx, o); err != nil {
		return collector.Receipt{}, err
	}
	if index < 0 {
		return rec, nil // a version stored before the ledger existed has no record of its own
	}
	// Stored: a proof that cannot be read is EUNAVAILABLE, and the
	// client's retry with the same key gets this receipt, proof and all.
	proof, err := o.sealed.Prove(index)
	if err != nil {
		return collector.Receipt{}, unavailable(err)
	}
	rec.Ledger = proof
	return rec, nil
}

// isUnique reports whether err is SQLite refusing a row for a value a
// UNIQUE index already holds. The submissions insert can only meet it on
// (task, period, branch, version): its receipt is 120 random bits and a
// client key seen before inserts nothing (ON CONFLICT … DO NOTHING).
func isUnique(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintUnique
}

// obligation is what versions count: one (task, period, branch).
type obligation struct{ task, period, branch string }

// nextVersion is the version a new submission of ob gets in this batch:
// one more than the newest stored (read inside the transaction, once, and
// again after another process wrote: commit) or given out since.
func (db *DB) nextVersion(tx *sql.Tx, ob obligation) (int, error) {
	if v, ok := db.next[ob]; ok {
		return v + 1, nil
	}
	st, err := db.stmt(tx, sqlMaxVersion)
	if err != nil {
		return 0, err
	}
	var v sql.NullInt64
	if err := st.QueryRow(ob.task, ob.period, ob.branch).Scan(&v); err != nil {
		return 0, err
	}
	db.next[ob] = int(v.Int64)
	return int(v.Int64) + 1, nil
}

type scanner interface{ Scan(...any) error }

const receiptColumns = `receipt, task, period, branch, version, received_at, late, content_sha256`

func scanReceipt(row scanner, extra ...any) (collector.Receipt, error) {
	var r collector.Receipt
	var received string
	dest := append([]any{&r.ID, &r.Task, &r.Period, &r.Branch, &r.Version, &received, &r.Late, &r.SHA256}, extra...)
	if err := row.Scan(dest...); err != nil {
		return r, err
	}
	t, err := parseTime(received)
	r.Received = t
	return r, err
}

// sameKey looks up the version stored with sub's client key: ok when
// there is one with the same content (its receipt and ledger index
// returned); collector.ErrKeyReused when its content differs; not ok when
// there is none.
func (db *DB) sameKey(tx *sql.Tx, sub *collector.Prepared) (collector.Receipt, int64, bool, error) {
	if sub.Key == "" {
		return collector.Receipt{}, 0, false, nil
	}
	prev, index, err := db.receiptByKey(tx, sub.Key)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return collector.Receipt{}, 0, false, nil
	case err != nil:
		return collector.Receipt{}, 0, false, err
	}
	if prev, err = sub.Retry(prev); err != nil {
		return collector.Receipt{}, 0, false, err
	}
	return prev, index, true, nil
}

func (db *DB) receiptByKey(tx *sql.Tx, key string) (collector.Receipt, int64, error) {
	st, err := db.stmt(tx, sqlByKey)
	if err != nil {
		return collector.Receipt{}, 0, err
	}
	var index int64
	r, err := scanReceipt(st.QueryRow(key), &index)
	return r, index, err
}

// Receipt returns a stored version by its receipt id, with its stored
// field values, its latest review and the proof of its ledger record to the newest signed head, all
// read in one transaction. Returns collector.ErrNotFound when there is none.
func (db *DB) Receipt(ctx context.Context, id string) (collector.Receipt, error) {
	var r collector.Receipt
	err := db.readTx(ctx, func(tx *sql.Tx) error {
		var action, comment, admin, at sql.NullString
		var index int64
		var fields collector.StoredFields
		var err error
		r, err = scanReceipt(tx.QueryRowContext(ctx, `SELECT `+receiptColumns+`, COALESCE(s.ledger_index, -1), `+collector.StoredFieldsSQL+`, r.action, r.comment, r.admin, r.created_at
		FROM submissions s LEFT JOIN reviews r ON r.id = (SELECT MAX(id) FROM reviews WHERE submission_id = s.id)
		WHERE s.receipt = ?`, id), append(append([]any{&index}, fields.Dest()...), &action, &comment, &admin, &at)...)
		if errors.Is(err, sql.ErrNoRows) {
			return collector.ErrNotFound
		}
		if err != nil {
			return unavailable(err)
		}
		if err := fields.Decode(&r.Fields); err != nil {
			return err
		}
		if r.Review, err = review(action, comment, admin, at); err != nil {
			return err
		}
		if index < 0 {
			return nil
		}
		lt := ledgerTx{tx: tx, db: db}
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

func review(action, comment, admin, at sql.NullString) (*collector.Review, error) {
	if !action.Valid {
		return nil, nil
	}
	t, err := parseTime(at.String)
	return &collector.Review{Action: collector.ReviewAction(action.String), Comment: comment.String, Admin: admin.String, At: t}, err
}

// Versions returns every version of a task (all periods and branches),
// oldest first, with the latest review of each.
func (db *DB) Versions(ctx context.Context, task string) ([]collector.Version, error) {
	return versions(ctx, db.r, task)
}

// Export returns every version of a task, as Versions does, and the
// ledger's newest signed head, read in one transaction: the head the
// export was made at.
func (db *DB) Export(ctx context.Context, task string) ([]collector.Version, []byte, error) {
	var out []collector.Version
	var head []byte
	err := db.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		if out, err = versions(ctx, tx, task); err != nil {
			return err
		}
		_, head, err = ledgerTx{tx: tx, db: db}.Latest()
		return err
	})
	return out, head, err
}

type contextQueryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func versions(ctx context.Context, q contextQueryer, task string) ([]collector.Version, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+receiptColumns+`, `+collector.StoredFieldsSQL+`, files_json, r.action, r.comment, r.admin, r.created_at
		FROM submissions s LEFT JOIN reviews r ON r.id = (SELECT MAX(id) FROM reviews WHERE submission_id = s.id)
		WHERE s.task = ? ORDER BY s.id`, task)
	if err != nil {
		return nil, unavailable(err)
	}
	defer rows.Close()
	var out []collector.Version
	for rows.Next() {
		var v collector.Version
		var fields collector.StoredFields
		var files string
		var action, comment, admin, at sql.NullString
		v.Receipt, err = scanReceipt(rows, append(fields.Dest(), &files, &action, &comment, &admin, &at)...)
		if err != nil {
			return nil, unavailable(err)
		}
		if err := fields.Decode(&v.Fields); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(files), &v.Files); err != nil {
			return nil, err
		}
		if v.Review, err = review(action, comment, admin, at); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// AddReview records an approval or a return of the version with that receipt.
// Returns collector.ErrNotFound for an unknown receipt.
func (db *DB) AddReview(ctx context.Context, receipt string, rv collector.Review) error {
	rv.Comment = strings.TrimSpace(rv.Comment)
	return db.do(ctx, func(tx *sql.Tx, now time.Time, led *ledger.Appender) error {
		var id int64
		err := tx.QueryRow(`SELECT id FROM submissions WHERE receipt = ?`, receipt).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return collector.ErrNotFound
		}
		if err != nil {
			return err
		}
		created := formatTime(now)
		res, err := tx.Exec(`INSERT INTO reviews (submission_id, action, comment, admin, created_at) VALUES (?, ?, ?, ?, ?)`,
			id, string(rv.Action), rv.Comment, rv.Admin, created)
		if err != nil {
			return err
		}
		rid, err := res.LastInsertId()
		if err != nil {
			return err
		}
		rv.At = now
		_, err = led.Append(collector.ReviewRecord(rid, receipt, rv))
		return err
	})
}

func reviewPayload(id, receipt, action, comment, admin, created string) string {
	return payloadHash(id, receipt, action, comment, admin, created)
}
