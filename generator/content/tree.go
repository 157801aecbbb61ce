package content

import (
	"strings"

	"github.com/dangwu-org/dangwu/generator/site"
)

// branchKinds maps what an editor may write for kind to the kind.
var branchKinds = map[string]site.BranchKind{
	"": site.KindZhibu, "支部": site.KindZhibu, "党支部": site.KindZhibu,
	"总支": site.KindZongzhi, "党总支": site.KindZongzhi,
	"党委": site.KindDangwei, "二级党委": site.KindDangwei,
}

func (l *loader) branchKind(d *decoder) site.BranchKind {
	k := strings.TrimSpace(d.str("kind"))
	kind, ok := branchKinds[k]
	if !ok {
		d.fail("kind", msgBranchKind, k)
		return site.KindZhibu
	}
	return kind
}

// linkBranches builds the organization tree from each branch's parent and
// reports every unknown parent, parent that is a 支部, and cycle at the
// line of its parent key. A branch left without a valid parent stays at
// the top level, so the rest of the build sees a tree, never a loop.
func (l *loader) linkBranches(s *site.Site) {
	s.BranchByID = make(map[string]*site.Branch, len(s.Branches))
	ids := make([]string, 0, len(s.Branches))
	for _, b := range s.Branches {
		s.BranchByID[b.ID] = b
		ids = append(ids, b.ID)
	}
	for _, b := range s.Branches {
		if b.ParentID == "" {
			continue
		}
		file, line := l.file(b.Index.Source), b.Index.ParamLines["parent"]
		p := s.BranchByID[b.ParentID]
		switch {
		case p == b:
			l.diags.Add(file, line, "parent: "+msgBranchParentSelf)
		case p == nil:
			if near := suggest(b.ParentID, ids); near != "" && near != b.ID {
				l.diags.Add(file, line, "parent: "+msgBranchParentNear, b.ParentID, b.ParentID, near)
			} else {
				l.diags.Add(file, line, "parent: "+msgBranchParentUnknown, b.ParentID, b.ParentID)
			}
		case !p.IsUnit():
			l.diags.Add(file, line, "parent: "+msgBranchParentNotUnit, p.ID, l.file(p.Index.Source))
		default:
			b.Parent = p
		}
	}
	l.breakCycles(s)
	for _, b := range s.Branches {
		if b.Parent != nil {
			b.Parent.Children = append(b.Parent.Children, b)
		}
	}
}

// breakCycles reports each branch on a cycle of parents (a → b → a) and
// cuts the cycle there.
func (l *loader) breakCycles(s *site.Site) {
	const (
		unseen = iota
		walking
		done
	)
	state := make(map[*site.Branch]int, len(s.Branches))
	for _, b := range s.Branches {
		var path []*site.Branch
		x := b
		for x != nil && state[x] == unseen {
			state[x] = walking
			path = append(path, x)
			x = x.Parent
		}
		if x != nil && state[x] == walking {
			start := 0
			for path[start] != x {
				start++
			}
			loop := path[start:]
			names := make([]string, 0, len(loop)+1)
			for _, c := range loop {
				names = append(names, c.ID)
			}
			names = append(names, x.ID)
			for _, c := range loop {
				l.diags.Add(l.file(c.Index.Source), c.Index.ParamLines["parent"], "parent: "+msgBranchCycle, strings.Join(names, " → "))
			}
			for _, c := range loop {
				c.Parent = nil
			}
		}
		for _, c := range path {
			state[c] = done
		}
	}
}

// checkTaskBranches resolves each task's branches: by default every 支部;
// branches lists IDs, where "id/*" is every 支部 under the unit id; units
// lists units whose 支部 answer. An ID that names no branch, or a subtree
// of a 支部, is an error at the key's line.
func (l *loader) checkTaskBranches(s *site.Site) {
	for _, t := range s.Tasks {
		file := l.file(t.Page.Source)
		if len(t.Branches) == 0 && len(t.Units) == 0 {
			for _, b := range s.Branches {
				if !b.IsUnit() {
					t.Branches = append(t.Branches, b.ID)
				}
			}
			continue
		}
		var out []string
		seen := map[string]bool{}
		add := func(bs ...*site.Branch) {
			for _, b := range bs {
				if !seen[b.ID] {
					seen[b.ID] = true
					out = append(out, b.ID)
				}
			}
		}
		unit := func(key, id string) {
			b := s.Branch(id)
			switch {
			case b == nil:
				l.diags.Add(file, t.Page.ParamLines[key], key+": "+msgTaskBranch, id, id)
			case !b.IsUnit():
				l.diags.Add(file, t.Page.ParamLines[key], key+": "+msgTaskUnit, id, string(b.Kind))
			default:
				add(b.Zhibus()...)
			}
		}
		for _, id := range t.Branches {
			if u, ok := strings.CutSuffix(id, "/*"); ok {
				unit("branches", u)
				continue
			}
			b := s.Branch(id)
			if b == nil {
				l.diags.Add(file, t.Page.ParamLines["branches"], "branches: "+msgTaskBranch, id, id)
				continue
			}
			add(b)
		}
		for _, id := range t.Units {
			unit("units", id)
		}
		t.Branches = out
	}
}
