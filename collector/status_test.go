package collector

import (
	"testing"
	"time"

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
