package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/collector/files"
	"github.com/dangwu-org/dangwu/collector/publish"
	"github.com/dangwu-org/dangwu/collector/sqlite"
	"github.com/dangwu-org/dangwu/generator"
	"github.com/dangwu-org/dangwu/generator/site"
)

// TestPublishMatchesBuild feeds a random sequence of submissions and
// reviews back through the publisher, which has the Live render only the
// outputs publish.Outputs names for each batch of changes, and then holds
// the output folder against a full build from the same database (what
// `dangwu build --db` does): byte for byte, every file (issue 11).
func TestPublishMatchesBuild(t *testing.T) {
	dir := t.TempDir()
	copyExampleSite(t, dir)
	publishMatchesBuild(t, dir)
}

// TestPublishMatchesBuildTree is TestPublishMatchesBuild on a small
// three-level site (党委, 总支, 支部: generator/testdata/tree), where a
// submission re-renders the task's and the boards' unit pages of the
// branch's chain only (issue 17).
func TestPublishMatchesBuildTree(t *testing.T) {
	dir := t.TempDir()
	tree := filepath.Join("generator", "testdata", "tree")
	copyDir(t, filepath.Join(tree, "content"), filepath.Join(dir, "content"))
	copyDir(t, "themes", filepath.Join(dir, "themes"))
	b, err := os.ReadFile(filepath.Join(tree, "site.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "site.yaml"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	publishMatchesBuild(t, dir)
}

// publishMatchesBuild runs the random submissions and reviews on the site
// in dir and compares the output with a full build.
func publishMatchesBuild(t *testing.T, dir string) {
	t.Helper()
	now := time.Now()
	clock := func() time.Time { return now }
	ctx := context.Background()
	g := generator.New(generator.Options{Source: dir, ThemesDir: "themes", Now: clock, Warn: func(string) {}})
	db, err := sqlite.Open(filepath.Join(dir, "data", "dangwu.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	uploads, _ := files.Open(filepath.Join(dir, "data", "uploads"))
	live := g.NewLive()
	if _, err := live.Update(ctx, nil); err != nil {
		t.Fatal(err)
	}
	var renders []publish.Report
	pub := publish.New(publish.Options{Renderer: live, Store: db, Rendered: func(r publish.Report) { renders = append(renders, r) }})
	if err := pub.Render(ctx); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	h, err := collectorHandler(live.Site, db, uploads, log, pub.Changed)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	srv := httptest.NewServer(h)
	defer srv.Close()
	s := live.Site()
	for _, br := range s.Branches {
		hash, _ := collector.HashSecret("code-"+br.ID, 1000)
		if err := db.SetBranchCode(ctx, br.ID, hash); err != nil {
			t.Fatal(err)
		}
	}
	rng := rand.New(rand.NewPCG(11, 2026))
	var receipts []collector.Receipt
	submitted := 0
	for step := range 60 {
		switch n := rng.IntN(10); {
		case n < 6 || len(receipts) == 0:
			task := s.Tasks[rng.IntN(len(s.Tasks))]
			branch := task.Branches[rng.IntN(len(task.Branches))]
			if rec, ok := postSubmission(t, srv.URL, s, task, branch, step); ok {
				receipts = append(receipts, rec)
				submitted++
			}
		case n < 9:
			rec := receipts[rng.IntN(len(receipts))]
			action := []collector.ReviewAction{collector.ActionApprove, collector.ActionReturn}[rng.IntN(2)]
			if err := db.AddReview(ctx, rec.ID, collector.Review{Action: action, Comment: "请补充第" + string(rune('一'+step%9)) + "项", Admin: "admin"}); err != nil {
				t.Fatal(err)
			}
			pub.Changed(collector.Change{Task: rec.Task, Period: rec.Period, Branch: rec.Branch})
		default:
			// Several changes between two renders are rendered together.
			if err := pub.Render(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := pub.Render(ctx); err != nil {
		t.Fatal(err)
	}
	if submitted < 10 {
		t.Fatalf("only %d submissions went in: the test needs open tasks", submitted)
	}
	partial := 0
	for _, r := range renders {
		if len(r.Changes) > 0 {
			partial++
		}
	}
	if partial < 5 {
		t.Errorf("%d renders of changes, want several", partial)
	}

	full := t.TempDir()
	g2 := generator.New(generator.Options{Source: dir, Dest: full, ThemesDir: "themes", Now: clock, Warn: func(string) {}})
	s2, err := g2.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	snap, err := publish.Snapshot(ctx, s2, db, s2.Now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g2.Build(ctx, s2, snap); err != nil {
		t.Fatal(err)
	}
	compareTrees(t, full, g.Options().Dest)
}

// postSubmission posts a submission with a value for every field but
// files; ok is false when the task does not take it now (not open, a
// required file).
func postSubmission(t *testing.T, base string, s *site.Site, task *site.Task, branch string, n int) (collector.Receipt, bool) {
	t.Helper()
	form := url.Values{"branch": {branch}, "code": {"code-" + branch}, "submission_id": {"publish-test-" + branch + "-" + task.ID + "-" + string(rune('a'+n%26)) + time.Now().Format("150405.000000000")}}
	for _, f := range task.Fields {
		switch f.Type {
		case site.FieldNumber:
			form.Set(f.Name, "12")
		case site.FieldDate:
			form.Set(f.Name, "2026-11-30")
		case site.FieldSelect:
			if len(f.Options) > 0 {
				form.Set(f.Name, f.Options[n%len(f.Options)])
			}
		case site.FieldFile:
		default:
			form.Set(f.Name, "第"+string(rune('一'+n%9))+"次报送的内容。")
		}
	}
	req, _ := http.NewRequest("POST", base+"/api/tasks/"+task.ID+"/submissions", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Origin", s.Config.Origin())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		return collector.Receipt{}, false
	}
	var rec struct {
		ID, Task, Period, Branch string
	}
	if err := json.NewDecoder(resp.Body).Decode(&rec); err != nil {
		t.Fatal(err)
	}
	return collector.Receipt{ID: rec.ID, Task: rec.Task, Period: rec.Period, Branch: rec.Branch}, true
}

// compareTrees fails for every file that differs between want and got, or
// is in one only; the ledger's files are the publisher's After step, not
// the build's.
func compareTrees(t *testing.T, want, got string) {
	t.Helper()
	read := func(root string) map[string][]byte {
		m := map[string][]byte{}
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(root, p)
			if strings.HasPrefix(filepath.ToSlash(rel), "ledger/") {
				return nil
			}
			b, err := os.ReadFile(p)
			m[filepath.ToSlash(rel)] = b
			return err
		})
		return m
	}
	w, g := read(want), read(got)
	bad := 0
	for rel, wb := range w {
		gb, ok := g[rel]
		switch {
		case !ok:
			t.Errorf("%s: only in the full build", rel)
			bad++
		case !bytes.Equal(wb, gb):
			t.Errorf("%s differs from the full build", rel)
			bad++
		}
		if bad > 10 {
			t.Fatal("too many differences")
		}
	}
	for rel := range g {
		if _, ok := w[rel]; !ok {
			t.Errorf("%s: not in the full build", rel)
		}
	}
}
