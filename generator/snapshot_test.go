package generator

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dangwu-org/dangwu/generator/site"
)

// fixedSnapshot has a submission, a late one, a returned one with a
// comment that tries to inject a script, and a published opinion.
func fixedSnapshot() site.Snapshot {
	latest := time.Date(2026, 11, 20, 9, 30, 0, 0, time.FixedZone("CST", 8*3600))
	return site.Snapshot{
		Now: fixedNow,
		Entries: map[string]map[string]site.Entry{
			"zongjie": {"yi": {Status: site.StatusReturned, Versions: 2, Latest: latest, Comment: `请补充附件<script>alert("x")</script>`}},
			"tongzhi": {"yi": {Status: site.StatusSubmitted, Versions: 1, Latest: latest}},
			// summary: public: only the totals reach the page.
			"zhuti/2026-11": {"yi": {Status: site.StatusSubmitted, Versions: 1, Latest: latest, Numbers: map[string]string{"attendance": "37"}}},
		},
		Opinions: []site.Opinion{{ID: 1, Name: "王先生", Content: `<img src=x onerror=alert(1)>窗口排队太久`, Reply: "已增设窗口。", Created: latest, Replied: latest}},
	}
}

// TestBuildWithSnapshot renders the pages that show statuses from a fixed
// snapshot and compares them with testdata/want-snapshot (issue 5). Run
// with -update to rewrite them.
func TestBuildWithSnapshot(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	g := New(testOptions(t, "testdata/site", dest))
	s, err := g.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.Build(context.Background(), s, fixedSnapshot()); err != nil {
		t.Fatal(err)
	}
	files := []string{"index.html", "style/index.html", "tasks/zongjie/index.html", "tasks/zhuti/index.html", "tasks/tongzhi/index.html", "branches/yi/index.html", "status/index.html", "calendar.ics", "branches/yi/calendar.ics"}
	wantDir := filepath.Join("testdata", "want-snapshot")
	for _, f := range files {
		got, err := os.ReadFile(filepath.Join(dest, f))
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(got, []byte("<script>alert")) || bytes.Contains(got, []byte("<img src=x")) {
			t.Errorf("%s: typed markup reached the page unescaped", f)
		}
		want := filepath.Join(wantDir, filepath.FromSlash(f))
		if *update {
			os.MkdirAll(filepath.Dir(want), 0o755)
			os.WriteFile(want, got, 0o644)
			continue
		}
		w, err := os.ReadFile(want)
		if err != nil {
			t.Fatalf("%s: %v (run with -update)", f, err)
		}
		if !bytes.Equal(got, w) {
			t.Errorf("%s differs from %s:\n%s", f, want, firstDiff(got, w))
		}
	}
	task, _ := os.ReadFile(filepath.Join(dest, "tasks/zongjie/index.html"))
	branch, _ := os.ReadFile(filepath.Join(dest, "branches/yi/index.html"))
	for _, want := range []string{"退回修改", "请补充附件&lt;script&gt;"} {
		if !strings.Contains(string(branch), want) {
			t.Errorf("branch page lacks %q", want)
		}
	}
	style, _ := os.ReadFile(filepath.Join(dest, "style/index.html"))
	for _, want := range []string{"窗口排队太久", "已增设窗口。", "&lt;img src=x", `action="/dangwu/api/opinions"`} {
		if !strings.Contains(string(style), want) {
			t.Errorf("style page lacks %q", want)
		}
	}
	if !strings.Contains(string(task), "退回修改") {
		t.Error("task page lacks the returned status")
	}
}
