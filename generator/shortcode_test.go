package generator

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// articleContent is the rendered body of a page.
var articleContent = regexp.MustCompile(`(?s)<div class="content">\n(.*?)\n  </div>`)

// TestShortcodes renders one page per shortcode (testdata/shortcodes/site)
// with the default theme and a shortcode of the site's own, and compares
// each body with testdata/shortcodes/want/<page>.html; -update rewrites
// them (issue 13, item 3).
func TestShortcodes(t *testing.T) {
	src := filepath.Join("testdata", "shortcodes", "site")
	dest := filepath.Join(t.TempDir(), "public")
	mustBuild(t, testOptions(t, src, dest))
	pages, err := filepath.Glob(filepath.Join(src, "content", "news", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	// The search index is sharded (search/index.json, search/s/*, search/d/*):
	// what reaches it is whatever any of its files holds.
	var search []byte
	shards, err := filepath.Glob(filepath.Join(dest, "search", "*", "*.json"))
	if err != nil || len(shards) == 0 {
		t.Fatalf("no search files under search/: %v", err)
	}
	for _, f := range shards {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		search = append(search, b...)
	}
	for _, p := range pages {
		name := strings.TrimSuffix(filepath.Base(p), ".md")
		if name == "_index" || name == "dangfei" {
			continue
		}
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(dest, "news", name, "index.html"))
			if err != nil {
				t.Fatal(err)
			}
			m := articleContent.FindSubmatch(b)
			if m == nil {
				t.Fatalf("no <div class=\"content\"> in news/%s/index.html", name)
			}
			got := append(m[1], '\n')
			golden := filepath.Join("testdata", "shortcodes", "want", name+".html")
			if *update {
				os.MkdirAll(filepath.Dir(golden), 0o755)
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("news/%s differs from %s (run with -update and review the diff):\n%s", name, golden, firstDiff(got, want))
			}
		})
	}
	// Shortcodes never reach the search index as written: only the one
	// escaped to be shown as text.
	if n := bytes.Count(search, []byte("{{")); n != 2 || bytes.Contains(search, []byte("DWSCPH")) {
		t.Errorf("the search index holds shortcodes as written:\n%s", search)
	}
	if !bytes.Contains(search, []byte("全体党员参加")) || !bytes.Contains(search, []byte("按时交纳")) {
		t.Errorf("the search index lacks the text of figure captions and notices:\n%s", search)
	}
}
