package serve

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// waitFor reads changes until want has been reported, or fails after a
// generous time: file system events take some milliseconds to arrive.
func waitFor(t *testing.T, w *watcher, want string) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case p := <-w.Changes():
			if filepath.Base(p) == "README.md" {
				t.Errorf("%s reported: it is no input", p)
			}
			if p == want {
				return
			}
		case <-deadline:
			t.Fatalf("no change reported for %s", want)
		}
	}
}

// TestWatcher checks the watcher reports edits, creations (also inside a
// folder created after the start), renames and removals, and site.yaml,
// but not the site folder's other files (issue 3, item 1).
func TestWatcher(t *testing.T) {
	site := t.TempDir()
	content := filepath.Join(site, "content")
	os.MkdirAll(filepath.Join(content, "news"), 0o755)
	os.WriteFile(filepath.Join(content, "news", "a.md"), []byte("a"), 0o644)
	w, err := watchSite(site, []string{"site.yaml", "content", "static"}, []string{content, filepath.Join(site, "static")}, func(err error) { t.Error(err) })
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()

	a := filepath.Join(content, "news", "a.md")
	os.WriteFile(a, []byte("edited"), 0o644)
	waitFor(t, w, a)

	os.WriteFile(filepath.Join(site, "README.md"), []byte("not an input"), 0o644)
	cfg := filepath.Join(site, "site.yaml")
	os.WriteFile(cfg, []byte("title: x\n"), 0o644)
	waitFor(t, w, cfg)

	// A new bundle: the folder and the files in it, which may be written
	// before the folder's watch exists.
	bundle := filepath.Join(content, "news", "b")
	os.MkdirAll(bundle, 0o755)
	os.WriteFile(filepath.Join(bundle, "index.md"), []byte("b"), 0o644)
	waitFor(t, w, filepath.Join(bundle, "index.md"))
	doc := filepath.Join(bundle, "doc.pdf")
	os.WriteFile(doc, []byte("%PDF"), 0o644)
	waitFor(t, w, doc)

	// static/ appears after the start.
	static := filepath.Join(site, "static")
	os.MkdirAll(filepath.Join(static, "img"), 0o755)
	logo := filepath.Join(static, "img", "logo.png")
	os.WriteFile(logo, []byte("png"), 0o644)
	waitFor(t, w, logo)

	moved := filepath.Join(content, "news", "moved.md")
	os.Rename(a, moved)
	waitFor(t, w, moved)

	os.RemoveAll(bundle)
	waitFor(t, w, bundle)

	// Hidden and backup files are no input.
	os.WriteFile(filepath.Join(content, "news", ".moved.md.swp"), []byte("x"), 0o644)
	os.WriteFile(filepath.Join(content, "news", "moved.md~"), []byte("x"), 0o644)
	last := filepath.Join(content, "news", "c.md")
	os.WriteFile(last, []byte("c"), 0o644)
	deadline := time.After(10 * time.Second)
	for done := false; !done; {
		select {
		case p := <-w.Changes():
			switch filepath.Base(p) {
			case ".moved.md.swp", "moved.md~", "README.md":
				t.Errorf("%s reported", p)
			case "c.md":
				done = true
			}
		case <-deadline:
			t.Fatal("no change reported for c.md")
		}
	}
}
