package site

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Task is a 工作任务 that branches must answer: content/tasks/<id>.md.
type Task struct {
	ID    string
	Title string
	// Deadline is the one deadline of a task that does not recur.
	Deadline time.Time
	// Opens is when answers are first accepted; zero means at once.
	Opens time.Time
	// Branches are the IDs of the branches that must answer, in site order.
	Branches []string
	// Units are the front matter's units: the 总支 and 党委 whose 支部 must
	// answer, resolved into Branches by Load.
	Units []string
	// Score is the task's assessment points.
	Score float64
	// CloseAfterDeadline rejects late answers instead of accepting them as late.
	CloseAfterDeadline bool
	// Public publishes submitted field values on the site, masked.
	Public bool
	// PublicAfterReview publishes them only once the committee approved
	// the version (默认开启: front matter without the key).
	PublicAfterReview bool
	// Notice (kind: notice) makes a 通知 that branches sign as read (已阅):
	// a submission is a sign-off, with an optional comment.
	Notice bool
	// SummaryPublic (summary: public) publishes the totals and averages of
	// the number fields on the task page, never a branch's own values.
	SummaryPublic bool
	Fields        []Field
	// Every makes the task recur: one obligation per branch per period.
	Every Every
	// Due is the number of days after a period ends that its answers are due.
	Due int
	// Start is when a recurring task begins (its opens, else its page's
	// date): no obligation comes from a period before it.
	Start time.Time
	// Page is the task's page.
	Page *Page

	// asks is Branches as a set, made on first use (Asks).
	asksOnce sync.Once
	asks     map[string]bool
}

// Asks reports whether the branch must answer the task. Pages of thousands
// of branches ask it for every branch and obligation, so it is a set
// lookup, not a search of Branches; Branches must not change after the
// first call.
func (t *Task) Asks(branch string) bool {
	t.asksOnce.Do(func() {
		t.asks = make(map[string]bool, len(t.Branches))
		for _, id := range t.Branches {
			t.asks[id] = true
		}
	})
	return t.asks[branch]
}

// Every is how often a recurring task recurs.
type Every string

// The recurrences.
const (
	Once    Every = ""
	Monthly Every = "month"
	Quarter Every = "quarter"
	Yearly  Every = "year"
)

// Period is one occurrence of a recurring task: "2026-11", "2026-Q4" or "2026".
// The zero Period is the single occurrence of a task that does not recur.
type Period struct {
	Every Every
	Year  int
	// N is the month (1–12) or quarter (1–4); 0 for a year.
	N int
}

// String is the period's identifier, as in zhutidangri/2026-11. It is
// part of every status lookup (Obligation.Key), so it is made without fmt.
func (p Period) String() string {
	var buf [16]byte
	switch p.Every {
	case Monthly:
		return string(appendPadded(append(appendPadded(buf[:0], p.Year, 4), '-'), p.N, 2))
	case Quarter:
		return string(strconv.AppendInt(append(appendPadded(buf[:0], p.Year, 4), '-', 'Q'), int64(p.N), 10))
	case Yearly:
		return string(appendPadded(buf[:0], p.Year, 4))
	}
	return ""
}

// appendPadded appends n in decimal with at least width digits, as %0*d.
func appendPadded(b []byte, n, width int) []byte {
	if n < 0 {
		return fmt.Appendf(b, "%0*d", width, n)
	}
	s := strconv.Itoa(n)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

// Label is the period in Chinese: 2026年11月, 2026年第四季度, 2026年度.
func (p Period) Label() string {
	switch p.Every {
	case Monthly:
		return fmt.Sprintf("%d年%d月", p.Year, p.N)
	case Quarter:
		return fmt.Sprintf("%d年第%s季度", p.Year, []string{"", "一", "二", "三", "四"}[p.N])
	case Yearly:
		return fmt.Sprintf("%d年度", p.Year)
	}
	return ""
}

// Start is the first instant of the period in loc.
func (p Period) Start(loc *time.Location) time.Time {
	switch p.Every {
	case Monthly:
		return time.Date(p.Year, time.Month(p.N), 1, 0, 0, 0, 0, loc)
	case Quarter:
		return time.Date(p.Year, time.Month(3*(p.N-1)+1), 1, 0, 0, 0, 0, loc)
	}
	return time.Date(p.Year, 1, 1, 0, 0, 0, 0, loc)
}

// End is the first instant after the period.
func (p Period) End(loc *time.Location) time.Time {
	s := p.Start(loc)
	switch p.Every {
	case Monthly:
		return s.AddDate(0, 1, 0)
	case Quarter:
		return s.AddDate(0, 3, 0)
	}
	return s.AddDate(1, 0, 0)
}

// Next is the period after p.
func (p Period) Next() Period {
	switch p.Every {
	case Monthly:
		if p.N == 12 {
			return Period{p.Every, p.Year + 1, 1}
		}
		return Period{p.Every, p.Year, p.N + 1}
	case Quarter:
		if p.N == 4 {
			return Period{p.Every, p.Year + 1, 1}
		}
		return Period{p.Every, p.Year, p.N + 1}
	}
	return Period{p.Every, p.Year + 1, 0}
}

// PeriodOf returns the period of the given recurrence that contains t.
func PeriodOf(e Every, t time.Time) Period {
	switch e {
	case Monthly:
		return Period{e, t.Year(), int(t.Month())}
	case Quarter:
		return Period{e, t.Year(), (int(t.Month())-1)/3 + 1}
	case Yearly:
		return Period{e, t.Year(), 0}
	}
	return Period{}
}

// ParsePeriod parses "2026-11", "2026-Q4" or "2026".
func ParsePeriod(s string) (Period, error) {
	bad := fmt.Errorf("period %q: not YYYY, YYYY-MM or YYYY-Qn", s)
	if len(s) < 4 {
		return Period{}, bad
	}
	year, err := strconv.Atoi(s[:4])
	if err != nil || year < 1900 || year > 9999 || strings.HasPrefix(s, "+") || strings.HasPrefix(s, "-") {
		return Period{}, bad
	}
	rest := s[4:]
	switch {
	case rest == "":
		return Period{Yearly, year, 0}, nil
	case len(rest) == 3 && rest[:2] == "-Q" && rest[2] >= '1' && rest[2] <= '4':
		return Period{Quarter, year, int(rest[2] - '0')}, nil
	case len(rest) == 3 && rest[0] == '-' && isDigit(rest[1]) && isDigit(rest[2]):
		m := int(rest[1]-'0')*10 + int(rest[2]-'0')
		if m >= 1 && m <= 12 {
			return Period{Monthly, year, m}, nil
		}
	}
	return Period{}, bad
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// Obligation is what one task asks of branches in one period (for a task that
// does not recur, its only period is the zero Period).
type Obligation struct {
	Task     *Task
	Period   Period
	Opens    time.Time
	Deadline time.Time
}

// Key identifies the obligation: "dangke" or "zhutidangri/2026-11".
func (o Obligation) Key() string {
	if o.Period.Every == Once {
		return o.Task.ID
	}
	return o.Task.ID + "/" + o.Period.String()
}

// Label is the obligation's title with its period for a recurring task.
func (o Obligation) Label() string {
	if o.Period.Every == Once {
		return o.Task.Title
	}
	return o.Task.Title + "（" + o.Period.Label() + "）"
}

// ObligationFor returns the obligation of period p.
func (t *Task) ObligationFor(p Period, loc *time.Location) Obligation {
	if t.Every == Once {
		return Obligation{Task: t, Opens: t.Opens, Deadline: t.Deadline}
	}
	return Obligation{
		Task:     t,
		Period:   p,
		Opens:    p.Start(loc),
		Deadline: p.End(loc).AddDate(0, 0, t.Due),
	}
}

// Obligations lists the task's obligations whose periods have started by now,
// beginning with the period containing since (for a recurring task), oldest first.
// A task that does not recur has exactly one.
func (t *Task) Obligations(since, now time.Time, loc *time.Location) []Obligation {
	if t.Every == Once {
		return []Obligation{t.ObligationFor(Period{}, loc)}
	}
	if since.Before(t.Start) {
		since = t.Start
	}
	var out []Obligation
	for p := PeriodOf(t.Every, since.In(loc)); !p.Start(loc).After(now); p = p.Next() {
		out = append(out, t.ObligationFor(p, loc))
	}
	return out
}

// Current returns the obligation a branch answers at now: for a recurring
// task, the latest period whose deadline has not passed, else the current one.
func (t *Task) Current(now time.Time, loc *time.Location) Obligation {
	if t.Every == Once {
		return t.ObligationFor(Period{}, loc)
	}
	cur := PeriodOf(t.Every, now.In(loc))
	prev := PeriodOf(t.Every, cur.Start(loc).Add(-time.Nanosecond))
	if o := t.ObligationFor(prev, loc); now.Before(o.Deadline) {
		return o
	}
	return t.ObligationFor(cur, loc)
}

// Open reports whether the obligation accepts answers at now.
func (o Obligation) Open(now time.Time) bool {
	if !o.Opens.IsZero() && now.Before(o.Opens) {
		return false
	}
	if o.Task.CloseAfterDeadline && !o.Deadline.IsZero() && !now.Before(o.Deadline) {
		return false
	}
	return true
}

// Late reports whether an answer received at t is late.
func (o Obligation) Late(t time.Time) bool {
	return !o.Deadline.IsZero() && !t.Before(o.Deadline)
}

// Answerable lists the obligations a branch may answer at now, newest
// first: for a recurring task every period since its start (at most since
// the beginning of last year) that has opened and that is not closed by
// closeAfterDeadline; overdue periods are made up as late (逾期提交).
// A task that does not recur has its one obligation while it is open.
func (t *Task) Answerable(now time.Time, loc *time.Location) []Obligation {
	if t.Every == Once {
		if o := t.ObligationFor(Period{}, loc); o.Open(now) {
			return []Obligation{o}
		}
		return nil
	}
	since := time.Date(now.In(loc).Year()-1, 1, 1, 0, 0, 0, 0, loc)
	if since.Before(t.Start) {
		since = t.Start
	}
	var out []Obligation
	for _, o := range t.Obligations(since, now, loc) {
		if o.Open(now) {
			out = append(out, o)
		}
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// PeriodError says why an answer cannot go to the period it names: a
// period written wrongly or of another recurrence (Conflict false, a 400),
// or one that has not opened or is closed (Conflict true, a 409). Message
// is Chinese.
type PeriodError struct {
	Conflict bool
	Message  string
}

func (e *PeriodError) Error() string { return e.Message }

// Resolve returns the obligation an answer at now goes to: the period named
// by period ("2026-10"), or Current when it is empty. It fails with a
// *PeriodError when that obligation cannot be answered now.
func (t *Task) Resolve(period string, now time.Time, loc *time.Location) (Obligation, error) {
	o := t.Current(now, loc)
	if period != "" {
		if t.Every == Once {
			return o, &PeriodError{Message: "本任务不分期次，请不要填写报送期次（period）。"}
		}
		p, err := ParsePeriod(period)
		if err != nil || p.Every != t.Every {
			return o, &PeriodError{Message: fmt.Sprintf("报送期次 %q 的写法不对：本任务%s报送一次，期次应写成 %s 这样。", period, everyLabel(t.Every), PeriodOf(t.Every, now.In(loc)))}
		}
		o = t.ObligationFor(p, loc)
		if !p.End(loc).After(t.Start) {
			return o, &PeriodError{Conflict: true, Message: fmt.Sprintf("本任务从 %s 开始，没有%s这一期。", t.Start.In(loc).Format("2006年1月2日"), p.Label())}
		}
	}
	if !o.Opens.IsZero() && now.Before(o.Opens) {
		what := "该任务"
		if o.Period.Every != Once {
			what = o.Period.Label() + "这一期"
		}
		return o, &PeriodError{Conflict: true, Message: fmt.Sprintf("%s将于 %s 开始接收材料。", what, o.Opens.In(loc).Format("2006年1月2日 15:04"))}
	}
	if !o.Open(now) {
		what := "该任务"
		if o.Period.Every != Once {
			what = o.Period.Label() + "这一期"
		}
		return o, &PeriodError{Conflict: true, Message: fmt.Sprintf("%s已于 %s 截止，不再接收材料。", what, o.Deadline.In(loc).Format("2006年1月2日 15:04"))}
	}
	return o, nil
}

func everyLabel(e Every) string {
	switch e {
	case Monthly:
		return "每月"
	case Quarter:
		return "每季度"
	}
	return "每年"
}
