package generator

import (
	"slices"
	"strconv"
	"testing"

	"github.com/dangwu-org/dangwu/generator/site"
)

// TestPagerWindow checks that a long pager links its ends and two pages on
// each side of the current one, with a gap for the rest (issue 14), and
// that a short one links every page.
func TestPagerWindow(t *testing.T) {
	r := &renderer{s: &site.Site{Config: site.DefaultConfig()}}
	tests := []struct {
		n, total int
		want     []string
	}{
		{1, 3, []string{"[1]", "2", "3"}},
		{5, 9, []string{"1", "2", "3", "4", "[5]", "6", "7", "8", "9"}},
		{100, 200, []string{"1", "…", "98", "99", "[100]", "101", "102", "…", "200"}},
		{1, 200, []string{"[1]", "2", "3", "…", "200"}},
		{4, 200, []string{"1", "2", "3", "[4]", "5", "6", "…", "200"}},
		{200, 200, []string{"1", "…", "198", "199", "[200]"}},
	}
	for _, tt := range tests {
		p := r.pager("news/", tt.n, tt.total)
		var got []string
		for _, l := range p.Links {
			switch {
			case l.Gap:
				got = append(got, "…")
			case l.Current:
				got = append(got, "["+strconv.Itoa(l.Number)+"]")
			default:
				got = append(got, strconv.Itoa(l.Number))
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("pager(%d of %d) = %v, want %v", tt.n, tt.total, got, tt.want)
		}
	}
}
