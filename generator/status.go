package generator

import (
	"strconv"

	"github.com/dangwu-org/dangwu/generator/live"
	"github.com/dangwu-org/dangwu/generator/output"
	"github.com/dangwu-org/dangwu/generator/site"
	"github.com/dangwu-org/dangwu/generator/theme"
)

// statusOutputs are the assessment board (/status/ for the current year,
// /status/<year>/ for earlier ones) and the deadline calendars
// (/calendar.ics, /branches/<id>/calendar.ics and, for a 总支 or 党委,
// /units/<id>/calendar.ics).
func (r *renderer) statusOutputs() ([]live.Output, error) {
	s := r.s
	var outs []live.Output
	years := site.BoardYears(s, r.snap.Now)
	if !r.theme.Has("status.html") {
		years = nil // a theme without a board layout has no board
	}
	for i, y := range years {
		rel := statusPath(y, i == 0)
		v := &view{kind: theme.KindStatus, path: rel, title: "党建目标考核（" + strconv.Itoa(y) + "年度）", year: y}
		o, err := r.special(rel+"index.html", v, "status.html")
		if err != nil {
			return nil, err
		}
		outs = append(outs, o)
		units, err := r.unitBoardOutputs(y, i == 0)
		if err != nil {
			return nil, err
		}
		outs = append(outs, units...)
	}
	outs = append(outs, data("calendar.ics", makeCalendar, &view{title: s.Config.Title + " 工作任务"}))
	for _, b := range s.Branches {
		outs = append(outs, data(b.Index.Path+"calendar.ics", makeCalendar, &view{title: b.Title + " 工作任务", branch: b}))
		if b.IsUnit() {
			outs = append(outs, data("units/"+b.ID+"/calendar.ics", makeUnitCalendar, &view{title: b.Title + " 工作任务", unit: b}))
		}
	}
	return outs, nil
}

// statusPath is where the board of a year lives.
func statusPath(year int, current bool) string {
	if current {
		return "status/"
	}
	return "status/" + strconv.Itoa(year) + "/"
}

// boardData fills the board's fields of a status page: the top level's
// or, on a unit's drill-down page (d.Unit), its children's rows with the
// unit's own sum.
func (r *renderer) boardData(d *theme.PageData, year int) {
	s := r.s
	d.Year = year
	var index site.BoardIndex
	d.Board, index = r.boards.board(s, r.snap, year)
	current := false
	for i, y := range site.BoardYears(s, r.snap.Now) {
		current = current || i == 0 && y == year
		rel := statusPath(y, i == 0)
		if d.Unit != nil {
			rel += unitBoardPath(d.Unit)
		}
		d.Years = append(d.Years, theme.YearLink{Year: y, URL: s.Config.RelURL(rel), Current: y == year})
	}
	d.SetBoardBase(statusPath(year, current))
	if !s.IsTree() {
		return
	}
	d.BoardRollUp = true
	if d.Unit == nil {
		d.Board = index.RollUp(s.Roots())
		return
	}
	d.Board = index.RollUp(d.Unit.Children)
	total := index.RollUp([]*site.Branch{d.Unit})[0]
	d.BoardTotal = &total
	d.Crumbs = append(d.Crumbs, theme.Crumb{Title: "党建目标考核（" + strconv.Itoa(year) + "年度）", URL: s.Config.RelURL(statusPath(year, current))})
	for _, p := range d.Unit.Chain() {
		d.Crumbs = append(d.Crumbs, theme.Crumb{Title: p.Title, URL: s.Config.RelURL(statusPath(year, current) + unitBoardPath(p))})
	}
}

// events are the deadlines of the last and the next twelve months; for a
// branch, only the tasks it must answer, with its status.
func (r *renderer) events(branch *site.Branch) []output.Event {
	if branch == nil {
		return r.eventsFor("", func(t *site.Task, _ site.Obligation) (string, bool) {
			return "报送范围：" + strconv.Itoa(len(t.Branches)) + " 个党支部", true
		})
	}
	return r.eventsFor(branch.ID+"/", func(t *site.Task, o site.Obligation) (string, bool) {
		if !t.Asks(branch.ID) {
			return "", false
		}
		return branch.Title + "：" + r.snap.Entry(o, branch.ID).Status.Label(), true
	})
}

// unitEvents are the deadlines of the tasks that any 支部 under the unit u
// must answer (/units/<id>/calendar.ics, issue 17), with how many of its
// 支部 must.
func (r *renderer) unitEvents(u *site.Branch) []output.Event {
	mine := map[string]bool{}
	for _, b := range u.Zhibus() {
		mine[b.ID] = true
	}
	return r.eventsFor("unit-"+u.ID+"/", func(t *site.Task, _ site.Obligation) (string, bool) {
		n := 0
		for _, id := range t.Branches {
			if mine[id] {
				n++
			}
		}
		return u.Title + "报送范围：" + strconv.Itoa(n) + " 个党支部", n > 0
	})
}

// eventsFor lists the deadlines of the last and the next twelve months of
// the tasks describe accepts, with its description; prefix keeps the UIDs
// of different calendars apart.
func (r *renderer) eventsFor(prefix string, describe func(*site.Task, site.Obligation) (string, bool)) []output.Event {
	s := r.s
	now := r.snap.Now
	var evs []output.Event
	for _, t := range s.Tasks {
		for _, o := range t.Obligations(now.AddDate(-1, 0, 0), now.AddDate(1, 0, 0), s.Location) {
			if o.Deadline.Before(now.AddDate(-1, 0, 0)) || o.Deadline.After(now.AddDate(1, 0, 0)) {
				continue
			}
			desc, ok := describe(t, o)
			if !ok {
				break
			}
			evs = append(evs, output.Event{
				UID:         prefix + o.Key() + "@" + s.Config.Origin() + s.Config.BasePath(),
				Start:       o.Deadline,
				Summary:     "截止：" + o.Label(),
				URL:         s.Config.AbsURL(t.Page.Path),
				Description: desc,
			})
		}
	}
	return evs
}
