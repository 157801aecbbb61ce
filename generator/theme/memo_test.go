package theme

import (
	"html/template"
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
