package content

import (
	"io/fs"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dangwu-org/dangwu/generator/site"
)

// TestCacheMatchesFreshLoad loads a tree through a cache after each change
// and checks the site equals a load without a cache.
func TestCacheMatchesFreshLoad(t *testing.T) {
	fsys := fstest.MapFS{
		"news/_index.md":        {Data: []byte("---\ntitle: 要闻\n---\n")},
		"news/a.md":             {Data: []byte("---\ntitle: 甲\ndate: 2026-11-01\ntags: [党费]\n---\n\n正文甲。\n")},
		"news/b.md":             {Data: []byte("---\ntitle: 乙\ndate: 2026-11-02\n---\n\n正文乙。\n")},
		"news/c/index.md":       {Data: []byte("---\ntitle: 丙\nattachments: [doc.pdf]\n---\n")},
		"news/c/doc.pdf":        {Data: []byte("%PDF-1")},
		"rules/_index.md":       {Data: []byte("---\ntitle: 制度\nrequire: [文号]\n---\n")},
		"rules/dangfei.md":      {Data: []byte("---\ntitle: 党费\n文号: 〔2026〕1号\n---\n")},
		"branches/_index.md":    {Data: []byte("---\ntitle: 支部\n---\n")},
		"branches/yi/_index.md": {Data: []byte("---\ntitle: 第一支部\n---\n")},
	}
	cfg := site.DefaultConfig()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	cache := NewCache()
	steps := []struct {
		name   string
		change func()
		forget []string
	}{
		{"first load", func() {}, nil},
		{"edit a body", func() { fsys["news/a.md"].Data = []byte("---\ntitle: 甲\ndate: 2026-11-01\n---\n\n新的正文。\n") }, []string{"news/a.md"}},
		{"add a page", func() { fsys["news/d.md"] = &fstest.MapFile{Data: []byte("# 丁\n\n正文丁。\n")} }, []string{"news/d.md"}},
		{"remove a page", func() { delete(fsys, "news/b.md") }, []string{"news/b.md"}},
		{"grow an attachment", func() { fsys["news/c/doc.pdf"].Data = []byte("%PDF-1.7 longer") }, []string{"news/c/doc.pdf"}},
		{"break a page", func() { fsys["rules/dangfei.md"].Data = []byte("---\ntitle: 党费\n---\n") }, []string{"rules/dangfei.md"}},
		{"fix it", func() { fsys["rules/dangfei.md"].Data = []byte("---\ntitle: 党费\n文号: 〔2026〕2号\n---\n") }, []string{"rules/dangfei.md"}},
		{"new folder", func() {
			fsys["style/_index.md"] = &fstest.MapFile{Data: []byte("---\ntitle: 作风\n---\n")}
			fsys["style/x.md"] = &fstest.MapFile{Data: []byte("---\ntitle: 承诺\n---\n")}
		}, []string{"style"}},
	}
	for _, step := range steps {
		step.change()
		cache.Forget(step.forget...)
		opts := Options{Now: now, Prefix: "content"}
		want, wantErr := Load(fsys, cfg, opts)
		opts.Cache = cache
		got, gotErr := Load(fsys, cfg, opts)
		if (wantErr == nil) != (gotErr == nil) || wantErr != nil && wantErr.Error() != gotErr.Error() {
			t.Fatalf("%s: error %v, want %v", step.name, gotErr, wantErr)
		}
		if got != nil {
			for _, p := range got.All {
				if p.Digest == 0 {
					t.Errorf("%s: %s has no digest", step.name, p.Source)
				}
				p.Digest = 0 // a load without a cache has none
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the cached load differs from a fresh one", step.name)
		}
	}
	if n := cache.Len(); n != 10 {
		t.Errorf("cache holds %d files, want 10 (the removed page dropped)", n)
	}
}

// TestCacheTrustsForget shows that a change not reported is not seen, and
// that a digest changes exactly when the bytes do.
func TestCacheTrustsForget(t *testing.T) {
	fsys := fstest.MapFS{"news/a.md": {Data: []byte("---\ntitle: 旧\n---\n")}}
	cfg := site.DefaultConfig()
	cfg.Validate()
	cache := NewCache()
	opts := Options{Now: now, Prefix: "content", Cache: cache}
	title := func() string {
		t.Helper()
		s, err := Load(fsys, cfg, opts)
		if err != nil {
			t.Fatal(err)
		}
		return s.All["news/a.md"].Title
	}
	title()
	d1, _ := cache.Digest("news/a.md")
	fsys["news/a.md"].Data = []byte("---\ntitle: 新\n---\n")
	if got := title(); got != "旧" {
		t.Errorf("title %q before Forget, want the cached 旧", got)
	}
	cache.Forget("news")
	if got := title(); got != "新" {
		t.Errorf("title %q after Forget, want 新", got)
	}
	d2, _ := cache.Digest("news/a.md")
	cache.Forget("news/a.md")
	title()
	d3, _ := cache.Digest("news/a.md")
	if d1 == d2 || d2 != d3 {
		t.Errorf("digests %x %x %x: want a change only when the bytes change", d1, d2, d3)
	}
	cfg.TimeZone = "UTC"
	fsys["news/a.md"].Data = []byte("---\ntitle: 换时区\n---\n")
	if got := title(); !strings.Contains(got, "换时区") {
		t.Errorf("a new time zone kept the cache: title %q", got)
	}
}

// countingFS counts the folders read, to tell a walk from a replay.
type countingFS struct {
	fstest.MapFS
	reads *int
}

func (f countingFS) ReadDir(name string) ([]fs.DirEntry, error) {
	*f.reads++
	return f.MapFS.ReadDir(name)
}

// TestCacheReplaysNewAndRemovedPages checks that a page created in a
// folder the last walk found, or removed from one, is brought in without
// walking content/ again (issue 14 item 4: a new page of a 10,000-page
// site), and that a new folder or bundle still walks.
func TestCacheReplaysNewAndRemovedPages(t *testing.T) {
	fsys := fstest.MapFS{
		"news/_index.md":  {Data: []byte("---\ntitle: 要闻\n---\n")},
		"news/a.md":       {Data: []byte("---\ntitle: 甲\ndate: 2026-11-01\n---\n\n正文甲。\n")},
		"news/c/index.md": {Data: []byte("---\ntitle: 丙\n---\n")},
	}
	cfg := site.DefaultConfig()
	cache := NewCache()
	reads := 0
	cfs := countingFS{fsys, &reads}
	steps := []struct {
		name   string
		change func()
		forget string
		walks  bool
		pages  int
	}{
		{"first load", func() {}, "", true, 2},
		{"new page", func() { fsys["news/b.md"] = &fstest.MapFile{Data: []byte("---\ntitle: 乙\n---\n")} }, "news/b.md", false, 3},
		{"removed page", func() { delete(fsys, "news/a.md") }, "news/a.md", false, 2},
		{"new page in a bundle", func() { fsys["news/c/x.md"] = &fstest.MapFile{Data: []byte("---\ntitle: 戊\n---\n")} }, "news/c/x.md", true, 2},
		{"new folder", func() { fsys["style/y.md"] = &fstest.MapFile{Data: []byte("---\ntitle: 己\n---\n")} }, "style/y.md", true, 3},
		{"new bundle", func() { fsys["news/d/index.md"] = &fstest.MapFile{Data: []byte("---\ntitle: 丁\n---\n")} }, "news/d/index.md", true, 4},
	}
	for _, step := range steps {
		step.change()
		if step.forget != "" {
			cache.Forget(step.forget)
		}
		reads = 0
		s, err := Load(cfs, cfg, Options{Now: now, Prefix: "content", Cache: cache})
		if err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		if walked := reads > 0; walked != step.walks {
			t.Errorf("%s: walked %v, want %v", step.name, walked, step.walks)
		}
		if len(s.Pages) != step.pages {
			t.Errorf("%s: %d pages, want %d", step.name, len(s.Pages), step.pages)
		}
	}
}

// TestReread tells an edit of a page's body alone from one of its front
// matter or of a title taken from its first heading.
func TestReread(t *testing.T) {
	fsys := fstest.MapFS{
		"news/a.md": {Data: []byte("---\ntitle: 甲\ndate: 2026-11-01\ntags: [党费]\n---\n\n正文甲。\n")},
		"news/h.md": {Data: []byte("# 标题\n\n正文。\n")},
	}
	cfg := site.DefaultConfig()
	cache := NewCache()
	opts := Options{Now: now, Prefix: "content", Cache: cache}
	if _, err := Load(fsys, cfg, opts); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, src, data string
		ok              bool
	}{
		{"body", "news/a.md", "---\ntitle: 甲\ndate: 2026-11-01\ntags: [党费]\n---\n\n新的正文。\n", true},
		{"front matter", "news/a.md", "---\ntitle: 甲\ndate: 2026-11-02\ntags: [党费]\n---\n\n新的正文。\n", false},
		{"body under a heading title", "news/h.md", "# 标题\n\n别的正文。\n", true},
		{"heading title", "news/h.md", "# 新标题\n\n别的正文。\n", false},
		{"broken", "news/h.md", "---\ntitle: [\n---\n", false},
		{"unknown file", "news/x.md", "正文", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, _ := cache.Digest(tt.src)
			fsys[tt.src] = &fstest.MapFile{Data: []byte(tt.data)}
			p, ok := cache.Reread(fsys, cfg, opts, tt.src)
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v", ok, tt.ok)
			}
			after, _ := cache.Digest(tt.src)
			if !ok {
				if after != before {
					t.Error("the cache changed")
				}
				return
			}
			if !strings.Contains(string(p.Body), "正文") || p.Digest == 0 || after != p.Digest {
				t.Errorf("body %q, digest %x, cache %x", p.Body, p.Digest, after)
			}
		})
	}
}
