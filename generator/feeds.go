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
		reads: &reads{columns: true, lists: [][]*site.Page{s.Pages[:min(len(s.Pages), output.FeedSize)]}},
	}}
	for _, c := range s.Columns {
		outs = append(outs, outFile{
			rel: c.Path() + "index.xml",
			make: func(r *renderer) ([]byte, error) {
				s := r.s
				return output.RSS(s, c.Title+" - "+s.Config.Title, c.Description, c.Path(), c.Path()+"index.xml", newest(c.Pages))
			},
			// Every page of the column, not only the newest: finding those
			// would cost a sort, and rendering a feed is cheap.
			reads: &reads{columns: true, names: []string{c.Name}, lists: [][]*site.Page{c.Pages}},
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
				reads: &reads{columns: true, names: []string{t.Path},
					lists: [][]*site.Page{t.Pages[:min(len(t.Pages), output.FeedSize)]}},
			})
		}
	}
	outs = append(outs,
		outFile{
			rel:   "sitemap.xml",
			make:  func(r *renderer) ([]byte, error) { return output.Sitemap(&r.s.Config, sitemapEntries(r.s)) },
			reads: sitemapReads(s),
		},
		outFile{
			rel:   "robots.txt",
			make:  func(r *renderer) ([]byte, error) { return output.Robots(&r.s.Config), nil },
			reads: &reads{},
		},
	)
	return append(outs, r.searchOutputs()...)
}

// sitemapReads is what sitemapEntries reads: the lists, their paths and
// their pages' paths and dates.
func sitemapReads(s *site.Site) *reads {
	rd := &reads{lists: [][]*site.Page{s.Pages}}
	for _, c := range s.Columns {
		rd.names = append(rd.names, c.Path())
		rd.lists = append(rd.lists, c.Pages)
	}
	for _, sec := range s.Sections {
		rd.names = append(rd.names, sec.Path)
		rd.lists = append(rd.lists, sec.Pages)
	}
	for _, b := range s.Branches {
		rd.names = append(rd.names, b.Index.Path)
		rd.lists = append(rd.lists, b.Posts)
	}
	return rd
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
