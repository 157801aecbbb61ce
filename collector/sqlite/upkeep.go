package sqlite

import (
	"context"
	"database/sql"
	"slices"
	"sort"

	"github.com/dangwu-org/dangwu/collector"
)

// sqlReferencedFiles lists every stored file a submission refers to.
const sqlReferencedFiles = `SELECT DISTINCT json_extract(f.value, '$.sha256'), json_extract(f.value, '$.size')
	FROM submissions, json_each(submissions.files_json) AS f ORDER BY 1`

// FileHashes returns the SHA-256 of every file a submission refers to (for
// the sweep of unreferenced uploads).
func (db *DB) FileHashes(ctx context.Context) (map[string]bool, error) {
	files, err := referencedFiles(ctx, db.r)
	if err != nil {
		return nil, err
	}
	out := make(map[string]bool, len(files))
	for _, f := range files {
		out[f.SHA256] = true
	}
	return out, nil
}

func referencedFiles(ctx context.Context, q *sql.DB) ([]collector.File, error) {
	rows, err := q.QueryContext(ctx, sqlReferencedFiles)
	if err != nil {
		return nil, unavailable(err)
	}
	defer rows.Close()
	var out []collector.File
	for rows.Next() {
		var f collector.File
		var sum sql.NullString
		var size sql.NullInt64
		if err := rows.Scan(&sum, &size); err != nil {
			return nil, unavailable(err)
		}
		if sum.Valid {
			f.SHA256, f.Size = sum.String, size.Int64
			out = append(out, f)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, unavailable(err)
	}
	// DISTINCT was over (hash, size): one hash once.
	sort.Slice(out, func(i, j int) bool { return out[i].SHA256 < out[j].SHA256 })
	return slices.CompactFunc(out, func(a, b collector.File) bool { return a.SHA256 == b.SHA256 }), nil
}
