package site

import (
	"math/big"
	"time"
)

// Status is the state of one branch's answer to one obligation.
type Status int

// The statuses, in the order the board lists them.
const (
	StatusPending   Status = iota // 待提交
	StatusSubmitted               // 已提交
	StatusLate                    // 逾期提交
	StatusMissing                 // 逾期未交
	StatusReturned                // 退回修改
	StatusApproved                // 已通过
)

var statusLabels = [...]string{"待提交", "已提交", "逾期提交", "逾期未交", "退回修改", "已通过"}
var statusClasses = [...]string{"pending", "submitted", "late", "missing", "returned", "approved"}

// Label is the status as users read it; the only place the strings live.
func (s Status) Label() string {
	if int(s) < 0 || int(s) >= len(statusLabels) {
		return "未知"
	}
	return statusLabels[s]
}

// Class is a stable ASCII name for the status, for CSS classes and JSON.
func (s Status) Class() string {
	if int(s) < 0 || int(s) >= len(statusClasses) {
		return "unknown"
	}
	return statusClasses[s]
}

// Entry is the state of one (obligation, branch) pair.
type Entry struct {
	Status Status
	// Versions is the number of submitted versions.
	Versions int
	// Latest is when the newest version was received (zero when none).
	Latest time.Time
	// Late is whether the newest version arrived after the deadline.
	Late bool
	// Comment is the reviewer's comment when returned.
	Comment string
	// Fields are the newest version's field values, only for public tasks, masked.
	Fields map[string]string
	// Numbers are the newest version's number field values, only for tasks
	// with summary: public; pages show them only summed (Snapshot.Aggregate).
	Numbers map[string]string
}

// Snapshot is the status of every (obligation, branch) pair at one time,
// keyed by Obligation.Key() and then branch ID. A pair with no entry has no
// submission.
type Snapshot struct {
	Now     time.Time
	Entries map[string]map[string]Entry
	// Opinions are the published public opinions with their replies, newest
	// first, already masked.
	Opinions []Opinion
}

// Opinion is a published public opinion (群众意见) and the committee's reply.
type Opinion struct {
	ID      int64
	Name    string
	Content string
	Reply   string
	Created time.Time
	Replied time.Time
}

// Entry returns the stored entry of a pair, or the status the clock alone
// gives when nothing was submitted: pending before the deadline, missing after.
func (s Snapshot) Entry(o Obligation, branch string) Entry {
	if e, ok := s.Entries[o.Key()][branch]; ok {
		return e
	}
	if o.Late(s.Now) {
		return Entry{Status: StatusMissing}
	}
	return Entry{Status: StatusPending}
}

// For returns the entries of one obligation, to look up many branches
// (ObligationEntries.Of) without making the obligation's key for each.
func (s Snapshot) For(o Obligation) ObligationEntries {
	return ObligationEntries{m: s.Entries[o.Key()], late: o.Late(s.Now)}
}

// ObligationEntries are the entries of one obligation (Snapshot.For).
type ObligationEntries struct {
	m    map[string]Entry
	late bool
}

// Of is Snapshot.Entry for the obligation and branch.
func (e ObligationEntries) Of(branch string) Entry {
	if x, ok := e.m[branch]; ok {
		return x
	}
	if e.late {
		return Entry{Status: StatusMissing}
	}
	return Entry{Status: StatusPending}
}

// Aggregate is the published summary of an obligation's number fields:
// per field how many branches gave a value, the total and the average.
type Aggregate struct {
	Rows []AggregateRow
	// Branches is how many branches answered with any number.
	Branches int
}

// AggregateRow is one number field of an Aggregate.
type AggregateRow struct {
	Label          string
	Count          int
	Total, Average string
}

// Aggregate sums the number fields of o's task over the branches'
// newest answers (tasks with summary: public); no Rows when none answered.
func (s Snapshot) Aggregate(o Obligation) Aggregate {
	var a Aggregate
	answered := map[string]bool{}
	for _, f := range o.Task.Fields {
		if f.Type != FieldInteger && f.Type != FieldNumber {
			continue
		}
		var vals []string
		for _, b := range o.Task.Branches {
			if v := s.Entries[o.Key()][b].Numbers[f.Name]; v != "" {
				vals = append(vals, v)
				answered[b] = true
			}
		}
		dec := 0
		if f.Type == FieldNumber {
			dec = f.Decimals
		}
		n, total, avg := SumDecimals(vals, dec)
		a.Rows = append(a.Rows, AggregateRow{Label: f.Label, Count: n, Total: total, Average: avg})
	}
	a.Branches = len(answered)
	if a.Branches == 0 {
		a.Rows = nil
	}
	return a
}

// SumDecimals adds canonical decimals exactly (big.Rat, no float) and
// returns how many there were, the total with dec decimals and the
// average with dec+2; "" for both when there are none.
func SumDecimals(vals []string, dec int) (n int, total, average string) {
	sum := new(big.Rat)
	for _, v := range vals {
		if r, ok := new(big.Rat).SetString(v); ok {
			sum.Add(sum, r)
			n++
		}
	}
	if n == 0 {
		return 0, "", ""
	}
	return n, sum.FloatString(dec), new(big.Rat).Quo(sum, big.NewRat(int64(n), 1)).FloatString(dec + 2)
}
