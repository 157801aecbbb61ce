package theme

import "github.com/dangwu-org/dangwu/generator/site"

// UnitTotal is one child unit's line in a task's totals by unit (issue
// 17): how many of its 支部 must answer the obligation and how many did.
type UnitTotal struct {
	Unit *site.Branch
	// URL is the unit's page of the task.
	URL string
	// Total counts the unit's 支部 asked; Answered those with a version
	// (Approved and Returned among them); Missing those past the deadline
	// without one; Pending the rest.
	Total, Answered, Approved, Returned, Missing, Pending int
}

// TaskUnit is a child unit on a task's page: the 支部 asked in its
// subtree and its own page of the task.
type TaskUnit struct {
	Unit     *site.Branch
	Branches []string
	URL      string
}

// UnitTotals are the page's child units (TaskUnits) with their totals for
// the obligation; nil for a flat site.
func (d *PageData) UnitTotals(o site.Obligation) []UnitTotal {
	if len(d.TaskUnits) == 0 {
		return nil
	}
	out := make([]UnitTotal, len(d.TaskUnits))
	for i, tu := range d.TaskUnits {
		u := &out[i]
		u.Unit, u.URL, u.Total = tu.Unit, tu.URL, len(tu.Branches)
		entries := d.Snapshot.For(o)
		for _, id := range tu.Branches {
			switch entries.Of(id).Status {
			case site.StatusPending:
				u.Pending++
			case site.StatusMissing:
				u.Missing++
			case site.StatusApproved:
				u.Answered++
				u.Approved++
			case site.StatusReturned:
				u.Answered++
				u.Returned++
			default:
				u.Answered++
			}
		}
	}
	return out
}

// TaskFormURL is the page whose form offers branch b for task t: on a tree
// site the task's page of b's parent unit, else the task's own page.
func (d *PageData) TaskFormURL(t *site.Task, b *site.Branch) string {
	if t.Page == nil {
		return ""
	}
	if b != nil && b.Parent != nil {
		return d.Site.Config.RelURL(t.Page.Path + "units/" + b.Parent.ID + "/")
	}
	return d.Site.Config.RelURL(t.Page.Path)
}

// SetBoardBase says which year's board the page shows ("status/" or
// "status/2025/"), for BoardLink.
func (d *PageData) SetBoardBase(rel string) { d.boardBase = rel }

// BoardLink is where a board row of b links: a unit's drill-down board of
// the same year, a 支部's own page.
func (d *PageData) BoardLink(b *site.Branch) string {
	if b.IsUnit() && d.Site.IsTree() {
		return d.Site.Config.RelURL(d.boardBase + "units/" + b.ID + "/")
	}
	if b.Index == nil {
		return ""
	}
	return d.Site.Config.RelURL(b.Index.Path)
}

// Done counts the branches asked by o's task whose newest answer to o is
// submitted, late or approved (the task list's 报送情况).
func (d *PageData) Done(o site.Obligation) int {
	entries := d.Snapshot.Entries[o.Key()]
	n := 0
	for _, id := range o.Task.Branches {
		// A branch without an entry has the zero status, pending.
		switch entries[id].Status {
		case site.StatusSubmitted, site.StatusLate, site.StatusApproved:
			n++
		}
	}
	return n
}
