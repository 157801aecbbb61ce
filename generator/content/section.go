package content

import (
	"path"
	"sort"
	"strings"

	"github.com/dangwu-org/dangwu/generator/site"
)

// sections builds the sections below the columns from their _index.md
// pages (index), as Hugo does for content/news/2025/_index.md: each in its
// parent section or column, each with the published pages in it and in
// its own sections, in the column's order. The columns' pages are sorted
// already.
func (l *loader) sections(s *site.Site, index []*site.Page, column func(string) *site.Column) {
	if len(index) == 0 {
		return
	}
	byDir := make(map[string]*site.Section, len(index))
	for _, p := range index {
		sec := &site.Section{Column: p.Column, Path: p.Path, Title: p.Title, Description: p.Description,
			Weight: p.Weight, Index: p}
		p.Section = sec
		byDir[path.Dir(p.Source)] = sec
		s.Sections = append(s.Sections, sec)
	}
	// innermost finds the section a folder is in, itself included.
	innermost := func(dir string) *site.Section {
		for ; strings.Contains(dir, "/"); dir = path.Dir(dir) {
			if sec, ok := byDir[dir]; ok {
				return sec
			}
		}
		return nil
	}
	for _, sec := range s.Sections {
		dir := path.Dir(sec.Index.Source)
		if sec.Parent = innermost(path.Dir(dir)); sec.Parent != nil {
			sec.Parent.Sections = append(sec.Parent.Sections, sec)
		} else {
			c := column(sec.Column)
			c.Sections = append(c.Sections, sec)
		}
	}
	for _, p := range s.Pages {
		if p.Column == "" {
			continue
		}
		dir := path.Dir(p.Source)
		if p.Bundle {
			dir = path.Dir(dir)
		}
		p.Section = innermost(dir)
	}
	// The pages in the column's order: take them from the columns.
	seen := map[string]bool{}
	for _, sec := range s.Sections {
		if seen[sec.Column] {
			continue
		}
		seen[sec.Column] = true
		for _, p := range column(sec.Column).Pages {
			for in := p.Section; in != nil; in = in.Parent {
				in.Pages = append(in.Pages, p)
			}
		}
	}
	sort.Slice(s.Sections, func(i, j int) bool { return s.Sections[i].Path < s.Sections[j].Path })
	for _, sec := range s.Sections {
		sortSections(sec.Sections)
	}
	for _, name := range sortedKeys(seen) {
		sortSections(column(name).Sections)
	}
}

// sortSections orders sections by weight (unweighted last), then newest
// index first, then title (years newest first) and path.
func sortSections(list []*site.Section) {
	sort.Slice(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if (a.Weight == 0) != (b.Weight == 0) {
			return a.Weight != 0
		}
		if a.Weight != b.Weight {
			return a.Weight < b.Weight
		}
		if da, db := a.Index.Date, b.Index.Date; !da.Equal(db) {
			return da.After(db)
		}
		if a.Title != b.Title {
			if numbered(a.Title) && numbered(b.Title) {
				return a.Title > b.Title // 2026 before 2025
			}
			return a.Title < b.Title
		}
		return a.Path < b.Path
	})
}

// numbered reports whether a title starts with a digit, as a year does.
func numbered(title string) bool { return title != "" && '0' <= title[0] && title[0] <= '9' }

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
