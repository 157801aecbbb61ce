package site

import "time"

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
