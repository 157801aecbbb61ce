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
