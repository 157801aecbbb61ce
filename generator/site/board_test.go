package site

import "testing"

func TestBoard(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Assessment = Assessment{Late: 0.5, Missing: 0}
	yi, er := &Branch{ID: "yi"}, &Branch{ID: "er"}
	once := &Task{ID: "zongjie", Score: 10, Deadline: at("2026-06-30 17:00"), Branches: []string{"yi", "er"}}
	monthly := &Task{ID: "zhuti", Score: 2, Every: Monthly, Due: 10, Branches: []string{"yi", "er"}, Page: &Page{Date: at("2025-12-01 00:00")}, Start: at("2025-12-01 00:00")}
	future := &Task{ID: "later", Score: 5, Deadline: at("2026-12-31 17:00"), Branches: []string{"yi"}}
	s := &Site{Config: cfg, Location: shanghai, Branches: []*Branch{yi, er}, Tasks: []*Task{once, monthly, future}}
	now := at("2026-03-15 12:00")
	snap := Snapshot{Now: now, Entries: map[string]map[string]Entry{
		"zongjie":       {"yi": {Status: StatusApproved}},
		"zhuti/2026-01": {"yi": {Status: StatusSubmitted}, "er": {Status: StatusLate, Late: true}},
		"zhuti/2026-02": {"yi": {Status: StatusReturned, Comment: "缺照片"}},
	}}
	rows := Board(s, snap, 2026)
	// yi: zongjie approved on time (10/10), Jan on time (2/2), Feb returned (0/2), Mar open (pending), later pending.
	// Dec 2025's obligation is due Jan 10, 2026: missing for both (0/2).
	r := rows[0]
	if r.Assigned != 6 || r.OnTime != 2 || r.Approved != 1 || r.Returned != 1 || r.Missing != 1 || r.Pending != 2 || r.Score != 12 || r.Possible != 16 {
		t.Errorf("yi: %+v", r)
	}
	// er: Dec missing, Jan late (1 of 2), Feb missing, Mar and zongjie pending.
	r = rows[1]
	if r.Assigned != 5 || r.Late != 1 || r.Missing != 2 || r.Pending != 2 || r.Score != 1 || r.Possible != 6 {
		t.Errorf("er: %+v", r)
	}
	if got := BoardYears(s, now); len(got) != 2 || got[0] != 2026 || got[1] != 2025 {
		t.Errorf("years %v", got)
	}
}
