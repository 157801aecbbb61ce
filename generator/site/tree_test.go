package site

import "testing"

// TestRollUp checks issue 17's roll-up: a unit's score is the sum of its
// 支部' scores and its rate the sum over the sum.
func TestRollUp(t *testing.T) {
	w := &Branch{ID: "w", Kind: KindDangwei}
	z := &Branch{ID: "z", Kind: KindZongzhi, Parent: w}
	a := &Branch{ID: "a", Parent: z}
	b := &Branch{ID: "b", Parent: w}
	c := &Branch{ID: "c"}
	w.Children = []*Branch{z, b}
	z.Children = []*Branch{a}
	s := &Site{Branches: []*Branch{w, z, a, b, c}}
	rows := []BoardRow{
		{Branch: w}, {Branch: z},
		{Branch: a, Assigned: 2, OnTime: 2, Score: 10, Possible: 10},
		{Branch: b, Assigned: 2, OnTime: 1, Missing: 1, Score: 5, Possible: 30},
		{Branch: c, Assigned: 1, Late: 1, Score: 3, Possible: 5},
	}
	got := RollUp(s, rows)
	if len(got) != 2 || got[0].Branch != w || got[1].Branch != c {
		t.Fatalf("rows %+v, want w and c", got)
	}
	if r := got[0]; r.Assigned != 4 || r.OnTime != 3 || r.Missing != 1 || r.Score != 15 || r.Possible != 40 || r.Percent() != 37.5 {
		t.Errorf("w: %+v (%.1f%%), want 4 assigned, 15 of 40, 37.5%%", r, r.Percent())
	}
	if r := got[1]; r.Score != 3 || r.Possible != 5 {
		t.Errorf("c: %+v", r)
	}
}

// TestRollUpEveryLevel: a 党委's drill-down rolls up to its children, and
// the sum of its children's rows is the 党委's own row (the rule is the same
// at every level).
func TestRollUpEveryLevel(t *testing.T) {
	w := &Branch{ID: "w", Kind: KindDangwei}
	z := &Branch{ID: "z", Kind: KindZongzhi, Parent: w}
	a := &Branch{ID: "a", Parent: z}
	a2 := &Branch{ID: "a2", Parent: z}
	b := &Branch{ID: "b", Parent: w}
	w.Children = []*Branch{z, b}
	z.Children = []*Branch{a, a2}
	rows := []BoardRow{
		{Branch: w}, {Branch: z},
		{Branch: a, Assigned: 2, OnTime: 2, Score: 10, Possible: 10},
		{Branch: a2, Assigned: 2, Late: 1, Pending: 1, Score: 4, Possible: 5},
		{Branch: b, Assigned: 2, OnTime: 1, Missing: 1, Score: 5, Possible: 30},
	}
	kids := RollUpTo(w.Children, rows)
	if len(kids) != 2 || kids[0].Branch != z || kids[1].Branch != b {
		t.Fatalf("rows %+v, want z and b", kids)
	}
	if r := kids[0]; r.Assigned != 4 || r.OnTime != 2 || r.Late != 1 || r.Pending != 1 || r.Score != 14 || r.Possible != 15 {
		t.Errorf("z: %+v, want the sum of a and a2", r)
	}
	top := RollUpTo([]*Branch{w}, rows)[0]
	if top.Score != kids[0].Score+kids[1].Score || top.Possible != kids[0].Possible+kids[1].Possible {
		t.Errorf("w %+v is not the sum of its children %+v", top, kids)
	}
	if got := RollUpTo(z.Children, rows); got[0].Score != 10 || got[1].Score != 4 {
		t.Errorf("a 总支's children are its 支部 as they are: %+v", got)
	}
}
