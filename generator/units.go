package generator

import (
	"strconv"
	"sync"

	"github.com/dangwu-org/dangwu/generator/live"
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
func (r *renderer) unitBoardOutputs(year int, current bool) ([]live.Output, error) {
	s := r.s
	if !s.IsTree() {
		return nil, nil
	}
	var outs []live.Output
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
	once  sync.Once
	rows  []site.BoardRow
	index site.BoardIndex
}

// board returns the year's board of every branch, and its rows indexed;
// callers must not change the rows.
func (c *boardCache) board(s *site.Site, snap site.Snapshot, year int) ([]site.BoardRow, site.BoardIndex) {
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
	b.once.Do(func() {
		b.rows = site.Board(s, snap, year)
		b.index = site.IndexBoard(b.rows)
	})
	return b.rows, b.index
}

// Task pages of a tree site (issue 17) stay small: the task's own page
// lists the top level, and every unit with 支部 asked has a page of its
// own, /tasks/<id>/units/<unit>/, listing its children the same way: a
// row of totals for each child unit, linked to its page, and the status
// rows and the form's choices for the 支部 directly under it. A committee
// secretary goes from the task down to the 总支, whose page lists its 支部
// (up to 50 in the generated corpus) and takes their answers.

// taskIndex is which 支部 of a tree site a task asks, by unit.
type taskIndex struct {
	asked map[string]bool
	// under holds, for every unit, the asked 支部 in its subtree, in the
	// task's order.
	under map[*site.Branch][]string
}

// taskUnitPath is where a unit's page of a task lives under the task's.
func taskUnitPath(t *site.Task, u *site.Branch) string { return t.Page.Path + "units/" + u.ID + "/" }

// taskIndexes computes each task's index once per loaded site: the
// Generator keeps them for the site it rendered last, as a Live renders the
// same site again after every submission.
type taskIndexes struct {
	mu   sync.Mutex
	site *site.Site
	m    map[*site.Task]*taskIndex
}

func (c *taskIndexes) of(s *site.Site, t *site.Task) *taskIndex {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.site != s {
		c.site, c.m = s, nil
	}
	if ix := c.m[t]; ix != nil {
		return ix
	}
	ix := &taskIndex{asked: make(map[string]bool, len(t.Branches)), under: map[*site.Branch][]string{}}
	for _, id := range t.Branches {
		ix.asked[id] = true
		if b := s.Branch(id); b != nil {
			for p := b.Parent; p != nil; p = p.Parent {
				ix.under[p] = append(ix.under[p], id)
			}
		}
	}
	if c.m == nil {
		c.m = map[*site.Task]*taskIndex{}
	}
	c.m[t] = ix
	return ix
}

// taskUnitOutputs are the unit pages of every task of a tree site: one for
// each unit with 支部 asked; none for a flat site.
func (r *renderer) taskUnitOutputs() ([]live.Output, error) {
	s := r.s
	if !s.IsTree() {
		return nil, nil
	}
	var outs []live.Output
	for _, t := range s.Tasks {
		p := t.Page
		if p == nil {
			continue
		}
		ix := r.g.tasks.of(s, t)
		for _, u := range s.Branches {
			if !u.IsUnit() || len(ix.under[u]) == 0 {
				continue
			}
			rel := taskUnitPath(t, u)
			v := &view{kind: theme.KindTaskUnit, path: rel, column: s.Column(p.Column), section: p.Section,
				page: p, task: t, unit: u, title: p.Title + "（" + u.Title + "）"}
			o, err := r.page(rel+"index.html", v, p.Layout, p.Column, "page", "single")
			if err != nil {
				return nil, err
			}
			outs = append(outs, o)
		}
	}
	return outs, nil
}

// taskData fills the fields of a task's page, or of one of its unit pages:
// which 支部 it lists and offers, and which child units it totals.
func (r *renderer) taskData(d *theme.PageData, v *view) {
	s, t := r.s, v.task
	if !s.IsTree() {
		d.TaskBranches, d.TaskScope = t.Branches, t.Branches
		return
	}
	ix := r.g.tasks.of(s, t)
	children := s.Roots()
	d.TaskScope = t.Branches
	if v.unit != nil {
		children, d.TaskScope = v.unit.Children, ix.under[v.unit]
		d.Crumbs = append(d.Crumbs, theme.Crumb{Title: t.Page.Title, URL: s.Config.RelURL(t.Page.Path)})
		for _, p := range v.unit.Chain() {
			d.Crumbs = append(d.Crumbs, theme.Crumb{Title: p.Title, URL: s.Config.RelURL(taskUnitPath(t, p))})
		}
	}
	for _, c := range children {
		switch {
		case c.IsUnit() && len(ix.under[c]) > 0:
			d.TaskUnits = append(d.TaskUnits, theme.TaskUnit{Unit: c, Branches: ix.under[c], URL: s.Config.RelURL(taskUnitPath(t, c))})
		case !c.IsUnit() && ix.asked[c.ID]:
			d.TaskBranches = append(d.TaskBranches, c.ID)
		}
	}
}
