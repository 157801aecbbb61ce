package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

func gb18030(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// encodedSite writes a site whose files are saved as Chinese offices save
// them, with the shipped theme.
func encodedSite(t *testing.T) string {
	t.Helper()
	src := t.TempDir()
	if err := os.CopyFS(filepath.Join(src, "themes"), os.DirFS("themes")); err != nil {
		t.Fatal(err)
	}
	u16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes(
		[]byte("---\r\ntitle: 支部学习记录\r\ndate: 2026-11-02\r\n---\r\n\r\n认真学习。\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	page404, err := os.ReadFile("themes/default/layouts/404.html")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		"site.yaml":                  gb18030(t, "title: 江州市交通运输局机关党委\nbaseURL: http://intranet/\n"),
		"content/_index.md":          []byte("---\ntitle: 首页\n---\n"),
		"content/news/_index.md":     []byte("---\ntitle: 要闻概览\n---\n"),
		"content/news/gbk.md":        gb18030(t, "# 关于党费的通知\n\n请各支部按月交纳党费。\n"),
		"content/news/utf16.md":      u16,
		"content/news/bom-crlf.md":   []byte("\ufeff---\r\ntitle: 带BOM的页面\r\ndate: 2026-11-03\r\n---\r\n\r\n正文。\r\n"),
		"layouts/404.html":           gb18030(t, string(page404)),
		"content/news/plain-utf8.md": []byte("---\ntitle: 普通页面\ndate: 2026-11-04\n---\n\n正文。\n"),
	}
	for name, b := range files {
		p := filepath.Join(src, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return src
}

// TestBuildEncodings: pages, site.yaml and templates saved as GB18030/GBK
// or UTF-16 are read as the text they are, each with a warning naming the
// file and saying how to save it as UTF-8; UTF-8 with a BOM and CRLF read
// as before, without a warning (issue 16).
func TestBuildEncodings(t *testing.T) {
	src := encodedSite(t)
	dest := filepath.Join(src, "public")
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"build", "-s", src, "-d", dest}, &stdout, &stderr); err != nil {
		t.Fatalf("build: %v\n%s", err, stderr.String())
	}
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dest, name))
		if err != nil {
			t.Fatal(err)
		}
		if !utf8.Valid(b) {
			t.Errorf("%s is not UTF-8", name)
		}
		return string(b)
	}
	for file, want := range map[string]string{
		"news/gbk/index.html":      "<title>关于党费的通知 - 江州市交通运输局机关党委</title>",
		"news/utf16/index.html":    "<title>支部学习记录 - 江州市交通运输局机关党委</title>",
		"news/bom-crlf/index.html": "<title>带BOM的页面 - 江州市交通运输局机关党委</title>",
		"404.html":                 "页面不存在",
	} {
		if got := read(file); !strings.Contains(got, want) {
			t.Errorf("%s lacks %q", file, want)
		}
	}
	if got := read("news/gbk/index.html"); !strings.Contains(got, "请各支部按月交纳党费。") || strings.ContainsRune(got, utf8.RuneError) {
		t.Errorf("news/gbk/index.html: the GBK body is not there as text")
	}
	warnings := stderr.String()
	for _, file := range []string{"site.yaml", "content/news/gbk.md", "content/news/utf16.md", "layouts/404.html"} {
		if !strings.Contains(warnings, file+": 警告：文件的编码是 ") || !strings.Contains(warnings, "请另存为 UTF-8") {
			t.Errorf("no warning for %s in:\n%s", file, warnings)
		}
	}
	for _, file := range []string{"bom-crlf.md", "plain-utf8.md", "_index.md"} {
		if strings.Contains(warnings, file) {
			t.Errorf("a warning names %s, which is UTF-8:\n%s", file, warnings)
		}
	}
}

// TestBuildUnknownEncoding: bytes in no known encoding fail the build at
// the file and line, saying the encoding is unknown; nothing is published.
func TestBuildUnknownEncoding(t *testing.T) {
	src := encodedSite(t)
	os.WriteFile(filepath.Join(src, "content", "news", "latin1.md"), []byte("---\ntitle: ok\ntext: caf\xe9 au lait\n---\n"), 0o644)
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"build", "-s", src, "-d", filepath.Join(src, "public")}, &stdout, &stderr)
	if err == nil {
		t.Fatal("build succeeded")
	}
	if want := "content/news/latin1.md:3: 无法识别的文件编码"; !strings.Contains(stderr.String(), want) {
		t.Errorf("stderr %q does not contain %q", stderr.String(), want)
	}
	if _, err := os.Stat(filepath.Join(src, "public")); !os.IsNotExist(err) {
		t.Error("a failed build created public/")
	}
}

// TestNewWritesUTF8: dangwu new writes UTF-8 without a BOM, even in a site
// whose site.yaml was saved as GBK.
func TestNewWritesUTF8(t *testing.T) {
	src := encodedSite(t)
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"new", "-s", src, "news/党课通知.md"}, &stdout, &stderr); err != nil {
		t.Fatalf("new: %v\n%s", err, stderr.String())
	}
	b, err := os.ReadFile(filepath.Join(src, "content", "news", "党课通知.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !utf8.Valid(b) || bytes.HasPrefix(b, []byte("\ufeff")) {
		t.Errorf("new wrote %q, want UTF-8 without a BOM", b)
	}
}
