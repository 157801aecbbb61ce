package generator

import (
	"bytes"
	"context"
	"flag"
	"io/fs"
	"maps"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dangwu-org/dangwu/generator/live"
	"github.com/dangwu-org/dangwu/generator/site"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/want")

// fixedNow is the clock of every test build, so outputs are reproducible.
var fixedNow = time.Date(2026, 11, 28, 12, 0, 0, 0, time.FixedZone("CST", 8*3600))

func testOptions(t testing.TB, src, dest string) Options {
	t.Helper()
	return Options{
		Source:    src,
		Dest:      dest,
		ThemesDir: filepath.Join("..", "themes"),
		Now:       func() time.Time { return fixedNow },
		Warn:      func(msg string) { t.Log(msg) },
	}
}

func mustBuild(t testing.TB, o Options) Stats {
	t.Helper()
	st, err := New(o).Run(context.Background(), site.Snapshot{})
	if err != nil {
		t.Fatalf("build %s: %v", o.Source, err)
	}
	return st
}

// readTree returns every file under dir by its slash-separated path.
func readTree(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		b, err := os.ReadFile(p)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestBuild compares the whole output of testdata/site with testdata/want.
// Run `go test ./generator -run TestBuild -update` to rewrite the golden
// files, then review them with git diff.
func TestBuild(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	mustBuild(t, testOptions(t, "testdata/site", dest))
	got := readTree(t, dest)
	// The theme's static files are copied as they are: compare them with
	// their source instead of keeping second copies in testdata/want.
	static := readTree(t, filepath.Join("..", "themes", "default", "static"))
	for name, b := range static {
		if strings.HasSuffix(name, "_test.js") {
			continue
		}
		if !bytes.Equal(got[name], b) {
			t.Errorf("%s: not a copy of the theme's static file", name)
		}
		delete(got, name)
	}
	wantDir := filepath.Join("testdata", "want")
	if *update {
		os.RemoveAll(wantDir)
		for name, b := range got {
			p := filepath.Join(wantDir, filepath.FromSlash(name))
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	want := readTree(t, wantDir)
	for name, w := range want {
		g, ok := got[name]
		if !ok {
			t.Errorf("%s: missing from the output", name)
			continue
		}
		if !bytes.Equal(g, w) {
			t.Errorf("%s differs from testdata/want (run with -update and review the diff):\n%s", name, firstDiff(g, w))
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("%s: not in testdata/want", name)
		}
	}
}

func firstDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var a, b string
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b {
			return "line " + itoa(i+1) + "\n  got:  " + a + "\n  want: " + b
		}
	}
	return ""
}

func itoa(n int) string { return strings.TrimSpace(strings.Repeat(" ", 0) + fmtInt(n)) }

func fmtInt(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return fmtInt(n/10) + string(rune('0'+n%10))
}

func TestBuildIsDeterministic(t *testing.T) {
	a := filepath.Join(t.TempDir(), "a")
	b := filepath.Join(t.TempDir(), "b")
	mustBuild(t, testOptions(t, "testdata/site", a))
	o := testOptions(t, "testdata/site", b)
	o.Workers = 1
	mustBuild(t, o)
	ta, tb := readTree(t, a), readTree(t, b)
	if len(ta) != len(tb) {
		t.Fatalf("%d files vs %d files", len(ta), len(tb))
	}
	for name, x := range ta {
		if !bytes.Equal(x, tb[name]) {
			t.Errorf("%s differs between two builds", name)
		}
	}
}

// TestBuildOutputs checks what readers see: publishing rules, pagination,
// aliases, rewritten links, feeds and search.
func TestBuildOutputs(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	mustBuild(t, testOptions(t, "testdata/site", dest))
	files := readTree(t, dest)
	// The search index's shards and docs, each read as one file.
	for name, b := range maps.Clone(files) {
		if dir, _ := path.Split(name); dir == "search/d/" || dir == "search/s/" {
			files[dir+"*"] = append(files[dir+"*"], b...)
		}
	}
	tests := []struct {
		file     string
		contains []string
		absent   []string
	}{
		{"news/a/index.html", []string{`href="/dangwu/rules/dangfei/#%E7%AC%AC%E4%B8%89%E6%9D%A1-%E5%85%9A%E8%B4%B9%E7%9A%84%E8%AE%A1%E7%AE%97"`, `id="会议内容"`, "召开党员大会"}, nil},
		{"news/old-a/index.html", []string{`/dangwu/news/a/`, "noindex"}, nil},
		{"news/index.html", []string{"/dangwu/news/page/2/"}, []string{"草稿不发布", "未来的文章", "已过期的通知"}},
		{"news/page/3/index.html", []string{"志愿服务进社区"}, nil},
		// Pages at the content root and nested sections (issue 13, item 2).
		{"about/index.html", []string{"测试党委的简介", `href="/dangwu/contact/"`, `<a href="/dangwu/about/" class="active" aria-current="page">关于</a>`}, nil},
		{"contact/index.html", []string{"测试市测试路", `href="/dangwu/contact/map.txt"`, `href="/dangwu/about/"`}, nil},
		{"contact/map.txt", []string{"一张地图"}, nil},
		{"news/2025/index.html", []string{"2025年的要闻归档", "年终总结会", "春节慰问", `href="/dangwu/news/2025/q1/">第一季度</a>`},
			[]string{"召开党员大会"}},
		{"news/2025/q1/chunjie/index.html", []string{`<li><a href="/dangwu/news/2025/">2025年</a></li>`, `<li><a href="/dangwu/news/2025/q1/">第一季度</a></li>`}, nil},
		{"news/index.html", []string{`href="/dangwu/news/2025/">2025年</a>`}, nil},
		{"sitemap.xml", []string{"/dangwu/news/2025/q1/</loc>", "/dangwu/about/</loc>"}, nil},
		{"news/c/index.html", []string{"<title>志愿服务进社区"}, nil},
		{"index.xml", []string{"<rss", "http://intranet.example/dangwu/news/a/"}, []string{"草稿不发布", "未来的文章", "已过期的通知"}},
		{"sitemap.xml", []string{"http://intranet.example/dangwu/rules/dangfei/"}, []string{"/news/draft/", "/news/future/", "/news/expired/"}},
		{"search/d/*", []string{"党费", "/dangwu/news/a/"}, []string{"草稿不发布"}},
		{"search/s/*", []string{`"党费":`}, nil},
		{"search/index.json", []string{`"v":1`, `"chunk":10`}, nil},
		{"robots.txt", []string{"Sitemap: http://intranet.example/dangwu/sitemap.xml"}, nil},
		{"lessons/ke-1/ke.wav", []string{"RIFF"}, nil},
		{"lessons/ke-1/index.html", []string{"/dangwu/lessons/ke-1/reading.txt", "学习材料"}, nil},
		{"branches/yi/index.html", []string{"第一党支部开展学习", "张三"}, nil},
		{"branches/yi/post/index.html", []string{`href="/dangwu/lessons/ke-1/"`}, nil},
		{"tags/党费/index.html", []string{"召开党员大会"}, nil},
		{"tasks/zongjie/index.html", []string{`action="/dangwu/api/tasks/zongjie/submissions"`, `name="summary"`, `maxlength="2000"`, `accept=".pdf"`, "第一党支部"}, nil},
		{"humans.txt", []string{"User-agent: test"}, nil},
		{"404.html", []string{"页面不存在"}, nil},
	}
	for _, tt := range tests {
		b, ok := files[tt.file]
		if !ok {
			t.Errorf("%s: not in the output", tt.file)
			continue
		}
		for _, s := range tt.contains {
			if !bytes.Contains(b, []byte(s)) {
				t.Errorf("%s: does not contain %q", tt.file, s)
			}
		}
		for _, s := range tt.absent {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("%s: contains %q", tt.file, s)
			}
		}
	}
	// Root pages and nested sections reach the search index (whichever
	// chunk of search/d/ holds them).
	var docs []byte
	for name, b := range files {
		if strings.HasPrefix(name, "search/d/") {
			docs = append(docs, b...)
		}
	}
	for _, s := range []string{"测试党委的简介", "开展春节慰问"} {
		if !bytes.Contains(docs, []byte(s)) {
			t.Errorf("search/d/*.json: no page with %q", s)
		}
	}
	for _, gone := range []string{"news/draft/index.html", "news/future/index.html", "news/expired/index.html"} {
		if _, ok := files[gone]; ok {
			t.Errorf("%s was written, want it left out", gone)
		}
	}
}

var linkRE = regexp.MustCompile(`(?:href|src)="([^"]*)"`)

// TestLinksResolveUnderSubPath crawls every HTML file and checks that every
// link inside the site carries the base path and names a file that exists.
func TestLinksResolveUnderSubPath(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	mustBuild(t, testOptions(t, "testdata/site", dest))
	files := readTree(t, dest)
	for name, b := range files {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		for _, m := range linkRE.FindAllSubmatch(b, -1) {
			link := string(m[1])
			switch {
			case strings.HasPrefix(link, "#"), strings.HasPrefix(link, "http://"), strings.HasPrefix(link, "https://"), strings.HasPrefix(link, "mailto:"), strings.HasPrefix(link, "data:"):
				continue
			case !strings.HasPrefix(link, "/dangwu/"):
				t.Errorf("%s: link %q does not start with the base path /dangwu/", name, link)
				continue
			}
			target, _ := url.PathUnescape(strings.TrimPrefix(link, "/dangwu/"))
			target, _, _ = strings.Cut(target, "#")
			target, _, _ = strings.Cut(target, "?")
			if target == "" || strings.HasSuffix(target, "/") {
				target += "index.html"
			}
			if _, ok := files[target]; !ok {
				t.Errorf("%s: link %q names no file in the output", name, link)
			}
		}
	}
}

// TestFailedBuildKeepsOutput breaks a page after a good build and checks the
// failed build names the file and line and leaves every file as it was.
func TestFailedBuildKeepsOutput(t *testing.T) {
	src := copyTree(t, "testdata/site")
	dest := filepath.Join(t.TempDir(), "public")
	mustBuild(t, testOptions(t, src, dest))
	before := readTree(t, dest)
	bad := filepath.Join(src, "content", "news", "a.md")
	if err := os.WriteFile(bad, []byte("---\ntitle: 坏页面\ndate: 2026-13-45\n---\n\n[断链](nope.md)\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := New(testOptions(t, src, dest)).Run(context.Background(), site.Snapshot{})
	if err == nil {
		t.Fatal("build succeeded, want an error")
	}
	if want := "content/news/a.md:3: date:"; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not name %q", err, want)
	}
	after := readTree(t, dest)
	if len(after) != len(before) {
		t.Fatalf("output has %d files after the failed build, %d before", len(after), len(before))
	}
	for name, b := range before {
		if !bytes.Equal(after[name], b) {
			t.Errorf("%s changed after a failed build", name)
		}
	}
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(dest), ".public.build-*"))
	if len(leftovers) > 0 {
		t.Errorf("staging folders left behind: %v", leftovers)
	}
}

func copyTree(t testing.TB, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// TestSearchAfter checks where a one-off build writes the search index's
// files: after the first n other outputs, both kept in their order.
func TestSearchAfter(t *testing.T) {
	page := func(rel string) live.Output { return live.Output{Rel: rel, Kind: live.Page} }
	outs := []live.Output{page("a"), data("search/0.json", makeSearch, nil), page("b"), page("c"),
		data("search/m.json", makeSearch, nil), page("d")}
	for _, tt := range []struct {
		n    int
		want string
	}{
		{0, "search/0.json search/m.json a b c d"},
		{2, "a b search/0.json search/m.json c d"},
		{10, "a b c d search/0.json search/m.json"},
	} {
		var got []string
		for _, o := range searchAfter(outs, tt.n) {
			got = append(got, o.Rel)
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("searchAfter(…, %d) = %v, want %s", tt.n, got, tt.want)
		}
	}
}
