package generator

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/dangwu-org/dangwu/generator/output"
	"github.com/dangwu-org/dangwu/generator/site"
	"github.com/dangwu-org/dangwu/generator/theme"
)

// job is one output file: its path in the output and how to make it.
type job struct {
	rel  string
	make func() ([]byte, error)
	// copy, when set, copies a file instead: from fsys at name.
	fsys fs.FS
	name string
}

// Build renders s with the statuses in snap into the destination. On any
// error nothing is replaced: the previous output stays as it was.
func (g *Generator) Build(ctx context.Context, s *site.Site, snap site.Snapshot) (Stats, error) {
	r, err := g.newRenderer(s, snap)
	if err != nil {
		return Stats{}, err
	}
	jobs, err := r.jobs()
	if err != nil {
		return Stats{}, err
	}
	stage, err := output.NewStage(g.opts.Dest)
	if err != nil {
		return Stats{}, err
	}
	var files atomic.Int64
	var mu sync.Mutex
	var errs []error
	g.parallel(ctx, len(jobs), func(i int) {
		j := jobs[i]
		var err error
		if j.fsys != nil {
			err = stage.CopyFile(j.fsys, j.name, j.rel)
		} else {
			var b []byte
			if b, err = j.make(); err == nil {
				err = stage.WriteFile(j.rel, b)
			}
		}
		if err != nil {
			mu.Lock()
			errs = append(errs, fmt.Errorf("%s: %w", j.rel, err))
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
		sort.Slice(errs, func(i, j int) bool { return errs[i].Error() < errs[j].Error() })
		return Stats{}, errors.Join(errs...)
	}
	if err := stage.Commit(); err != nil {
		stage.Abort()
		return Stats{}, err
	}
	st := Stats{Files: int(files.Load())}
	for _, c := range s.Columns {
		st.Pages = append(st.Pages, ColumnCount{Column: c.Name, Title: c.Title, Pages: len(c.Pages)})
	}
	return st, nil
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

// staticJobs copies the theme's static/ and then the site's static/ (the
// site's file wins), the content's loose files and every bundle's files.
func (g *Generator) staticJobs(s *site.Site) ([]job, error) {
	files := map[string]job{}
	for _, dir := range []string{g.themeDir(&s.Config, "static"), filepath.Join(g.opts.Source, "static")} {
		fsys := dirFS(dir)
		if fsys == nil {
			continue
		}
		err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.Type().IsRegular() && !strings.HasPrefix(d.Name(), ".") && !strings.HasSuffix(p, "_test.js") {
				files[p] = job{rel: p, fsys: fsys, name: p}
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", dir, err)
		}
	}
	contentFS := g.dirFS("content")
	for _, f := range s.Files {
		files[f] = job{rel: f, fsys: contentFS, name: f}
	}
	for _, p := range s.Pages {
		for _, f := range p.Files {
			rel := p.Path + f
			files[rel] = job{rel: rel, fsys: contentFS, name: path.Join(path.Dir(p.Source), f)}
		}
	}
	for _, b := range s.Branches {
		for _, f := range b.Index.Files {
			rel := b.Index.Path + f
			files[rel] = job{rel: rel, fsys: contentFS, name: path.Join(path.Dir(b.Index.Source), f)}
		}
	}
	keys := make([]string, 0, len(files))
	for k := range files {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]job, len(keys))
	for i, k := range keys {
		out[i] = files[k]
	}
	return out, nil
}
