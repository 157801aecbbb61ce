package content

import (
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"path"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"gopkg.in/yaml.v2"

	"github.com/dangwu-org/dangwu/generator/site"
	"github.com/dangwu-org/dangwu/generator/textenc"
)

// Options control which pages a load publishes.
type Options struct {
	// Drafts and Future include draft and future pages.
	Drafts, Future bool
	// Now decides what is future or expired.
	Now time.Time
	// Prefix is put before file paths in diagnostics: "content".
	Prefix string
	// Cache, when set, keeps decoded files between loads; see Cache.
	Cache *Cache
	// Warn receives each problem that does not fail the load ("file:line:
	// 警告：…"), in file and line order; dropped when nil.
	Warn func(msg string)
	// Workers is how many files are read and parsed at once without a
	// Cache; every core when 0.
	Workers int
	// DeferBodies, without a Cache, leaves each page's Body out once its
	// front matter is decoded, recording BodySize and BodySum to read it
	// again with ReadBody when it is rendered: a one-off build then never
	// holds every page's Markdown at once.
	DeferBodies bool
}

// LoadConfig reads a site.yaml from fsys strictly over DefaultConfig: an
// unknown or mistyped key is an error naming the file, line and key. A
// missing file gives the defaults.
func LoadConfig(fsys fs.FS, name string) (site.Config, error) {
	return LoadConfigWarn(fsys, name, nil)
}

// LoadConfigWarn is LoadConfig that passes warn the problems that do not
// fail it: a site.yaml saved as GB18030 or UTF-16 is converted, with a warning.
func LoadConfigWarn(fsys fs.FS, name string, warn func(string)) (site.Config, error) {
	cfg := site.DefaultConfig()
	b, err := fs.ReadFile(fsys, name)
	if errors.Is(err, fs.ErrNotExist) {
		return cfg, cfg.Validate()
	}
	if err != nil {
		return cfg, err
	}
	b, enc, err := textenc.Decode(b)
	if err != nil {
		var e *textenc.Error
		errors.As(err, &e)
		return cfg, fmt.Errorf("%s:%d: %w", name, e.Line, err)
	}
	if enc.Converted() && warn != nil {
		warn(textenc.Warning(name, enc))
	}
	if err := yaml.UnmarshalStrict(b, &cfg); err != nil {
		var terr *yaml.TypeError
		if errors.As(err, &terr) {
			errs := make([]error, len(terr.Errors))
			for i, e := range terr.Errors {
				line, msg, _ := strings.Cut(strings.TrimPrefix(e, "line "), ": ")
				errs[i] = fmt.Errorf("%s:%s: %s", name, line, configMsg(msg))
			}
			return cfg, errors.Join(errs...)
		}
		line := ""
		if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
			line = ":" + m[1]
		}
		return cfg, fmt.Errorf("%s%s: "+msgConfigSyntax, name, line, yamlMsg(err))
	}
	if err := cfg.Validate(); err != nil {
		return cfg, fmt.Errorf("%s: %w", name, err)
	}
	return cfg, nil
}

// Load reads the content tree in fsys. Every problem found is returned,
// joined, each naming its file and line, in file and line order. The site
// is returned with the error too (nil only when the tree cannot be read),
// so that the caller can look for more problems in it (links, Markdown)
// and report them all at once; it must not be published then.
func Load(fsys fs.FS, cfg site.Config, opts Options) (*site.Site, error) {
	l := &loader{
		fsys: fsys, cfg: cfg, opts: opts, loc: cfg.Location(),
		all:    map[string]*site.Page{},
		bundle: map[string]bool{},
	}
	c := opts.Cache
	if c != nil {
		c.begin(cfg.TimeZone)
		l.seen = map[string]bool{}
		if tree, ok := c.replayable(fsys); ok {
			l.all = make(map[string]*site.Page, len(tree))
			l.seen = nil // the files are the ones the cache holds
			l.order = make([]string, 0, len(tree))
			l.slab = make([]site.Page, 0, len(tree))
			l.replay(tree)
		} else {
			l.tree = []treeEntry{}
			if err := l.walk(); err != nil {
				c.setTree(nil)
				return nil, err
			}
			c.setTree(l.tree)
			c.keep(l.seen)
		}
	} else {
		l.jobs = []pageJob{}
		if err := l.walk(); err != nil {
			return nil, err
		}
		l.readAll()
	}
	s := l.assemble()
	if l.opts.Warn != nil {
		for _, w := range l.diags.Warnings() {
			l.opts.Warn(w)
		}
	}
	return s, l.diags.Err()
}

type loader struct {
	fsys   fs.FS
	cfg    site.Config
	opts   Options
	loc    *time.Location
	diags  Diagnostics
	all    map[string]*site.Page // by source path
	bundle map[string]bool       // bundle folders
	files  []string              // loose non-Markdown files
	order  []string              // sources in walk order
	seen   map[string]bool       // Markdown files walked, when caching
	tree   []treeEntry           // what the walk found, when caching
	// jobs, when not nil, collects the Markdown files the walk finds, to
	// be read and parsed in parallel after it (see readAll).
	jobs []pageJob
	// slab, when replaying, holds the copies of the cached pages: one
	// allocation for them all, not one each.
	slab []site.Page
}

// pageJob is a Markdown file to load, with its bundle's other files.
type pageJob struct {
	src   string
	files []string
}

// replay loads the files a previous walk found, in its order.
func (l *loader) replay(tree []treeEntry) {
	for _, e := range tree {
		switch e.kind {
		case treePage:
			l.loadPage(e.path, nil)
		case treeBundle:
			l.bundle[path.Dir(e.path)] = true
			l.loadPage(e.path, e.bundle)
		case treeFile:
			l.files = append(l.files, e.path)
		}
	}
}

func (l *loader) file(src string) string { return path.Join(l.opts.Prefix, src) }

func (l *loader) walk() error {
	err := fs.WalkDir(l.fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if p != "." && (strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~")) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if p != "." && exists(l.fsys, path.Join(p, "index.md")) {
				l.bundle[p] = true
				return l.loadBundle(p)
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		if path.Ext(name) != ".md" {
			l.files = append(l.files, p)
			l.record(treeEntry{kind: treeFile, path: p})
			return nil
		}
		l.loadPage(p, nil)
		l.record(treeEntry{kind: treePage, path: p})
		return nil
	})
	if err != nil {
		return fmt.Errorf("read %s: %w", l.opts.Prefix, err)
	}
	return nil
}

// loadBundle loads dir/index.md and lists the bundle's other files.
func (l *loader) loadBundle(dir string) error {
	files := []string{}
	err := fs.WalkDir(l.fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == dir || d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		rel := strings.TrimPrefix(p, dir+"/")
		if rel != "index.md" && d.Type().IsRegular() {
			files = append(files, rel)
		}
		return nil
	})
	if err != nil {
		return err
	}
	l.loadPage(path.Join(dir, "index.md"), files)
	l.record(treeEntry{kind: treeBundle, path: path.Join(dir, "index.md"), bundle: files})
	return fs.SkipDir
}

func (l *loader) record(e treeEntry) {
	if l.tree != nil {
		l.tree = append(l.tree, e)
	}
}

func exists(fsys fs.FS, name string) bool {
	fi, err := fs.Stat(fsys, name)
	return err == nil && fi.Mode().IsRegular()
}

// loadPage parses one Markdown file into a page, or takes it from the cache.
// While the walk collects jobs, it only notes the file.
func (l *loader) loadPage(src string, bundleFiles []string) {
	if l.jobs != nil {
		l.jobs = append(l.jobs, pageJob{src: src, files: bundleFiles})
		return
	}
	c := l.opts.Cache
	if c == nil {
		l.add(src, l.readPage(src, bundleFiles))
		return
	}
	if l.seen != nil {
		l.seen[src] = true
	}
	if e := c.lookup(src, bundleFiles); e != nil {
		l.diags = append(l.diags, e.diags...)
		if e.page != nil && len(l.slab) < cap(l.slab) {
			l.slab = append(l.slab, *e.page)
			l.add(src, &l.slab[len(l.slab)-1])
		} else if e.page != nil {
			page := *e.page
			l.add(src, &page)
		}
		return
	}
	first := len(l.diags)
	var data []byte
	page := l.readPageData(src, bundleFiles, &data)
	e := &cached{bundle: bundleFiles, diags: slices.Clone(l.diags[first:]), digest: c.digest(data, bundleFiles, page)}
	if page != nil {
		page.Digest = e.digest
		pristine := *page
		e.page = &pristine
	}
	c.store(src, e)
	l.add(src, page)
}

// readAll reads and parses the collected files on the workers, then adds
// the pages, their problems and their warnings in walk order, as loading
// them one by one would: reading ten thousand files and decoding their
// front matter is a second of CPU that one core would spend alone.
func (l *loader) readAll() {
	jobs := l.jobs
	l.jobs = nil
	type result struct {
		page  *site.Page
		diags Diagnostics
		warns []string
	}
	results := make([]result, len(jobs))
	workers := l.opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < min(workers, len(jobs)); w++ {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(jobs) {
					return
				}
				r := &results[i]
				// A loader of its own for the file: the shared one's
				// problems and warnings are not safe to add to at once.
				one := &loader{fsys: l.fsys, opts: l.opts, loc: l.loc}
				if l.opts.Warn != nil {
					one.opts.Warn = func(msg string) { r.warns = append(r.warns, msg) }
				}
				r.page = one.readPage(jobs[i].src, jobs[i].files)
				r.diags = one.diags
			}
		})
	}
	wg.Wait()
	for i, r := range results {
		l.diags = append(l.diags, r.diags...)
		for _, w := range r.warns {
			l.opts.Warn(w)
		}
		l.add(jobs[i].src, r.page)
	}
}

func (l *loader) add(src string, page *site.Page) {
	if page == nil {
		return
	}
	l.all[src] = page
	l.order = append(l.order, src)
}

func (l *loader) readPage(src string, bundleFiles []string) *site.Page {
	var data []byte
	return l.readPageData(src, bundleFiles, &data)
}

// readPageData reads, parses and decodes src, leaving the file's bytes in
// data; nil when the file cannot be read, a stand-in with nil Params when
// its front matter cannot be parsed. Problems are recorded.
func (l *loader) readPageData(src string, bundleFiles []string, data *[]byte) *site.Page {
	b, err := fs.ReadFile(l.fsys, src)
	if err != nil {
		l.diags.Add(l.file(src), 0, msgRead, err)
		return nil
	}
	*data = b
	b, enc, err := textenc.Decode(b)
	if err != nil {
		var e *textenc.Error
		errors.As(err, &e)
		l.diags.Add(l.file(src), e.Line, "%v", err)
		return nil
	}
	if enc.Converted() && l.opts.Warn != nil {
		l.opts.Warn(textenc.Warning(l.file(src), enc))
	}
	p, line, err := parseFile(b)
	if err != nil {
		l.diags.Add(l.file(src), line, "%v", err)
		// A stand-in with no front matter and no body keeps the file's
		// URL known, so that links to it are not reported as well.
		stub := l.decodePage(src, &parsed{bodyLine: 1}, bundleFiles)
		stub.Params = nil
		return stub
	}
	page := l.decodePage(src, p, bundleFiles)
	if page != nil && l.opts.DeferBodies && l.opts.Cache == nil && len(page.Body) > 0 && bytes.HasSuffix(b, page.Body) {
		page.BodySize, page.BodySum = len(page.Body), crc32.Checksum(page.Body, castagnoli)
		page.Body = nil
	}
	return page
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

var errChanged = errors.New(msgChanged)

// ReadBody returns p's Body, reading it again from fsys (the content
// folder) when a load deferred it. It fails when the file changed since
// the load: its front matter would no longer be the one decoded.
func ReadBody(fsys fs.FS, p *site.Page) ([]byte, error) {
	if p.Body != nil || p.BodySize == 0 {
		return p.Body, nil
	}
	b, err := fs.ReadFile(fsys, p.Source)
	if err != nil {
		return nil, err
	}
	if b, _, err = textenc.Decode(b); err != nil {
		return nil, err
	}
	if len(b) < p.BodySize {
		return nil, errChanged
	}
	body := b[len(b)-p.BodySize:]
	if crc32.Checksum(body, castagnoli) != p.BodySum {
		return nil, errChanged
	}
	return body, nil
}

// configKeys are site.yaml's keys, for suggestions.
var configKeys = []string{"title", "description", "baseURL", "languageCode", "timeZone", "theme", "paginate",
	"summaryLength", "organization", "address", "phone", "copyright", "footer", "tocMinHeadings",
	"assessment", "collector", "markup", "late", "missing", "url", "allowedOrigins", "html"}

var (
	configUnknown = regexp.MustCompile("^field (\\S+) not found in type")
	configType    = regexp.MustCompile("^cannot unmarshal !!(\\w+) `(.*)` into (\\S+)$")
)

// configMsg turns one of yaml.v2's decoding messages into Chinese.
func configMsg(msg string) string {
	if m := configUnknown.FindStringSubmatch(msg); m != nil {
		if near := suggest(m[1], configKeys); near != "" {
			return fmt.Sprintf(msgConfigUnknownNear, m[1], near)
		}
		return fmt.Sprintf(msgConfigUnknown, m[1])
	}
	if m := configType.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf(msgConfigType, fmt.Sprintf("%s 不是%s", m[2], yamlTypeName(m[3])))
	}
	return fmt.Sprintf(msgConfigType, msg)
}

func yamlTypeName(goType string) string {
	switch {
	case strings.HasPrefix(goType, "int") || strings.HasPrefix(goType, "uint"):
		return "整数"
	case strings.HasPrefix(goType, "float"):
		return "数字"
	case goType == "bool":
		return " true 或 false"
	case goType == "string":
		return "文字"
	case strings.HasPrefix(goType, "[]"):
		return "列表"
	}
	return "所需的类型（" + goType + "）"
}
