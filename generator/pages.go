package generator

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/dangwu-org/dangwu/generator/live"
	"github.com/dangwu-org/dangwu/generator/output"
	"github.com/dangwu-org/dangwu/generator/site"
	"github.com/dangwu-org/dangwu/generator/theme"
)

// renderer turns a loaded site into outputs with one parsed theme.
type renderer struct {
	g     *Generator
	s     *site.Site
	snap  site.Snapshot
	theme *theme.Theme
	api   string
	// layouts caches theme lookups by front matter layout, column and kind.
	layouts map[[3]string]string
	// search is the search index, made when first needed; indexed, when
	// set, has the pages' text already, from Load.
	search  searchFiles
	indexed *output.SearchBuilder
	// searchEdit, when set, is a kept index to bring up to date instead.
	searchEdit *searchEdit
	// memo holds the partials that are the same on many pages.
	memo *theme.Memo
	// release is set when a one-off build may drop the pages' text and
	// HTML once used (see releasable).
	release bool
	// boards holds each year's assessment board, computed once for the
	// board and every unit's drill-down page (units.go).
	boards boardCache
	// reach is what each layout reads, when outputs are to be keyed (see
	// Live.themeFor); nil for a one-off build, which keys nothing.
	reach map[string]layoutInfo
}

func (g *Generator) newRenderer(s *site.Site, snap site.Snapshot) (*renderer, error) {
	if p := g.takePrepared(s); p != nil {
		r := g.rendererWith(s, snap, p.theme)
		r.indexed = p.index
		return r, nil
	}
	th, err := g.parseTheme(s)
	if err != nil {
		return nil, err
	}
	return g.rendererWith(s, snap, th), nil
}

// parseTheme reads and parses the layouts the site's configuration names.
func (g *Generator) parseTheme(s *site.Site) (*theme.Theme, error) {
	if dirFS(g.themeDir(&s.Config, "layouts")) == nil {
		return nil, fmt.Errorf("site.yaml: theme: %s has no layouts folder", g.themeDir(&s.Config, ""))
	}
	th, err := theme.Parse(g.themeLayers(&s.Config), theme.Funcs(&s.Config, s.Location))
	if err != nil {
		return nil, err
	}
	for _, w := range th.Warnings() {
		g.opts.Warn(w)
	}
	return th, nil
}

func (g *Generator) rendererWith(s *site.Site, snap site.Snapshot, th *theme.Theme) *renderer {
	if snap.Now.IsZero() {
		snap.Now = s.Now
	}
	api := g.opts.APIURL
	if api == "" {
		api = s.Config.Collector.URL
	}
	if api == "" {
		api = s.Config.RelURL("api/")
	}
	return &renderer{g: g, s: s, snap: snap, theme: th, api: api, layouts: map[[3]string]string{}, memo: theme.NewMemo()}
}

// Every output of the site is a live.Output: a page or view, rendered with
// a layout and its *view as Data; a data file (a feed, the sitemap, the
// search index, a calendar), made by code from a *view too (renderer.make);
// or a copied file. Its Reads are what its layout can reach (theme.Reach,
// classified as deps) or what its maker declares (makerReads): the same
// declaration for every kind, which keyer.Key hashes.

// viewOf is the view an output shows, nil for a copied file.
func viewOf(o *live.Output) *view {
	v, _ := o.Data.(*view)
	return v
}

// view is what one page of output shows: the parts of theme.PageData that
// differ between outputs. pageData completes it when the page is rendered,
// so listing the outputs of a large site stays cheap.
type view struct {
	kind   string
	path   string
	title  string
	page   *site.Page
	column *site.Column
	// section is the section listed, or the one the page is in.
	section *site.Section
	branch  *site.Branch
	task    *site.Task
	pages   []*site.Page
	tag     *site.Tag
	tags    []*site.Tag
	target  string
	// pagerN and pagerTotal place a list page among its siblings.
	pagerN, pagerTotal int
	// crumb is an extra breadcrumb before the page itself.
	crumb *theme.Crumb
	// year is the year of an assessment board.
	year int
	// unit is the 总支 or 党委 of a unit's drill-down page (units.go).
	unit *site.Branch
}

// pageData builds the data a layout receives.
func (r *renderer) pageData(v *view) *theme.PageData {
	s := r.s
	d := &theme.PageData{
		Site: s, Kind: v.kind, Path: v.path, Column: v.column, Section: v.section, Title: v.title,
		Page: v.page, Branch: v.branch, Task: v.task, Pages: v.pages, Tag: v.tag, Tags: v.tags,
		Snapshot: r.snap, Now: r.snap.Now, APIURL: r.api,
	}
	r.memo.Attach(d)
	d.Menu = append(d.Menu, theme.MenuItem{Title: "首页", URL: s.Config.RelURL(""), Active: v.kind == theme.KindHome})
	for _, c := range s.Columns {
		d.Menu = append(d.Menu, theme.MenuItem{
			Title: c.Title, URL: s.Config.RelURL(c.Path()), Active: v.column != nil && v.column.Name == c.Name,
		})
	}
	for _, p := range s.Menu {
		d.Menu = append(d.Menu, theme.MenuItem{
			Title: p.Menu.Title, URL: s.Config.RelURL(p.Path), Active: v.page == p || v.section != nil && v.section.Index == p,
		})
	}
	if v.kind != theme.KindHome {
		d.Crumbs = append(d.Crumbs, theme.Crumb{Title: "首页", URL: s.Config.RelURL("")})
	}
	if v.column != nil && (v.kind != theme.KindSection || v.section != nil) {
		d.Crumbs = append(d.Crumbs, theme.Crumb{Title: v.column.Title, URL: s.Config.RelURL(v.column.Path())})
	}
	if sec := v.section; sec != nil {
		trail := sec.Ancestors()
		if v.kind != theme.KindSection {
			trail = append(trail, sec)
		}
		for _, a := range trail {
			d.Crumbs = append(d.Crumbs, theme.Crumb{Title: a.Title, URL: s.Config.RelURL(a.Path)})
		}
	}
	switch {
	case v.kind != theme.KindSection:
	case v.section != nil:
		d.Sections = v.section.Sections
	case v.column != nil:
		d.Sections = v.column.Sections
	}
	if v.crumb != nil {
		d.Crumbs = append(d.Crumbs, *v.crumb)
	}
	if v.target != "" {
		d.Target = s.Config.RelURL(v.target)
	}
	if v.pagerTotal > 1 {
		base := v.path
		if v.section != nil {
			base = v.section.Path
		} else if v.column != nil {
			base = v.column.Path()
		} else if v.tag != nil {
			base = v.tag.Path
		}
		d.Pager = r.pager(base, v.pagerN, v.pagerTotal)
	}
	d.Unit = v.unit
	if v.task != nil {
		r.taskData(d, v)
	}
	if v.kind == theme.KindStatus {
		r.boardData(d, v.year)
	}
	return d
}

// Render makes the bytes of a page, view or data output (live.Renderer).
func (r *renderer) Render(o *live.Output) ([]byte, error) {
	if o.Kind == live.Data {
		return r.make(o)
	}
	return r.theme.Execute(o.Layout, r.pageData(viewOf(o)))
}

// output is the output at rel that renders v with the layout name.
func (r *renderer) output(rel string, v *view, name string) live.Output {
	kind := live.View
	if v.kind == theme.KindPage {
		kind = live.Page
	}
	return live.Output{Rel: rel, Kind: kind, Layout: name, Data: v, Reads: r.reach[name].deps}
}

// renderTo is Render into buf, emptied first: for a page, the layout's
// output; the bytes of a generated output are returned instead.
func (r *renderer) renderTo(buf *bytes.Buffer, o *live.Output) ([]byte, error) {
	if o.Kind == live.Data {
		return r.make(o)
	}
	buf.Reset()
	if err := r.theme.ExecuteTo(buf, o.Layout, r.pageData(viewOf(o))); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// page makes an output that renders v with the first layout that exists
// of theme.Candidates(layout, column, kind, fallbacks...).
func (r *renderer) page(rel string, v *view, layout, column, kind string, fallbacks ...string) (live.Output, error) {
	key := [3]string{layout, column, kind}
	name, ok := r.layouts[key]
	if !ok {
		candidates := theme.Candidates(layout, column, kind, fallbacks...)
		if name, ok = r.theme.Lookup(candidates...); !ok {
			return live.Output{}, fmt.Errorf(msgNoLayout, rel, strings.Join(candidates, " "))
		}
		r.layouts[key] = name
	}
	return r.output(rel, v, name), nil
}

// special makes an output rendered with one layout.
func (r *renderer) special(rel string, v *view, layout string) (live.Output, error) {
	if !r.theme.Has(layout) {
		return live.Output{}, fmt.Errorf(msgNoLayout, rel, layout)
	}
	return r.output(rel, v, layout), nil
}

// outputs lists every output of the site, in a stable order.
func (r *renderer) outputs() ([]live.Output, error) {
	outs := make([]live.Output, 0, len(r.s.Pages)+len(r.s.Pages)/max(1, r.s.Config.Paginate)+len(r.s.Tags)+64)
	add := func(o live.Output, err error) error {
		if err != nil {
			return err
		}
		outs = append(outs, o)
		return nil
	}
	s := r.s
	home := &view{kind: theme.KindHome, page: s.Home, title: s.Config.Title, pages: s.Pages}
	if err := add(r.page("index.html", home, s.Home.Layout, "", "home", "section")); err != nil {
		return nil, err
	}
	for _, c := range s.Columns {
		if err := r.listOutputs(&outs, c, nil); err != nil {
			return nil, err
		}
	}
	for _, sec := range s.Sections {
		if err := r.listOutputs(&outs, s.Column(sec.Column), sec); err != nil {
			return nil, err
		}
	}
	for _, b := range s.Branches {
		v := &view{kind: theme.KindBranch, path: b.Index.Path, column: s.Column("branches"),
			page: b.Index, branch: b, title: b.Title, pages: b.Posts}
		if err := add(r.page(b.Index.Path+"index.html", v, b.Index.Layout, "branches", "branch", "section")); err != nil {
			return nil, err
		}
	}
	views := make([]view, len(s.Pages))
	for i, p := range s.Pages {
		v := &views[i]
		*v = view{kind: theme.KindPage, path: p.Path, column: s.Column(p.Column), section: p.Section,
			page: p, title: p.Title, branch: p.Branch, task: p.Task}
		if p.Branch != nil {
			v.crumb = &theme.Crumb{Title: p.Branch.Title, URL: s.Config.RelURL(p.Branch.Index.Path)}
		}
		if err := add(r.page(p.Path+"index.html", v, p.Layout, p.Column, "page", "single")); err != nil {
			return nil, err
		}
		for _, a := range p.Aliases {
			v := &view{kind: theme.KindAlias, path: a, target: p.Path, title: "页面已迁移"}
			if err := add(r.special(a+"index.html", v, "alias.html")); err != nil {
				return nil, err
			}
		}
	}
	taskUnits, err := r.taskUnitOutputs()
	if err != nil {
		return nil, err
	}
	outs = append(outs, taskUnits...)
	if err := r.taxonomyOutputs(&outs); err != nil {
		return nil, err
	}
	special := []struct{ kind, rel, title, layout string }{
		{theme.KindSearch, "search/index.html", "站内搜索", "search"},
		{theme.KindNotFound, "404.html", "页面不存在", "404"},
	}
	for _, sp := range special {
		v := &view{kind: sp.kind, path: sp.rel, title: sp.title}
		if err := add(r.special(sp.rel, v, sp.layout+".html")); err != nil {
			return nil, err
		}
	}
	status, err := r.statusOutputs()
	if err != nil {
		return nil, err
	}
	outs = append(outs, status...)
	outs = append(outs, r.feedOutputs()...)
	static, err := r.g.staticOutputs(s)
	if err != nil {
		return nil, err
	}
	return append(outs, static...), nil
}

// listOutputs renders the list of a column, or of a section in it, one
// output per page of Paginate entries.
func (r *renderer) listOutputs(outs *[]live.Output, c *site.Column, sec *site.Section) error {
	per := r.s.Config.Paginate
	pages, base, title, index := c.Pages, c.Path(), c.Title, c.Index
	if sec != nil {
		pages, base, title, index = sec.Pages, sec.Path, sec.Title, sec.Index
	}
	total := (len(pages) + per - 1) / per
	if total == 0 {
		total = 1
	}
	if index == nil {
		index = &site.Page{Kind: site.KindSection, Title: c.Title, Path: c.Path(), Column: c.Name, Params: map[string]any{}}
	}
	for n := 1; n <= total; n++ {
		rel := pagerPath(base, n)
		lo, hi := (n-1)*per, min(n*per, len(pages))
		v := &view{kind: theme.KindSection, path: rel, column: c, section: sec, page: index, title: title,
			pages: pages[lo:hi], pagerN: n, pagerTotal: total}
		if total > 1 {
			v.title = title + "（第" + strconv.Itoa(n) + "页）"
		}
		o, err := r.page(rel+"index.html", v, index.Layout, c.Name, "section", "list")
		if err != nil {
			return err
		}
		*outs = append(*outs, o)
	}
	return nil
}

func pagerPath(base string, n int) string {
	if n == 1 {
		return base
	}
	return base + "page/" + strconv.Itoa(n) + "/"
}

func (r *renderer) pager(base string, n, total int) *theme.Pager {
	p := &theme.Pager{Number: n, Total: total}
	url := func(i int) string { return r.s.Config.RelURL(pagerPath(base, i)) }
	if n > 1 {
		p.Prev = url(n - 1)
	}
	if n < total {
		p.Next = url(n + 1)
	}
	// A long list links its first and last page and two on each side of
	// this one: every list page linking every other would make a column of
	// thousands of pages quadratic to build and to read.
	for i := 1; i <= total; i++ {
		if total > pagerAll && i > 1 && i < total && (i < n-pagerAround || i > n+pagerAround) {
			if l := len(p.Links); !p.Links[l-1].Gap {
				p.Links = append(p.Links, theme.PagerLink{Gap: true})
			}
			continue
		}
		p.Links = append(p.Links, theme.PagerLink{Number: i, URL: url(i), Current: i == n})
	}
	return p
}

// pagerAll is the most pages a pager links all of; pagerAround is how many
// on each side of the current one a longer pager links.
const (
	pagerAll    = 9
	pagerAround = 2
)

// taxonomyOutputs renders the tags' and the categories' overview and term
// pages.
func (r *renderer) taxonomyOutputs(outs *[]live.Output) error {
	if err := r.taxonomy(outs, "tags/", "标签", r.s.Tags); err != nil {
		return err
	}
	return r.taxonomy(outs, "categories/", "分类", r.s.Categories)
}

func (r *renderer) taxonomy(outs *[]live.Output, base, label string, terms []*site.Tag) error {
	if len(terms) == 0 {
		return nil
	}
	v := &view{kind: theme.KindTaxonomy, path: base, title: label, tags: terms}
	o, err := r.special(base+"index.html", v, "taxonomy.html")
	if err != nil {
		return err
	}
	*outs = append(*outs, o)
	per := r.s.Config.Paginate
	for _, t := range terms {
		if _, err := output.CleanPath(t.Path); err != nil {
			return fmt.Errorf(msgTagPath, label, t.Name)
		}
		// Paginated like a column's list: a tag of a large site has
		// thousands of pages.
		total := max(1, (len(t.Pages)+per-1)/per)
		for n := 1; n <= total; n++ {
			rel := pagerPath(t.Path, n)
			v := &view{kind: theme.KindTerm, path: rel, title: label + "：" + t.Name, tag: t,
				pages: t.Pages[(n-1)*per : min(n*per, len(t.Pages))], pagerN: n, pagerTotal: total,
				crumb: &theme.Crumb{Title: label, URL: r.s.Config.RelURL(base)}}
			if total > 1 {
				v.title += "（第" + strconv.Itoa(n) + "页）"
			}
			o, err := r.special(rel+"index.html", v, "term.html")
			if err != nil {
				return err
			}
			*outs = append(*outs, o)
		}
	}
	return nil
}
