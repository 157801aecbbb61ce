package generator

import (
	"github.com/dangwu-org/dangwu/generator/output"
	"github.com/dangwu-org/dangwu/generator/site"
)

// feedOutputs are the RSS feeds, the sitemap, robots.txt and the search
// index, last. Each says what it is made from, for incremental builds.
func (r *renderer) feedOutputs() []outFile {
	s := r.s
	outs := []outFile{{
		rel: "index.xml",
		make: func(r *renderer) ([]byte, error) {
			s := r.s
			return output.RSS(s, s.Config.Title, s.Config.Description, "", "index.xml", s.Pages)
		},
		inputs: func(k *keyer, h *hasher) {
			k.columns(h)
			k.pages(h, k.s.Pages[:min(len(k.s.Pages), output.FeedSize)], false)
		},
	}}
	for _, c := range s.Columns {
		outs = append(outs, outFile{
			rel: c.Path() + "index.xml",
			make: func(r *renderer) ([]byte, error) {
				s := r.s
				return output.RSS(s, c.Title+" - "+s.Config.Title, c.Description, c.Path(), c.Path()+"index.xml", newest(c.Pages))
			},
			inputs: func(k *keyer, h *hasher) {
				// Every page of the column, not only the newest: finding
				// those would cost a sort, and rendering a feed is cheap.
				k.columns(h)
				h.str(c.Name)
				k.pages(h, c.Pages, false)
			},
		})
	}
	for _, terms := range [][]*site.Tag{s.Tags, s.Categories} {
		for _, t := range terms {
			outs = append(outs, outFile{
				rel: t.Path + "index.xml",
				make: func(r *renderer) ([]byte, error) {
					s := r.s
					return output.RSS(s, t.Name+" - "+s.Config.Title, s.Config.Description, t.Path, t.Path+"index.xml", t.Pages)
				},
				inputs: func(k *keyer, h *hasher) {
					k.columns(h)
					h.str(t.Path)
					k.pages(h, t.Pages[:min(len(t.Pages), output.FeedSize)], false)
				},
			})
		}
	}
	outs = append(outs,
		outFile{
			rel:  "sitemap.xml",
			make: func(r *renderer) ([]byte, error) { return output.Sitemap(&r.s.Config, sitemapEntries(r.s)) },
			inputs: func(k *keyer, h *hasher) {
				s := k.s
				// What sitemapEntries reads.
				for _, p := range s.Pages {
					h.str(p.Path)
					h.time(p.Lastmod)
				}
				for _, c := range s.Columns {
					h.str(c.Path())
					k.pages(h, c.Pages, false)
				}
				for _, sec := range s.Sections {
					h.str(sec.Path)
					k.pages(h, sec.Pages, false)
				}
				for _, b := range s.Branches {
					h.str(b.Index.Path)
					k.pages(h, b.Posts, false)
				}
			},
		},
		outFile{
			rel:    "robots.txt",
			make:   func(r *renderer) ([]byte, error) { return output.Robots(&r.s.Config), nil },
			inputs: func(k *keyer, h *hasher) {},
		},
	)
	return append(outs, r.searchOutputs()...)
}

// newest returns the pages newest first, leaving the column's order alone.
func newest(pages []*site.Page) []*site.Page {
	out := append([]*site.Page(nil), pages...)
	sortByDate(out)
	return out
}

func sitemapEntries(s *site.Site) []output.SitemapEntry {
	e := []output.SitemapEntry{{Path: "", Lastmod: latest(s.Pages)}}
	for _, c := range s.Columns {
		e = append(e, output.SitemapEntry{Path: c.Path(), Lastmod: latest(c.Pages)})
	}
	for _, sec := range s.Sections {
		e = append(e, output.SitemapEntry{Path: sec.Path, Lastmod: latest(sec.Pages)})
	}
	for _, b := range s.Branches {
		e = append(e, output.SitemapEntry{Path: b.Index.Path, Lastmod: latest(b.Posts)})
	}
	for _, p := range s.Pages {
		e = append(e, output.SitemapEntry{Path: p.Path, Lastmod: p.Lastmod})
	}
	return e
}
