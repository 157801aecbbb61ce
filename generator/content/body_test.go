package content

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dangwu-org/dangwu/generator/site"
)

// TestDeferBodies checks that a load with DeferBodies leaves the pages'
// Markdown out and that ReadBody gives back what a load keeps, also after
// a title heading, a BOM, CRLF lines and TOML front matter, and that it
// fails when the file changed since (issue 14).
func TestDeferBodies(t *testing.T) {
	files := map[string]string{
		"news/a.md":       "---\ntitle: 一\n---\n\n正文**一**。\n",
		"news/heading.md": "\n# 标题来自正文\n\n第二段。\n",
		"news/bom.md":     "\xef\xbb\xbf---\r\ntitle: 二\r\n---\r\n正文二。\r\n",
		"news/toml.md":    "+++\ntitle = \"三\"\n+++\n正文三。\n",
		"news/empty.md":   "---\ntitle: 空\n---\n",
		"news/plain.md":   "没有前置信息。\n",
	}
	fsys := fstest.MapFS{}
	for name, body := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(body)}
	}
	cfg := site.DefaultConfig()
	kept, err := Load(fsys, cfg, Options{Now: now, Prefix: "content"})
	if err != nil {
		t.Fatal(err)
	}
	deferred, err := Load(fsys, cfg, Options{Now: now, Prefix: "content", DeferBodies: true})
	if err != nil {
		t.Fatal(err)
	}
	for src, want := range kept.All {
		p := deferred.All[src]
		if len(want.Body) > 0 && p.Body != nil {
			t.Errorf("%s: Body kept", src)
		}
		got, err := ReadBody(fsys, p)
		if err != nil {
			t.Errorf("%s: %v", src, err)
			continue
		}
		if string(got) != string(want.Body) {
			t.Errorf("%s: ReadBody = %q, want %q", src, got, want.Body)
		}
		if p.Title != want.Title || p.BodyLine != want.BodyLine {
			t.Errorf("%s: title %q line %d, want %q line %d", src, p.Title, p.BodyLine, want.Title, want.BodyLine)
		}
	}
	fsys["news/a.md"] = &fstest.MapFile{Data: []byte("---\ntitle: 一\n---\n\n正文改了。\n")}
	if _, err := ReadBody(fsys, deferred.All["news/a.md"]); err == nil || !strings.Contains(err.Error(), "被改动") {
		t.Errorf("changed file: err = %v", err)
	}
}
