package content

import (
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
	sort.Strings(l.order)
	sort.Strings(l.files)
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
	paths := map[string]string{}
	var sections []*site.Page
	for _, src := range l.order {
		p := l.all[src]
		l.checkPath(paths, p)
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
	for _, p := range sections {
		if p.Column == columnBranches && strings.Count(p.Path, "/") == 2 {
			s.Branches = append(s.Branches, l.decodeBranch(p))
			continue
		}
		l.diags.Add(l.file(p.Source), 0, "nested sections are not supported: only content/<column>/_index.md and content/branches/<id>/_index.md")
	}
	sortBranches(s.Branches)
	tags := map[string]*site.Tag{}
	for _, src := range l.order {
		p := l.all[src]
		if p.Kind != site.KindPage {
			continue
		}
		c := column(p.Column)
		l.checkRequired(c, p)
		if p.Column == columnTasks {
			p.Task = l.decodeTask(p)
		}
		if p.Column == columnBranches {
			l.attachToBranch(s, p)
		}
		if !p.Published(l.opts.Now, l.opts.Drafts, l.opts.Future) || p.Column == "" {
			continue
		}
		s.Pages = append(s.Pages, p)
		c.Pages = append(c.Pages, p)
		if p.Task != nil {
			s.Tasks = append(s.Tasks, p.Task)
		}
		for _, t := range p.Tags {
			tag, ok := tags[t]
			if !ok {
				tag = &site.Tag{Name: t}
				tags[t] = tag
			}
			tag.Pages = append(tag.Pages, p)
		}
	}
	l.checkTaskBranches(s)
	sortNewest(s.Pages)
	for _, c := range columns {
		sortColumn(c.Pages)
		for i, p := range c.Pages {
			if i > 0 {
				p.Prev = c.Pages[i-1]
			}
			if i+1 < len(c.Pages) {
				p.Next = c.Pages[i+1]
			}
		}
		if c.Index == nil && len(c.Pages) == 0 {
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
	for _, b := range s.Branches {
		sortNewest(b.Posts)
	}
	for _, t := range tags {
		sortNewest(t.Pages)
		s.Tags = append(s.Tags, t)
	}
	sort.Slice(s.Tags, func(i, j int) bool {
		a, b := s.Tags[i], s.Tags[j]
		if len(a.Pages) != len(b.Pages) {
			return len(a.Pages) > len(b.Pages)
		}
		return a.Name < b.Name
	})
	sortTasks(s.Tasks)
	return s
}

// checkPath reports two pages, or a page and an alias, at one URL.
func (l *loader) checkPath(paths map[string]string, p *site.Page) {
	claim := func(url, what string) {
		if other, ok := paths[url]; ok {
			l.diags.Add(l.file(p.Source), 0, "%s /%s is also the URL of %s", what, url, other)
			return
		}
		paths[url] = l.file(p.Source)
	}
	claim(p.Path, "URL")
	for _, a := range p.Aliases {
		claim(a, "alias")
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
	for _, key := range c.Require {
		if v, ok := p.Params[key]; ok && v != nil && v != "" {
			continue
		}
		l.diags.Add(l.file(p.Source), 1, "missing required front matter key %q (column %s requires %s)",
			key, c.Name, strings.Join(c.Require, ", "))
	}
}

func sortNewest(pages []*site.Page) {
	sort.SliceStable(pages, func(i, j int) bool {
		a, b := pages[i], pages[j]
		if !a.Date.Equal(b.Date) {
			return a.Date.After(b.Date)
		}
		return a.Source < b.Source
	})
}

// sortColumn orders a column's pages: weighted pages first by weight, then
// newest first, then by title and source.
func sortColumn(pages []*site.Page) {
	sort.SliceStable(pages, func(i, j int) bool {
		a, b := pages[i], pages[j]
		if (a.Weight == 0) != (b.Weight == 0) {
			return a.Weight != 0
		}
		if a.Weight != b.Weight {
			return a.Weight < b.Weight
		}
		if !a.Date.Equal(b.Date) {
			return a.Date.After(b.Date)
		}
		if a.Title != b.Title {
			return a.Title < b.Title
		}
		return a.Source < b.Source
	})
}
