package content

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/dangwu-org/dangwu/corpus"
)

// BenchmarkLoadNewPage loads the 10,000-page corpus through a Cache, then
// times a load after each new page written into a column: what `dangwu
// serve` spends assembling the site again when a page is created (issue
// 14, item 4).
func BenchmarkLoadNewPage(b *testing.B) {
	src := b.TempDir()
	if err := corpus.Write(src, 10000, 1); err != nil {
		b.Fatal(err)
	}
	cfg, err := LoadConfig(os.DirFS(src), "site.yaml")
	if err != nil {
		b.Fatal(err)
	}
	fsys := os.DirFS(filepath.Join(src, "content"))
	cache := NewCache()
	opts := Options{Now: now, Prefix: "content", Cache: cache}
	if _, err := Load(fsys, cfg, opts); err != nil {
		b.Fatal(err)
	}
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		i++
		rel := "news/new-" + strconv.Itoa(i) + ".md"
		page := "---\ntitle: 新建页面" + strconv.Itoa(i) + "\ndate: 2026-06-15\ntags: [党支部]\n---\n\n新建页面的正文。\n"
		if err := os.WriteFile(filepath.Join(src, "content", filepath.FromSlash(rel)), []byte(page), 0o644); err != nil {
			b.Fatal(err)
		}
		cache.Forget(rel)
		if _, err := Load(fsys, cfg, opts); err != nil {
			b.Fatal(err)
		}
	}
}
