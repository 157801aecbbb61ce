package theme

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/dangwu-org/dangwu/generator/site"
)

func TestLookupAndOverride(t *testing.T) {
	themeFS := fstest.MapFS{
		"baseof.html":          {Data: []byte(`<html>{{template "_partials/head.html" .}}{{block "main" .}}{{end}}</html>`)},
		"_partials/head.html":  {Data: []byte(`<head>theme</head>`)},
		"page.html":            {Data: []byte(`{{define "main"}}generic {{.Title}}{{end}}`)},
		"rules/page.html":      {Data: []byte(`{{define "main"}}rules {{.Title}}{{end}}`)},
		"section.html":         {Data: []byte(`{{define "main"}}section{{end}}`)},
		"alias.html":           {Data: []byte(`<meta http-equiv="refresh" content="0; url={{.Target}}">`)},
		"lessons/special.html": {Data: []byte(`{{define "main"}}special{{end}}`)},
	}
	siteFS := fstest.MapFS{
		"_partials/head.html": {Data: []byte(`<head>site</head>`)},
	}
	cfg := site.DefaultConfig()
	th, err := Parse([]Layer{{"layouts", siteFS}, {"themes/default/layouts", themeFS}}, Funcs(&cfg, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		layout, column, kind string
		want                 string
	}{
		{"", "news", "page", "<html><head>site</head>generic 标题</html>"},
		{"", "rules", "page", "<html><head>site</head>rules 标题</html>"},
		{"special", "lessons", "page", "<html><head>site</head>special</html>"},
		{"", "news", "section", "<html><head>site</head>section</html>"},
	}
	for _, tt := range tests {
		name, ok := th.Lookup(Candidates(tt.layout, tt.column, tt.kind)...)
		if !ok {
			t.Fatalf("no layout for %v", tt)
		}
		b, err := th.Execute(name, &PageData{Title: "标题"})
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != tt.want {
			t.Errorf("%s/%s: got %s, want %s", tt.column, tt.kind, b, tt.want)
		}
	}
	b, _ := th.Execute("alias.html", &PageData{Target: "/news/a/"})
	if !strings.HasPrefix(string(b), "<meta") {
		t.Errorf("a layout without main should render alone, got %s", b)
	}
}

func TestParseErrorNamesFile(t *testing.T) {
	themeFS := fstest.MapFS{
		"baseof.html": {Data: []byte(`{{block "main" .}}{{end}}`)},
		"page.html":   {Data: []byte("{{define \"main\"}}\n{{.Title}\n{{end}}")},
	}
	cfg := site.DefaultConfig()
	_, err := Parse([]Layer{{"themes/default/layouts", themeFS}}, Funcs(&cfg, time.UTC))
	if err == nil || !strings.Contains(err.Error(), "themes/default/layouts/page.html:2") {
		t.Errorf("error %v does not name themes/default/layouts/page.html:2", err)
	}
}

func TestExecuteErrorNamesFile(t *testing.T) {
	themeFS := fstest.MapFS{
		"baseof.html": {Data: []byte(`{{block "main" .}}{{end}}`)},
		"page.html":   {Data: []byte("{{define \"main\"}}\n\n{{.Page.Title}}{{end}}")},
	}
	cfg := site.DefaultConfig()
	th, err := Parse([]Layer{{"themes/default/layouts", themeFS}}, Funcs(&cfg, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	_, err = th.Execute("page.html", &PageData{})
	if err == nil || !strings.Contains(err.Error(), "themes/default/layouts/page.html:3") {
		t.Errorf("error %v does not name themes/default/layouts/page.html:3", err)
	}
}

func TestByteSize(t *testing.T) {
	for n, want := range map[int64]string{12: "12 B", 2048: "2 KB", 3 * 1024 * 1024 / 2: "1.5 MB"} {
		if got := ByteSize(n); got != want {
			t.Errorf("ByteSize(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestDatetimeMidnight(t *testing.T) {
	cfg := site.DefaultConfig()
	loc := time.FixedZone("CST", 8*3600)
	f := Funcs(&cfg, loc)["datetime"].(func(time.Time) string)
	if got := f(time.Date(2026, 12, 11, 0, 0, 0, 0, loc)); got != "2026年12月10日 24:00" {
		t.Errorf("midnight: %q", got)
	}
	if got := f(time.Date(2026, 12, 20, 17, 0, 0, 0, loc)); got != "2026年12月20日 17:00" {
		t.Errorf("afternoon: %q", got)
	}
}
