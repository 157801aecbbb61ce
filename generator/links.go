package generator

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/dangwu-org/dangwu/generator/site"
	"github.com/dangwu-org/dangwu/generator/theme"
)

// linkResolver maps the destinations a page's Markdown writes to the URLs
// they are published at: .md files to pages, other relative paths to the
// content files copied into the output (a bundle's files beside its page,
// loose files at their own path), rooted paths to the same under the base
// path. It reads the site and changes nothing.
type linkResolver struct {
	s *site.Site
	// content is the content folder, to read again the Markdown a load
	// deferred; nil when none was.
	content fs.FS
	// files maps a content file's source path to its published path, for
	// every file a build copies.
	files map[string]string
	// pages maps a folder's source path to the page it is the index of.
	dirs map[string]*site.Page
	// published is the set of published paths of files and pages.
	published map[string]bool
	// static holds the folders whose files are copied as they are.
	static []string
	// shortcodes are the templates of shortcodes; nil knows none.
	shortcodes *theme.Shortcodes
}

func (g *Generator) newLinkResolver(s *site.Site) *linkResolver {
	r := &linkResolver{s: s, files: make(map[string]string, len(s.Files)), dirs: map[string]*site.Page{}, published: map[string]bool{}}
	for _, f := range s.Files {
		r.files[f] = f
	}
	bundle := func(p *site.Page) {
		for _, f := range p.Files {
			r.files[path.Join(path.Dir(p.Source), f)] = p.Path + f
		}
	}
	for _, p := range s.Pages {
		bundle(p)
	}
	for _, b := range s.Branches {
		bundle(b.Index)
	}
	for _, out := range r.files {
		r.published[out] = true
	}
	for src, p := range s.All {
		switch {
		case strings.HasSuffix(src, "/_index.md") || strings.HasSuffix(src, "/index.md"):
			r.dirs[path.Dir(src)] = p
		case src == "_index.md":
			r.dirs["."] = p
		}
		r.published[strings.TrimSuffix(p.Path, "/")] = true
	}
	r.static = []string{filepath.Join(g.opts.Source, "static"), g.themeDir(&s.Config, "static")}
	return r
}

// page resolves a relative .md destination written in the page whose
// source folder is dir.
func (r *linkResolver) page(dir, dest string) (string, bool) {
	if t, found := r.s.All[path.Join(dir, dest)]; found {
		return r.s.Config.RelURL(t.Path), true
	}
	return "", false
}

// file resolves any other local destination written in p: "" with true
// leaves it as written.
func (r *linkResolver) file(p *site.Page, dest string) (string, bool) {
	if rooted, ok := strings.CutPrefix(dest, "/"); ok {
		clean := strings.Trim(path.Clean("/"+rooted), "/")
		if r.published[clean] || r.inStatic(clean) {
			return r.s.Config.RelURL(rooted), true
		}
		return "", true // perhaps served beside the site (/api/, /admin/)
	}
	src := path.Join(path.Dir(p.Source), dest)
	if src == ".." || strings.HasPrefix(src, "../") {
		return "", false
	}
	if out, ok := r.files[src]; ok {
		return r.s.Config.RelURL(out), true
	}
	if t, ok := r.dirs[src]; ok && path.Ext(dest) == "" {
		return r.s.Config.RelURL(t.Path), true
	}
	return "", false
}

func (r *linkResolver) inStatic(rel string) bool {
	if rel == "" {
		return false
	}
	for _, dir := range r.static {
		if fi, err := os.Stat(filepath.Join(dir, filepath.FromSlash(rel))); err == nil && !fi.IsDir() {
			return true
		}
	}
	return false
}
