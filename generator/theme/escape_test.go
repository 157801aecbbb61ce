package theme

import (
	"errors"
	"html/template"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/dangwu-org/dangwu/generator/site"
)

// escapeContexts are the places an action can stand where html/template
// appends the escaping functions prepare replaces, one or several.
var escapeContexts = []string{
	`<p>{{.}}</p>`,
	`<a title="{{.}}">`,
	`<a title='{{.}}'>`,
	`<title>{{.}}</title>`,
	`<textarea>{{.}}</textarea>`,
	`<a href="{{.}}">`,
	`<a href="/x{{.}}">`,
	`<a href="/x?q={{.}}&amp;r={{.}}">`,
	`<a href="#{{.}}">`,
	`<img src="{{.}}" alt="{{.}}">`,
	`<a href="{{.}}/{{.}}">{{.}}</a>`,
	`<p class="a-{{.}}">{{.}} - {{.}}</p>`,
}

type stringer struct{ s string }

func (s stringer) String() string { return "«" + s.s + "»" }

// escapeValues are values of every kind html/template treats apart.
func escapeValues() []any {
	var ascii strings.Builder
	for c := 0; c < 128; c++ {
		ascii.WriteByte(byte(c))
	}
	s := "党费 <b>"
	var nilString *string
	values := []any{
		"", ascii.String(), "党费的计算：第三条 & “规则”", "一、活动概况", "\xff\xfe invalid \xe4\xb8",
		"javascript:alert(1)", "JavaScript:x", "HTTP://example.org/a b", "https://x/?a=1&b=2", "mailto:a@b.c",
		"tel:123", "/a:b/c", "a/b:c", "%zz%4", "%41%e4%b8%80", "a+b=c", "'\"<>&\x00",
		0, 42, -7, 3.25, true, []string{"a", "<b>"}, nil, nilString, &s, stringer{"x<y"},
		errors.New("错误 <e>"), site.Status(1),
		template.HTML(`<b title="t">粗</b> &amp; <script>x</script>"'`), template.HTML(""),
		template.URL("javascript:ok()"), template.URL("/a b/%e4"), template.HTMLAttr(`x="1"`),
		template.CSS("color: red"), template.JS("a<b"), template.JSStr("q'x"), template.Srcset("a.png 1x"),
	}
	return values
}

// TestEscapers checks that an action escaped by prepare's functions gives,
// for every kind of value, what html/template's own give, in every
// context they are used in, and that prepare does replace them (issue 14).
func TestEscapers(t *testing.T) {
	for _, text := range escapeContexts {
		want := template.Must(template.New("t").Parse(text))
		got := template.Must(template.New("t").Parse(text))
		prepare(got, []string{"t"})
		if tree := got.Tree.Root.String(); strings.Contains(tree, "_html_template_") || !strings.Contains(tree, fusedPrefix) {
			t.Errorf("%s: after prepare the actions are %s, want html/template's functions replaced", text, tree)
		}
		for _, v := range escapeValues() {
			var w, g strings.Builder
			werr := want.Execute(&w, v)
			gerr := got.Execute(&g, v)
			if w.String() != g.String() || (werr == nil) != (gerr == nil) {
				t.Errorf("%s with %#v:\n got %q (%v)\nwant %q (%v)", text, v, g.String(), gerr, w.String(), werr)
			}
		}
	}
}

// TestExecuteConcurrent checks that a layout's first executions, which
// prepare it, may run at the same time and give the same page.
func TestExecuteConcurrent(t *testing.T) {
	fsys := fstest.MapFS{
		"baseof.html":         {Data: []byte(`<title>{{.Title}}</title>{{template "_partials/head.html" .}}{{template "main" .}}`)},
		"_partials/head.html": {Data: []byte(`<a href="{{relURL "css/a b.css"}}" title="{{.Site.Config.Title}}">首页</a>`)},
		"page.html":           {Data: []byte(`{{define "main"}}<h1 id="{{.Title}}">{{.Title}}</h1><a href="#{{.Title}}">{{.Path}}</a>{{end}}`)},
	}
	cfg := site.DefaultConfig()
	cfg.Title = "机关党委 <&>"
	th, err := Parse([]Layer{{Name: "layouts", FS: fsys}}, template.FuncMap(Funcs(&cfg, cfg.Location())))
	if err != nil {
		t.Fatal(err)
	}
	d := &PageData{Site: &site.Site{Config: cfg}, Kind: "page", Title: "第三条 党费", Path: "news/a+b/"}
	const want = `<title>第三条 党费</title><a href="/css/a%20b.css" title="机关党委 &lt;&amp;&gt;">首页</a>` +
		`<h1 id="第三条 党费">第三条 党费</h1><a href="#%e7%ac%ac%e4%b8%89%e6%9d%a1%20%e5%85%9a%e8%b4%b9">news/a&#43;b/</a>`
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			b, err := th.Execute("page.html", d)
			if err != nil {
				t.Error(err)
				return
			}
			if string(b) != want {
				t.Errorf("got  %s\nwant %s", b, want)
			}
		})
	}
	wg.Wait()
}
