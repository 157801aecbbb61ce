package generator

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"html/template"
	"io/fs"
	"path"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/dangwu-org/dangwu/generator/content"
	"github.com/dangwu-org/dangwu/generator/markdown"
	"github.com/dangwu-org/dangwu/generator/site"
	"github.com/dangwu-org/dangwu/generator/theme"
)

var moreMarker = []byte("<!--more-->")

// pageLinks are the links one page makes, kept for the checks that need
// every page rendered first.
type pageLinks struct {
	page  *site.Page
	links []markdown.Link
}

// renderMarkdown renders every page that will be output, in parallel, then
// checks that each .md link and #heading it makes exists. With a cache, a
// page whose source and links' targets did not change is not rendered again.
//
// A one-off build (oneOff) drops each page's Markdown source once it is
// rendered: nothing renders it again, and a large site's source would
// otherwise stay in the peak memory.
//
// With an indexer, the published pages' text goes into the search index as
// they are rendered, and not onto the pages.
//
// The pages' Markdown is read again from contentFS where the load
// deferred it (content.ReadBody).
func (g *Generator) renderMarkdown(ctx context.Context, s *site.Site, contentFS fs.FS, cache *mdCache, oneOff bool, ix *indexer) error {
	pages := renderable(s)
	if ix != nil {
		defer ix.close() // also when returning early
		// In the index's order, so that few wait to go in.
		pages = append(pages[:len(pages)-len(s.Pages)], ix.order...)
	}
	published := len(pages) - len(s.Pages)
	links := g.newLinkResolver(s)
	links.content = contentFS
	scs, err := theme.ParseShortcodes(g.themeLayers(&s.Config), theme.Funcs(&s.Config, s.Location))
	if err != nil {
		return err
	}
	for _, w := range scs.Warnings() {
		g.opts.Warn(w)
	}
	links.shortcodes = scs
	results := make([]pageLinks, len(pages))
	renders := make([]*pageRender, len(pages))
	var stale []int
	for i, p := range pages {
		if cache != nil {
			renders[i] = cache.lookup(s, links, p)
		}
		if renders[i] == nil {
			stale = append(stale, i)
		}
	}
	fresh := make([]bool, len(pages))
	for _, i := range stale {
		fresh[i] = true
	}
	g.parallel(ctx, len(stale), func(j int) {
		i := stale[j]
		renders[i] = g.renderPage(s, links, pages[i])
		if oneOff {
			pages[i].Body = nil
		}
		if ix != nil && i >= published {
			ix.add(pages[i], renders[i].plain)
			renders[i].plain = ""
		}
	})
	if ix != nil {
		ix.close() // it reads the pages, which change below
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	var all content.Diagnostics
	if cache != nil {
		cache.renders = make(map[*site.Page]*pageRender, len(pages))
		cache.links = links
	}
	for i, p := range pages {
		r := renders[i]
		if cache != nil {
			if fresh[i] {
				cache.store(s, links, p, r)
			}
			cache.renders[p] = r
		}
		r.apply(p)
		results[i] = pageLinks{page: p, links: r.links}
		all = append(all, r.diags...)
		for _, w := range r.warnings {
			g.opts.Warn(w)
		}
	}
	all = append(all, g.checkLinks(s, results)...)
	return all.Err()
}

// renderable lists the pages whose content is shown: the home page, column
// and branch indexes, and published pages.
func renderable(s *site.Site) []*site.Page {
	pages := []*site.Page{s.Home}
	for _, c := range s.Columns {
		if c.Index != nil {
			pages = append(pages, c.Index)
		}
	}
	for _, b := range s.Branches {
		pages = append(pages, b.Index)
	}
	for _, sec := range s.Sections {
		pages = append(pages, sec.Index)
	}
	return append(pages, s.Pages...)
}

// parallel calls fn(0..n-1) on the generator's workers and waits. Each
// worker takes the next index itself: handing them out over a channel
// left a core idle a sixth of a 10,000-page build's Build, the workers
// waiting for the goroutine that sent them (execution trace, issue 14).
func (g *Generator) parallel(ctx context.Context, n int, fn func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < g.opts.Workers && w < n; w++ {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				fn(i)
			}
		})
	}
	wg.Wait()
}

// pageRender is what rendering a page's Markdown gives.
type pageRender struct {
	content, summary   template.HTML
	plain              string
	wordCount, reading int
	toc, headings      []site.Heading
	links              []markdown.Link
	diags              content.Diagnostics
	// warnings are the problems that do not fail a build (raw HTML
	// dropped), each "file:line: 警告：…", printed at every build.
	warnings []string
	// resolved records how each link destination resolved: when one
	// resolves differently, a cached render is stale.
	resolved []resolution
	// fp is the page's fingerprint, set by the cache; list is the
	// fingerprint of its listing fields, set when first needed.
	fp, list uint64
}

// resolution is a link destination and the URL it resolved to; file is
// set for a destination that is not a .md page.
type resolution struct {
	dest, url string
	ok, file  bool
}

// apply puts the render on the page.
func (r *pageRender) apply(p *site.Page) {
	p.Content, p.Summary, p.Plain = r.content, r.summary, r.plain
	p.WordCount, p.ReadingTime = r.wordCount, r.reading
	p.TOC, p.Headings = r.toc, r.headings
}

// renderPage renders a page's body and summary. It reads the site to
// resolve links and changes nothing.
// chunks calls fn on contiguous ranges of 0..n-1, one per worker, and
// waits: for many small tasks, where handing out each would cost more than
// doing it.
func (g *Generator) chunks(n int, fn func(lo, hi int)) {
	w := min(g.opts.Workers, max(1, n/256))
	var wg sync.WaitGroup
	for i := 0; i < w; i++ {
		lo, hi := i*n/w, (i+1)*n/w
		wg.Go(func() { fn(lo, hi) })
	}
	wg.Wait()
}

func (g *Generator) renderPage(s *site.Site, links *linkResolver, p *site.Page) *pageRender {
	r := &pageRender{}
	if p.Source == "" {
		return r
	}
	file := "content/" + p.Source
	dir := path.Dir(p.Source)
	resolve := markdown.Resolvers{
		HTML: markdown.HTMLMode(s.Config.Markup.HTML),
		Page: func(dest string) (string, bool) {
			url, ok := links.page(dir, dest)
			r.resolved = append(r.resolved, resolution{dest: dest, url: url, ok: ok})
			return url, ok
		},
		File: func(dest string) (string, bool) {
			url, ok := links.file(p, dest)
			r.resolved = append(r.resolved, resolution{dest: dest, url: url, ok: ok, file: true})
			return url, ok
		},
		Shortcode: func(call *markdown.Call) (string, error) {
			return links.shortcode(s, p, call)
		},
		Depth: strings.Count(p.Source, "/"),
	}
	source, err := content.ReadBody(links.content, p)
	if err != nil {
		r.diags.Add(file, p.BodyLine, "%v", err)
		return r
	}
	body := source
	more := bytes.Index(body, moreMarker)
	if more >= 0 {
		body = append(append(append([]byte(nil), body[:more]...), "\n\n"...), body[more+len(moreMarker):]...)
	}
	res, err := g.md.ConvertWith(body, resolve)
	if err != nil {
		r.diags.Add(file, p.BodyLine, msgMarkdown, err)
		return r
	}
	r.content = template.HTML(res.HTML)
	r.plain = res.Plain
	r.wordCount, r.reading = markdown.Words(res.Plain)
	for _, h := range res.Headings {
		if h.Level == 2 || h.Level == 3 {
			r.toc = append(r.toc, h)
		}
	}
	r.headings = res.Headings
	switch text, _ := p.Params["summary"].(string); {
	case more >= 0:
		sum, err := g.md.ConvertWith(source[:more], resolve)
		if err == nil {
			r.summary = template.HTML(sum.HTML)
		}
	case text != "" && !(text == "public" && p.Task != nil && p.Task.SummaryPublic):
		r.summary = template.HTML("<p>" + html.EscapeString(text) + "</p>")
	default:
		r.summary = template.HTML("<p>" + html.EscapeString(markdown.Summarize(res.Plain, s.Config.SummaryLength)) + "</p>")
	}
	for i := range res.Links {
		res.Links[i].Line += p.BodyLine - 1
		l := res.Links[i]
		switch {
		case l.Found:
		case l.Image:
			r.diags.Add(file, l.Line, msgNoImage, l.Dest, path.Join(dir, l.Path))
		case l.File:
			r.diags.Add(file, l.Line, msgNoFile, l.Dest, path.Join(dir, l.Path))
		default:
			r.diags.Add(file, l.Line, msgNoPage, l.Dest, path.Join(dir, l.Path))
		}
	}
	r.links = res.Links
	for _, w := range res.Problems {
		r.diags.Add(file, w.Line+p.BodyLine-1, "%s", w.Msg)
	}
	for _, w := range res.Warnings {
		r.warnings = append(r.warnings, fmt.Sprintf("%s:%d: 警告：%s", file, w.Line+p.BodyLine-1, w.Msg))
	}
	return r
}

// checkLinks reports links to #headings that do not exist, and warns about
// links to pages that exist but are not published.
func (g *Generator) checkLinks(s *site.Site, results []pageLinks) content.Diagnostics {
	var diags content.Diagnostics
	for _, r := range results {
		if r.page.Source == "" || len(r.links) == 0 {
			continue
		}
		file := "content/" + r.page.Source
		for _, l := range r.links {
			if !l.Found || l.File || l.Image {
				continue
			}
			target := r.page
			if l.Path != "" {
				target = s.All[path.Join(path.Dir(r.page.Source), l.Path)]
			}
			if target.Kind == site.KindPage && !target.Published(s.Now, g.opts.Drafts, g.opts.Future) {
				g.opts.Warn(fmt.Sprintf(msgNotPublished, file, l.Line, l.Dest, target.Source))
				continue
			}
			if l.Fragment == "" || strings.HasPrefix(l.Fragment, "fn:") || strings.HasPrefix(l.Fragment, "fnref:") {
				continue
			}
			if !hasHeading(target, l.Fragment) {
				diags.Add(file, l.Line, msgNoHeading, l.Dest, target.Source, l.Fragment)
			}
		}
	}
	return diags
}

func hasHeading(p *site.Page, id string) bool {
	for _, h := range p.Headings {
		if h.ID == id {
			return true
		}
	}
	return false
}

// shortcode renders a shortcode of page p with its template.
func (r *linkResolver) shortcode(s *site.Site, p *site.Page, call *markdown.Call) (string, error) {
	scs := r.shortcodes
	if scs == nil || !scs.Has(call.Name) {
		var known []string
		if scs != nil {
			known = scs.Names()
		}
		return "", fmt.Errorf(msgUnknownShortcode, call.Name, strings.Join(append([]string{"ref", "relref"}, known...), "、"), call.Name)
	}
	out, err := scs.Execute(&theme.ShortcodeData{
		Name:          call.Name,
		Pos:           call.Pos,
		Params:        call.Params,
		IsNamedParams: len(call.Params) > 0,
		Inner:         call.Inner,
		Markdown:      call.Markdown,
		Page:          p,
		Site:          s,
		Call:          call,
	})
	if err != nil {
		return "", fmt.Errorf(msgShortcode, call.Name, err)
	}
	return out, nil
}
