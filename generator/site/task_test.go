package site

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

var shanghai = time.FixedZone("CST", 8*3600)

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

func TestPeriod(t *testing.T) {
	tests := []struct {
		every       Every
		t           string
		id, label   string
		start, next string
	}{
		{Monthly, "2026-11-28 10:00", "2026-11", "2026年11月", "2026-11-01 00:00", "2026-12"},
		{Monthly, "2026-12-31 23:59", "2026-12", "2026年12月", "2026-12-01 00:00", "2027-01"},
		{Quarter, "2026-11-28 10:00", "2026-Q4", "2026年第四季度", "2026-10-01 00:00", "2027-Q1"},
		{Quarter, "2026-04-01 00:00", "2026-Q2", "2026年第二季度", "2026-04-01 00:00", "2026-Q3"},
		{Yearly, "2026-06-01 00:00", "2026", "2026年度", "2026-01-01 00:00", "2027"},
	}
	for _, tt := range tests {
		p := PeriodOf(tt.every, at(tt.t))
		if p.String() != tt.id || p.Label() != tt.label || !p.Start(shanghai).Equal(at(tt.start)) || p.Next().String() != tt.next {
			t.Errorf("%s of %s: got %s %s %v next %s", tt.every, tt.t, p, p.Label(), p.Start(shanghai), p.Next())
		}
		back, err := ParsePeriod(tt.id)
		if err != nil || back != p {
			t.Errorf("ParsePeriod(%q) = %v, %v; want %v", tt.id, back, err, p)
		}
	}
	for _, bad := range []string{"", "2026-13", "2026-Q5", "2026-Q0", "26", "2026-1", "abcd", "+202", "2026-00", "2026Q4"} {
		if _, err := ParsePeriod(bad); err == nil {
			t.Errorf("ParsePeriod(%q) succeeded", bad)
		}
	}
}

func TestObligations(t *testing.T) {
	task := &Task{ID: "zhuti", Every: Monthly, Due: 10}
	o := task.Current(at("2026-12-05 09:00"), shanghai)
	if o.Key() != "zhuti/2026-11" || !o.Deadline.Equal(at("2026-12-11 00:00")) {
		t.Errorf("on Dec 5 the open obligation is %s due %v, want zhuti/2026-11 due Dec 11", o.Key(), o.Deadline)
	}
	o = task.Current(at("2026-12-11 00:00"), shanghai)
	if o.Key() != "zhuti/2026-12" {
		t.Errorf("after the November deadline the current obligation is %s, want zhuti/2026-12", o.Key())
	}
	all := task.Obligations(at("2026-09-15 00:00"), at("2026-11-28 00:00"), shanghai)
	if len(all) != 3 || all[0].Key() != "zhuti/2026-09" || all[2].Key() != "zhuti/2026-11" {
		t.Errorf("obligations %v", all)
	}
	once := &Task{ID: "zongjie", Deadline: at("2026-12-20 17:00"), Opens: at("2026-11-10 09:00"), CloseAfterDeadline: true}
	ob := once.Current(at("2026-11-28 10:00"), shanghai)
	tests := []struct {
		now        string
		open, late bool
	}{
		{"2026-11-10 08:59", false, false},
		{"2026-11-10 09:00", true, false},
		{"2026-12-20 16:59", true, false},
		{"2026-12-20 17:00", false, true},
	}
	for _, tt := range tests {
		if got := ob.Open(at(tt.now)); got != tt.open {
			t.Errorf("open at %s = %v, want %v", tt.now, got, tt.open)
		}
		if got := ob.Late(at(tt.now)); got != tt.late {
			t.Errorf("late at %s = %v, want %v", tt.now, got, tt.late)
		}
	}
	snap := Snapshot{Now: at("2026-12-21 00:00")}
	if e := snap.Entry(ob, "yi"); e.Status != StatusMissing || e.Status.Label() != "逾期未交" {
		t.Errorf("no answer after the deadline: %v", e.Status.Label())
	}
	snap.Now = at("2026-12-01 00:00")
	if e := snap.Entry(ob, "yi"); e.Status != StatusPending || e.Status.Label() != "待提交" {
		t.Errorf("no answer before the deadline: %v", e.Status.Label())
	}
}

func FuzzPeriod(f *testing.F) {
	for _, s := range []string{"2026", "2026-11", "2026-Q4", "2026-13", "9999-Q1", "0000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePeriod(s)
		if err != nil {
			return
		}
		if p.String() != s {
			t.Fatalf("ParsePeriod(%q).String() = %q", s, p.String())
		}
		if !p.Start(time.UTC).Before(p.End(time.UTC)) {
			t.Fatalf("%s: empty period", s)
		}
	})
}

func TestConfigURLs(t *testing.T) {
	c := DefaultConfig()
	c.BaseURL = "http://intranet/dangwu"
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if got := c.RelURL("news/a/"); got != "/dangwu/news/a/" {
		t.Errorf("RelURL = %q", got)
	}
	if got := c.AbsURL("/index.xml"); got != "http://intranet/dangwu/index.xml" {
		t.Errorf("AbsURL = %q", got)
	}
	if got := c.Origin(); got != "http://intranet" {
		t.Errorf("Origin = %q", got)
	}
}

func TestAnswerableAndResolve(t *testing.T) {
	monthly := &Task{ID: "zhuti", Every: Monthly, Due: 10, Start: at("2026-01-01 00:00")}
	closing := &Task{ID: "dangke", Every: Quarter, Due: 5, Start: at("2026-01-01 00:00"), CloseAfterDeadline: true}
	once := &Task{ID: "zongjie", Deadline: at("2026-12-20 17:00"), Opens: at("2026-11-10 09:00")}
	now := at("2026-11-28 10:00")
	var got []string
	for _, o := range monthly.Answerable(now, shanghai) {
		got = append(got, o.Period.String())
	}
	if want := "2026-11 2026-10 2026-09 2026-08 2026-07 2026-06 2026-05 2026-04 2026-03 2026-02 2026-01"; strings.Join(got, " ") != want {
		t.Errorf("monthly answerable %v, want %s", got, want)
	}
	got = nil
	for _, o := range closing.Answerable(now, shanghai) {
		got = append(got, o.Period.String())
	}
	if want := "2026-Q4"; strings.Join(got, " ") != want {
		t.Errorf("closing answerable %v, want %s", got, want)
	}
	tests := []struct {
		task     *Task
		period   string
		now      string
		want     string
		late     bool
		conflict bool
		problem  string
	}{
		{monthly, "", "2026-11-28 10:00", "zhuti/2026-11", false, false, ""},
		{monthly, "", "2026-11-05 10:00", "zhuti/2026-10", false, false, ""},
		{monthly, "2026-10", "2026-11-28 10:00", "zhuti/2026-10", true, false, ""},
		{monthly, "2026-01", "2026-11-28 10:00", "zhuti/2026-01", true, false, ""},
		{monthly, "2026-12", "2026-11-28 10:00", "zhuti/2026-12", false, true, "2026年12月这一期将于 2026年12月1日 00:00 开始接收材料。"},
		{monthly, "2025-12", "2026-11-28 10:00", "zhuti/2025-12", false, true, "本任务从 2026年1月1日 开始，没有2025年12月这一期。"},
		{monthly, "2026-Q3", "2026-11-28 10:00", "", false, false, `报送期次 "2026-Q3" 的写法不对：本任务每月报送一次，期次应写成 2026-11 这样。`},
		{monthly, "十月", "2026-11-28 10:00", "", false, false, `报送期次 "十月" 的写法不对：本任务每月报送一次，期次应写成 2026-11 这样。`},
		{closing, "2026-Q3", "2026-11-28 10:00", "dangke/2026-Q3", false, true, "2026年第三季度这一期已于 2026年10月6日 00:00 截止，不再接收材料。"},
		{once, "", "2026-11-28 10:00", "zongjie", false, false, ""},
		{once, "2026-11", "2026-11-28 10:00", "", false, false, "本任务不分期次，请不要填写报送期次（period）。"},
		{once, "", "2026-11-01 10:00", "zongjie", false, true, "该任务将于 2026年11月10日 09:00 开始接收材料。"},
	}
	for _, tt := range tests {
		now := at(tt.now)
		o, err := tt.task.Resolve(tt.period, now, shanghai)
		var problem string
		var conflict bool
		if err != nil {
			pe := err.(*PeriodError)
			problem, conflict = pe.Message, pe.Conflict
		}
		if problem != tt.problem || conflict != tt.conflict || (tt.want != "" && o.Key() != tt.want) || (err == nil && o.Late(now) != tt.late) {
			t.Errorf("Resolve(%s, %q) at %s = %s late %v, %q conflict %v; want %s late %v, %q conflict %v",
				tt.task.ID, tt.period, tt.now, o.Key(), o.Late(now), problem, conflict, tt.want, tt.late, tt.problem, tt.conflict)
		}
	}
}

// TestPeriodString holds the period identifiers to fmt's %04d/%02d.
func TestPeriodString(t *testing.T) {
	for _, p := range []Period{{Monthly, 2026, 11}, {Monthly, 2026, 1}, {Quarter, 2026, 4}, {Yearly, 2026, 0}, {Monthly, 987, 3}, {Yearly, 12345, 0}, {Once, 2026, 0}} {
		var want string
		switch p.Every {
		case Monthly:
			want = fmt.Sprintf("%04d-%02d", p.Year, p.N)
		case Quarter:
			want = fmt.Sprintf("%04d-Q%d", p.Year, p.N)
		case Yearly:
			want = fmt.Sprintf("%04d", p.Year)
		}
		if got := p.String(); got != want {
			t.Errorf("%+v: %q, want %q", p, got, want)
		}
	}
}
