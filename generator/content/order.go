package content

import (
	"cmp"
	"hash/maphash"
	"math"
	"slices"
	"strings"

	"github.com/dangwu-org/dangwu/generator/site"
)

// ordering sorts a load's published pages: the site's newest first, each
// column's by weight, date and title. With a Cache it remembers the result
// with a signature of everything the order depends on (every source, and
// each page's publication, column, date, weight and title), and a load
// with the same signature takes the order from the cache instead of
// sorting again: an edit to a page's text leaves it alone.
type ordering struct {
	c     *Cache
	h     maphash.Hash
	pages []*site.Page // by index into the load's sorted sources
	// idx is the index of each published page, in s.Pages's order;
	// columns likewise.
	idx     []int
	columns map[string][]int
}

// orders is a remembered ordering.
type orders struct {
	sig     uint64
	pages   []int
	columns map[string][]int
}

func newOrdering(l *loader, n int) *ordering {
	o := &ordering{c: l.opts.Cache, pages: make([]*site.Page, n), columns: map[string][]int{}}
	if o.c != nil {
		o.h.SetSeed(o.c.seed)
	}
	return o
}

// see notes the i-th source's page.
func (o *ordering) see(i int, p *site.Page) {
	o.pages[i] = p
	o.h.WriteString(p.Source)
	o.h.WriteByte(0)
}

// publish notes that the i-th page is published.
func (o *ordering) publish(i int, p *site.Page) {
	o.idx = append(o.idx, i)
	if p.Column != "" {
		o.columns[p.Column] = append(o.columns[p.Column], i)
	}
	maphash.WriteComparable(&o.h, i)
	o.h.WriteString(p.Column)
	o.h.WriteByte(0)
	o.h.WriteString(p.Title)
	o.h.WriteByte(0)
	maphash.WriteComparable(&o.h, p.Weight)
	maphash.WriteComparable(&o.h, p.Date.Unix())
	maphash.WriteComparable(&o.h, p.Date.Nanosecond())
}

// sort orders s.Pages and each column's pages.
func (o *ordering) sort(s *site.Site, columns map[string]*site.Column) {
	var sig uint64
	if o.c != nil {
		sig = o.h.Sum64()
		if prev := o.c.lastOrders(); prev != nil && prev.sig == sig {
			o.apply(s.Pages, prev.pages)
			for name, idx := range prev.columns {
				o.apply(columns[name].Pages, idx)
			}
			return
		}
	}
	o.idx = sortIndexes(o.pages, o.idx, false)
	o.apply(s.Pages, o.idx)
	for name, idx := range o.columns {
		idx = sortIndexes(o.pages, idx, true)
		o.columns[name] = idx
		o.apply(columns[name].Pages, idx)
	}
	if o.c != nil {
		o.c.setOrders(&orders{sig: sig, pages: o.idx, columns: o.columns})
	}
}

func (o *ordering) apply(dst []*site.Page, idx []int) {
	for i, j := range idx {
		dst[i] = o.pages[j]
	}
}

// sortKey is what a page is ordered by, taken out of the page so that
// sorting compares integers first.
type sortKey struct {
	weight     int // 0 sorts after every other weight
	sec        int64
	nsec       int
	title, src string
	i          int
}

// sortIndexes orders the pages at idx newest first, then by source; or,
// for a column, weighted pages first by weight, then newest first, then by
// title and source. Sources are unique, so the order is total and an
// unstable sort gives it.
func sortIndexes(pages []*site.Page, idx []int, column bool) []int {
	keys := make([]sortKey, len(idx))
	for k, i := range idx {
		p := pages[i]
		w := 0
		if column {
			if w = p.Weight; w == 0 {
				w = math.MaxInt
			}
		}
		keys[k] = sortKey{weight: w, sec: p.Date.Unix(), nsec: p.Date.Nanosecond(), src: p.Source, i: i}
		if column {
			keys[k].title = p.Title
		}
	}
	slices.SortFunc(keys, func(a, b sortKey) int {
		if c := cmp.Compare(a.weight, b.weight); c != 0 {
			return c
		}
		if c := cmp.Compare(b.sec, a.sec); c != 0 {
			return c
		}
		if c := cmp.Compare(b.nsec, a.nsec); c != 0 {
			return c
		}
		if c := strings.Compare(a.title, b.title); c != 0 {
			return c
		}
		return strings.Compare(a.src, b.src)
	})
	out := make([]int, len(keys))
	for k := range keys {
		out[k] = keys[k].i
	}
	return out
}
