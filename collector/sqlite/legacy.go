package sqlite

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/dangwu-org/dangwu/collector"
)

// legacyReport counts what verifyLegacy checked.
type legacyReport struct {
	Entries, Submissions, Reviews int
}

// verifyLegacy recomputes the hash chain of before the ledger (log_entries)
// and every row it binds: each submission row (all its columns and its
// content hash), each review, the current branch codes and admin passwords.
// It runs once, inside the transaction that turns the chain into the
// ledger's first records, so a database is never migrated from a chain
// that does not hold.
func verifyLegacy(q queryer, rep *legacyReport) error {
	rows, err := q.Query(`SELECT seq, kind, ref, payload_sha256, created_at, prev_hash, hash FROM log_entries ORDER BY seq`)
	if err != nil {
		return err
	}
	defer rows.Close()
	prev := genesis
	var want int64 = 1
	seen := map[string]map[string]string{} // kind → ref → payload of its latest entry
	for rows.Next() {
		var seq int64
		var kind, ref, payload, created, prevHash, hash string
		if err := rows.Scan(&seq, &kind, &ref, &payload, &created, &prevHash, &hash); err != nil {
			return err
		}
		if seq != want {
			return fmt.Errorf("log entry %d: missing (the next entry is %d)", want, seq)
		}
		if prevHash != prev {
			return fmt.Errorf("log entry %d (%s %s): previous hash does not match entry %d", seq, kind, ref, seq-1)
		}
		if got := chainHash(prev, seq, kind, ref, payload, created); got != hash {
			return fmt.Errorf("log entry %d (%s %s): hash does not match its content", seq, kind, ref)
		}
		if seen[kind] == nil {
			seen[kind] = map[string]string{}
		}
		seen[kind][ref] = payload
		prev, want = hash, want+1
		rep.Entries++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	if err := verifyLegacySubmissions(q, seen[kindSubmission], rep); err != nil {
		return err
	}
	if err := verifyLegacyReviews(q, seen[kindReview]); err != nil {
		return err
	}
	rep.Reviews = len(seen[kindReview])
	for _, s := range []struct{ kind, query string }{
		{kindBranchCode, `SELECT branch, hash, updated_at FROM branch_codes`},
		{kindAdmin, `SELECT name, hash, updated_at FROM admins`},
	} {
		if err := verifyLegacySecrets(q, s.kind, s.query, seen[s.kind]); err != nil {
			return err
		}
	}
	return nil
}

func verifyLegacySubmissions(q queryer, logged map[string]string, rep *legacyReport) error {
	rows, err := q.Query(`SELECT ` + receiptColumns + `, COALESCE(client_key, ''), fields_json, files_json FROM submissions ORDER BY id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var key, fieldsJSON, filesJSON string
		r, err := scanReceipt(rows, &key, &fieldsJSON, &filesJSON)
		if err != nil {
			return fmt.Errorf("submission row %d: %w", n+1, err)
		}
		n++
		payload, ok := logged[r.ID]
		if !ok {
			return fmt.Errorf("submission %s (%s/%s version %d): not in the log (inserted afterwards)", r.ID, r.Task, r.Branch, r.Version)
		}
		if submissionPayload(r, key, fieldsJSON, filesJSON) != payload {
			return fmt.Errorf("submission %s (%s/%s version %d): row changed after it was logged", r.ID, r.Task, r.Branch, r.Version)
		}
		sub := collector.Submission{Task: r.Task, Period: r.Period, Branch: r.Branch}
		if err := json.Unmarshal([]byte(fieldsJSON), &sub.Fields); err != nil {
			return fmt.Errorf("submission %s: %w", r.ID, err)
		}
		if err := json.Unmarshal([]byte(filesJSON), &sub.Files); err != nil {
			return fmt.Errorf("submission %s: %w", r.ID, err)
		}
		if sub.ContentHash() != r.SHA256 {
			return fmt.Errorf("submission %s: content hash does not match its fields and files", r.ID)
		}
		rep.Submissions++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if n != len(logged) {
		return fmt.Errorf("the log names %d submissions but the table holds %d: rows were removed", len(logged), n)
	}
	return nil
}

func verifyLegacyReviews(q queryer, logged map[string]string) error {
	rows, err := q.Query(`SELECT r.id, s.receipt, r.action, r.comment, r.admin, r.created_at
		FROM reviews r JOIN submissions s ON s.id = r.submission_id ORDER BY r.id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id int64
		var receipt, action, comment, admin, created string
		if err := rows.Scan(&id, &receipt, &action, &comment, &admin, &created); err != nil {
			return err
		}
		n++
		ref := strconv.FormatInt(id, 10)
		payload, ok := logged[ref]
		if !ok || reviewPayload(ref, receipt, action, comment, admin, created) != payload {
			return fmt.Errorf("review %d of submission %s: row changed or inserted after it was logged", id, receipt)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if n != len(logged) {
		return fmt.Errorf("the log names %d reviews but the table holds %d: rows were removed", len(logged), n)
	}
	return nil
}

func verifyLegacySecrets(q queryer, kind, query string, logged map[string]string) error {
	rows, err := q.Query(query)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var key, hash, updated string
		if err := rows.Scan(&key, &hash, &updated); err != nil {
			return err
		}
		if logged[key] != payloadHash(key, hash, updated) {
			return fmt.Errorf("%s %s: changed after it was logged", kind, key)
		}
	}
	return rows.Err()
}
