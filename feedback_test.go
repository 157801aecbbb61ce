package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/collector/files"
	"github.com/dangwu-org/dangwu/collector/publish"
	"github.com/dangwu-org/dangwu/collector/sqlite"
	"github.com/dangwu-org/dangwu/corpus"
	"github.com/dangwu-org/dangwu/generator"
)

// feedbackEnv is a site with the collector and its feedback running.
type feedbackEnv struct {
	dir string
	pub *publish.Publisher
	// rendered hears of every finished render.
	rendered chan publish.Report
	srv      *httptest.Server
	db       *sqlite.DB
}

func newFeedbackEnv(tb testing.TB, dir string) *feedbackEnv {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	tb.Cleanup(cancel)
	g := generator.New(generator.Options{Source: dir, ThemesDir: "themes", Warn: func(string) {}})
	db, err := sqlite.Open(filepath.Join(dir, "data", "dangwu.db"), sqlite.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	fs, _ := files.Open(filepath.Join(dir, "data", "uploads"))
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	live := g.NewLive()
	if _, err := live.Update(ctx, nil); err != nil {
		tb.Fatal(err)
	}
	rendered := make(chan publish.Report, 64)
	pub := newPublisher(live, g.Options().Dest, db, log, true, func(r publish.Report) {
		select {
		case rendered <- r:
		default:
		}
	})
	if err := pub.Render(ctx); err != nil {
		tb.Fatal(err)
	}
	<-rendered
	go pub.Run(ctx)
	h, err := collectorHandler(live.Site, db, fs, log, pub.Changed)
	if err != nil {
		tb.Fatal(err)
	}
	srv := httptest.NewServer(h)
	tb.Cleanup(srv.Close)
	return &feedbackEnv{dir: dir, pub: pub, rendered: rendered, srv: srv, db: db}
}

func (e *feedbackEnv) setCode(tb testing.TB, branch, code string) {
	h, _ := collector.HashSecret(code, 1000)
	if err := e.db.SetBranchCode(context.Background(), branch, h); err != nil {
		tb.Fatal(err)
	}
}

func (e *feedbackEnv) submit(tb testing.TB, task, branch, code, text string) {
	tb.Helper()
	form := url.Values{"branch": {branch}, "code": {code}, "text": {text}, "summary": {text}, "contact": {"联系人"}, "meetings": {"4"}, "rating": {"好"}}
	req, _ := http.NewRequest("POST", e.srv.URL+"/api/tasks/"+task+"/submissions", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 201 {
		tb.Fatalf("submit: %d %s", resp.StatusCode, body)
	}
}

// waitRendered waits for the feedback's next finished render of a change.
func (e *feedbackEnv) waitRendered(tb testing.TB) {
	tb.Helper()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case r := <-e.rendered:
			if r.Err != nil {
				tb.Fatal(r.Err)
			}
			if len(r.Changes) > 0 {
				return
			}
		case <-timeout:
			tb.Fatal("no re-render within 30 s")
		}
	}
}

// TestFeedbackExampleSite submits to the example site and sees the task
// page, the branch page and the board change (issue 5).
func TestFeedbackExampleSite(t *testing.T) {
	dir := t.TempDir()
	copyExampleSite(t, dir)
	e := newFeedbackEnv(t, dir)
	e.setCode(t, "yunshu", "code-yunshu")
	read := func(rel string) string {
		b, err := os.ReadFile(filepath.Join(dir, "public", rel))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	before := read("tasks/2026-zhibu-zongjie/index.html")
	e.submit(t, "2026-zhibu-zongjie", "yunshu", "code-yunshu", "全年召开支部党员大会4次。")
	e.waitRendered(t)
	after := read("tasks/2026-zhibu-zongjie/index.html")
	if before == after || strings.Count(after, "status-submitted") <= strings.Count(before, "status-submitted") {
		t.Errorf("the task page does not show the new submission")
	}
	if !strings.Contains(read("branches/yunshu/index.html"), "已提交") {
		t.Errorf("the branch page does not show 已提交")
	}
	// The published head is the store's newest, re-rendered with the statuses (issue 9).
	head, _ := e.db.LedgerHead(context.Background())
	if got := read("ledger/head.txt"); got != string(head) {
		t.Errorf("/ledger/head.txt %q, want the newest head %q", got, head)
	}
	if got := read("ledger/key.txt"); got != e.db.LedgerKey().Public+"\n" {
		t.Errorf("/ledger/key.txt %q", got)
	}
	page := read("ledger/index.html")
	key := e.db.LedgerKey().Public
	for _, want := range []string{"账本与核验", "<dd>2 条</dd>", "dangwu verify --head", key[strings.LastIndex(key, "+")+1:]} {
		if !strings.Contains(page, want) {
			t.Errorf("/ledger/ page lacks %q", want)
		}
	}
}

// BenchmarkFeedback measures, on the 10,000-page corpus, the time from an
// acknowledged submission to the re-rendered files being in place, and
// reports its median and 99th percentile (issue 5: under one second).
func BenchmarkFeedback(b *testing.B) {
	dir := b.TempDir()
	if err := corpus.Write(dir, 10000, 1); err != nil {
		b.Fatal(err)
	}
	if err := os.Symlink(mustAbs(b, "themes"), filepath.Join(dir, "themes")); err != nil {
		b.Fatal(err)
	}
	e := newFeedbackEnv(b, dir)
	for i := 0; i < corpus.Branches; i++ {
		e.setCode(b, corpus.BranchID(i), "code")
	}
	e.measure(b, func(i int) string { return corpus.BranchID(i % corpus.Branches) })
}

// measure submits to the corpus's tasks from the branches branch(i) names
// and reports the median and 99th percentile of acknowledgement → pages
// written.
func (e *feedbackEnv) measure(b *testing.B, branch func(i int) string) {
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		e.submit(b, corpus.TaskID(1+i%(corpus.Tasks-1)), branch(i), "code", fmt.Sprintf("第%d份", i))
		e.waitRendered(b)
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkFeedbackTree is BenchmarkFeedback with the organization as a
// tree of 5,000 支部 in three levels (corpus.WriteTree: 10 二级党委, 总支 of
// 50 支部) and a task all of them answer (issue 17): the time from an
// acknowledged submission to every page that shows it written (the
// branch's chain only: its task pages, its units' boards, the top level).
func BenchmarkFeedbackTree(b *testing.B) {
	dir := b.TempDir()
	if err := corpus.WriteTree(dir, treeBenchPages, 1, treeBenchBranches); err != nil {
		b.Fatal(err)
	}
	if err := os.Symlink(mustAbs(b, "themes"), filepath.Join(dir, "themes")); err != nil {
		b.Fatal(err)
	}
	e := newFeedbackEnv(b, dir)
	// Codes for branches spread over every unit; hashing all 5,000 would
	// take longer than the benchmark.
	var ids []string
	for i := 0; i < treeBenchBranches; i += treeBenchBranches / 100 {
		ids = append(ids, corpus.TreeBranchID(i))
		e.setCode(b, corpus.TreeBranchID(i), "code")
	}
	e.measure(b, func(i int) string { return ids[i%len(ids)] })
}

// The size of BenchmarkFeedbackTree's site.
const (
	treeBenchPages    = 1000
	treeBenchBranches = 5000
)

func mustAbs(tb testing.TB, p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

// copyExampleSite copies the example site (site.yaml, content, themes) into dir.
func copyExampleSite(t *testing.T, dir string) {
	t.Helper()
	for _, d := range []string{"content", "themes"} {
		copyDir(t, d, filepath.Join(dir, d))
	}
	b, err := os.ReadFile("site.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "site.yaml"), b, 0o644); err != nil {
		t.Fatal(err)
	}
}
