package generator

import (
	"sort"
	"time"

	"github.com/dangwu-org/dangwu/generator/site"
)

func sortByDate(pages []*site.Page) {
	sort.SliceStable(pages, func(i, j int) bool {
		if !pages[i].Date.Equal(pages[j].Date) {
			return pages[i].Date.After(pages[j].Date)
		}
		return pages[i].Source < pages[j].Source
	})
}

// latest is the newest Lastmod of the pages.
func latest(pages []*site.Page) time.Time {
	var t time.Time
	for _, p := range pages {
		if p.Lastmod.After(t) {
			t = p.Lastmod
		}
	}
	return t
}
