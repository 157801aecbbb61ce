package generator

import (
	"fmt"

	"github.com/dangwu-org/dangwu/generator/live"
	"github.com/dangwu-org/dangwu/generator/output"
	"github.com/dangwu-org/dangwu/generator/site"
)

// The makers of data outputs, by name (live.Output.Layout of a Data
// output): code that makes a file from the site and a *view.
const (
	makeRSS          = "rss"           // a feed of the view's pages
	makeSitemap      = "sitemap"       // the sitemap
	makeRobots       = "robots"        // robots.txt
	makeSearch       = "search"        // a file of the search index
	makeCalendar     = "calendar"      // the deadlines of the tasks, or of the view's branch
	makeUnitCalendar = "unit-calendar" // the deadlines of the view's unit
)

// makerReads is what each maker reads beyond its view (its pages, by their
// listing fields, its column, tag and branch), in the terms theme.Reach's
// classification gives layouts: one declaration per kind of data output,
// which keyer.Key hashes as it does a layout's.
var makerReads = map[string]deps{
	makeRSS: 0,
	// The sitemap lists every column, section and branch with the date of
	// its newest page, and every page.
	makeSitemap: depAllPages | depBranches,
	makeRobots:  0,
	// Every file of the index reads the text of every page.
	makeSearch: depEntryContent,
	// The calendars read the tasks, the branches and the statuses at this
	// time.
	makeCalendar:     depTasks | depBranches | depClock | depStatus,
	makeUnitCalendar: depTasks | depBranches | depClock | depStatus,
}

// data is the data output at rel that the maker makes from v.
func data(rel, maker string, v *view) live.Output {
	return live.Output{Rel: rel, Kind: live.Data, Layout: maker, Data: v, Reads: makerReads[maker]}
}

// make makes a data output.
func (r *renderer) make(o *live.Output) ([]byte, error) {
	s, v := r.s, viewOf(o)
	if v == nil {
		v = &view{}
	}
	switch o.Layout {
	case makeRSS:
		desc, pages := s.Config.Description, v.pages
		if v.column != nil {
			// The column's pages, newest first, leaving its order alone.
			desc, pages = v.column.Description, newest(pages)
		}
		return output.RSS(s, v.title, desc, v.path, o.Rel, pages)
	case makeSitemap:
		return output.Sitemap(&s.Config, sitemapEntries(s))
	case makeRobots:
		return output.Robots(&s.Config), nil
	case makeSearch:
		return r.searchFile(o.Rel), nil
	case makeCalendar:
		return output.ICS(v.title, r.events(v.branch), r.snap.Now), nil
	case makeUnitCalendar:
		return output.ICS(v.title, r.unitEvents(v.unit), r.snap.Now), nil
	}
	return nil, fmt.Errorf("没有生成此文件的程序：%s", o.Layout)
}

// feedOutputs are the RSS feeds, the sitemap, robots.txt and the search
// index, last.
func (r *renderer) feedOutputs() []live.Output {
	s := r.s
	outs := []live.Output{data("index.xml", makeRSS,
		&view{title: s.Config.Title, pages: s.Pages[:min(len(s.Pages), output.FeedSize)]})}
	for _, c := range s.Columns {
		// Every page of the column, not only the newest: finding those
		// would cost a sort, and rendering a feed is cheap.
		outs = append(outs, data(c.Path()+"index.xml", makeRSS,
			&view{title: c.Title + " - " + s.Config.Title, path: c.Path(), column: c, pages: c.Pages}))
	}
	for _, terms := range [][]*site.Tag{s.Tags, s.Categories} {
		for _, t := range terms {
			outs = append(outs, data(t.Path+"index.xml", makeRSS,
				&view{title: t.Name + " - " + s.Config.Title, path: t.Path, tag: t,
					pages: t.Pages[:min(len(t.Pages), output.FeedSize)]}))
		}
	}
	outs = append(outs,
		data("sitemap.xml", makeSitemap, &view{pages: s.Pages}),
		data("robots.txt", makeRobots, &view{}))
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
