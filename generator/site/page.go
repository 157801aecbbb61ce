package site

import (
	"html/template"
	"time"
)

// Kind is what a page is: the home page, a column's list, a regular page.
type Kind int

// The kinds of page.
const (
	KindPage    Kind = iota // 文章
	KindHome                // 首页
	KindSection             // 栏目
)

// Page is one Markdown file: a regular page, a bundle's index.md, or the
// _index.md of the home page, a column or a branch.
type Page struct {
	Kind Kind
	// Source is the file's path under content/, slash-separated: "news/a.md".
	Source string
	// Column is the name of the column the page belongs to ("" for the home page).
	Column string
	// Slug is the last element of the page's URL.
	Slug string
	// Path is the page's URL path relative to the site root, with a trailing
	// slash: "news/a/", "" for the home page.
	Path string

	Title       string
	Description string
	Date        time.Time
	Lastmod     time.Time
	PublishDate time.Time
	ExpiryDate  time.Time
	Draft       bool
	Tags        []string
	// Categories are the page's categories (分类), a taxonomy like Tags.
	Categories  []string
	Weight      int
	Aliases     []string
	Author      string
	Cover       string
	Attachments []Attachment
	Video       string
	Audio       string
	Duration    string
	Layout      string
	// Menu is set when the front matter puts the page in the main menu
	// (Hugo's menu: main).
	Menu *MenuEntry
	// Params holds every front-matter key, including those above, as decoded.
	Params map[string]any
	// ParamLines maps a front-matter key to its line in the source file.
	ParamLines map[string]int

	// Body is the Markdown after the front matter; BodyLine is the line of
	// the source file its first line is on.
	Body     []byte
	BodyLine int
	// BodySize and BodySum stand for Body when a one-off load left it out
	// (content.Options.DeferBodies): its length and CRC-32C, to read it
	// again when it is rendered (content.ReadBody). Zero otherwise.
	BodySize int
	BodySum  uint32

	// Content is the rendered body.
	Content template.HTML
	// Summary is the rendered summary: the part before <!--more-->, the
	// front matter's summary, or the automatic one.
	Summary template.HTML
	// Plain is the body's text without markup, for search and summaries.
	Plain string
	// Headings lists every heading of the body, for #fragment links.
	Headings []Heading
	// TOC lists the page's headings of level 2 and 3.
	TOC []Heading
	// WordCount counts Chinese characters and Latin words.
	WordCount int
	// ReadingTime is in minutes, at least 1.
	ReadingTime int

	// Bundle is true for a content/<column>/<slug>/index.md page; Files are
	// its other files, relative to the bundle folder, copied beside the page.
	Bundle bool
	Files  []string

	// Digest identifies what the page was decoded from (its file, a
	// bundle's files): two loads through the same content.Cache that give
	// a page the same Digest read the same input. Zero when the page was
	// loaded without a cache.
	Digest uint64

	// Prev and Next are the neighbouring pages in the column's order.
	Prev, Next *Page
	// Section is the innermost section the page is in (a section's
	// _index.md: the section itself); nil for a page directly in its
	// column or at the content root.
	Section *Section
	// Branch is set on a branch's _index.md and on its posts.
	Branch *Branch
	// Task is set on a task's page.
	Task *Task
}

// MenuEntry is a page's place in the main menu (主导航), after the columns.
type MenuEntry struct {
	// Title is the menu's text, the page's title unless given.
	Title  string
	Weight int
}

// Attachment is a file offered for download on a page (附件).
type Attachment struct {
	File  string `yaml:"file" toml:"file"`
	Title string `yaml:"title" toml:"title"`
	// Size is the file's size in bytes, filled in when the site loads.
	Size int64 `yaml:"-" toml:"-"`
}

// Heading is an entry in a page's table of contents.
type Heading struct {
	Level int
	ID    string
	Text  string
}

// Published reports whether the page belongs in the outputs at now: not a
// draft (unless drafts are wanted), not before its publish date (unless
// future pages are wanted), not past its expiry date.
func (p *Page) Published(now time.Time, drafts, future bool) bool {
	if p.Draft && !drafts {
		return false
	}
	if !future && !p.PublishDate.IsZero() && p.PublishDate.After(now) {
		return false
	}
	if !future && p.PublishDate.IsZero() && !p.Date.IsZero() && p.Date.After(now) {
		return false
	}
	if !p.ExpiryDate.IsZero() && !p.ExpiryDate.After(now) {
		return false
	}
	return true
}

// Param returns a front-matter value as a string, for templates ("" when absent).
func (p *Page) Param(key string) any {
	return p.Params[key]
}

// Column is a 栏目: a folder under content/ with an _index.md.
type Column struct {
	// Name is the folder name and the first URL element: "news".
	Name        string
	Title       string
	Description string
	Weight      int
	// Require lists front-matter keys every page of the column must have.
	Require []string
	// Index is the column's _index.md.
	Index *Page
	// Pages are the column's published pages, in order: weight, then newest
	// first, then title. Those of its sections are among them.
	Pages []*Page
	// Sections are the sections directly in the column.
	Sections []*Section
}

// Section is a 子栏目: a folder below a column with an _index.md of its
// own (content/news/2025/_index.md), at any depth, listed at its own URL.
type Section struct {
	// Column is the name of the column it is in.
	Column string
	// Path is its URL path relative to the site root: "news/2025/".
	Path        string
	Title       string
	Description string
	Weight      int
	// Index is its _index.md.
	Index *Page
	// Parent is the section it is in; nil when it is directly in its column.
	Parent *Section
	// Sections are the sections directly in it, by weight, then newest
	// index first, then title.
	Sections []*Section
	// Pages are the published pages in it and in its sections, in the
	// column's order.
	Pages []*Page
}

// Ancestors lists the sections s is in, outermost first, without s.
func (s *Section) Ancestors() []*Section {
	var out []*Section
	for p := s.Parent; p != nil; p = p.Parent {
		out = append([]*Section{p}, out...)
	}
	return out
}

// Path is the column's URL path relative to the site root: "news/".
func (c *Column) Path() string { return c.Name + "/" }

// Branch is a 党支部: content/branches/<id>/_index.md.
type Branch struct {
	ID          string
	Title       string
	Secretary   string
	Members     int
	Established time.Time
	// Kind is 支部 unless the folder says kind: 总支 or 党委.
	Kind BranchKind
	// ParentID is the front matter's parent (empty at the top level);
	// Parent is that branch once the tree is checked, and Children the
	// folders that name this one, in site order.
	ParentID string
	Parent   *Branch
	Children []*Branch
	// Index is the branch's _index.md.
	Index *Page
	// Posts are the branch's own published pages (its 展示窗口), newest first.
	Posts []*Page
}

// Tag is a term of a taxonomy (a tag, 标签, or a category, 分类) with its
// published pages, newest first.
type Tag struct {
	Name  string
	Pages []*Page
	// Path is the term's URL path relative to the site root: "tags/党建/",
	// "categories/通知公告/".
	Path string
}

// Site is a loaded content tree: everything a build renders.
type Site struct {
	Config   Config
	Location *time.Location
	// Home is content/_index.md (an empty home page when absent).
	Home *Page
	// Columns are ordered by weight, then name.
	Columns []*Column
	// Pages are all published regular pages, newest first; those at the
	// content root (content/about.md) have no Column.
	Pages []*Page
	// Sections are every section below a column, by Path.
	Sections []*Section
	// Menu are the published pages in the main menu, by weight, then title.
	Menu []*Page
	// All holds every loaded page, including unpublished ones, by Source.
	All map[string]*Page
	// Branches are ordered by weight, then ID.
	Branches []*Branch
	// BranchByID indexes Branches when set (Load sets it).
	BranchByID map[string]*Branch
	// Tasks are ordered by deadline, then ID.
	Tasks []*Task
	// Tags are ordered by number of pages, then name.
	Tags []*Tag
	// Categories are ordered like Tags.
	Categories []*Tag
	// Files are the files under content/ that belong to no bundle, copied
	// to the same path in the output.
	Files []string
	// Now is the time the site was loaded for (publishing decisions).
	Now time.Time
}

// Column returns the column with the given name, or nil.
func (s *Site) Column(name string) *Column {
	for _, c := range s.Columns {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Branch returns the branch with the given ID, or nil.
func (s *Site) Branch(id string) *Branch {
	if s.BranchByID != nil {
		return s.BranchByID[id]
	}
	for _, b := range s.Branches {
		if b.ID == id {
			return b
		}
	}
	return nil
}

// Task returns the task with the given ID, or nil.
func (s *Site) Task(id string) *Task {
	for _, t := range s.Tasks {
		if t.ID == id {
			return t
		}
	}
	return nil
}
