package publish

import (
	"slices"
	"strconv"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/generator/site"
)

// Outputs are the outputs of s that show the changes, relative to the site
// root, sorted, without repeats; nil means every output that shows
// statuses. A (task, period, branch) is shown by the task's page, the
// pages of the task list (done counts), the branch's page and its calendar,
// the assessment board of the year the obligation is due in (every year's
// when the period is unknown) and the home page (what is due and overdue); in an
// organization tree (issue 17) also by the task's page and the drill-down
// board of every unit above the branch, and by no other unit's page, so a
// submission among thousands of branches re-renders a handful of pages. A
// moderation changes the published opinions, which rarely change, and a
// commit by another process says nothing of what it changed: nil for both, so
// that the renderer finds the pages that list them by what they read.
//
// TestPublishMatchesBuild holds this against a full build.
func Outputs(s *site.Site, changes []collector.Change) []string {
	var out []string
	// Under load a render takes hundreds of changes to a few obligations;
	// each obligation's outputs are found once (the board's years cost a
	// scan of the tasks).
	seen := make(map[collector.Change]bool, len(changes))
	for _, c := range changes {
		if c.Opinions || c.All {
			return nil
		}
		if seen[c] {
			continue
		}
		seen[c] = true
		b := s.Branch(c.Branch)
		var chain []*site.Branch
		if b != nil {
			chain = b.Chain()
		}
		if t := s.Task(c.Task); t != nil && t.Page != nil {
			out = append(out, t.Page.Path)
			for _, u := range chain {
				out = append(out, t.Page.Path+"units/"+u.ID+"/")
			}
			if col := s.Column(t.Page.Column); col != nil {
				out = append(out, listPages(s, col)...)
			}
		}
		if b != nil && b.Index != nil {
			out = append(out, b.Index.Path, b.Index.Path+"calendar.ics")
		}
		out = append(out, "")
		year, one := changedYear(s, c)
		for i, y := range site.BoardYears(s, s.Now) {
			if one && y != year {
				continue // a year's board counts the obligations due in it
			}
			board := "status/"
			if i > 0 {
				board += strconv.Itoa(y) + "/"
			}
			out = append(out, board)
			for _, u := range chain {
				out = append(out, board+"units/"+u.ID+"/")
			}
		}
	}
	if len(changes) == 0 {
		return nil
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// changedYear is the year whose board counts the change's obligation (the
// year of its deadline, site.YearObligations), and whether it is known: a
// change of an unknown task or period is shown on every year's board.
func changedYear(s *site.Site, c collector.Change) (int, bool) {
	t := s.Task(c.Task)
	if t == nil {
		return 0, false
	}
	var p site.Period
	if t.Every != site.Once {
		var err error
		if p, err = site.ParsePeriod(c.Period); err != nil || p.Every != t.Every {
			return 0, false
		}
	}
	return t.ObligationFor(p, s.Location).Deadline.In(s.Location).Year(), true
}

// listPages are the paths of a column's list pages (Paginate entries each).
func listPages(s *site.Site, c *site.Column) []string {
	per := max(s.Config.Paginate, 1)
	total := max((len(c.Pages)+per-1)/per, 1)
	out := []string{c.Path()}
	for n := 2; n <= total; n++ {
		out = append(out, c.Path()+"page/"+strconv.Itoa(n)+"/")
	}
	return out
}
