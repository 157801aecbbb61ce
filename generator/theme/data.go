package theme

import (
	"html/template"
	"time"

	"github.com/dangwu-org/dangwu/generator/site"
)

// Page kinds, the values of PageData.Kind.
const (
	KindHome     = "home"     // 首页
	KindSection  = "section"  // 栏目列表
	KindPage     = "page"     // 文章
	KindBranch   = "branch"   // 支部主页
	KindTaxonomy = "taxonomy" // 标签总览
	KindTerm     = "term"     // 单个标签
	KindSearch   = "search"   // 站内搜索
	KindNotFound = "404"      // 页面不存在
	KindAlias    = "alias"    // 旧地址跳转
)

// PageData is what every layout receives.
type PageData struct {
	Site *site.Site
	// Kind is one of the Kind constants.
	Kind string
	// Page is the page being rendered; for home, section and branch pages
	// it is their _index.md. Nil on taxonomy, term, search and 404 pages.
	Page *site.Page
	// Column is the column the page belongs to, nil on the home page.
	Column *site.Column
	// Branch is set on a branch's page and its posts.
	Branch *site.Branch
	// Task is set on a task's page.
	Task *site.Task
	// Title is the page's own title (without the site's).
	Title string
	// Path is this output's URL path relative to the site root ("news/page/2/").
	Path string
	// Pages are the list entries on this page of a list (section, branch, term, home's latest).
	Pages []*site.Page
	// Pager is set on paginated lists.
	Pager *Pager
	// Tag is the tag of a term page; Tags all tags on the taxonomy page.
	Tag  *site.Tag
	Tags []*site.Tag
	// Menu is the main navigation, one item per column, with the current one active.
	Menu []MenuItem
	// Crumbs are the breadcrumbs from the home page to the parent of this page.
	Crumbs []Crumb
	// Target is where an alias page redirects to.
	Target string
	// Snapshot holds the task statuses; Now is the build's time.
	Snapshot site.Snapshot
	Now      time.Time
	// APIURL is the collector's base URL for forms ("/api/" under the site's base path by default).
	APIURL string
}

// Pager is the position in a paginated list.
type Pager struct {
	Number int
	Total  int
	// Prev and Next are URLs ("" when none).
	Prev, Next string
	Links      []PagerLink
}

// PagerLink is a numbered link of a pager.
type PagerLink struct {
	Number  int
	URL     string
	Current bool
}

// MenuItem is an entry of the main navigation.
type MenuItem struct {
	Title  string
	URL    string
	Active bool
}

// Crumb is one step of the breadcrumbs.
type Crumb struct {
	Title string
	URL   string
}

// HTML marks trusted generator output, never user input, as HTML.
type HTML = template.HTML
