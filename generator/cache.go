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
	entries map[string]*mdEntry
	// renders holds the last build's render of each page.
	renders map[*site.Page]*pageRender
	// gen counts builds; an entry not used by the last is pruned.
	gen uint64
}

type mdEntry struct {
	digest        uint64
	summaryLength int
	html          string // the raw HTML mode it was rendered in
	shortcodes    uint64 // the digest of the shortcode templates
	render        *pageRender
	used          uint64
}

func newMDCache(seed maphash.Seed) *mdCache {
	return &mdCache{seed: seed, entries: map[string]*mdEntry{}, renders: map[*site.Page]*pageRender{}, gen: 1}
}

// lookup returns the cached render of p, or nil when it is stale.
func (c *mdCache) lookup(s *site.Site, links *linkResolver, p *site.Page) *pageRender {
	if p.Source == "" || p.Digest == 0 {
		return nil
	}
	e, ok := c.entries[p.Source]
	if !ok || p.Digest != e.digest || e.summaryLength != s.Config.SummaryLength || e.html != s.Config.Markup.HTML ||
		e.shortcodes != links.shortcodeDigest() {
		return nil
	}
	e.used = c.gen
	dir := path.Dir(p.Source)
	for _, r := range e.render.resolved {
		var url string
		var ok bool
		if r.file {
			url, ok = links.file(p, r.dest)
		} else {
			url, ok = links.page(dir, r.dest)
		}
		if url != r.url || ok != r.ok {
			return nil
		}
	}
	return e.render
}

// store remembers a new render of p and gives it its fingerprint.
func (c *mdCache) store(s *site.Site, links *linkResolver, p *site.Page, r *pageRender) {
	if p.Source == "" || p.Digest == 0 {
		return
	}
	d := p.Digest
	var h hasher
	h.SetSeed(c.seed)
	h.str(p.Source)
	h.u64(d)
	h.u64(links.shortcodeDigest())
	for _, x := range r.resolved {
		h.str(x.dest)
		h.str(x.url)
	}
	r.fp = h.Sum64()
	c.entries[p.Source] = &mdEntry{digest: d, summaryLength: s.Config.SummaryLength, html: s.Config.Markup.HTML,
		shortcodes: links.shortcodeDigest(), render: r, used: c.gen}
}

// prune forgets the pages the last build did not render.
func (c *mdCache) prune() {
	for src, e := range c.entries {
		if e.used != c.gen {
			delete(c.entries, src)
		}
	}
	c.gen++
}

// entryCache keeps each page's encoded search.json entry, so that a
// rebuild encodes only the pages that changed, and where each entry is in
// the search.json last written, so that the next is mostly copied from it
// (output.Folder.WritePieces) rather than assembled and written again.
type entryCache struct {
	seed    maphash.Seed
	entries map[string]*searchEntry
	// order is the entries of the index last rendered; sum identifies it.
	order []*searchEntry
	sum   uint64
	// size is the size of the search.json last written (0: none).
	size int64
	buf  []byte
	gen  uint64
}

type searchEntry struct {
	fp   uint64
	loc  string
	data []byte
	sum  uint64
	// off and comma are where data and the comma after it are in the
	// search.json last written, or -1.
	off, comma int64
	used       uint64
}

const (
	searchHead = `{"pages":[`
	searchTail = "]}\n"
)

func newEntryCache(seed maphash.Seed) *entryCache {
	return &entryCache{seed: seed, entries: map[string]*searchEntry{}}
}

// index brings the entries up to date with s; own holds the pages'
// fingerprints. An entry depends on its page, its column's title, the time
// zone and the base URL.
func (c *entryCache) index(s *site.Site, own map[*site.Page]*pageRender) error {
	locs := map[string]string{"": s.Config.TimeZone + "\x00" + s.Config.BaseURL}
	for _, col := range s.Columns {
		locs[col.Name] = s.Config.TimeZone + "\x00" + s.Config.BaseURL + "\x00" + col.Title
	}
	c.order = c.order[:0]
	c.gen++
	var h hasher
	h.SetSeed(c.seed)
	for _, p := range s.Pages {
		var fp uint64
		if r := own[p]; r != nil {
			fp = r.fp
		}
		loc := locs[p.Column]
		e, ok := c.entries[p.Source]
		if !ok || fp == 0 || e.fp != fp || e.loc != loc {
			b, err := output.SearchEntry(s, p)
			if err != nil {
				return err
			}
			e = &searchEntry{fp: fp, loc: loc, data: b, sum: maphash.Bytes(c.seed, b), off: -1, comma: -1}
			c.entries[p.Source] = e
		}
		e.used = c.gen
		c.order = append(c.order, e)
		h.u64(e.sum)
	}
	c.sum = h.Sum64()
	if len(c.entries) > len(s.Pages) {
		for src, e := range c.entries {
			if e.used != c.gen {
				delete(c.entries, src)
			}
		}
	}
	return nil
}

// bytes assembles the index last rendered; valid until the next call.
func (c *entryCache) bytes() []byte {
	docs := make([][]byte, len(c.order))
	for i, e := range c.order {
		docs[i] = e.data
	}
	c.buf = output.AppendSearchIndex(c.buf[:0], docs)
	return c.buf
}

// pieces describes the index last rendered as pieces of the search.json
// last written, and gives that file's size.
func (c *entryCache) pieces() ([]output.Piece, int64) {
	from := func(off int64) int64 {
		if c.size == 0 {
			return -1
		}
		return off
	}
	ps := make([]output.Piece, 0, 2*len(c.order)+2)
	ps = append(ps, output.Piece{Data: []byte(searchHead), From: from(0)})
	for i, e := range c.order {
		ps = append(ps, output.Piece{Data: e.data, From: from(e.off)})
		if i < len(c.order)-1 {
			ps = append(ps, output.Piece{Data: []byte(","), From: from(e.comma)})
		}
	}
	ps = append(ps, output.Piece{Data: []byte(searchTail), From: from(c.size - int64(len(searchTail)))})
	return ps, c.size
}

// written records that the index last rendered is now the search.json on
// disk: where each entry is in it.
func (c *entryCache) written() {
	for _, e := range c.entries {
		e.off, e.comma = -1, -1
	}
	pos := int64(len(searchHead))
	for i, e := range c.order {
		e.off = pos
		pos += int64(len(e.data))
		if i < len(c.order)-1 {
			e.comma = pos
			pos++
		}
	}
	c.size = pos + int64(len(searchTail))
}

// shortcodeDigest identifies the shortcode templates renders used.
func (r *linkResolver) shortcodeDigest() uint64 {
	if r.shortcodes == nil {
		return 0
	}
	return r.shortcodes.Digest()
}
