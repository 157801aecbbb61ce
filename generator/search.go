package generator

import (
	"slices"
	"sort"
	"sync"

	"github.com/dangwu-org/dangwu/generator/live"
	"github.com/dangwu-org/dangwu/generator/output"
	"github.com/dangwu-org/dangwu/generator/site"
)

// searchFiles is the search index of one render, made once, when the
// first of its files is rendered (or ahead of time, by Build).
type searchFiles struct {
	once  sync.Once
	mu    sync.Mutex
	files map[string][]byte
	// index and order are the index made and its pages, for Live to keep
	// (not for a one-off build).
	index *output.EditableIndex
	order []*site.Page
}

// searchEdit is an index Live kept, with the pages whose bodies changed
// since it was made and their text then: when the pages are still in its
// order, the index takes the new bodies instead of being made again.
type searchEdit struct {
	index *output.EditableIndex
	order []*site.Page
	old   map[*site.Page]string
}

// searchOutputs are the files of the search index (see output/search.go),
// the manifest last. They all read the full text of every page, so they
// are made together.
func (r *renderer) searchOutputs() []live.Output {
	rels := output.SearchRels(len(r.s.Pages))
	// One view for all: the fingerprint of its pages is computed once.
	v := &view{pages: r.s.Pages}
	outs := make([]live.Output, len(rels))
	for i, rel := range rels {
		outs[i] = data(rel, makeSearch, v)
	}
	return outs
}

// searchFile is one file of the search index, which it makes when needed.
func (r *renderer) searchFile(rel string) []byte {
	r.search.once.Do(r.makeSearch)
	r.search.mu.Lock()
	defer r.search.mu.Unlock()
	b := r.search.files[rel]
	if r.release {
		delete(r.search.files, rel) // a one-off build writes each once
	}
	return b
}

func (r *renderer) makeSearch() {
	var files []output.SearchFile
	if x, order := r.editSearch(); x != nil {
		files = x.Files()
		r.search.index, r.search.order = x, order
	} else {
		b := r.indexed
		if b == nil {
			b = output.NewSearchBuilder()
			for _, p := range order {
				b.Add(searchDoc(r.s, p))
				if r.release {
					p.Plain = "" // in the index now, and no layout shows it
				}
			}
		}
		if r.release {
			files = b.Files()
		} else {
			x := b.Index()
			files = x.Files()
			r.search.index, r.search.order = x, order
		}
	}
	r.indexed = nil // the files have it all now
	r.search.files = make(map[string][]byte, len(files))
	for _, f := range files {
		r.search.files[f.Rel] = f.Data
	}
}

// editSearch applies the search edit, when there is one and the pages are
// in the order its index has them, and returns the index; otherwise nil,
// and the order of the site's pages.
func (r *renderer) editSearch() (*output.EditableIndex, []*site.Page) {
	order := searchOrder(r.s)
	e := r.searchEdit
	if e == nil {
		return nil, order
	}
	if !slices.Equal(order, e.order) {
		e.index.Update(searchDocs(r.s, order, e))
		return e.index, order
	}
	for i, p := range order {
		old, ok := e.old[p]
		if !ok {
			continue
		}
		was := searchDoc(r.s, p)
		was.Body = old
		e.index.Replace(i, was, searchDoc(r.s, p))
	}
	return e.index, order
}

// searchDocs are the docs of the pages in order, and for each the number
// in e's index of the same page (by source) with the same title and text,
// or -1: a loaded site's pages are new values, whose text is compared with
// what the index was made of.
func searchDocs(s *site.Site, order []*site.Page, e *searchEdit) ([]output.SearchDoc, []int) {
	at := make(map[string]int, len(e.order))
	for k, p := range e.order {
		at[p.Source] = k
	}
	docs, from := make([]output.SearchDoc, len(order)), make([]int, len(order))
	for j, p := range order {
		docs[j], from[j] = *searchDoc(s, p), -1
		k, ok := at[p.Source]
		if !ok {
			continue
		}
		q := e.order[k]
		text, edited := e.old[q]
		if !edited {
			text = q.Plain
		}
		if q.Title == p.Title && text == p.Plain {
			from[j] = k
		}
	}
	return docs, from
}

// searchOrder is the site's pages as the search index numbers them: newest
// first, as the ranking's last step has it, in the site's order among
// pages of the same day.
func searchOrder(s *site.Site) []*site.Page {
	pages := slices.Clone(s.Pages)
	dates := make(map[*site.Page]string, len(pages))
	for _, p := range pages {
		dates[p] = searchDate(s, p)
	}
	sort.SliceStable(pages, func(i, j int) bool { return dates[pages[i]] > dates[pages[j]] })
	return pages
}

func searchDate(s *site.Site, p *site.Page) string {
	if p.Date.IsZero() {
		return ""
	}
	return p.Date.In(s.Location).Format("2006-01-02")
}

// searchDoc is what the search index holds of a page.
func searchDoc(s *site.Site, p *site.Page) *output.SearchDoc {
	d := &output.SearchDoc{Title: p.Title, URL: s.Config.RelURL(p.Path), Date: searchDate(s, p), Body: p.Plain}
	if c := s.Column(p.Column); c != nil {
		d.Column = c.Title
	}
	return d
}

// indexer feeds a search index the pages' text as their Markdown is
// rendered, in any order, adding them in the index's order: then a large
// site's text need not be kept until the index is made.
//
// It adds them on a goroutine of its own: a worker hands over a page's
// text and renders the next while the index takes it. Under a lock, the
// other worker waited whenever both had a page to add, and the Markdown
// of a 10,000-page build ran on little more than one of two cores
// (issue 14).
type indexer struct {
	s     *site.Site
	b     *output.SearchBuilder
	order []*site.Page
	next  int
	ready map[*site.Page]string
	in    chan pageText
	idle  chan struct{} // closed when every page handed over is in
	close func()        // closes in once and waits for idle
}

// pageText is a rendered page's text for the index.
type pageText struct {
	p    *site.Page
	text string
}

// indexQueue is how many pages' text may wait for the index before a
// worker waits too.
const indexQueue = 16

func newIndexer(s *site.Site) *indexer {
	ix := &indexer{s: s, b: output.NewSearchBuilder(), order: searchOrder(s), ready: map[*site.Page]string{},
		in: make(chan pageText, indexQueue), idle: make(chan struct{})}
	ix.close = sync.OnceFunc(func() {
		close(ix.in)
		<-ix.idle
	})
	go func() {
		for t := range ix.in {
			ix.take(t.p, t.text)
		}
		close(ix.idle)
	}()
	return ix
}

// done reports whether every page went into the index. Only after close.
func (ix *indexer) done() bool { return ix.next == len(ix.order) }

// add hands over the text of a rendered page (a published one or not:
// those that are not in the index are ignored). Safe for concurrent use;
// not after close, which waits until every page handed over is in the
// index (and may be called again).
func (ix *indexer) add(p *site.Page, plain string) { ix.in <- pageText{p, plain} }

// take adds p's text, and the pages after it that wait, in the index's
// order.
func (ix *indexer) take(p *site.Page, plain string) {
	ix.ready[p] = plain
	for ix.next < len(ix.order) {
		q := ix.order[ix.next]
		text, ok := ix.ready[q]
		if !ok {
			return
		}
		delete(ix.ready, q)
		d := searchDoc(ix.s, q)
		d.Body = text
		ix.b.Add(d)
		ix.next++
	}
}
