package generator

import (
	"hash/maphash"
	"path"

	"github.com/dangwu-org/dangwu/generator/site"
)

// mdCache keeps each page's rendered Markdown between the builds of a Live.
// A render is reused while the page's source (its content.Cache digest), the
// summary length and every link's target stay the same.
type mdCache struct {
	seed    maphash.Seed
	entries map[string]*mdEntry
	// renders holds the last build's render of each page, links how its
	// links resolved.
	renders map[*site.Page]*pageRender
	links   *linkResolver
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

// shortcodeDigest identifies the shortcode templates renders used.
func (r *linkResolver) shortcodeDigest() uint64 {
	if r.shortcodes == nil {
		return 0
	}
	return r.shortcodes.Digest()
}
