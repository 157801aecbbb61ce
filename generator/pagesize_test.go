package generator

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/dangwu-org/dangwu/corpus"
)

// pageLimit is the largest page issue 17 allows at 5,000 branches: what an
// office PC or a phone on the intranet opens without waiting.
const pageLimit = 200 << 10

// knownOversized are the pages issue 17 has not made small yet: none since
// the task pages list their branches per unit. The list only shrinks: a
// page that grows over the limit and is not here fails the test, and so
// does a page here that has become small (take it off the list).
var knownOversized []string

// oversized lists every HTML page under dir larger than limit, largest
// first, as "path size".
func oversized(t *testing.T, dir string, limit int64) []string {
	t.Helper()
	type page struct {
		rel  string
		size int64
	}
	var big []page
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if info.Size() > limit {
			rel, _ := filepath.Rel(dir, p)
			big = append(big, page{filepath.ToSlash(rel), info.Size()})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(big, func(i, j int) bool { return big[i].size > big[j].size })
	out := make([]string, len(big))
	for i, p := range big {
		out[i] = fmt.Sprintf("%s %d", p.rel, p.size)
	}
	return out
}

// TestPageSizeAtScale builds the corpus with 5,000 branches in three levels
// (issue 17) and checks that every page is under 200 kB, listing each page
// over the limit with its size.
func TestPageSizeAtScale(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 5,000 branches")
	}
	src, dest := t.TempDir(), t.TempDir()
	if err := corpus.WriteTree(src, 100, 1, 5000); err != nil {
		t.Fatal(err)
	}
	o := testOptions(t, src, dest)
	o.Warn = nil
	mustBuild(t, o)
	big := oversized(t, dest, pageLimit)
	t.Logf("pages over %d bytes at 5,000 branches:\n%s", pageLimit, strings.Join(big, "\n"))
	t.Logf("largest pages: %s", strings.Join(oversized(t, dest, 20<<10)[:6], ", "))
	var sizes []string
	for _, rel := range []string{"index.html", "status/index.html", "branches/index.html", "tasks/t01/index.html",
		"tasks/t01/units/w00/index.html", "tasks/t01/units/w00z000/index.html",
		"status/units/w00/index.html", "status/units/w00z000/index.html",
		"branches/w00/index.html", "branches/w00z000/index.html", "branches/z00000/index.html"} {
		info, err := os.Stat(filepath.Join(dest, filepath.FromSlash(rel)))
		if err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, fmt.Sprintf("%s %d", rel, info.Size()))
	}
	t.Logf("page sizes at 5,000 branches:\n%s", strings.Join(sizes, "\n"))
	still := map[string]bool{}
	for _, line := range big {
		rel, _, _ := strings.Cut(line, " ")
		known := slices.ContainsFunc(knownOversized, func(pat string) bool {
			ok, _ := filepath.Match(pat, rel)
			return ok
		})
		if !known {
			t.Errorf("page over %d bytes: %s", pageLimit, line)
		}
		for _, pat := range knownOversized {
			if ok, _ := filepath.Match(pat, rel); ok {
				still[pat] = true
			}
		}
	}
	for _, pat := range knownOversized {
		if !still[pat] {
			t.Errorf("%s is under %d bytes now: take it off knownOversized", pat, pageLimit)
		}
	}
}
