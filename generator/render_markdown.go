package generator

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"html/template"
	"path"
	"strings"
	"sync"

	"github.com/dangwu-org/dangwu/generator/content"
	"github.com/dangwu-org/dangwu/generator/markdown"
	"github.com/dangwu-org/dangwu/generator/site"
)

var moreMarker = []byte("<!--more-->")

// pageLinks are the links one page makes, kept for the checks that need
// every page rendered first.
type pageLinks struct {
	page  *site.Page
	links []markdown.Link
}

// renderMarkdown renders every page that will be output, in parallel, then
// checks that each .md link and #heading it makes exists.
func (g *Generator) renderMarkdown(ctx context.Context, s *site.Site) error {
	pages := renderable(s)
	results := make([]pageLinks, len(pages))
	diags := make([]content.Diagnostics, len(pages))
	g.parallel(ctx, len(pages), func(i int) {
		results[i].page = pages[i]
		results[i].links, diags[i] = g.renderPage(s, pages[i])
	})
	if err := ctx.Err(); err != nil {
		return err
	}
	var all content.Diagnostics
	for _, d := range diags {
		all = append(all, d...)
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
	return append(pages, s.Pages...)
}

// parallel calls fn(0..n-1) on the generator's workers and waits.
func (g *Generator) parallel(ctx context.Context, n int, fn func(i int)) {
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < g.opts.Workers && w < n; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
}

func (g *Generator) renderPage(s *site.Site, p *site.Page) ([]markdown.Link, content.Diagnostics) {
	var diags content.Diagnostics
	file := "content/" + p.Source
	if p.Source == "" {
		return nil, nil
	}
	dir := path.Dir(p.Source)
	resolve := func(dest string) (string, bool) {
		target := path.Join(dir, dest)
		t, ok := s.All[target]
		if !ok {
			return "", false
		}
		return s.Config.RelURL(t.Path), true
	}
	body := p.Body
	more := bytes.Index(body, moreMarker)
	if more >= 0 {
		body = append(append(append([]byte(nil), body[:more]...), "\n\n"...), body[more+len(moreMarker):]...)
	}
	res, err := g.md.Convert(body, resolve)
	if err != nil {
		diags.Add(file, p.BodyLine, "markdown: %v", err)
		return nil, diags
	}
	p.Content = template.HTML(res.HTML)
	p.Plain = res.Plain
	p.WordCount = markdown.CountWords(res.Plain)
	p.ReadingTime = markdown.ReadingTime(res.Plain)
	p.TOC = p.TOC[:0]
	for _, h := range res.Headings {
		if h.Level == 2 || h.Level == 3 {
			p.TOC = append(p.TOC, h)
		}
	}
	p.Headings = res.Headings
	switch text, _ := p.Params["summary"].(string); {
	case more >= 0:
		sum, err := g.md.Convert(p.Body[:more], resolve)
		if err == nil {
			p.Summary = template.HTML(sum.HTML)
		}
	case text != "":
		p.Summary = template.HTML("<p>" + html.EscapeString(text) + "</p>")
	default:
		p.Summary = template.HTML("<p>" + html.EscapeString(markdown.Summarize(res.Plain, s.Config.SummaryLength)) + "</p>")
	}
	for i := range res.Links {
		res.Links[i].Line += p.BodyLine - 1
		l := res.Links[i]
		if !l.Found {
			diags.Add(file, l.Line, "link %s: no such page (content/%s does not exist)", l.Dest, path.Join(dir, l.Path))
		}
	}
	return res.Links, diags
}

// checkLinks reports links to #headings that do not exist, and warns about
// links to pages that exist but are not published.
func (g *Generator) checkLinks(s *site.Site, results []pageLinks) content.Diagnostics {
	var diags content.Diagnostics
	for _, r := range results {
		if r.page.Source == "" {
			continue
		}
		file := "content/" + r.page.Source
		for _, l := range r.links {
			if !l.Found {
				continue
			}
			target := r.page
			if l.Path != "" {
				target = s.All[path.Join(path.Dir(r.page.Source), l.Path)]
			}
			if target.Kind == site.KindPage && !target.Published(s.Now, g.opts.Drafts, g.opts.Future) {
				g.opts.Warn(fmt.Sprintf("%s:%d: warning: link %s: content/%s is not published (draft, future or expired)", file, l.Line, l.Dest, target.Source))
				continue
			}
			if l.Fragment == "" || strings.HasPrefix(l.Fragment, "fn:") || strings.HasPrefix(l.Fragment, "fnref:") {
				continue
			}
			if !hasHeading(target, l.Fragment) {
				diags.Add(file, l.Line, "link %s: content/%s has no heading with id %q", l.Dest, target.Source, l.Fragment)
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
