package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"sync"

	"github.com/dangwu-org/dangwu/collector"
)

// summaryCache is Summaries' answer kept from one call to the next, so
// that a call reads only what was stored since the last one: the versions
// and reviews with larger ids (both tables are only ever appended to, and
// their ids grow in commit order: there is one writer at a time). The
// query of every summary at once, a GROUP BY over every version stored,
// ran on every status re-render and was 8 % of the collector's CPU under
// wrk at 40,000 versions, growing with the table (issue 11).
type summaryCache struct {
	mu sync.Mutex
	// subs and reviews are the largest ids read; byOb is the summary of
	// each obligation with a version.
	subs, reviews int64
	byOb          map[obligation]collector.Summary
}

// refreshAll is how many obligations changed since the last call beyond
// which Summaries reads them all in one query again rather than one by one.
const refreshAll = 256

// Summaries returns, for every (task, period, branch) with a submission,
// the number of versions, the newest version's time, lateness, values and
// its latest review, read in one snapshot.
func (db *DB) Summaries(ctx context.Context) ([]collector.Summary, error) {
	c := &db.sums
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := db.readTx(ctx, func(tx *sql.Tx) error { return c.update(ctx, tx) }); err != nil {
		return nil, err
	}
	return c.list(), nil
}

// list is the cache's summaries, in order, as the caller's own.
func (c *summaryCache) list() []collector.Summary {
	out := make([]collector.Summary, 0, len(c.byOb))
	for _, s := range c.byOb {
		// The caller's to change, as a fresh read's would be.
		s.Fields = slices.Clone(s.Fields)
		if s.Review != nil {
			r := *s.Review
			s.Review = &r
		}
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b collector.Summary) int {
		return cmp.Or(cmp.Compare(a.Task, b.Task), cmp.Compare(a.Period, b.Period), cmp.Compare(a.Branch, b.Branch))
	})
	return out
}

// update brings the cache to tx's snapshot. It changes nothing when it
// fails, but summaries it read again (which is harmless: they are read
// again next time).
func (c *summaryCache) update(ctx context.Context, tx *sql.Tx) error {
	var subs, reviews int64
	err := tx.QueryRowContext(ctx, `SELECT (SELECT COALESCE(MAX(id), 0) FROM submissions), (SELECT COALESCE(MAX(id), 0) FROM reviews)`).Scan(&subs, &reviews)
	if err != nil {
		return unavailable(err)
	}
	if subs == c.subs && reviews == c.reviews && c.byOb != nil {
		return nil
	}
	changed, err := c.changed(ctx, tx, subs, reviews)
	if err != nil {
		return err
	}
	if c.byOb == nil || len(changed) > refreshAll {
		all, err := allSummaries(ctx, tx)
		if err != nil {
			return err
		}
		c.byOb = all
	} else {
		for _, ob := range changed {
			s, err := oneSummary(ctx, tx, ob)
			if err != nil {
				return err
			}
			c.byOb[ob] = s
		}
	}
	c.subs, c.reviews = subs, reviews
	return nil
}

// changed lists the obligations with a version or a review stored after
// the cache's ids and up to subs and reviews; nil before the first read.
func (c *summaryCache) changed(ctx context.Context, tx *sql.Tx, subs, reviews int64) ([]obligation, error) {
	if c.byOb == nil {
		return nil, nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT task, period, branch FROM submissions WHERE id > ? AND id <= ?
		UNION SELECT s.task, s.period, s.branch FROM reviews r JOIN submissions s ON s.id = r.submission_id WHERE r.id > ? AND r.id <= ?`,
		c.subs, subs, c.reviews, reviews)
	if err != nil {
		return nil, unavailable(err)
	}
	defer rows.Close()
	var out []obligation
	for rows.Next() {
		var ob obligation
		if err := rows.Scan(&ob.task, &ob.period, &ob.branch); err != nil {
			return nil, unavailable(err)
		}
		out = append(out, ob)
	}
	return out, rows.Err()
}

// summaryColumns are what a summary is read from: the newest version of
// an obligation (s) and its latest review (r).
const summaryColumns = `s.task, s.period, s.branch, s.version, s.received_at, s.late, ` + collector.StoredFieldsSQL + `, r.action, r.comment, r.admin, r.created_at`

// allSummaries reads every obligation's summary in one query.
func allSummaries(ctx context.Context, tx *sql.Tx) (map[obligation]collector.Summary, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+summaryColumns+`
		FROM submissions s
		JOIN (SELECT task, period, branch, MAX(version) AS v FROM submissions GROUP BY task, period, branch) m
			ON s.task = m.task AND s.period = m.period AND s.branch = m.branch AND s.version = m.v
		LEFT JOIN reviews r ON r.id = (SELECT MAX(id) FROM reviews WHERE submission_id = s.id)`)
	if err != nil {
		return nil, unavailable(err)
	}
	defer rows.Close()
	out := map[obligation]collector.Summary{}
	for rows.Next() {
		s, err := scanSummary(rows)
		if err != nil {
			return nil, err
		}
		out[obligation{s.Task, s.Period, s.Branch}] = s
	}
	return out, rows.Err()
}

// oneSummary reads the summary of ob, which has a version.
func oneSummary(ctx context.Context, tx *sql.Tx, ob obligation) (collector.Summary, error) {
	row := tx.QueryRowContext(ctx, `SELECT `+summaryColumns+`
		FROM submissions s LEFT JOIN reviews r ON r.id = (SELECT MAX(id) FROM reviews WHERE submission_id = s.id)
		WHERE s.task = ? AND s.period = ? AND s.branch = ? ORDER BY s.version DESC LIMIT 1`, ob.task, ob.period, ob.branch)
	return scanSummary(row)
}

func scanSummary(row scanner) (collector.Summary, error) {
	var s collector.Summary
	var received string
	var fields collector.StoredFields
	var action, comment, admin, at sql.NullString
	dest := append([]any{&s.Task, &s.Period, &s.Branch, &s.Versions, &received, &s.LatestLate}, fields.Dest()...)
	if err := row.Scan(append(dest, &action, &comment, &admin, &at)...); err != nil {
		return s, unavailable(err)
	}
	var err error
	if s.Latest, err = parseTime(received); err != nil {
		return s, err
	}
	if err := fields.Decode(&s.Fields); err != nil {
		return s, err
	}
	s.Review, err = review(action, comment, admin, at)
	return s, err
}
