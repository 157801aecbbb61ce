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
