package corpus

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteIsDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	if err := Write(a, 50, 1); err != nil {
		t.Fatal(err)
	}
	if err := Write(b, 50, 1); err != nil {
		t.Fatal(err)
	}
	n := 0
	filepath.WalkDir(a, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(a, p)
		x, _ := os.ReadFile(p)
		y, err := os.ReadFile(filepath.Join(b, rel))
		if err != nil || string(x) != string(y) {
			t.Errorf("%s differs between two runs", rel)
		}
		if strings.HasSuffix(rel, ".md") && !strings.HasSuffix(rel, "_index.md") {
			n++
		}
		return nil
	})
	if n != 50+Tasks {
		t.Errorf("got %d pages, want %d", n, 50+Tasks)
	}
}

// TestWriteTree checks the three-level corpus of issue 17: every 支部 under a
// 总支 under a 党委.
func TestWriteTree(t *testing.T) {
	dir := t.TempDir()
	if err := WriteTree(dir, 0, 1, 120); err != nil {
		t.Fatal(err)
	}
	last, err := os.ReadFile(filepath.Join(dir, "content/branches", TreeBranchID(119), "_index.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(last), "parent: w09z000") {
		t.Errorf("branch 119:\n%s", last)
	}
	zz, err := os.ReadFile(filepath.Join(dir, "content/branches/w09z000/_index.md"))
	if err != nil || !strings.Contains(string(zz), "parent: w09") {
		t.Errorf("总支 w09z000: %s %v", zz, err)
	}
}
