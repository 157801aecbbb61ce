package generator

import (
	"strconv"
	"sync"

	"github.com/dangwu-org/dangwu/generator/site"
	"github.com/dangwu-org/dangwu/generator/theme"
)

// The pages of an organization tree's units (issue 17): each 总支 and 党委
// has a drill-down board per year, /status/units/<id>/ and
// /status/<year>/units/<id>/, with one row per child rolled up from its
// 支部, so that no page lists thousands of branches.

// unitBoardPath is where a unit's drill-down board lives under a year's
// board.
func unitBoardPath(u *site.Branch) string { return "units/" + u.ID + "/" }

// unitBoardOutputs are the drill-down boards of every unit of a tree site
// for one year; none for a flat site.
func (r *renderer) unitBoardOutputs(year int, current bool) ([]outFile, error) {
	s := r.s
	if !s.IsTree() {
		return nil, nil
	}
	var outs []outFile
	for _, u := range s.Branches {
		if !u.IsUnit() {
			continue
		}
		rel := statusPath(year, current) + unitBoardPath(u)
		v := &view{kind: theme.KindStatus, path: rel, year: year, unit: u,
			title: u.Title + "党建目标考核（" + strconv.Itoa(year) + "年度）"}
		o, err := r.special(rel+"index.html", v, "status.html")
		if err != nil {
			return nil, err
		}
		outs = append(outs, o)
	}
	return outs, nil
}

// boardCache computes each year's board once per renderer: the board and
// the drill-down page of every unit show rows of the same board, and
// computing it is a pass over every obligation of every branch.
type boardCache struct {
	mu   sync.Mutex
	rows map[int]*boardOnce
}

type boardOnce struct {
	once sync.Once
	rows []site.BoardRow
}

// board returns the year's board of every branch; callers must not change
// the rows.
func (c *boardCache) board(s *site.Site, snap site.Snapshot, year int) []site.BoardRow {
	c.mu.Lock()
	if c.rows == nil {
		c.rows = map[int]*boardOnce{}
	}
	b := c.rows[year]
	if b == nil {
		b = &boardOnce{}
		c.rows[year] = b
	}
	c.mu.Unlock()
	b.once.Do(func() { b.rows = site.Board(s, snap, year) })
	return b.rows
}
