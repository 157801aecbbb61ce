package collector

import (
	"testing"
	"time"
	"unicode/utf8"

	"github.com/dangwu-org/dangwu/generator/site"
)

func TestMask(t *testing.T) {
	tests := []struct{ in, want string }{
		{"联系电话13812345678", "联系电话138****5678"},
		{"电话 138-1234-5678。", "电话 138****5678。"},
		{"两个号码13812345678和13987654321", "两个号码138****5678和139****4321"},
		{"身份证110101199003071234", "身份证110101********1234"},
		{"身份证11010119900307123X号", "身份证110101********123X号"},
		{"邮箱 zhang.san@example.com 联系", "邮箱 z***@example.com 联系"},
		{"座机 0571-12345678 不变", "座机 0571-12345678 不变"},
		{"共计12345678901234567890元", "共计12345678901234567890元"},
		{"没有个人信息", "没有个人信息"},
		// Issue 15: what the first masking missed.
		{"手机１３８００１３８０００", "手机138****8000"},
		{"手机 １３８ ００１３ ８０００ 请联系", "手机 138****8000 请联系"},
		{"电话+8613800138000", "电话+86 138****8000"},
		{"电话 +86 138 0013 8000。", "电话 +86 138****8000。"},
		{"电话＋８６－１３８００１３８０００", "电话+86 138****8000"},
		{"电话8613800138000", "电话86 138****8000"},
		{"电话(+86)13800138000", "电话+86 138****8000"},
		{"号码13800138000、13900139000", "号码138****8000、139****9000"},
		{"号码13800138000 13900139000", "号码138****8000 139****9000"},
		{"身份证 110101 19900307 1234", "身份证 110101********1234"},
		{"身份证110101-1990-0307-123x", "身份证110101********123x"},
		{"身份证１１０１０１１９９００３０７１２３Ｘ", "身份证110101********123X"},
		{"邮箱 zhang.san＠example．com", "邮箱 z***@example.com"},
		{"邮箱ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ。", "邮箱z***@example.com。"},
		{"邮箱 li@mail.example.gov.cn 谢谢", "邮箱 l***@mail.example.gov.cn 谢谢"},
		{"订单号 123138001380001 不是手机", "订单号 123138001380001 不是手机"},
		{"19位数字1101011990030712345不是身份证", "19位数字1101011990030712345不是身份证"},
		{"金额１２３４．５元", "金额１２３４．５元"},
		{"2026-11-28 会议", "2026-11-28 会议"},
		{"email@localhost 不是地址", "email@localhost 不是地址"},
	}
	for _, tt := range tests {
		if got := Mask(tt.in); got != tt.want {
			t.Errorf("Mask(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestStatusTransitions(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	deadline := time.Date(2026, 12, 20, 17, 0, 0, 0, cst)
	task := &site.Task{ID: "zongjie", Deadline: deadline, Branches: []string{"yi"}}
	s := &site.Site{Tasks: []*site.Task{task}}
	ob := task.Current(deadline, cst)
	received := deadline.Add(-time.Hour)
	tests := []struct {
		name string
		now  time.Time
		sums []Summary
		want site.Status
	}{
		{"nothing before the deadline", deadline.Add(-time.Second), nil, site.StatusPending},
		{"nothing at the deadline", deadline, nil, site.StatusMissing},
		{"submitted on time", deadline.Add(time.Hour), []Summary{{Task: "zongjie", Branch: "yi", Versions: 1, Latest: received}}, site.StatusSubmitted},
		{"submitted late", deadline.Add(time.Hour), []Summary{{Task: "zongjie", Branch: "yi", Versions: 1, Latest: deadline, LatestLate: true}}, site.StatusLate},
		{"returned", deadline, []Summary{{Task: "zongjie", Branch: "yi", Versions: 1, Latest: received, Review: &Review{Action: ActionReturn, Comment: "缺附件"}}}, site.StatusReturned},
		{"approved", deadline, []Summary{{Task: "zongjie", Branch: "yi", Versions: 2, Latest: received, Review: &Review{Action: ActionApprove}}}, site.StatusApproved},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			snap := Statuses(s, tt.sums, tt.now)
			e := snap.Entry(ob, "yi")
			if e.Status != tt.want {
				t.Errorf("status %s, want %s", e.Status.Label(), tt.want.Label())
			}
			if tt.want == site.StatusReturned && e.Comment != "缺附件" {
				t.Errorf("comment %q", e.Comment)
			}
		})
	}
}

// TestPublicAfterReview: a public task's answers reach the site only once
// the newest version is approved when publicAfterReview is on, masked.
func TestPublicAfterReview(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	deadline := time.Date(2026, 12, 20, 17, 0, 0, 0, cst)
	reviewed := &site.Task{ID: "xinde", Deadline: deadline, Branches: []string{"yi"}, Public: true, PublicAfterReview: true}
	open := &site.Task{ID: "open", Deadline: deadline, Branches: []string{"yi"}, Public: true}
	private := &site.Task{ID: "private", Deadline: deadline, Branches: []string{"yi"}}
	s := &site.Site{Tasks: []*site.Task{reviewed, open, private}}
	fields := []FieldValue{{Name: "text", Value: "联系人电话 13800138000"}}
	tests := []struct {
		name string
		task *site.Task
		rv   *Review
		want string
	}{
		{"after review, not yet reviewed", reviewed, nil, ""},
		{"after review, returned", reviewed, &Review{Action: ActionReturn}, ""},
		{"after review, approved", reviewed, &Review{Action: ActionApprove}, "联系人电话 138****8000"},
		{"public at once", open, nil, "联系人电话 138****8000"},
		{"not public", private, &Review{Action: ActionApprove}, ""},
	}
	for _, tt := range tests {
		snap := Statuses(s, []Summary{{Task: tt.task.ID, Branch: "yi", Versions: 1, Latest: deadline.Add(-time.Hour), Review: tt.rv, Fields: fields}}, deadline)
		e := snap.Entry(tt.task.Current(deadline, cst), "yi")
		if got := e.Fields["text"]; got != tt.want {
			t.Errorf("%s: published %q, want %q", tt.name, got, tt.want)
		}
	}
}

// FuzzMask: Mask reads anything a user typed; it never panics and keeps
// valid UTF-8 valid.
func FuzzMask(f *testing.F) {
	for _, s := range []string{"手机１３８００１３８０００", "+86 138 0013 8000", "110101 19900307 1234", "a＠b．cn", "(+86)", "1@", "８６"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := Mask(in)
		if utf8.ValidString(in) && !utf8.ValidString(out) {
			t.Fatalf("Mask(%q) = %q is not valid UTF-8", in, out)
		}
	})
}

// TestSummaryPublic: summary: public hands the pages a task's number values
// for totals (Snapshot.Aggregate), never its text, and sums them exactly.
func TestSummaryPublic(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	deadline := time.Date(2026, 12, 20, 17, 0, 0, 0, cst)
	task := &site.Task{ID: "dangfei", Deadline: deadline, Branches: []string{"yi", "er"}, SummaryPublic: true, Fields: []site.Field{
		{Name: "note", Label: "说明", Type: site.FieldText},
		{Name: "paid", Label: "已交人数", Type: site.FieldInteger},
		{Name: "amount", Label: "金额", Type: site.FieldNumber, Decimals: 2},
	}}
	s := &site.Site{Tasks: []*site.Task{task}}
	sums := []Summary{
		{Task: "dangfei", Branch: "yi", Versions: 1, Fields: []FieldValue{{"note", "电话13800138000"}, {"paid", "12"}, {"amount", "1234.10"}}},
		{Task: "dangfei", Branch: "er", Versions: 1, Fields: []FieldValue{{"paid", "3"}, {"amount", "0.05"}}},
	}
	snap := Statuses(s, sums, deadline)
	ob := task.Current(deadline, cst)
	if e := snap.Entry(ob, "yi"); e.Fields != nil || e.Numbers["note"] != "" || e.Numbers["paid"] != "12" {
		t.Errorf("entry %+v: want only the numbers", e)
	}
	a := snap.Aggregate(ob)
	if a.Branches != 2 || len(a.Rows) != 2 || a.Rows[0] != (site.AggregateRow{Label: "已交人数", Count: 2, Total: "15", Average: "7.50"}) ||
		a.Rows[1] != (site.AggregateRow{Label: "金额", Count: 2, Total: "1234.15", Average: "617.0750"}) {
		t.Errorf("aggregate %+v", a)
	}
}
