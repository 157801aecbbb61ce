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
