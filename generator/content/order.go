package content

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"github.com/dangwu-org/dangwu/generator/site"
)

// ordering sorts a load's published pages: the site's newest first, each
// column's by weight, date and title. With a Cache it remembers each
// list's sort keys and order, and the next load sorts only the pages whose
// keys changed, came or went, merging them into the remembered order (see
// sortFrom): a new page of a site of ten thousand is put in its place, not
// sorted with all the others again.
type ordering struct {
	c     *Cache
	pages []*site.Page // by index into the load's sorted sources
	// idx is the index of each published page, in s.Pages's order;
	// columns likewise.
	idx     []int
	columns map[string][]int
}

// orders is a remembered ordering: the sort keys of the site's pages and
// of each column's (by name, "" for the site's).
type orders struct {
	sorted map[string]keyOrder
}

// keyOrder are pages' sort keys in source order, and where each came in
// the sorted order.
type keyOrder struct {
	keys []sortKey
	rank []int
}

func newOrdering(l *loader, n int) *ordering {
	return &ordering{c: l.opts.Cache, pages: make([]*site.Page, n), columns: map[string][]int{}}
}

// see notes the i-th source's page.
func (o *ordering) see(i int, p *site.Page) { o.pages[i] = p }

// publish notes that the i-th page is published; pages are published in
// the order of their sources.
func (o *ordering) publish(i int, p *site.Page) {
	o.idx = append(o.idx, i)
	if p.Column != "" {
		o.columns[p.Column] = append(o.columns[p.Column], i)
	}
}

// sort orders s.Pages and each column's pages.
func (o *ordering) sort(s *site.Site, columns map[string]*site.Column) {
	var prev *orders
	if o.c != nil {
		prev = o.c.lastOrders()
	}
	sorted := map[string]keyOrder{}
	order := func(name string, idx []int, column bool) []int {
		var last keyOrder
		if prev != nil {
			last = prev.sorted[name]
		}
		out, next := sortFrom(last, sortKeys(o.pages, idx, column))
		sorted[name] = next
		return out
	}
	o.apply(s.Pages, order("", o.idx, false))
	for name, idx := range o.columns {
		o.apply(columns[name].Pages, order(name, idx, true))
	}
	if o.c != nil {
		o.c.setOrders(&orders{sorted: sorted})
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

// sortKeys are the sort keys of the pages at idx, in idx's order: newest
// first, then by source; or, for a column, weighted pages first by
// weight, then newest first, then by title and source. Sources are unique,
// so the order is total and an unstable sort gives it.
func sortKeys(pages []*site.Page, idx []int, column bool) []sortKey {
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
	return keys
}

func compareKeys(a, b sortKey) int {
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
}

// sameKey reports whether two keys order alike: all but the index.
func sameKey(a, b sortKey) bool {
	return a.weight == b.weight && a.sec == b.sec && a.nsec == b.nsec && a.title == b.title && a.src == b.src
}

// sortFrom orders keys, given in source order, and returns their indexes
// in that order, with the keys and their ranks for the next sort. The
// keys that last (a previous sort's) has too keep their relative order
// there, so only the others are sorted, then merged in; when they are
// many, everything is sorted.
func sortFrom(last keyOrder, keys []sortKey) ([]int, keyOrder) {
	var slot []int // by rank in last, the position in keys of the same key
	var rest []int // positions in keys of the keys last does not have
	if len(last.keys) > 0 {
		slot = make([]int, len(last.keys))
		for i := range slot {
			slot[i] = -1
		}
		p := 0
		for c, k := range keys {
			for p < len(last.keys) && last.keys[p].src < k.src {
				p++
			}
			if p < len(last.keys) && sameKey(last.keys[p], k) {
				slot[last.rank[p]] = c
			} else {
				rest = append(rest, c)
			}
		}
	}
	var order []int // positions in keys, sorted
	if slot == nil || len(rest) > len(keys)/4+8 {
		order = make([]int, len(keys))
		for c := range order {
			order[c] = c
		}
		slices.SortFunc(order, func(a, b int) int { return compareKeys(keys[a], keys[b]) })
	} else {
		slices.SortFunc(rest, func(a, b int) int { return compareKeys(keys[a], keys[b]) })
		order = make([]int, 0, len(keys))
		for _, c := range slot {
			if c < 0 {
				continue
			}
			for len(rest) > 0 && compareKeys(keys[rest[0]], keys[c]) < 0 {
				order, rest = append(order, rest[0]), rest[1:]
			}
			order = append(order, c)
		}
		order = append(order, rest...)
	}
	out := make([]int, len(order))
	rank := make([]int, len(keys))
	for r, c := range order {
		out[r] = keys[c].i
		rank[c] = r
	}
	return out, keyOrder{keys: keys, rank: rank}
}
