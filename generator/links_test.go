package generator

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dangwu-org/dangwu/generator/site"
)

// writeSite writes files (slash paths relative to the site folder) into a
// new site folder and returns it.
func writeSite(t *testing.T, files map[string]string) string {
	t.Helper()
	src := t.TempDir()
	for name, body := range files {
		p := filepath.Join(src, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return src
}

// TestMissingMediaReported checks that every relative link and image is
// checked from the page's source file, and that what is missing is an error
// at its file and line, all in one build (issue 13).
func TestMissingMediaReported(t *testing.T) {
	src := writeSite(t, map[string]string{
		"site.yaml":              "title: 测试\n",
		"content/news/_index.md": "---\ntitle: 要闻\n---\n",
		"content/news/a.md": "---\ntitle: a\ndate: 2026-01-01\n---\n\n" +
			"![现场](img/none.png)\n\n" +
			"见[办法](../files/办法.pdf)和[栏目](../nosuch/)。\n\n" +
			"[越界](../../etc/passwd)与[外部](https://example.com/x.png)、[站内](/api/status)。\n",
		"content/news/b/index.md": "---\ntitle: b\nslug: bee\n---\n\n![图](pic.png)\n",
		"content/news/b/pic.png":  "png",
	})
	g := New(testOptions(t, src, filepath.Join(t.TempDir(), "public")))
	_, err := g.Run(context.Background(), site.Snapshot{})
	if err == nil {
		t.Fatal("build succeeded")
	}
	want := strings.Join([]string{
		"content/news/a.md:6: 图片 img/none.png：文件不存在（没有 content/news/img/none.png）",
		"content/news/a.md:8: 链接 ../files/办法.pdf：文件不存在（没有 content/files/办法.pdf）",
		"content/news/a.md:8: 链接 ../nosuch/：文件不存在（没有 content/nosuch）",
		"content/news/a.md:10: 链接 ../../etc/passwd：文件不存在（没有 content/../etc/passwd）",
	}, "\n")
	if err.Error() != want {
		t.Errorf("errors\n%v\nwant\n%s", err, want)
	}
}

// TestBundleMediaFollowsSlug checks that a bundle's image is linked where
// the bundle's files are published, under its slug.
func TestBundleMediaFollowsSlug(t *testing.T) {
	src := writeSite(t, map[string]string{
		"site.yaml":               "title: 测试\nbaseURL: http://intranet/dangwu/\n",
		"content/news/_index.md":  "---\ntitle: 要闻\n---\n",
		"content/news/b/index.md": "---\ntitle: b\nslug: bee\n---\n\n![图](pic.png)\n\n[附件](../../files/a.pdf)\n",
		"content/news/b/pic.png":  "png",
		"content/files/a.pdf":     "%PDF",
	})
	dest := filepath.Join(t.TempDir(), "public")
	mustBuild(t, testOptions(t, src, dest))
	files := readTree(t, dest)
	page := string(files["news/bee/index.html"])
	for _, want := range []string{`<img src="/dangwu/news/bee/pic.png" alt="图">`, `<a href="/dangwu/files/a.pdf">附件</a>`} {
		if !strings.Contains(page, want) {
			t.Errorf("news/bee/index.html does not contain %s", want)
		}
	}
	if _, ok := files["news/bee/pic.png"]; !ok {
		t.Error("news/bee/pic.png was not copied")
	}
}

// TestRawHTMLWarned checks that raw HTML keeps its safe formatting, that
// what the allow-list drops is a warning at its file and line, and that
// markup.html: strip drops it all without a word (issue 13).
func TestRawHTMLWarned(t *testing.T) {
	for _, tt := range []struct {
		mode, html string
		warn       []string
	}{
		{"", `<p>正文时限为10<sup>-21</sup>秒。<span>注意</span></p>`,
			[]string{"content/news/a.md:7: 警告：原始 HTML <span> 的属性 style 不在允许之列，已删除",
				"content/news/a.md:9: 警告：原始 HTML 标签 <script> 不在允许之列，已删除"}},
		{"strip", `<p>正文时限为10-21秒。注意</p>`, nil},
	} {
		cfg := "title: 测试\n"
		if tt.mode != "" {
			cfg += "markup:\n  html: " + tt.mode + "\n"
		}
		src := writeSite(t, map[string]string{
			"site.yaml":              cfg,
			"content/news/_index.md": "---\ntitle: 要闻\n---\n",
			"content/news/a.md":      "---\ntitle: a\ndate: 2026-01-01\n---\n\n正文\n时限为10<sup>-21</sup>秒。<span style=\"color:red\">注意</span>\n\n<script>alert(1)</script>\n",
		})
		dest := filepath.Join(t.TempDir(), "public")
		o := testOptions(t, src, dest)
		var warns []string
		o.Warn = func(m string) { warns = append(warns, m) }
		mustBuild(t, o)
		page := string(readTree(t, dest)["news/a/index.html"])
		if !strings.Contains(page, tt.html) || strings.Contains(page, "alert") {
			t.Errorf("%q: page lacks %s or has the script:\n%s", tt.mode, tt.html, page)
		}
		if got, want := strings.Join(warns, "\n"), strings.Join(tt.warn, "\n"); got != want {
			t.Errorf("%q: warnings\n%s\nwant\n%s", tt.mode, got, want)
		}
	}
}
