package generator

import (
	"context"
	"hash/maphash"
	"testing"
	"time"

	"github.com/dangwu-org/dangwu/generator/live"
	"github.com/dangwu-org/dangwu/generator/site"
	"github.com/dangwu-org/dangwu/generator/theme"
)

// TestKeyWithoutView keys outputs that declare no view (issue 14's first
// latent defect: keying one dereferenced a nil view): they are taken to
// read anything, so a change of any page changes their key.
func TestKeyWithoutView(t *testing.T) {
	g := New(Options{Source: "testdata/site", ThemesDir: "../themes", Now: func() time.Time { return fixedNow }})
	s, err := g.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	seed := maphash.MakeSeed()
	key := func(o live.Output) live.Key {
		k := &keyer{seed: seed, s: s, own: map[*site.Page]*pageRender{}, memo: map[memoKey]uint64{},
			version: func(string) uint64 { return 0 }}
		k.init(g.opts, "")
		k.prepare()
		if k.Unchanged(&o) {
			t.Fatalf("%s: unchanged without edits", o.Rel)
		}
		return k.Key(&o)
	}
	for _, o := range []live.Output{
		{Rel: "extra.txt", Kind: live.Data, Layout: makeRobots},
		{Rel: "extra/index.html", Kind: live.View, Layout: "list.html", Reads: depColumnPages},
	} {
		before := key(o)
		if again := key(o); again != before {
			t.Fatalf("%s: two keys of the same site differ", o.Rel)
		}
		p := s.Pages[len(s.Pages)-1]
		title := p.Title
		p.Title += "（改）"
		after := key(o)
		p.Title = title
		if after == before {
			t.Errorf("%s: the key did not change with the title of %s", o.Rel, p.Source)
		}
	}
}

// TestClassify checks what an output depends on for what its layout reads.
func TestClassify(t *testing.T) {
	tests := []struct {
		path string
		deep bool
		fn   string
		want deps
	}{
		{"Page.Content", true, "print", 0},
		{"Page.Prev.Title", true, "print", depNeighbors},
		{"Page.Prev.Content", true, "print", depNeighbors | depEntryContent},
		{"Page.Prev.Prev.Title", false, "", depNeighbors | depSite},
		{"Page.Branch.Title", false, "", depBranch},
		{"Page.Branch.Posts[].Title", false, "", depBranch | depBranchPosts},
		{"Pages[].Summary", false, "", 0},
		{"Pages[].Plain", false, "", depEntryContent},
		{"Pages[].Branch.Title", false, "", depBranches},
		{"Column.Pages[].Path", true, "eq", depColumnPages},
		{"Site.Config.Title", true, "print", 0},
		{"Site.Column()", true, "", 0},
		{"Site.Column().Path()", true, "", 0},
		{"Site.Column().Pages[].Title", false, "", depAllPages},
		{"Site.Pages[].Title", false, "", depSite},
		{"Site.Tasks[].Current().Label()", true, "", depTasks},
		{"Site.Tasks[].Page.Prev", false, "", depTasks | depSite},
		{"Site.Branches[].Posts[].Title", false, "", depBranches | depAllPages},
		{"Now", true, "year", depYear},
		{"Now", true, "datetime", depClock},
		{"Now.Before()", true, "", depClock},
		{"Snapshot.Entry()", true, "", depStatus | depClock},
		{"Snapshot.Opinions[].Text", true, "print", depStatus},
		{"Snapshot.Now", true, "datetime", depStatus | depClock},
		{"Upcoming()[].Task.Page.Path", false, "", depTasks | depBranches | depClock | depStatus},
		{"Board[].Missing", true, "gt", depTasks | depBranches | depClock | depStatus | depAllPages},
		{"Unheard()", true, "", depSite},
		{"", true, "printf", depSite},
		{"?.Title", false, "", depSite},
	}
	for _, tt := range tests {
		got := classifyAccess(theme.Access{Path: tt.path, Deep: tt.deep, Func: tt.fn})
		if got != tt.want {
			t.Errorf("%s (deep %v %s): %012b, want %012b", tt.path, tt.deep, tt.fn, got, tt.want)
		}
	}
}
