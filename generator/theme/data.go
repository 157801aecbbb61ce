package theme

import (
	"sort"
	"time"

	"github.com/dangwu-org/dangwu/generator/site"
)

// Page kinds, the values of PageData.Kind.
const (
	KindHome     = "home"     // 首页
	KindSection  = "section"  // 栏目列表
	KindPage     = "page"     // 文章
	KindBranch   = "branch"   // 支部主页
	KindTaxonomy = "taxonomy" // 标签总览
	KindTerm     = "term"     // 单个标签
	KindSearch   = "search"   // 站内搜索
	KindNotFound = "404"      // 页面不存在
	KindAlias    = "alias"    // 旧地址跳转
	KindStatus   = "status"   // 考核看板
	// KindTaskUnit is a unit's page of a task (/tasks/<id>/units/<unit>/,
	// issue 17): the task's layout with the unit's 支部, not the page's
	// own output.
	KindTaskUnit = "task-unit"
)

// PageData is what every layout receives.
type PageData struct {
	Site *site.Site
	// Kind is one of the Kind constants.
	Kind string
	// Page is the page being rendered; for home, section and branch pages
	// it is their _index.md. Nil on taxonomy, term, search and 404 pages.
	Page *site.Page
	// Column is the column the page belongs to, nil on the home page and
	// on pages at the content root.
	Column *site.Column
	// Section is the section (子栏目) listed, or the innermost one the page
	// is in; nil when there is none.
	Section *site.Section
	// Sections are the sections directly in the column or section listed.
	Sections []*site.Section
	// Branch is set on a branch's page and its posts.
	Branch *site.Branch
	// Task is set on a task's page.
	Task *site.Task
	// Title is the page's own title (without the site's).
	Title string
	// Path is this output's URL path relative to the site root ("news/page/2/").
	Path string
	// Pages are the list entries on this page of a list (section, branch, term, home's latest).
	Pages []*site.Page
	// Pager is set on paginated lists.
	Pager *Pager
	// Tag is the tag of a term page; Tags all tags on the taxonomy page.
	Tag  *site.Tag
	Tags []*site.Tag
	// Menu is the main navigation, one item per column, with the current one active.
	Menu []MenuItem
	// Crumbs are the breadcrumbs from the home page to the parent of this page.
	Crumbs []Crumb
	// Target is where an alias page redirects to.
	Target string
	// Snapshot holds the task statuses; Now is the build's time.
	Snapshot site.Snapshot
	Now      time.Time
	// APIURL is the collector's base URL for forms ("/api/" under the site's base path by default).
	APIURL string
	// Board, Year and Years are set on the assessment board (/status/).
	Board []site.BoardRow
	// BoardRollUp says Board has one row per top-level unit, each the sum
	// of its 支部 (an organization tree, issue 17).
	BoardRollUp bool
	// BoardTotal is, on a unit's drill-down board, the unit's own row: the
	// sum of the rows of Board.
	BoardTotal *site.BoardRow
	Year       int
	Years      []YearLink
	// Unit is the 总支 or 党委 a unit's page is about: its drill-down board
	// (issue 17).
	Unit *site.Branch
	// TaskBranches are the 支部 a task's page lists and its form offers:
	// every one asked on a flat site; on a tree site those directly under
	// the page's unit (at the top level on the task's own page). TaskScope
	// are all the 支部 asked within the page's unit, TaskUnits its child
	// units with 支部 asked (issue 17).
	TaskBranches []string
	TaskScope    []string
	TaskUnits    []TaskUnit
	// boardBase is the board of the year shown ("status/", "status/2025/").
	boardBase string

	// memo, when set, holds the partials rendered for earlier pages.
	memo *Memo
}

// YearLink is a year of the assessment board.
type YearLink struct {
	Year    int
	URL     string
	Current bool
}

// ObligationRow is an obligation with how many of its branches answered.
type ObligationRow struct {
	site.Obligation
	// Answered counts branches with a version; Total those asked.
	Answered, Total int
	// Missing are the branches that did not answer by the deadline.
	Missing []*site.Branch
}

func (d *PageData) row(o site.Obligation) ObligationRow {
	r := ObligationRow{Obligation: o, Total: len(o.Task.Branches)}
	entries := d.Snapshot.For(o)
	for _, id := range o.Task.Branches {
		e := entries.Of(id)
		switch e.Status {
		case site.StatusPending:
		case site.StatusMissing:
			if b := d.Site.Branch(id); b != nil {
				r.Missing = append(r.Missing, b)
			}
		default:
			r.Answered++
		}
	}
	return r
}

// Upcoming lists the obligations open now, nearest deadline first, at most n.
func (d *PageData) Upcoming(n int) []ObligationRow {
	var out []ObligationRow
	for _, t := range d.Site.Tasks {
		o := t.Current(d.Now, d.Site.Location)
		if !o.Open(d.Now) || o.Late(d.Now) {
			continue
		}
		out = append(out, d.row(o))
	}
	sortRows(out, false)
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// Overdue lists this year's obligations whose deadline passed with branches
// missing, most recent first.
func (d *PageData) Overdue() []ObligationRow {
	var out []ObligationRow
	for _, o := range site.YearObligations(d.Site, d.Now.In(d.Site.Location).Year(), d.Now) {
		if !o.Late(d.Now) {
			continue
		}
		if r := d.row(o); len(r.Missing) > 0 {
			out = append(out, r)
		}
	}
	sortRows(out, true)
	return out
}

// BranchObligations lists this year's obligations of a branch, past and
// open, newest deadline first, with the branch's entry for each.
func (d *PageData) BranchObligations(branch string) []BranchObligation {
	var out []BranchObligation
	year := d.Now.In(d.Site.Location).Year()
	for _, o := range site.YearObligations(d.Site, year, d.Now) {
		if !o.Task.Asks(branch) {
			continue
		}
		out = append(out, BranchObligation{Obligation: o, Entry: d.Snapshot.Entry(o, branch)})
	}
	// Open obligations of next year's deadlines (a December task due in January).
	for _, t := range d.Site.Tasks {
		o := t.Current(d.Now, d.Site.Location)
		if o.Deadline.In(d.Site.Location).Year() > year && t.Asks(branch) && o.Open(d.Now) {
			out = append(out, BranchObligation{Obligation: o, Entry: d.Snapshot.Entry(o, branch)})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Deadline.After(out[j].Deadline) })
	return out
}

// BranchObligation is one obligation of a branch with its status.
type BranchObligation struct {
	site.Obligation
	Entry site.Entry
}

func sortRows(rows []ObligationRow, newestFirst bool) {
	sort.SliceStable(rows, func(i, j int) bool {
		if newestFirst {
			return rows[i].Deadline.After(rows[j].Deadline)
		}
		return rows[i].Deadline.Before(rows[j].Deadline)
	})
}

// Pager is the position in a paginated list.
type Pager struct {
	Number int
	Total  int
	// Prev and Next are URLs ("" when none).
	Prev, Next string
	Links      []PagerLink
}

// PagerLink is a numbered link of a pager, or a gap (…) where a long
// pager leaves numbers out.
type PagerLink struct {
	Number  int
	URL     string
	Current bool
	Gap     bool
}

// MenuItem is an entry of the main navigation.
type MenuItem struct {
	Title  string
	URL    string
	Active bool
}

// Crumb is one step of the breadcrumbs.
type Crumb struct {
	Title string
	URL   string
}
