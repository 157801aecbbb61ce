package content

import (
	"slices"
	"sort"
	"strings"

	"github.com/dangwu-org/dangwu/generator/site"
)

// The columns with a special meaning in the content model.
const (
	columnBranches = "branches"
	columnTasks    = "tasks"
)

// assemble builds the site from the loaded pages: columns, branches, tasks,
// tags, ordering and the checks that need more than one page.
func (l *loader) assemble() *site.Site {
	s := &site.Site{Config: l.cfg, Location: l.loc, All: l.all, Now: l.opts.Now}
	// A replayed walk mostly gives them in order already.
	if !slices.IsSorted(l.order) {
		slices.Sort(l.order)
	}
	if !slices.IsSorted(l.files) {
		slices.Sort(l.files)
	}
	s.Files = l.files
	columns := map[string]*site.Column{}
	column := func(name string) *site.Column {
		c, ok := columns[name]
		if !ok {
			c = &site.Column{Name: name, Title: name}
			columns[name] = c
		}
		return c
	}
	paths := make(map[string]string, len(l.order))
	folded := make(map[string]string, len(l.order))
	var sections []*site.Page
	for _, src := range l.order {
		p := l.all[src]
		l.checkPath(paths, folded, p)
		switch {
		case p.Kind == site.KindHome:
			s.Home = p
		case p.Kind == site.KindSection && !strings.Contains(strings.TrimSuffix(p.Path, "/"), "/"):
			l.decodeColumn(column(p.Column), p)
		case p.Kind == site.KindSection:
			sections = append(sections, p)
		}
	}
	if s.Home == nil {
		s.Home = &site.Page{Kind: site.KindHome, Title: l.cfg.Title, Params: map[string]any{}}
	}
	for _, src := range l.order {
		if p := l.all[src]; p.Kind != site.KindPage && p.Params != nil {
			l.checkKeys(p, nil)
		}
	}
	var nested []*site.Page
	for _, p := range sections {
		switch {
		case p.Column == columnBranches && strings.Count(p.Path, "/") == 2:
			s.Branches = append(s.Branches, l.decodeBranch(p))
		case p.Column == columnBranches:
			l.diags.Add(l.file(p.Source), 0, msgNestedBranch)
		case p.Column == columnTasks:
			l.diags.Add(l.file(p.Source), 0, msgNestedTask)
		default:
			nested = append(nested, p)
		}
	}
	sortBranches(s.Branches)
	l.linkBranches(s)
	tags, categories := map[string]*site.Tag{}, map[string]*site.Tag{}
	ord := newOrdering(l, len(l.order))
	for i, src := range l.order {
		p := l.all[src]
		ord.see(i, p)
		if p.Kind != site.KindPage {
			continue
		}
		c := column(p.Column)
		if p.Params == nil {
			continue // a file whose front matter is broken: reported already
		}
		if p.Column == "" {
			c = nil
		}
		l.checkRequired(c, p)
		l.checkKeys(p, c)
		if p.Column == columnTasks {
			p.Task = l.decodeTask(p)
		}
		if p.Column == columnBranches {
			l.attachToBranch(s, p)
		}
		if !p.Published(l.opts.Now, l.opts.Drafts, l.opts.Future) {
			continue
		}
		s.Pages = append(s.Pages, p)
		if p.Column != "" {
			c.Pages = append(c.Pages, p) // not a page at the content root
		}
		ord.publish(i, p)
		if p.Task != nil {
			s.Tasks = append(s.Tasks, p.Task)
		}
	}
	l.checkTaskBranches(s)
	ord.sort(s, columns)
	// Taken from the sorted pages, terms and branch posts come out newest
	// first without sorting each again.
	for _, p := range s.Pages {
		for _, t := range p.Tags {
			tag, ok := tags[t]
			if !ok {
				tag = &site.Tag{Name: t, Path: "tags/" + t + "/"}
				tags[t] = tag
			}
			tag.Pages = append(tag.Pages, p)
		}
		for _, t := range p.Categories {
			cat, ok := categories[t]
			if !ok {
				cat = &site.Tag{Name: t, Path: "categories/" + t + "/"}
				categories[t] = cat
			}
			cat.Pages = append(cat.Pages, p)
		}
		if p.Branch != nil {
			p.Branch.Posts = append(p.Branch.Posts, p)
		}
	}
	l.sections(s, nested, column)
	for _, c := range columns {
		for i, p := range c.Pages {
			if i > 0 {
				p.Prev = c.Pages[i-1]
			}
			if i+1 < len(c.Pages) {
				p.Next = c.Pages[i+1]
			}
		}
		if c.Name == "" || c.Index == nil && len(c.Pages) == 0 && len(c.Sections) == 0 {
			continue
		}
		s.Columns = append(s.Columns, c)
	}
	sort.Slice(s.Columns, func(i, j int) bool {
		a, b := s.Columns[i], s.Columns[j]
		if (a.Weight == 0) != (b.Weight == 0) {
			return a.Weight != 0
		}
		if a.Weight != b.Weight {
			return a.Weight < b.Weight
		}
		return a.Name < b.Name
	})
	for _, p := range s.Pages {
		if p.Menu != nil {
			s.Menu = append(s.Menu, p)
		}
	}
	for _, sec := range s.Sections {
		if sec.Index.Menu != nil {
			s.Menu = append(s.Menu, sec.Index)
		}
	}
	sort.SliceStable(s.Menu, func(i, j int) bool {
		a, b := s.Menu[i].Menu, s.Menu[j].Menu
		if a.Weight != b.Weight {
			return a.Weight < b.Weight
		}
		return a.Title < b.Title
	})
	s.Tags = sortedTerms(tags)
	s.Categories = sortedTerms(categories)
	sortTasks(s.Tasks)
	return s
}

// checkPath reports two pages, or a page and an alias, at one URL, and at
// URLs that differ only in case: Windows and macOS file systems, and IIS,
// take them for one, so one page would overwrite the other (issue 16).
// folded maps lower-cased URLs to the URL that took them.
func (l *loader) checkPath(paths, folded map[string]string, p *site.Page) {
	line := p.ParamLines["url"]
	if line == 0 {
		line = p.ParamLines["slug"]
	}
	claim := func(url, what string) {
		if what == msgWhatAlias {
			line = p.ParamLines["aliases"]
		}
		if other, ok := paths[url]; ok {
			l.diags.Add(l.file(p.Source), line, msgURLTaken, what, url, l.file(other))
			return
		}
		if first, ok := folded[strings.ToLower(url)]; ok {
			l.diags.Add(l.file(p.Source), 0, "网址 /%s 与 %s 的网址 /%s 只有大小写不同：Windows 和不区分大小写的服务器上二者是同一个网址，请改名或用 slug 区分",
				url, l.file(paths[first]), first)
			return
		}
		paths[url] = p.Source
		folded[strings.ToLower(url)] = url
	}
	claim(p.Path, msgWhatURL)
	for _, a := range p.Aliases {
		claim(a, msgWhatAlias)
	}
}

func (l *loader) decodeColumn(c *site.Column, p *site.Page) {
	d := &decoder{file: l.file(p.Source), p: &parsed{params: p.Params, lines: p.ParamLines}, loc: l.loc, diags: &l.diags}
	c.Index = p
	c.Title = p.Title
	if c.Title == "" || c.Title == p.Slug {
		c.Title = c.Name
	}
	c.Description = p.Description
	c.Weight = p.Weight
	c.Require = d.strings("require")
}

func (l *loader) checkRequired(c *site.Column, p *site.Page) {
	if c == nil {
		return
	}
	for _, key := range c.Require {
		if v, ok := p.Params[key]; ok && v != nil && v != "" {
			continue
		}
		l.diags.Add(l.file(p.Source), 1, msgRequired,
			key, c.Name, strings.Join(c.Require, "、"))
	}
}

// sortedTerms orders a taxonomy's terms by number of pages, then name.
func sortedTerms(terms map[string]*site.Tag) []*site.Tag {
	out := make([]*site.Tag, 0, len(terms))
	for _, t := range terms {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if len(a.Pages) != len(b.Pages) {
			return len(a.Pages) > len(b.Pages)
		}
		return a.Name < b.Name
	})
	return out
}
