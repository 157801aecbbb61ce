package generator

import (
	"fmt"
	"strconv"

	"github.com/dangwu-org/dangwu/generator/output"
	"github.com/dangwu-org/dangwu/generator/site"
	"github.com/dangwu-org/dangwu/generator/theme"
)

// renderer turns a loaded site into output jobs with one parsed theme.
type renderer struct {
	g     *Generator
	s     *site.Site
	snap  site.Snapshot
	theme *theme.Theme
	api   string
}

func (g *Generator) newRenderer(s *site.Site, snap site.Snapshot) (*renderer, error) {
	if dirFS(g.themeDir(&s.Config, "layouts")) == nil {
		return nil, fmt.Errorf("site.yaml: theme: %s has no layouts folder", g.themeDir(&s.Config, ""))
	}
	th, err := theme.Parse(g.themeLayers(&s.Config), theme.Funcs(&s.Config, s.Location))
	if err != nil {
		return nil, err
	}
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
	return &renderer{g: g, s: s, snap: snap, theme: th, api: api}, nil
}

// data returns the page data every layout starts from.
func (r *renderer) data(kind, rel string, column *site.Column) *theme.PageData {
	d := &theme.PageData{
		Site: r.s, Kind: kind, Path: rel, Column: column,
		Snapshot: r.snap, Now: r.snap.Now, APIURL: r.api,
	}
	d.Menu = append(d.Menu, theme.MenuItem{Title: "首页", URL: r.s.Config.RelURL(""), Active: kind == theme.KindHome})
	for _, c := range r.s.Columns {
		d.Menu = append(d.Menu, theme.MenuItem{
			Title: c.Title, URL: r.s.Config.RelURL(c.Path()), Active: column != nil && column.Name == c.Name,
		})
	}
	if kind != theme.KindHome {
		d.Crumbs = append(d.Crumbs, theme.Crumb{Title: "首页", URL: r.s.Config.RelURL("")})
	}
	if column != nil && kind != theme.KindSection {
		d.Crumbs = append(d.Crumbs, theme.Crumb{Title: column.Title, URL: r.s.Config.RelURL(column.Path())})
	}
	return d
}

// page makes a job that renders data with the first layout that exists.
func (r *renderer) page(rel string, d *theme.PageData, candidates []string) (job, error) {
	name, ok := r.theme.Lookup(candidates...)
	if !ok {
		return job{}, fmt.Errorf("no layout for %s: tried %v", rel, candidates)
	}
	return job{rel: rel, make: func() ([]byte, error) { return r.theme.Execute(name, d) }}, nil
}

// jobs lists every output of the site.
func (r *renderer) jobs() ([]job, error) {
	var jobs []job
	add := func(j job, err error) error {
		if err != nil {
			return err
		}
		jobs = append(jobs, j)
		return nil
	}
	s := r.s
	home := r.data(theme.KindHome, "", nil)
	home.Page, home.Title, home.Pages = s.Home, s.Config.Title, s.Pages
	if err := add(r.page("index.html", home, theme.Candidates(s.Home.Layout, "", "home", "section"))); err != nil {
		return nil, err
	}
	for _, c := range s.Columns {
		if err := r.listJobs(&jobs, c); err != nil {
			return nil, err
		}
	}
	for _, b := range s.Branches {
		d := r.data(theme.KindBranch, b.Index.Path, s.Column("branches"))
		d.Page, d.Branch, d.Title, d.Pages = b.Index, b, b.Title, b.Posts
		if err := add(r.page(b.Index.Path+"index.html", d, theme.Candidates(b.Index.Layout, "branches", "branch", "section"))); err != nil {
			return nil, err
		}
	}
	for _, p := range s.Pages {
		d := r.data(theme.KindPage, p.Path, s.Column(p.Column))
		d.Page, d.Title, d.Branch, d.Task = p, p.Title, p.Branch, p.Task
		if p.Branch != nil {
			d.Crumbs = append(d.Crumbs, theme.Crumb{Title: p.Branch.Title, URL: s.Config.RelURL(p.Branch.Index.Path)})
		}
		if err := add(r.page(p.Path+"index.html", d, theme.Candidates(p.Layout, p.Column, "page", "single"))); err != nil {
			return nil, err
		}
		for _, a := range p.Aliases {
			if err := add(r.alias(a, p.Path)); err != nil {
				return nil, err
			}
		}
	}
	if err := r.taxonomyJobs(&jobs); err != nil {
		return nil, err
	}
	special := []struct{ kind, rel, title, layout string }{
		{theme.KindSearch, "search/index.html", "站内搜索", "search"},
		{theme.KindNotFound, "404.html", "页面不存在", "404"},
	}
	for _, sp := range special {
		d := r.data(sp.kind, sp.rel, nil)
		d.Title = sp.title
		if err := add(r.page(sp.rel, d, []string{sp.layout + ".html"})); err != nil {
			return nil, err
		}
	}
	jobs = append(jobs, r.feedJobs()...)
	static, err := r.g.staticJobs(s)
	if err != nil {
		return nil, err
	}
	return append(jobs, static...), nil
}

// listJobs renders a column's list, one output per page of Paginate entries.
func (r *renderer) listJobs(jobs *[]job, c *site.Column) error {
	per := r.s.Config.Paginate
	total := (len(c.Pages) + per - 1) / per
	if total == 0 {
		total = 1
	}
	index := c.Index
	if index == nil {
		index = &site.Page{Kind: site.KindSection, Title: c.Title, Path: c.Path(), Column: c.Name, Params: map[string]any{}}
	}
	for n := 1; n <= total; n++ {
		rel := pagerPath(c.Path(), n)
		d := r.data(theme.KindSection, rel, c)
		d.Page, d.Title = index, c.Title
		lo, hi := (n-1)*per, min(n*per, len(c.Pages))
		d.Pages = c.Pages[lo:hi]
		if total > 1 {
			d.Pager = r.pager(c.Path(), n, total)
			d.Title = c.Title + "（第" + strconv.Itoa(n) + "页）"
		}
		j, err := r.page(rel+"index.html", d, theme.Candidates(index.Layout, c.Name, "section", "list"))
		if err != nil {
			return err
		}
		*jobs = append(*jobs, j)
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
	for i := 1; i <= total; i++ {
		p.Links = append(p.Links, theme.PagerLink{Number: i, URL: url(i), Current: i == n})
	}
	return p
}

// alias renders a redirect page at an old URL.
func (r *renderer) alias(from, to string) (job, error) {
	d := r.data(theme.KindAlias, from, nil)
	d.Target, d.Title = r.s.Config.RelURL(to), "页面已迁移"
	return r.page(from+"index.html", d, []string{"alias.html"})
}

func (r *renderer) taxonomyJobs(jobs *[]job) error {
	if len(r.s.Tags) == 0 {
		return nil
	}
	d := r.data(theme.KindTaxonomy, "tags/", nil)
	d.Title, d.Tags = "标签", r.s.Tags
	j, err := r.page("tags/index.html", d, []string{"taxonomy.html"})
	if err != nil {
		return err
	}
	*jobs = append(*jobs, j)
	for _, t := range r.s.Tags {
		rel := "tags/" + t.Name + "/"
		if _, err := output.CleanPath(rel); err != nil {
			return fmt.Errorf("tag %q: cannot be a URL path", t.Name)
		}
		d := r.data(theme.KindTerm, rel, nil)
		d.Title, d.Tag, d.Pages = "标签："+t.Name, t, t.Pages
		d.Crumbs = append(d.Crumbs, theme.Crumb{Title: "标签", URL: r.s.Config.RelURL("tags/")})
		j, err := r.page(rel+"index.html", d, []string{"term.html"})
		if err != nil {
			return err
		}
		*jobs = append(*jobs, j)
	}
	return nil
}

// feedJobs are the RSS feeds, the sitemap, robots.txt and the search index.
func (r *renderer) feedJobs() []job {
	s := r.s
	jobs := []job{{rel: "index.xml", make: func() ([]byte, error) {
		return output.RSS(s, s.Config.Title, s.Config.Description, "", "index.xml", s.Pages)
	}}}
	for _, c := range s.Columns {
		jobs = append(jobs, job{rel: c.Path() + "index.xml", make: func() ([]byte, error) {
			return output.RSS(s, c.Title+" - "+s.Config.Title, c.Description, c.Path(), c.Path()+"index.xml", newest(c.Pages))
		}})
	}
	jobs = append(jobs,
		job{rel: "sitemap.xml", make: func() ([]byte, error) { return output.Sitemap(&s.Config, sitemapEntries(s)) }},
		job{rel: "robots.txt", make: func() ([]byte, error) { return output.Robots(&s.Config), nil }},
		job{rel: "search.json", make: func() ([]byte, error) { return output.SearchIndex(s) }},
	)
	return jobs
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
	for _, b := range s.Branches {
		e = append(e, output.SitemapEntry{Path: b.Index.Path, Lastmod: latest(b.Posts)})
	}
	for _, p := range s.Pages {
		e = append(e, output.SitemapEntry{Path: p.Path, Lastmod: p.Lastmod})
	}
	return e
}
