package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/collector/ledger"
)

// Verify checks the whole store against its ledger (ledger.Verify) in one
// repeatable-read snapshot, however much collectors write meanwhile.
// o.Verifier defaults to the ledger's key.
func (db *DB) Verify(ctx context.Context, o ledger.Options) (ledger.Report, error) {
	if o.Verifier == nil {
		o.Verifier = db.key.Verifier()
	}
	var rep ledger.Report
	err := db.readTx(ctx, func(tx pgx.Tx) error {
		var err error
		rep, err = ledger.Verify(snapshot{&ledgerTx{ctx: ctx, tx: tx}}, o)
		return err
	})
	return rep, err
}

// snapshot is one read transaction as the ledger's Snapshot.
type snapshot struct{ *ledgerTx }

// State expresses every row the ledger vouches for as the record it must match.
func (s snapshot) State(fn func(ledger.Record) error) error {
	for _, step := range []func(func(ledger.Record) error) error{s.submissions, s.reviews, s.opinions, s.secrets} {
		if err := step(fn); err != nil {
			return err
		}
	}
	return nil
}

func (s snapshot) submissions(fn func(ledger.Record) error) error {
	rows, err := s.tx.Query(s.ctx, `SELECT `+receiptColumns+`, COALESCE(s.client_key, ''), `+collector.StoredFieldsSQL+`, s.files_json FROM submissions s ORDER BY s.id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var key, filesJSON string
		var fields collector.StoredFields
		r, err := scanReceipt(rows, append(append([]any{&key}, fields.Dest()...), &filesJSON)...)
		if err != nil {
			return err
		}
		// Fields that cannot be read make a record that matches none:
		// verify names the row.
		fieldsJSON, _ := fields.JSON()
		if err := fn(collector.StoredSubmissionRecord(r, key, fieldsJSON, filesJSON)); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (s snapshot) reviews(fn func(ledger.Record) error) error {
	rows, err := s.tx.Query(s.ctx, `SELECT r.id, s.receipt, r.action, r.comment, r.admin, r.created_at
		FROM reviews r JOIN submissions s ON s.id = r.submission_id ORDER BY r.id`)
	if err != nil {
		return err
	}
	var id int64
	var receipt, action, comment, admin string
	var at time.Time
	_, err = pgx.ForEachRow(rows, []any{&id, &receipt, &action, &comment, &admin, &at}, func() error {
		return fn(collector.ReviewRecord(id, receipt, collector.Review{Action: collector.ReviewAction(action), Comment: comment, Admin: admin, At: at}))
	})
	return err
}

func (s snapshot) opinions(fn func(ledger.Record) error) error {
	rows, err := s.tx.Query(s.ctx, `SELECT id, content, status, reply, admin, moderated_at FROM opinions WHERE status != 'pending' ORDER BY id`)
	if err != nil {
		return err
	}
	var o collector.Opinion
	var status string
	var moderated *time.Time
	_, err = pgx.ForEachRow(rows, []any{&o.ID, &o.Content, &status, &o.Reply, &o.Admin, &moderated}, func() error {
		o.Status = collector.OpinionStatus(status)
		o.Moderated = time.Time{}
		if moderated != nil {
			o.Moderated = *moderated
		}
		return fn(collector.ModerationRecord(o))
	})
	return err
}

func (s snapshot) secrets(fn func(ledger.Record) error) error {
	for _, q := range []struct {
		kind  ledger.Kind
		query string
	}{
		{ledger.KindBranchCode, `SELECT branch, hash, updated_at FROM branch_codes ORDER BY branch`},
		{ledger.KindAdmin, `SELECT name, hash, updated_at FROM admins ORDER BY name`},
	} {
		rows, err := s.tx.Query(s.ctx, q.query)
		if err != nil {
			return err
		}
		var key, hash string
		var t time.Time
		if _, err := pgx.ForEachRow(rows, []any{&key, &hash, &t}, func() error {
			return fn(collector.SecretRecord(q.kind, key, hash, t))
		}); err != nil {
			return err
		}
	}
	return nil
}
