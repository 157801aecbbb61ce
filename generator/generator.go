// Package generator renders a dangwu site: it loads site.yaml and content/
// (package content), renders Markdown (package markdown), executes the theme's
// layouts (package theme) and writes every output (package output), all or
// nothing.
//
// Live keeps a built site up to date as its files change (dangwu serve)
// and as statuses come in (the collector): it renders again only the
// outputs whose inputs changed, and its output always equals a full build.
//
// The generator never imports the collector: statuses reach it as a
// site.Snapshot passed to Build or Live.Render.
package generator

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/dangwu-org/dangwu/generator/content"
	"github.com/dangwu-org/dangwu/generator/markdown"
	"github.com/dangwu-org/dangwu/generator/output"
	"github.com/dangwu-org/dangwu/generator/site"
	"github.com/dangwu-org/dangwu/generator/theme"
)

// Options configure a Generator.
type Options struct {
	// Source is the site folder holding site.yaml and content/.
	Source string
	// Dest is the output folder.
	Dest string
	// Drafts and Future include draft and future pages.
	Drafts, Future bool
	// BaseURL, when set, replaces site.yaml's baseURL.
	BaseURL string
	// ServedAt is the host:port dangwu serve listens on. When set and
	// BaseURL is not, the site's absolute URLs (feeds, calendars, sitemap)
	// point there, keeping baseURL's path: a preview on another port links
	// to itself, not to the configured address.
	ServedAt string
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Warn receives problems that do not fail a build; dropped when nil.
	Warn func(msg string)
	// Workers is the number of pages rendered at once; every core when 0.
	Workers int
	// APIURL is where task forms post; the site's own /api/ when empty.
	APIURL string
	// ThemesDir is the folder holding themes; Source/themes when empty.
	ThemesDir string
	// Pacer, when set, is told how much Markdown a Load read, before it
	// renders it (see PaceGC).
	Pacer *Pacer
}

// Generator renders one site folder. Its methods may be called again to
// rebuild; it holds no state between builds except the Markdown renderer
// and what a Load prepared for the Build of the same site.
type Generator struct {
	opts Options
	md   *markdown.Renderer
	// prep is what the last one-off Load prepared for its Build: the
	// parsed theme and the search index.
	mu   sync.Mutex
	prep *prepared
	// tasks holds which 支部 each task of the last site asks, by unit
	// (units.go).
	tasks taskIndexes
}

// New returns a generator for the options, with defaults filled in.
func New(o Options) *Generator {
	if o.Source == "" {
		o.Source = "."
	}
	if o.Dest == "" {
		o.Dest = filepath.Join(o.Source, "public")
	}
	if o.ThemesDir == "" {
		o.ThemesDir = filepath.Join(o.Source, "themes")
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Warn == nil {
		o.Warn = func(string) {}
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	return &Generator{opts: o, md: markdown.New()}
}

// Options returns the generator's options with defaults filled in.
func (g *Generator) Options() Options { return g.opts }

// Load reads the site and renders its Markdown. The error joins every
// problem found, each naming its file and line.
func (g *Generator) Load(ctx context.Context) (*site.Site, error) {
	return g.load(ctx, nil, nil)
}

// load is Load with caches, which may be nil.
func (g *Generator) load(ctx context.Context, cc *content.Cache, md *mdCache) (*site.Site, error) {
	srcFS := os.DirFS(g.opts.Source)
	oneOff := cc == nil && md == nil
	// A build reports every problem at once: those of site.yaml, of each
	// file's front matter, and of its Markdown (links, shortcodes), so an
	// editor does not fix them one stage at a time.
	cfg, cfgErr := content.LoadConfigWarn(srcFS, "site.yaml", g.opts.Warn)
	if g.opts.BaseURL != "" {
		cfg.BaseURL = g.opts.BaseURL
		if err := cfg.Validate(); err != nil {
			return nil, fmt.Errorf(msgBaseURLFlag, err)
		}
	}
	if g.opts.BaseURL == "" && g.opts.ServedAt != "" && cfgErr == nil {
		cfg.BaseURL = servedURL(g.opts.ServedAt, cfg.BasePath())
	}
	contentFS, err := subDir(g.opts.Source, "content")
	if err != nil {
		return nil, errors.Join(cfgErr, err)
	}
	s, loadErr := content.Load(contentFS, cfg, content.Options{
		Drafts: g.opts.Drafts, Future: g.opts.Future, Now: g.opts.Now(), Prefix: "content", Cache: cc,
		Warn: g.opts.Warn, Workers: g.opts.Workers, DeferBodies: oneOff,
	})
	if s == nil {
		return nil, errors.Join(cfgErr, loadErr)
	}
	g.opts.Pacer.Expect(markdownBytes(s))
	if cfgErr != nil || loadErr != nil {
		md = nil // the caches hold only what a good load rendered
	}
	var ix *indexer
	var th *theme.Theme
	if oneOff && cfgErr == nil && loadErr == nil {
		// A one-off build can index the pages' text as it renders them, so
		// a large site's text is never all in memory, when the theme shows
		// no page's text (see releasable).
		if t, err := g.parseTheme(s); err == nil && releasable(t) {
			ix, th = newIndexer(s), t
		}
	}
	mdErr := g.renderMarkdown(ctx, s, contentFS, md, oneOff, ix)
	if err := content.Merge(cfgErr, loadErr, mdErr); err != nil {
		return nil, err
	}
	if ix != nil && ix.done() {
		g.mu.Lock()
		g.prep = &prepared{site: s, theme: th, index: ix.b}
		g.mu.Unlock()
	}
	return s, nil
}

// markdownBytes is the size of the Markdown of s's pages, kept or left on
// disk to read again.
func markdownBytes(s *site.Site) int64 {
	var n int64
	for _, p := range renderable(s) {
		n += int64(len(p.Body) + p.BodySize)
	}
	return n
}

// prepared is what a one-off Load made ahead for the Build of its site.
type prepared struct {
	site  *site.Site
	theme *theme.Theme
	index *output.SearchBuilder
}

// takePrepared returns what Load prepared for s, once.
func (g *Generator) takePrepared(s *site.Site) *prepared {
	g.mu.Lock()
	defer g.mu.Unlock()
	p := g.prep
	if p == nil || p.site != s {
		return nil
	}
	g.prep = nil
	return p
}

func subDir(root, name string) (fs.FS, error) {
	dir := filepath.Join(root, name)
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf(msgNotAFolder, dir)
	}
	return os.DirFS(dir), nil
}

// Stats summarise a build.
type Stats struct {
	// Pages counts published pages per column, in menu order.
	Pages []ColumnCount
	// Files is the number of files written.
	Files    int
	Duration time.Duration
}

// ColumnCount is a column's number of published pages.
type ColumnCount struct {
	Column string
	Title  string
	Pages  int
}

// Run loads and builds in one step, the way `dangwu build` does.
func (g *Generator) Run(ctx context.Context, snap site.Snapshot) (Stats, error) {
	start := time.Now()
	s, err := g.Load(ctx)
	if err != nil {
		return Stats{}, err
	}
	st, err := g.Build(ctx, s, snap)
	st.Duration = time.Since(start)
	return st, err
}

// servedURL is the base URL of a preview listening on addr (":1313" and
// "0.0.0.0:1313" are reached at 127.0.0.1), with the site's base path.
func servedURL(addr, basePath string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr + basePath
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + basePath
}
