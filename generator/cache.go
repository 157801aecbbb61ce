package generator

import (
	"hash/maphash"
	"path"

	"github.com/dangwu-org/dangwu/generator/output"
	"github.com/dangwu-org/dangwu/generator/site"
)

// mdCache keeps each page's rendered Markdown between the builds of a Live.
// A render is reused while the page's source (its content.Cache digest), the
// summary length and every link's target stay the same.
type mdCache struct {
	seed    maphash.Seed
	digest  func(src string) (uint64, bool)
	entries map[string]*mdEntry
	used    map[string]bool
}

type mdEntry struct {
	digest        uint64
	summaryLength int
	render        *pageRender
}

func newMDCache(seed maphash.Seed, digest func(string) (uint64, bool)) *mdCache {
	return &mdCache{seed: seed, digest: digest, entries: map[string]*mdEntry{}, used: map[string]bool{}}
}

// lookup returns the cached render of p, or nil when it is stale.
func (c *mdCache) lookup(s *site.Site, p *site.Page) *pageRender {
	e, ok := c.entries[p.Source]
	if !ok || p.Source == "" {
		return nil
	}
	if d, ok := c.digest(p.Source); !ok || d != e.digest || e.summaryLength != s.Config.SummaryLength {
		return nil
	}
	dir := path.Dir(p.Source)
	for _, r := range e.render.resolved {
		url, ok := "", false
		if t, found := s.All[path.Join(dir, r.dest)]; found {
			url, ok = s.Config.RelURL(t.Path), true
		}
		if url != r.url || ok != r.ok {
			return nil
		}
	}
	return e.render
}

// store remembers the render of p and gives it its fingerprint.
func (c *mdCache) store(s *site.Site, p *site.Page, r *pageRender) {
	if p.Source == "" {
		return
	}
	c.used[p.Source] = true
	if e, ok := c.entries[p.Source]; ok && e.render == r {
		return
	}
	d, ok := c.digest(p.Source)
	if !ok {
		return
	}
	var h hasher
	h.SetSeed(c.seed)
	h.str(p.Source)
	h.u64(d)
	for _, x := range r.resolved {
		h.str(x.dest)
		h.str(x.url)
	}
	r.fp = h.Sum64()
	c.entries[p.Source] = &mdEntry{digest: d, summaryLength: s.Config.SummaryLength, render: r}
}

// prune forgets the pages the last build did not render.
func (c *mdCache) prune() {
	for src := range c.entries {
		if !c.used[src] {
			delete(c.entries, src)
		}
	}
	clear(c.used)
}

// fingerprint is the fingerprint of a rendered page, 0 when unknown.
func (c *mdCache) fingerprint(p *site.Page) uint64 {
	if e, ok := c.entries[p.Source]; ok {
		return e.render.fp
	}
	return 0
}

// entryCache keeps each page's encoded search.json entry, so that a
// rebuild encodes only the pages that changed.
type entryCache struct {
	entries map[string]searchEntry
}

type searchEntry struct {
	fp   uint64
	loc  string
	data []byte
}

func newEntryCache() *entryCache {
	return &entryCache{entries: map[string]searchEntry{}}
}

// index renders search.json from cached entries; own holds the pages'
// fingerprints. An entry depends on its page, its column's title, the time
// zone and the base URL.
func (c *entryCache) index(s *site.Site, own map[*site.Page]uint64) ([]byte, error) {
	docs := make([][]byte, len(s.Pages))
	used := make(map[string]bool, len(s.Pages))
	for i, p := range s.Pages {
		fp, loc := own[p], s.Config.TimeZone+"\x00"+s.Config.BaseURL
		if col := s.Column(p.Column); col != nil {
			loc += "\x00" + col.Title
		}
		used[p.Source] = true
		if e, ok := c.entries[p.Source]; ok && fp != 0 && e.fp == fp && e.loc == loc {
			docs[i] = e.data
			continue
		}
		b, err := output.SearchEntry(s, p)
		if err != nil {
			return nil, err
		}
		c.entries[p.Source] = searchEntry{fp: fp, loc: loc, data: b}
		docs[i] = b
	}
	for src := range c.entries {
		if !used[src] {
			delete(c.entries, src)
		}
	}
	return output.JoinSearchIndex(docs), nil
}
