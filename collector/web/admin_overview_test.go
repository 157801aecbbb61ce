package web

import (
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/dangwu-org/dangwu/generator/site"
)

// TestBuildOverview checks the admin overview at scale (issue 17): 120
// 支部 under two 党委, filtered by unit, status and overdue, 50 columns a
// page, grouped by top-level unit.
func TestBuildOverview(t *testing.T) {
	loc := time.FixedZone("CST", 8*3600)
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, loc)
	a := &site.Branch{ID: "a", Title: "甲党委", Kind: site.KindDangwei}
	b := &site.Branch{ID: "b", Title: "乙党委", Kind: site.KindDangwei}
	branches := []*site.Branch{a, b}
	var ids []string
	for i := 0; i < 120; i++ {
		p := a
		if i >= 70 {
			p = b
		}
		z := &site.Branch{ID: fmt.Sprintf("z%03d", i), Parent: p}
		p.Children = append(p.Children, z)
		branches = append(branches, z)
		ids = append(ids, z.ID)
	}
	late := &site.Task{ID: "late", Deadline: now.Add(-time.Hour), Branches: ids}
	soon := &site.Task{ID: "soon", Deadline: now.Add(time.Hour), Branches: ids[:10]}
	s := &site.Site{Location: loc, Branches: branches, Tasks: []*site.Task{late, soon}}
	ob := late.Current(now, loc)
	snap := site.Snapshot{Now: now, Entries: map[string]map[string]site.Entry{
		ob.Key(): {"z005": {Status: site.StatusSubmitted, Versions: 1}, "z080": {Status: site.StatusReturned, Versions: 1}},
	}}
	tests := []struct {
		query              string
		total, page, pages int
		rows, cols, groups int
		first, prev, next  string
	}{
		{"", 120, 1, 3, 2, 50, 1, "z000", "", "?page=2"},
		{"page=3", 120, 3, 3, 2, 20, 1, "z100", "?page=2", ""},
		{"page=9", 120, 3, 3, 2, 20, 1, "z100", "?page=2", ""},
		{"page=2", 120, 2, 3, 2, 50, 2, "z050", "?", "?page=3"},
		{"unit=b", 50, 1, 1, 2, 50, 1, "z070", "", ""},
		{"unit=nope", 0, 1, 1, 2, 0, 0, "", "", ""},
		{"status=returned", 1, 1, 1, 2, 1, 1, "z080", "", ""},
		{"status=submitted&unit=a", 1, 1, 1, 2, 1, 1, "z005", "", ""},
		{"overdue=1&status=pending", 0, 1, 1, 1, 0, 0, "", "", ""},
		{"status=missing&page=2", 118, 2, 3, 2, 50, 2, "z051", "?status=missing", "?page=3&status=missing"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			q, _ := url.ParseQuery(tt.query)
			v := buildOverview(s, snap, now, parseOverviewFilter(q))
			first := ""
			if len(v.Branches) > 0 {
				first = v.Branches[0].ID
			}
			got := fmt.Sprint(v.Total, v.Page, v.Pages, len(v.Rows), len(v.Branches), len(v.Groups), first, v.Prev, v.Next)
			want := fmt.Sprint(tt.total, tt.page, tt.pages, tt.rows, tt.cols, tt.groups, tt.first, tt.prev, tt.next)
			if got != want {
				t.Errorf("got  %s\nwant %s", got, want)
			}
			if v.UnknownUnit != (tt.query == "unit=nope") {
				t.Errorf("UnknownUnit %v", v.UnknownUnit)
			}
		})
	}
}
