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
