package theme

import (
	"slices"
	"testing"
	"testing/fstest"

	"github.com/dangwu-org/dangwu/generator/site"
)

// TestReach checks what the analysis finds a layout can read, for the
// constructs that move dot or bind variables.
func TestReach(t *testing.T) {
	tests := []struct {
		name   string
		layout string
		want   []string // accesses that must be found ("+" marks a deep one)
		absent []string
	}{
		{"field chain", `{{define "main"}}{{.Page.Prev.Title}}{{end}}`,
			[]string{"Page.Prev", "Page.Prev.Title", "+Page.Prev.Title"}, []string{"Page.Next"}},
		{"with moves dot", `{{define "main"}}{{with .Column}}{{range .Pages}}{{.Summary}}{{end}}{{end}}{{end}}`,
			[]string{"Column.Pages", "Column.Pages[].Summary"}, nil},
		{"method with argument", `{{define "main"}}{{with .Site.Column "news"}}{{.Title}}{{end}}{{end}}`,
			[]string{"+Site.Column()", "Site.Column().Title"}, nil},
		{"variable assigned in a loop", `{{define "main"}}{{$f := ""}}{{range .Pages}}{{if .Cover}}{{$f = .}}{{end}}{{end}}{{with $f}}{{.Branch.Title}}{{end}}{{end}}`,
			[]string{"Pages[].Branch.Title", "Pages[].Cover"}, nil},
		{"first passes the list through", `{{define "main"}}{{range first 3 .Site.Pages}}{{.Title}}{{end}}{{end}}`,
			[]string{"Site.Pages[].Title"}, nil},
		{"partial with another dot", `{{define "main"}}{{template "_partials/item.html" .Page}}{{end}}`,
			[]string{"Page.Next.Path"}, nil},
		{"function argument is deep", `{{define "main"}}{{year .Now}}{{end}}`,
			[]string{"+Now year"}, nil},
		{"index", `{{define "main"}}{{(index .Pages 0).Title}}{{end}}`,
			[]string{"Pages[].Title"}, nil},
		{"range with key and value", `{{define "main"}}{{range $i, $p := .Pages}}{{$i}}{{$p.Path}}{{end}}{{end}}`,
			[]string{"Pages[].Path"}, nil},
		{"dot passed to a function", `{{define "main"}}{{printf "%v" .}}{{end}}`,
			[]string{"+ printf"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{
				"baseof.html":              {Data: []byte(`<html>{{template "main" .}}</html>`)},
				"_partials/item.html":      {Data: []byte(`{{with .Next}}{{.Path}}{{end}}`)},
				"_partials/unused.html":    {Data: []byte(`{{.Site.Tags}}`)},
				"page.html":                {Data: []byte(tt.layout)},
				"standalone.html":          {Data: []byte(`{{.Target}}`)},
				"_partials/recursive.html": {Data: []byte(`{{template "_partials/recursive.html" .}}`)},
			}
			cfg := site.DefaultConfig()
			th, err := Parse([]Layer{{Name: "layouts", FS: fsys}}, Funcs(&cfg, cfg.Location()))
			if err != nil {
				t.Fatal(err)
			}
			r := th.Reach("page.html")
			got := map[string]bool{}
			for _, a := range r.Accesses {
				key := a.Path
				if a.Deep {
					key = "+" + key
					if a.Func != "" {
						got[key+" "+a.Func] = true
					}
				}
				got[key] = true
			}
			for _, w := range tt.want {
				if !got[w] {
					t.Errorf("%q not found in %v", w, r.Accesses)
				}
			}
			for _, a := range tt.absent {
				if got[a] {
					t.Errorf("%q found, want it absent", a)
				}
			}
			if slices.Contains(r.Files, "_partials/unused.html") {
				t.Errorf("files %v include a partial the layout never calls", r.Files)
			}
		})
	}
}

// TestReachDigest checks a layout's digest changes with the files it uses
// and only with them.
func TestReachDigest(t *testing.T) {
	fsys := fstest.MapFS{
		"baseof.html":      {Data: []byte(`<html>{{template "main" .}}</html>`)},
		"_partials/a.html": {Data: []byte(`a`)},
		"_partials/b.html": {Data: []byte(`b`)},
		"page.html":        {Data: []byte(`{{define "main"}}{{template "_partials/a.html"}}{{end}}`)},
		"section.html":     {Data: []byte(`{{define "main"}}{{template "_partials/b.html"}}{{end}}`)},
	}
	cfg := site.DefaultConfig()
	parse := func() *Theme {
		th, err := Parse([]Layer{{Name: "layouts", FS: fsys}}, Funcs(&cfg, cfg.Location()))
		if err != nil {
			t.Fatal(err)
		}
		return th
	}
	before := parse()
	fsys["_partials/b.html"].Data = []byte(`b2`)
	after := parse()
	if before.Reach("page.html").Digest != after.Reach("page.html").Digest {
		t.Error("page.html's digest changed with a partial it does not use")
	}
	if before.Reach("section.html").Digest == after.Reach("section.html").Digest {
		t.Error("section.html's digest did not change with its partial")
	}
}
