package theme

import (
	"html/template"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dangwu-org/dangwu/generator/site"
)

// TestMemo checks that a partial reading only what many pages share is
// executed once per distinct value of it, that its output is what
// executing it every time gives, and that a partial reading the page is
// executed every time (issue 14).
func TestMemo(t *testing.T) {
	runs := map[string]int{}
	cfg := site.DefaultConfig()
	funcs := Funcs(&cfg, cfg.Location())
	funcs["run"] = func(name string) string { runs[name]++; return "" }
	fsys := fstest.MapFS{
		"baseof.html": {Data: []byte(`<body>{{template "_partials/head.html" .}}
{{if .Title}}<p>{{template "_partials/foot.html" .}}</p>{{end}}{{template "_partials/page.html" .}}<a title="{{template "_partials/attr.html" .}}"></a></body>`)},
		"_partials/head.html": {Data: []byte(`{{run "head"}}<h1>{{.Site.Config.Title}} {{if eq .Kind "home"}}首页{{end}} <&></h1>`)},
		"_partials/foot.html": {Data: []byte(`{{run "foot"}}{{if eq .Path "status/"}}<b>看板</b>{{end}}{{with .Column}}{{.Name}}{{end}}`)},
		"_partials/page.html": {Data: []byte(`{{run "page"}}{{with .Page}}{{.Title}}{{end}}`)},
		"_partials/attr.html": {Data: []byte(`{{run "attr"}}{{.Kind}}<x>`)},
		"page.html":           {Data: []byte(`{{define "main"}}{{end}}`)},
	}
	th, err := Parse([]Layer{{Name: "layouts", FS: fsys}}, template.FuncMap(funcs))
	if err != nil {
		t.Fatal(err)
	}
	s := &site.Site{Config: cfg}
	news := &site.Column{Name: "news"}
	pages := []*PageData{
		{Site: s, Kind: "page", Title: "一", Path: "news/a/", Column: news, Page: &site.Page{Title: "一"}},
		{Site: s, Kind: "page", Title: "二", Path: "news/b/", Column: news, Page: &site.Page{Title: "二"}},
		{Site: s, Kind: "home", Title: "首页", Path: ""},
		{Site: s, Kind: "status", Title: "看板", Path: "status/"},
		{Site: s, Kind: "page", Title: "三", Path: "news/c/", Column: news, Page: &site.Page{Title: "三"}},
	}
	var plain []string
	for _, d := range pages {
		b, err := th.Execute("page.html", d)
		if err != nil {
			t.Fatal(err)
		}
		plain = append(plain, string(b))
	}
	clear(runs)
	m := NewMemo()
	for i, d := range pages {
		m.Attach(d)
		b, err := th.Execute("page.html", d)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != plain[i] {
			t.Errorf("page %d with the memo:\n%s\nwithout:\n%s", i, b, plain[i])
		}
	}
	// head: home or not; foot: status/ or not, and the column.
	want := map[string]int{"head": 2, "foot": 3, "page": 5, "attr": 5}
	for name, n := range want {
		if runs[name] != n {
			t.Errorf("%s ran %d times, want %d", name, runs[name], n)
		}
	}
	if !strings.Contains(plain[0], `title="page<x>"`) {
		t.Errorf("the partial in an attribute keeps its text: %s", plain[0])
	}
}

// TestMemoPages checks that a partial given one page and reading only it
// is executed once per page however many lists show the page, with the
// output of executing it every time, and that one reading more than the
// page, or given something else, is executed every time (issue 14).
func TestMemoPages(t *testing.T) {
	runs := map[string]int{}
	cfg := site.DefaultConfig()
	funcs := Funcs(&cfg, cfg.Location())
	funcs["run"] = func(name string) string { runs[name]++; return "" }
	funcs["pages"] = func(p *site.Page) []*site.Page { return []*site.Page{p} }
	fsys := fstest.MapFS{
		"baseof.html": {Data: []byte(`<body>{{template "main" .}}</body>`)},
		"_partials/item.html": {Data: []byte(`{{run "item"}}<li><a href="{{relURL .Path}}">{{.Title}}</a>` +
			`{{with .Branch}} {{.Title}}{{end}}{{with .Summary}}<div>{{.}}</div>{{end}} <&></li>`)},
		"_partials/other.html": {Data: []byte(`{{run "other"}}{{range pages .}}{{.Title}}{{end}}`)},
		"_partials/title.html": {Data: []byte(`{{run "title"}}{{.Title}}`)},
		"section.html": {Data: []byte(`{{define "main"}}<ul>{{range .Pages}}{{template "_partials/item.html" .}}{{end}}</ul>` +
			`{{range .Pages}}<p>{{template "_partials/other.html" .}}</p>{{end}}` +
			`<a title="{{range .Pages}}{{template "_partials/title.html" .}}{{end}}"></a>{{template "_partials/title.html" .}}{{end}}`)},
	}
	th, err := Parse([]Layer{{Name: "layouts", FS: fsys}}, template.FuncMap(funcs))
	if err != nil {
		t.Fatal(err)
	}
	s := &site.Site{Config: cfg}
	b := &site.Branch{Title: "第一支部"}
	a := &site.Page{Title: "一 <b>", Path: "news/a/", Summary: "<p>摘要</p>", Branch: b}
	c := &site.Page{Title: "二", Path: "news/b/"}
	lists := []*PageData{
		{Site: s, Kind: "section", Title: "要闻", Pages: []*site.Page{a, c}},
		{Site: s, Kind: "term", Title: "标签", Pages: []*site.Page{c, a}},
		{Site: s, Kind: "term", Title: "标签二", Pages: []*site.Page{a}},
	}
	var plain []string
	for _, d := range lists {
		out, err := th.Execute("section.html", d)
		if err != nil {
			t.Fatal(err)
		}
		plain = append(plain, string(out))
	}
	clear(runs)
	m := NewMemo()
	for i, d := range lists {
		m.Attach(d)
		out, err := th.Execute("section.html", d)
		if err != nil {
			t.Fatal(err)
		}
		if string(out) != plain[i] {
			t.Errorf("list %d with the memo:\n%s\nwithout:\n%s", i, out, plain[i])
		}
	}
	// item: once per page; other reads through a function that returns
	// pages, title is in an attribute or given the PageData: every time.
	want := map[string]int{"item": 2, "other": 5, "title": 8}
	for name, n := range want {
		if runs[name] != n {
			t.Errorf("%s ran %d times, want %d", name, runs[name], n)
		}
	}
	if !strings.Contains(plain[0], `<a href="/news/a/">一 &lt;b&gt;</a> 第一支部<div><p>摘要</p></div> &lt;&></li>`) {
		t.Errorf("the list entry is not escaped as the partial's own: %s", plain[0])
	}
}

// TestPageOnly checks which partials of the default theme count as
// reading only the page they are given.
func TestPageOnly(t *testing.T) {
	cfg := site.DefaultConfig()
	funcs := Funcs(&cfg, cfg.Location())
	th, err := Parse([]Layer{{Name: "themes/default/layouts", FS: os.DirFS("../../themes/default/layouts")}}, funcs)
	if err != nil {
		t.Fatal(err)
	}
	set := th.sets["section.html"]
	for name, want := range map[string]bool{
		"_partials/page-item.html": true, "_partials/page-meta.html": true,
		"_partials/article.html": false, "_partials/header.html": false, "_partials/crumbs.html": false,
	} {
		if got := pageOnly(set, name, funcs); got != want {
			t.Errorf("pageOnly(%s) = %v, want %v", name, got, want)
		}
	}
}
