package theme

import "github.com/dangwu-org/dangwu/generator/site"

// UnitTotal is one top-level unit's line in a task's totals by unit
// (issue 17): how many of its 支部 must answer the obligation and how many
// did.
type UnitTotal struct {
	Unit *site.Branch
	// Total counts the unit's 支部 asked; Answered those with a version
	// (Approved and Returned among them); Missing those past the deadline
	// without one; Pending the rest.
	Total, Answered, Approved, Returned, Missing, Pending int
}

// UnitTotals splits the obligation's branches by top-level unit, in site
// order, leaving out units with none asked; nil for a flat site.
func (d *PageData) UnitTotals(o site.Obligation) []UnitTotal {
	if !d.Site.IsTree() {
		return nil
	}
	roots := d.Site.Roots()
	index := make(map[*site.Branch]int, len(roots))
	out := make([]UnitTotal, len(roots))
	for i, r := range roots {
		index[r] = i
		out[i].Unit = r
	}
	for _, id := range o.Task.Branches {
		b := d.Site.Branch(id)
		if b == nil {
			continue
		}
		u := &out[index[b.Top()]]
		u.Total++
		switch d.Snapshot.Entry(o, id).Status {
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
	kept := out[:0]
	for _, u := range out {
		if u.Total > 0 {
			kept = append(kept, u)
		}
	}
	return kept
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
