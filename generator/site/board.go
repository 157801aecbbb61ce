package site

import (
	"sort"
	"time"
)

// BoardRow is one branch's line on the assessment board (党建目标考核) for a year.
type BoardRow struct {
	Branch *Branch
	// Assigned counts the obligations of the year that have opened.
	Assigned int
	// OnTime, Late, Missing, Returned, Approved and Pending split them by
	// status; an approved answer also counts as on time or late.
	OnTime, Late, Missing, Returned, Approved, Pending int
	// Score is what the branch earned of Possible, the scores of the
	// obligations already due or answered.
	Score, Possible float64
}

// Percent is Score as a share of Possible, 0–100.
func (r BoardRow) Percent() float64 {
	if r.Possible == 0 {
		return 0
	}
	return r.Score / r.Possible * 100
}

// YearObligations lists, for every task, the obligations whose deadline
// falls in year (in loc) and that have opened by now, oldest first.
func YearObligations(s *Site, year int, now time.Time) []Obligation {
	loc := s.Location
	start := time.Date(year, 1, 1, 0, 0, 0, 0, loc)
	end := start.AddDate(1, 0, 0)
	var out []Obligation
	for _, t := range s.Tasks {
		// A period ends before its deadline, so begin one year early.
		for _, o := range t.Obligations(start.AddDate(-1, 0, 0), now, loc) {
			if o.Deadline.Before(start) || !o.Deadline.Before(end) {
				continue
			}
			if !o.Opens.IsZero() && o.Opens.After(now) {
				continue
			}
			out = append(out, o)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Deadline.Before(out[j].Deadline) })
	return out
}

// Board computes the assessment board of a year from a snapshot: each
// answer earns its task's score, a late one the Late fraction, a missing
// one the Missing fraction; returned answers earn nothing until they are
// answered again; obligations not yet due and not answered do not count.
func Board(s *Site, snap Snapshot, year int) []BoardRow {
	rows := make([]BoardRow, len(s.Branches))
	index := map[string]int{}
	for i, b := range s.Branches {
		rows[i].Branch = b
		index[b.ID] = i
	}
	weights := s.Config.Assessment
	for _, o := range YearObligations(s, year, snap.Now) {
		entries := snap.For(o)
		for _, id := range o.Task.Branches {
			i, ok := index[id]
			if !ok {
				continue
			}
			r := &rows[i]
			r.Assigned++
			e := entries.Of(id)
			score := o.Task.Score
			switch e.Status {
			case StatusPending:
				r.Pending++
				continue
			case StatusMissing:
				r.Missing++
				r.Score += score * weights.Missing
			case StatusReturned:
				r.Returned++
			case StatusSubmitted, StatusLate, StatusApproved:
				if e.Status == StatusApproved {
					r.Approved++
				}
				if e.Late || e.Status == StatusLate {
					r.Late++
					r.Score += score * weights.Late
				} else {
					r.OnTime++
					r.Score += score
				}
			}
			r.Possible += score
		}
	}
	return rows
}

// BoardYears lists the years that have obligations, newest first, always
// including the year of now.
func BoardYears(s *Site, now time.Time) []int {
	seen := map[int]bool{now.In(s.Location).Year(): true}
	for _, t := range s.Tasks {
		if t.Every == Once {
			if !t.Deadline.After(now.AddDate(1, 0, 0)) {
				seen[t.Deadline.In(s.Location).Year()] = true
			}
			continue
		}
		if !t.Start.IsZero() {
			for y := t.Start.In(s.Location).Year(); y <= now.In(s.Location).Year(); y++ {
				seen[y] = true
			}
		}
	}
	years := make([]int, 0, len(seen))
	for y := range seen {
		years = append(years, y)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(years)))
	return years
}

// RollUp turns the board rows of every branch into one row per top-level
// unit (issue 17): a unit's counts, Score and Possible are the sums of the
// 支部 in its subtree, so its rate is the sum of scores over the sum of
// possible scores, not an average of rates. A top-level 支部 keeps its row.
func RollUp(s *Site, rows []BoardRow) []BoardRow {
	return RollUpTo(s.Roots(), rows)
}

// RollUpTo is RollUp for the given branches: one row for each, the sum of
// the rows of the 支部 in its subtree. A unit's drill-down board (issue 17)
// rolls its rows up to its children, every level by the same rule: a
// 党委's score is its 总支s' scores summed, each of them its 支部s'.
func RollUpTo(nodes []*Branch, rows []BoardRow) []BoardRow {
	return IndexBoard(rows).RollUp(nodes)
}

// BoardIndex is a board's rows by branch ID: made once, it serves the
// roll-ups of every unit's page.
type BoardIndex map[string]*BoardRow

// IndexBoard indexes the rows; they must not change while it is used.
func IndexBoard(rows []BoardRow) BoardIndex {
	ix := make(BoardIndex, len(rows))
	for i := range rows {
		ix[rows[i].Branch.ID] = &rows[i]
	}
	return ix
}

// RollUp is RollUpTo with the rows indexed.
func (ix BoardIndex) RollUp(nodes []*Branch) []BoardRow {
	out := make([]BoardRow, 0, len(nodes))
	for _, n := range nodes {
		sum := BoardRow{Branch: n}
		for _, b := range n.Zhibus() {
			if r, ok := ix[b.ID]; ok {
				sum.add(r)
			}
		}
		out = append(out, sum)
	}
	return out
}

// add adds r's counts and scores to the row.
func (s *BoardRow) add(r *BoardRow) {
	s.Assigned += r.Assigned
	s.OnTime += r.OnTime
	s.Late += r.Late
	s.Missing += r.Missing
	s.Returned += r.Returned
	s.Approved += r.Approved
	s.Pending += r.Pending
	s.Score += r.Score
	s.Possible += r.Possible
}
