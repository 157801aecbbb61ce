package publish

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/generator/site"
)

// slowRenderer records the paths of each render and takes its time.
type slowRenderer struct {
	s     *site.Site
	mu    sync.Mutex
	calls [][]string
	gate  chan struct{} // each render waits for a value, when not nil
}

func (r *slowRenderer) Site() *site.Site      { return r.s }
func (r *slowRenderer) NextChange() time.Time { return time.Time{} }
func (r *slowRenderer) Render(ctx context.Context, snap site.Snapshot, paths ...string) error {
	if r.gate != nil {
		<-r.gate
	}
	r.mu.Lock()
	r.calls = append(r.calls, paths)
	r.mu.Unlock()
	return nil
}

type emptyStore struct{}

func (emptyStore) Summaries(context.Context) ([]collector.Summary, error) { return nil, nil }
func (emptyStore) Opinions(context.Context, collector.OpinionStatus) ([]collector.Opinion, error) {
	return nil, nil
}

// TestCoalesce: many changes committed while a render runs give one
// render after it, never one render per change (issue 11).
func TestCoalesce(t *testing.T) {
	s := &site.Site{Config: site.DefaultConfig(), Location: time.UTC}
	r := &slowRenderer{s: s, gate: make(chan struct{})}
	reports := make(chan Report, 16)
	p := New(Options{Renderer: r, Store: emptyStore{}, Interval: time.Millisecond, Rendered: func(rep Report) { reports <- rep }})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go p.Run(ctx)
	r.gate <- struct{}{} // the first render, of nothing
	<-reports
	p.Changed(collector.Change{Task: "a"})
	time.Sleep(20 * time.Millisecond) // the render of "a" starts and waits at the gate
	for range 100 {
		p.Changed(collector.Change{Task: "b"})
	}
	r.gate <- struct{}{}
	if rep := <-reports; len(rep.Changes) != 1 {
		t.Fatalf("first render covered %d changes, want 1", len(rep.Changes))
	}
	r.gate <- struct{}{}
	if rep := <-reports; len(rep.Changes) != 100 {
		t.Fatalf("second render covered %d changes, want the 100 made meanwhile", len(rep.Changes))
	}
	select {
	case rep := <-reports:
		t.Fatalf("a third render: %+v", rep)
	case <-time.After(50 * time.Millisecond):
	}
}

// TestIdleRendersAtOnce: a change that finds the publisher idle is
// rendered at once, not after Interval (issue 17): here the Interval is an
// hour, and the render comes anyway.
func TestIdleRendersAtOnce(t *testing.T) {
	s := &site.Site{Config: site.DefaultConfig(), Location: time.UTC}
	reports := make(chan Report, 16)
	p := New(Options{Renderer: &slowRenderer{s: s}, Store: emptyStore{}, Interval: time.Hour, Rendered: func(rep Report) { reports <- rep }})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go p.Run(ctx)
	<-reports // the first render, of nothing
	for i := range 3 {
		p.Changed(collector.Change{Task: "a"})
		select {
		case rep := <-reports:
			if len(rep.Changes) != 1 {
				t.Fatalf("render %d covered %d changes, want 1", i, len(rep.Changes))
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("change %d, made while idle, waits for the Interval", i)
		}
	}
}

// TestStaleSignal: a change already rendered leaves its signal behind;
// it must not bring a render of no changes, which renders every status
// output (under load that made each render take seconds).
func TestStaleSignal(t *testing.T) {
	s := &site.Site{Config: site.DefaultConfig(), Location: time.UTC}
	reports := make(chan Report, 16)
	p := New(Options{Renderer: &slowRenderer{s: s}, Store: emptyStore{}, Rendered: func(rep Report) { reports <- rep }})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p.Changed(collector.Change{Task: "a"})
	if err := p.Render(ctx); err != nil { // takes the change, not its signal
		t.Fatal(err)
	}
	<-reports
	go p.Run(ctx)
	<-reports // Run's first render
	select {
	case rep := <-reports:
		t.Fatalf("a render for a stale signal: %+v", rep)
	case <-time.After(100 * time.Millisecond):
	}
}

// TestOutputs maps a submission to the outputs that show it.
func TestOutputs(t *testing.T) {
	cfg := site.DefaultConfig()
	task := &site.Page{Path: "tasks/zongjie/", Column: "tasks"}
	s := &site.Site{Config: cfg, Now: time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC), Location: time.UTC,
		Tasks:    []*site.Task{{ID: "zongjie", Page: task, Every: site.Once, Deadline: time.Date(2026, 12, 20, 9, 0, 0, 0, time.UTC)}},
		Branches: []*site.Branch{{ID: "yunshu", Index: &site.Page{Path: "branches/yunshu/"}}},
		Columns:  []*site.Column{{Name: "tasks", Pages: []*site.Page{task}}},
	}
	got := Outputs(s, []collector.Change{{Task: "zongjie", Branch: "yunshu"}, {Task: "zongjie", Branch: "yunshu"}})
	want := []string{"", "branches/yunshu/", "branches/yunshu/calendar.ics", "status/", "tasks/", "tasks/zongjie/"}
	if len(got) != len(want) {
		t.Fatalf("Outputs = %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Outputs = %q, want %q", got, want)
		}
	}
	if Outputs(s, []collector.Change{{Opinions: true}}) != nil || Outputs(s, nil) != nil {
		t.Error("a moderation or no change should render every status output (nil)")
	}
}

// TestOutputsYear: a change is shown on the board of the year its
// obligation is due in, not on every year's (issue 17).
func TestOutputsYear(t *testing.T) {
	cfg := site.DefaultConfig()
	task := &site.Page{Path: "tasks/yue/", Column: "tasks"}
	s := &site.Site{Config: cfg, Now: time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC), Location: time.UTC,
		Tasks: []*site.Task{{ID: "yue", Page: task, Every: site.Monthly, Due: 10,
			Start: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}},
		Branches: []*site.Branch{{ID: "yunshu", Index: &site.Page{Path: "branches/yunshu/"}}},
		Columns:  []*site.Column{{Name: "tasks", Pages: []*site.Page{task}}},
	}
	if got := site.BoardYears(s, s.Now); len(got) != 2 {
		t.Fatalf("BoardYears = %v, want 2026 and 2025", got)
	}
	boards := func(period string) string {
		var b []string
		for _, p := range Outputs(s, []collector.Change{{Task: "yue", Period: period, Branch: "yunshu"}}) {
			if strings.HasPrefix(p, "status/") {
				b = append(b, p)
			}
		}
		return strings.Join(b, " ")
	}
	for _, c := range []struct{ period, want string }{
		{"2025-11", "status/2025/"},
		{"2025-12", "status/"}, // due 2026-01-10
		{"2026-11", "status/"},
		{"", "status/ status/2025/"},        // unknown: every year
		{"2025-Q4", "status/ status/2025/"}, // not this task's periods
	} {
		if got := boards(c.period); got != c.want {
			t.Errorf("period %q: boards %q, want %q", c.period, got, c.want)
		}
	}
}

// TestOutputsTree: in an organization tree a submission also renders the
// task's page and the drill-down board of each unit above the branch, and
// nothing of the other units (issue 17).
func TestOutputsTree(t *testing.T) {
	cfg := site.DefaultConfig()
	task := &site.Page{Path: "tasks/zongjie/", Column: "tasks"}
	w := &site.Branch{ID: "w", Kind: site.KindDangwei, Index: &site.Page{Path: "branches/w/"}}
	z := &site.Branch{ID: "z", Kind: site.KindZongzhi, Parent: w, Index: &site.Page{Path: "branches/z/"}}
	other := &site.Branch{ID: "o", Kind: site.KindZongzhi, Parent: w, Index: &site.Page{Path: "branches/o/"}}
	a := &site.Branch{ID: "a", Parent: z, Index: &site.Page{Path: "branches/a/"}}
	w.Children, z.Children = []*site.Branch{z, other}, []*site.Branch{a}
	s := &site.Site{Config: cfg, Now: time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC), Location: time.UTC,
		Tasks:    []*site.Task{{ID: "zongjie", Page: task, Every: site.Once, Deadline: time.Date(2026, 12, 20, 9, 0, 0, 0, time.UTC)}},
		Branches: []*site.Branch{w, z, other, a},
		Columns:  []*site.Column{{Name: "tasks", Pages: []*site.Page{task}}},
	}
	got := Outputs(s, []collector.Change{{Task: "zongjie", Branch: "a"}})
	want := []string{"", "branches/a/", "branches/a/calendar.ics", "status/", "status/units/w/", "status/units/z/",
		"tasks/", "tasks/zongjie/", "tasks/zongjie/units/w/", "tasks/zongjie/units/z/"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("Outputs = %q, want %q", got, want)
	}
}
