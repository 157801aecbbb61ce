package generator

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// treePages are the pages of testdata/tree compared with testdata/want-tree:
// the ones an organization tree changes (issue 17).
var treePages = []string{
	"index.html", "status/index.html", "branches/index.html", "tasks/zongjie/index.html", "tasks/anquan/index.html",
	"branches/yunshu/index.html", "branches/gongjiao/index.html", "branches/gj1/index.html", "branches/jiguan/index.html",
	"units/yunshu/calendar.ics", "units/gongjiao/calendar.ics",
	"status/units/yunshu/index.html", "status/units/gongjiao/index.html",
	"tasks/zongjie/units/yunshu/index.html", "tasks/zongjie/units/gongjiao/index.html", "tasks/anquan/units/yunshu/index.html",
}

// TestBuildTree builds a small three-level site (党委, 总支, 支部) and
// compares its tree pages with testdata/want-tree (-update rewrites them).
func TestBuildTree(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	mustBuild(t, testOptions(t, filepath.Join("testdata", "tree"), dest))
	wantDir := filepath.Join("testdata", "want-tree")
	for _, name := range treePages {
		got, err := os.ReadFile(filepath.Join(dest, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(wantDir, filepath.FromSlash(name))
		if *update {
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from testdata/want-tree (run with -update and review the diff):\n%s", name, firstDiff(got, want))
		}
	}
}
