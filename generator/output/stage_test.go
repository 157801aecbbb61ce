package output

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestStageCommitAndAbort(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	os.MkdirAll(dest, 0o755)
	os.WriteFile(filepath.Join(dest, "old.html"), []byte("old"), 0o644)
	os.WriteFile(filepath.Join(dest, ".gitkeep"), nil, 0o644)

	s, err := NewStage(dest)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.WriteFile("news/a/index.html", []byte("new")); err != nil {
		t.Fatal(err)
	}
	s.Abort()
	if b, _ := os.ReadFile(filepath.Join(dest, "old.html")); string(b) != "old" {
		t.Fatal("abort changed the destination")
	}

	s, _ = NewStage(dest)
	s.WriteFile("news/a/index.html", []byte("new"))
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dest, "old.html")); !os.IsNotExist(err) {
		t.Error("old file survived the commit")
	}
	if b, _ := os.ReadFile(filepath.Join(dest, "news", "a", "index.html")); string(b) != "new" {
		t.Error("new file missing after commit")
	}
	if _, err := os.Stat(filepath.Join(dest, ".gitkeep")); err != nil {
		t.Error(".gitkeep not carried over")
	}
	entries, _ := os.ReadDir(filepath.Dir(dest))
	if len(entries) != 1 {
		t.Errorf("left over beside the destination: %v", entries)
	}
}

func TestWriteAtomic(t *testing.T) {
	dest := t.TempDir()
	if err := WriteAtomic(dest, "tasks/a/index.html", []byte("v1")); err != nil {
		t.Fatal(err)
	}
	if err := WriteAtomic(dest, "tasks/a/index.html", []byte("v2")); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dest, "tasks", "a", "index.html"))
	entries, _ := os.ReadDir(filepath.Join(dest, "tasks", "a"))
	if string(b) != "v2" || len(entries) != 1 {
		t.Errorf("got %q with %d files", b, len(entries))
	}
	if err := WriteAtomic(dest, "../escape.html", []byte("x")); err == nil {
		t.Error("wrote outside the destination")
	}
}

// FuzzOutputPath checks that no path accepted by CleanPath leaves the output.
func FuzzOutputPath(f *testing.F) {
	for _, s := range []string{"news/a/index.html", "../x", "/etc/passwd", "tags/党费/index.html", "a/../../b", "a\\..\\b", "./a", "a//b", ".."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, rel string) {
		clean, err := CleanPath(rel)
		if err != nil {
			return
		}
		root := "/out"
		full := filepath.Join(root, filepath.FromSlash(clean))
		if !strings.HasPrefix(full, root+"/") {
			t.Fatalf("CleanPath(%q) = %q escapes to %s", rel, clean, full)
		}
	})
}

// TestStageFolders checks that writers at the same time make the folders
// they share, at any depth, and that a file standing where a folder must
// be is an error, not a file written elsewhere (issue 14).
func TestStageFolders(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	s, err := NewStage(dest)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Abort()
	var rels []string
	for i := range 40 {
		rels = append(rels, fmt.Sprintf("news/%d/index.html", i%7), fmt.Sprintf("a/b/c%d/d/index.html", i%5), "top.html")
	}
	var wg sync.WaitGroup
	for _, rel := range rels {
		wg.Go(func() {
			if err := s.WriteFile(rel, []byte(rel)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	for _, rel := range rels {
		if b, err := os.ReadFile(filepath.Join(s.Dir(), filepath.FromSlash(rel))); err != nil || string(b) != rel {
			t.Errorf("%s: %q, %v", rel, b, err)
		}
	}
	if err := s.WriteFile("top.html/x/index.html", []byte("x")); err == nil {
		t.Error("a file where a folder must be: no error")
	}
}
