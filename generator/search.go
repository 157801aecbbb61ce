package generator

import (
	"sort"
	"sync"

	"github.com/dangwu-org/dangwu/generator/output"
	"github.com/dangwu-org/dangwu/generator/site"
)

// searchFiles is the search index of one render, made once, when the
// first of its files is rendered (or ahead of time, by Build).
type searchFiles struct {
	once  sync.Once
	files map[string][]byte
}

// searchOutputs are the files of the search index (see output/search.go),
// the manifest last. They all read the full text of every page, so they
// are made together.
func (r *renderer) searchOutputs() []outFile {
	rels := output.SearchRels(len(r.s.Pages))
	inputs := func(k *keyer, h *hasher) {
		h.u64(k.memoize(memoKey{what: "search"}, func(h *hasher) {
			k.columns(h)
			k.pages(h, r.s.Pages, true) // the full text
		}))
	}
	outs := make([]outFile, len(rels))
	for i, rel := range rels {
		outs[i] = outFile{rel: rel, inputs: inputs, make: func() ([]byte, error) { return r.searchFile(rel), nil }}
	}
	return outs
}

// searchFile is one file of the search index, which it makes when needed.
func (r *renderer) searchFile(rel string) []byte {
	r.search.once.Do(r.makeSearch)
	return r.search.files[rel]
}

func (r *renderer) makeSearch() {
	s := r.s
	// Newest first, as the ranking's last step has it; the site's order
	// among pages of the same day.
	type dated struct {
		p    *site.Page
		date string
	}
	pages := make([]dated, len(s.Pages))
	for i, p := range s.Pages {
		pages[i].p = p
		if !p.Date.IsZero() {
			pages[i].date = p.Date.In(s.Location).Format("2006-01-02")
		}
	}
	sort.SliceStable(pages, func(i, j int) bool { return pages[i].date > pages[j].date })
	b := output.NewSearchBuilder()
	for _, dp := range pages {
		p := dp.p
		d := output.SearchDoc{Title: p.Title, URL: s.Config.RelURL(p.Path), Date: dp.date, Body: p.Plain}
		if c := s.Column(p.Column); c != nil {
			d.Column = c.Title
		}
		b.Add(&d)
		if r.release {
			p.Plain = "" // in the index now, and no layout shows it
		}
	}
	files := b.Files()
	r.search.files = make(map[string][]byte, len(files))
	for _, f := range files {
		r.search.files[f.Rel] = f.Data
	}
}
