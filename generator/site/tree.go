package site

// BranchKind says what a branch folder is: a 党支部, or a unit above branches
// (a 党总支 or a 二级党委) that other branch folders name as their parent.
type BranchKind string

// The kinds of branch folders. A folder without kind is a 支部.
const (
	KindZhibu   BranchKind = "支部"
	KindZongzhi BranchKind = "总支"
	KindDangwei BranchKind = "党委"
)

// IsUnit reports whether branches may sit under b (a 总支 or a 党委).
func (b *Branch) IsUnit() bool { return b.Kind == KindZongzhi || b.Kind == KindDangwei }

// Chain returns b's parents from the top level down to its parent; empty
// for a top-level branch.
func (b *Branch) Chain() []*Branch {
	var up []*Branch
	for p := b.Parent; p != nil; p = p.Parent {
		up = append(up, p)
	}
	for i, j := 0, len(up)-1; i < j; i, j = i+1, j-1 {
		up[i], up[j] = up[j], up[i]
	}
	return up
}

// Top returns the top-level unit (or branch) that b belongs to; b itself
// when it has no parent.
func (b *Branch) Top() *Branch {
	for b.Parent != nil {
		b = b.Parent
	}
	return b
}

// Subtree returns b and everything under it, depth first in site order.
func (b *Branch) Subtree() []*Branch {
	out := []*Branch{b}
	for _, c := range b.Children {
		out = append(out, c.Subtree()...)
	}
	return out
}

// Zhibus returns the 支部 in b's subtree (b itself when it is one), the
// branches that answer a task addressed to the subtree.
func (b *Branch) Zhibus() []*Branch {
	var out []*Branch
	for _, x := range b.Subtree() {
		if !x.IsUnit() {
			out = append(out, x)
		}
	}
	return out
}

// Roots returns the top-level branch folders in site order: for a flat site
// every branch, for a tree the 党委 and 总支 (and any branch) with no parent.
func (s *Site) Roots() []*Branch {
	var out []*Branch
	for _, b := range s.Branches {
		if b.Parent == nil {
			out = append(out, b)
		}
	}
	return out
}

// IsTree reports whether any branch has a parent: a flat site is one level
// and keeps its flat pages.
func (s *Site) IsTree() bool {
	for _, b := range s.Branches {
		if b.Parent != nil {
			return true
		}
	}
	return false
}
