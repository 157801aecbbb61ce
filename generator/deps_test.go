package generator

import (
	"testing"

	"github.com/dangwu-org/dangwu/generator/theme"
)

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
