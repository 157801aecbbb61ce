package web

import (
	"net/url"
	"strconv"
	"time"

	"github.com/dangwu-org/dangwu/generator/site"
)

// overviewPage is how many branch columns one page of the overview shows,
// so that 5,000 branches stay readable (issue 17).
const overviewPage = 50

// overviewFilter is what the overview's query asks for: ?unit=ID (the 支部
// under a 总支 or 党委), status=class (branches with that status in some
// row), overdue=1 (only rows past their deadline), page=N.
type overviewFilter struct {
	Unit, Status string
	Overdue      bool
	Page         int
}

func parseOverviewFilter(q url.Values) overviewFilter {
	f := overviewFilter{Unit: q.Get("unit"), Status: q.Get("status"), Overdue: q.Get("overdue") == "1", Page: 1}
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 1 {
		f.Page = n
	}
	return f
}

// query is the filter as a query string for page n.
func (f overviewFilter) query(n int) string {
	q := url.Values{}
	if f.Unit != "" {
		q.Set("unit", f.Unit)
	}
	if f.Status != "" {
		q.Set("status", f.Status)
	}
	if f.Overdue {
		q.Set("overdue", "1")
	}
	if n > 1 {
		q.Set("page", strconv.Itoa(n))
	}
	if len(q) == 0 {
		return ""
	}
	return "?" + q.Encode()
}

// overviewGroup is a run of columns under one top-level unit.
type overviewGroup struct {
	Unit *site.Branch
	Span int
}

// overviewView is the filtered, paginated overview.
type overviewView struct {
	Rows     []overviewRow
	Branches []*site.Branch
	// Groups head the columns by top-level unit on a tree site.
	Groups       []overviewGroup
	Units        []*site.Branch
	Filter       overviewFilter
	Page, Pages  int
	Prev, Next   string
	Total        int
	StatusValues []site.Status
	// UnknownUnit says f.Unit names no branch folder.
	UnknownUnit bool
}

// buildOverview applies f to the task × branch board: the branches are the
// 支部 (under f.Unit when set), those with f.Status in some row when set,
// overviewPage at a time; rows are the tasks' current obligations, only
// the ones past their deadline with f.Overdue.
func buildOverview(s *site.Site, snap site.Snapshot, now time.Time, f overviewFilter) overviewView {
	v := overviewView{Filter: f}
	for _, b := range s.Branches {
		if b.IsUnit() {
			v.Units = append(v.Units, b)
		}
	}
	for st := site.StatusPending; st <= site.StatusApproved; st++ {
		v.StatusValues = append(v.StatusValues, st)
	}
	var branches []*site.Branch
	if u := s.Branch(f.Unit); f.Unit != "" {
		if u != nil {
			branches = u.Zhibus()
		}
		v.UnknownUnit = u == nil
	} else {
		for _, b := range s.Branches {
			if !b.IsUnit() {
				branches = append(branches, b)
			}
		}
	}
	type task struct {
		t  *site.Task
		ob site.Obligation
		in map[string]bool
	}
	var tasks []task
	for _, t := range s.Tasks {
		ob := t.Current(now, s.Location)
		if f.Overdue && !ob.Late(now) {
			continue
		}
		in := make(map[string]bool, len(t.Branches))
		for _, id := range t.Branches {
			in[id] = true
		}
		tasks = append(tasks, task{t, ob, in})
	}
	if f.Status != "" {
		kept := branches[:0:0]
		for _, b := range branches {
			for _, t := range tasks {
				if t.in[b.ID] && snap.Entry(t.ob, b.ID).Status.Class() == f.Status {
					kept = append(kept, b)
					break
				}
			}
		}
		branches = kept
	}
	v.Total = len(branches)
	v.Pages = max(1, (len(branches)+overviewPage-1)/overviewPage)
	v.Page = min(f.Page, v.Pages)
	branches = branches[min((v.Page-1)*overviewPage, len(branches)):min(v.Page*overviewPage, len(branches))]
	if v.Page > 1 {
		v.Prev = f.query(v.Page - 1)
		if v.Prev == "" {
			v.Prev = "?"
		}
	}
	if v.Page < v.Pages {
		v.Next = f.query(v.Page + 1)
	}
	v.Branches = branches
	if s.IsTree() {
		for _, b := range branches {
			top := b.Top()
			if n := len(v.Groups); n > 0 && v.Groups[n-1].Unit == top {
				v.Groups[n-1].Span++
				continue
			}
			v.Groups = append(v.Groups, overviewGroup{Unit: top, Span: 1})
		}
	}
	for _, t := range tasks {
		row := overviewRow{Task: t.t, Label: t.ob.Label()}
		if !t.ob.Deadline.IsZero() {
			row.Deadline = t.ob.Deadline.In(s.Location).Format("2006-01-02 15:04")
		}
		for _, b := range branches {
			cell := overviewCell{Branch: b, Entry: site.Entry{Status: -1}}
			if t.in[b.ID] {
				cell.Entry = snap.Entry(t.ob, b.ID)
			}
			row.Cells = append(row.Cells, cell)
		}
		v.Rows = append(v.Rows, row)
	}
	return v
}
