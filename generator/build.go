package generator

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/dangwu-org/dangwu/generator/live"
	"github.com/dangwu-org/dangwu/generator/output"
	"github.com/dangwu-org/dangwu/generator/site"
	"github.com/dangwu-org/dangwu/generator/theme"
)

// Build renders s with the statuses in snap into the destination. On any
// error nothing is replaced: the previous output stays as it was.
func (g *Generator) Build(ctx context.Context, s *site.Site, snap site.Snapshot) (Stats, error) {
	r, err := g.newRenderer(s, snap)
	if err != nil {
		return Stats{}, err
	}
	outs, err := r.outputs()
	if err != nil {
		return Stats{}, err
	}
	r.release = releasable(r.theme)
	// The search index reads every page's text: made beside the pages, it
	// is ready by the time its files come up, and the text can go. Its
	// files are written early, and then let go; not first, where every
	// worker waited for them to be encoded (issue 14).
	go r.searchFile("")
	files, err := g.writeAll(ctx, r, searchAfter(outs, searchDelay), nil)
	if err != nil {
		return Stats{}, err
	}
	return siteStats(s, files), nil
}

func siteStats(s *site.Site, files int) Stats {
	st := Stats{Files: files}
	for _, c := range s.Columns {
		st.Pages = append(st.Pages, ColumnCount{Column: c.Name, Title: c.Title, Pages: len(c.Pages)})
	}
	return st
}

// writeAll renders every output into a new staging folder and puts it in
// place of the destination, or changes nothing on error. When rendered is
// not nil, it is called with each rendered output's index and bytes.
func (g *Generator) writeAll(ctx context.Context, r *renderer, outs []live.Output, rendered func(i int, b []byte)) (int, error) {
	stage, err := output.NewStage(g.opts.Dest)
	if err != nil {
		return 0, err
	}
	var files atomic.Int64
	var mu sync.Mutex
	var errs []error
	// Without a rendered to keep them, a page's bytes are written and the
	// buffer is used again: a large site's pages are hundreds of megabytes
	// made for the collector to free (issue 14).
	var bufs sync.Pool
	g.parallel(ctx, len(outs), func(i int) {
		o := &outs[i]
		var err error
		switch {
		case o.Kind == live.File:
			err = stage.CopyFile(o.Source.FS, o.Source.Name, o.Rel)
		case rendered == nil:
			buf, _ := bufs.Get().(*bytes.Buffer)
			if buf == nil {
				buf = new(bytes.Buffer)
			}
			var b []byte
			if b, err = r.renderTo(buf, o); err == nil {
				err = stage.WriteFile(o.Rel, b)
			}
			bufs.Put(buf)
		default:
			var b []byte
			if b, err = r.Render(o); err == nil {
				err = stage.WriteFile(o.Rel, b)
				rendered(i, b)
			}
		}
		if r.release && o.Kind == live.Page {
			viewOf(o).page.Content = "" // shown by this output only
		}
		if err != nil {
			mu.Lock()
			errs = append(errs, fmt.Errorf("%s: %w", o.Rel, err))
			mu.Unlock()
			return
		}
		files.Add(1)
	})
	if err := ctx.Err(); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		stage.Abort()
		return 0, sortedJoin(errs)
	}
	if err := stage.Commit(); err != nil {
		stage.Abort()
		return 0, err
	}
	return int(files.Load()), nil
}

// sortedJoin joins errors in a stable order, as parallel work finds them in
// any order.
func sortedJoin(errs []error) error {
	sort.Slice(errs, func(i, j int) bool { return errs[i].Error() < errs[j].Error() })
	return errors.Join(errs...)
}

// searchDelay is how many outputs come before the search index's files:
// about as many pages as the workers render while it is encoded.
const searchDelay = 256

// searchAfter moves the search index's files of outs after the first n
// other outputs, keeping the order of both.
func searchAfter(outs []live.Output, n int) []live.Output {
	var search, other []live.Output
	for _, o := range outs {
		if isSearchFile(&o) {
			search = append(search, o)
		} else {
			other = append(other, o)
		}
	}
	n = min(n, len(other))
	return slices.Concat(other[:n], search, other[n:])
}

func isSearchFile(o *live.Output) bool { return o.Kind == live.Data && o.Layout == makeSearch }

// releasable reports whether a build may drop a page's HTML once its own
// output is written, and every page's text once it is in the search index:
// when no layout shows another page's HTML (only the own page's
// Page.Content), any page's text (Plain), or hands a whole page to a
// function that might print it.
func releasable(th *theme.Theme) bool {
	for _, name := range th.Layouts() {
		for _, a := range th.Reach(name).Accesses {
			if !releaseSafe(a) {
				return false
			}
		}
	}
	return true
}

// pageValued are the last steps of an access path that stand for a page or
// a list of pages.
var pageValued = map[string]bool{"Page": true, "Prev": true, "Next": true, "Index": true, "Pages": true, "Posts": true}

// pageSafeFuncs may be handed a page or a list of pages: they compare,
// count or slice, and read nothing of a page's text.
var pageSafeFuncs = map[string]bool{"len": true, "first": true, "indexOf": true, "eq": true, "ne": true,
	"and": true, "or": true, "not": true}

func releaseSafe(a theme.Access) bool {
	if a.Path == "" || strings.HasPrefix(a.Path, theme.Unknown) {
		return !a.Deep && a.Path == ""
	}
	segs := strings.Split(a.Path, ".")
	if segs[0] == "Pager" || segs[0] == "Snapshot" {
		return true // URLs, statuses and opinions: no page in them
	}
	for i, seg := range segs {
		seg = strings.TrimSuffix(strings.TrimSuffix(seg, "[]"), "()")
		switch {
		case seg == "Plain":
			return false
		case seg == "Content" && !(i == 1 && segs[0] == "Page"):
			return false
		}
	}
	last := strings.TrimSuffix(strings.TrimSuffix(segs[len(segs)-1], "[]"), "()")
	return !a.Deep || !pageValued[last] || pageSafeFuncs[a.Func]
}

// themeLayers are the layout folders, the site's own first.
func (g *Generator) themeLayers(cfg *site.Config) []theme.Layer {
	var layers []theme.Layer
	if fsys := g.dirFS("layouts"); fsys != nil {
		layers = append(layers, theme.Layer{Name: "layouts", FS: fsys})
	}
	if fsys := dirFS(g.themeDir(cfg, "layouts")); fsys != nil {
		layers = append(layers, theme.Layer{Name: "themes/" + cfg.Theme + "/layouts", FS: fsys})
	}
	return layers
}

// themeDir is a folder of the configured theme.
func (g *Generator) themeDir(cfg *site.Config, name string) string {
	return filepath.Join(g.opts.ThemesDir, cfg.Theme, name)
}

// dirFS opens a folder of the site, or nil when it does not exist.
func (g *Generator) dirFS(rel string) fs.FS {
	return dirFS(filepath.Join(g.opts.Source, rel))
}

func dirFS(dir string) fs.FS {
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return nil
	}
	return os.DirFS(dir)
}

// staticOutputs copies the theme's static/ and then the site's static/ (the
// site's file wins), the content's loose files and every bundle's files.
func (g *Generator) staticOutputs(s *site.Site) ([]live.Output, error) {
	files := map[string]live.Output{}
	for _, dir := range []string{g.themeDir(&s.Config, "static"), filepath.Join(g.opts.Source, "static")} {
		fsys := dirFS(dir)
		if fsys == nil {
			continue
		}
		absDir := absPath(dir) // change tracking goes by absolute paths
		err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.Type().IsRegular() && !strings.HasPrefix(d.Name(), ".") && !strings.HasSuffix(p, "_test.js") {
				files[p] = copied(p, fsys, p, filepath.Join(absDir, filepath.FromSlash(p)))
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", dir, err)
		}
	}
	contentDir := absPath(filepath.Join(g.opts.Source, "content"))
	contentFS := dirFS(contentDir)
	copyContent := func(rel, name string) {
		files[rel] = copied(rel, contentFS, name, filepath.Join(contentDir, filepath.FromSlash(name)))
	}
	for _, f := range s.Files {
		copyContent(f, f)
	}
	for _, p := range s.Pages {
		for _, f := range p.Files {
			copyContent(p.Path+f, path.Join(path.Dir(p.Source), f))
		}
	}
	for _, b := range s.Branches {
		for _, f := range b.Index.Files {
			copyContent(b.Index.Path+f, path.Join(path.Dir(b.Index.Source), f))
		}
	}
	keys := make([]string, 0, len(files))
	for k := range files {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]live.Output, len(keys))
	for i, k := range keys {
		out[i] = files[k]
	}
	return out, nil
}

// copied is the output at rel that copies name of fsys, which is at src on
// disk.
func copied(rel string, fsys fs.FS, name, src string) live.Output {
	return live.Output{Rel: rel, Kind: live.File, Source: &live.Source{FS: fsys, Name: name, Path: src}}
}
