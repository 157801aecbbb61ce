package publish

import (
	"slices"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/generator/site"
)

// Outputs are the outputs of s that show the changes, relative to the site
// root, sorted and without repeats: for a (task, period, branch), the task's
// page, the branch's page and its calendar, the assessment board and the
// home page (which lists what is due and overdue); for the opinions, the
// pages of the column that shows them.
func Outputs(s *site.Site, changes []collector.Change) []string {
	var out []string
	for _, c := range changes {
		if c.Opinions {
			continue // the renderer finds the pages that list opinions by what they read
		}
		if t := s.Task(c.Task); t != nil && t.Page != nil {
			out = append(out, t.Page.Path)
		}
		if b := s.Branch(c.Branch); b != nil && b.Index != nil {
			out = append(out, b.Index.Path, b.Index.Path+"calendar.ics")
		}
		out = append(out, "status/", "")
	}
	slices.Sort(out)
	return slices.Compact(out)
}
