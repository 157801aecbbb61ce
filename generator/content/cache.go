package content

import (
	"hash/maphash"
	"io/fs"
	"path"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/dangwu-org/dangwu/generator/site"
)

// Cache remembers every Markdown file a Load read, parsed and decoded, so
// that the next Load with the same Cache reads again only the files its
// caller reported with Forget. It is what lets `dangwu serve` reload a site
// of ten thousand pages in a few milliseconds.
//
// The cache trusts its caller: a file that changed on disk but was not
// passed to Forget is taken from memory. Files that disappeared are noticed
// by the walk itself. Load calls are serialized by the caller.
type Cache struct {
	mu    sync.Mutex
	seed  maphash.Seed
	zone  string // the time zone the entries were decoded in
	files map[string]*cached
	// tree is what the last walk found, in order, and known the paths of
	// its files: a load replays it instead of walking again while every
	// path forgotten since (pending) is a file it knows that still exists,
	// that is while no file was created, removed or renamed.
	tree    []treeEntry
	known   map[string]bool
	pending []string
	stale   bool
	// pages are the tree's pages that are no bundle's, dirs the folders
	// they are in (and the root), bundles the bundles' folders.
	pages, dirs, bundles map[string]bool
	// orders is how the last load ordered its pages.
	orders *orders
}

// treeEntry is one thing a walk of content/ found.
type treeEntry struct {
	kind   int
	path   string   // the file; a bundle's index.md
	bundle []string // a bundle's other files
}

const (
	treePage   = iota // a Markdown page
	treeBundle        // a bundle's index.md
	treeFile          // a file that belongs to no bundle
)

// cached is one file as the last Load that read it left it.
type cached struct {
	// bundle is the list of a bundle's other files the page was decoded with
	// (nil for a page that is not a bundle).
	bundle []string
	// page is the decoded page before assembly, nil when the file has errors.
	page   *site.Page
	diags  Diagnostics
	digest uint64
}

// NewCache returns an empty cache.
func NewCache() *Cache {
	return &Cache{seed: maphash.MakeSeed(), files: map[string]*cached{}}
}

// Forget drops what the cache knows about the files at the given paths,
// relative to content/ and slash-separated. A folder's path forgets every
// file under it, and a file inside a bundle forgets the bundle's index.md,
// whose attachments' sizes it may change.
func (c *Cache) Forget(paths ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, p := range paths {
		p = strings.Trim(p, "/")
		if p == "" || p == "." {
			clear(c.files)
			c.stale = true
			return
		}
		c.pending = append(c.pending, p)
		delete(c.files, p)
		for src := range c.files {
			if strings.HasPrefix(src, p+"/") {
				delete(c.files, src)
			}
		}
		for dir := parentDir(p); dir != ""; dir = parentDir(dir) {
			delete(c.files, dir+"/index.md")
		}
	}
}

// ForgetAll empties the cache.
func (c *Cache) ForgetAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.files)
	c.stale = true
}

// replayable returns the last walk when a load may replay it: every file
// forgotten since is one it found and is still a file, a Markdown page it
// did not find in a folder it walked (not in a bundle, and no bundle's
// index.md), which it then adds, or a page it found that is gone, which it
// then drops. Anything else (a new folder, a new bundle, a file gone from
// a bundle) makes the load walk again.
func (c *Cache) replayable(fsys fs.FS) ([]treeEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stale || c.tree == nil {
		return nil, false
	}
	var add []string
	drop := map[string]bool{}
	for _, p := range c.pending {
		fi, err := fs.Stat(fsys, p)
		isFile := err == nil && fi.Mode().IsRegular()
		switch {
		case c.known[p] && isFile:
		case c.known[p] && err != nil && c.pages[p]:
			drop[p] = true
		case !c.known[p] && isFile && c.newPage(p):
			add = append(add, p)
		default:
			return nil, false
		}
	}
	if len(add) > 0 || len(drop) > 0 {
		tree := make([]treeEntry, 0, len(c.tree)+len(add))
		for _, e := range c.tree {
			if !drop[e.path] {
				tree = append(tree, e)
			}
		}
		for _, p := range add {
			if c.known[p] {
				continue
			}
			// Where a walk finds it: then the pages stay in order and
			// need no sorting.
			at, _ := slices.BinarySearchFunc(tree, p, func(e treeEntry, p string) int { return walkCompare(e.path, p) })
			tree = slices.Insert(tree, at, treeEntry{kind: treePage, path: p})
		}
		c.setTreeLocked(tree)
	}
	c.pending = c.pending[:0]
	return c.tree, true
}

// newPage reports whether p, a file the last walk did not find, is a
// Markdown page a walk would load as one on its own: in a folder the walk
// found pages in, not in a bundle, not hidden and not a bundle's index.md.
func (c *Cache) newPage(p string) bool {
	name := path.Base(p)
	if path.Ext(name) != ".md" || name == "index.md" || strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") {
		return false
	}
	if !c.dirs[path.Dir(p)] {
		return false
	}
	for dir := path.Dir(p); dir != "." && dir != ""; dir = path.Dir(dir) {
		if c.bundles[dir] || strings.HasPrefix(path.Base(dir), ".") {
			return false
		}
	}
	return true
}

func (c *Cache) lastOrders() *orders {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.orders
}

func (c *Cache) setOrders(o *orders) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.orders = o
}

// setTree records what a walk found; nil when it failed.
func (c *Cache) setTree(tree []treeEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.setTreeLocked(tree)
	c.pending, c.stale = c.pending[:0], false
}

func (c *Cache) setTreeLocked(tree []treeEntry) {
	c.tree = tree
	c.known = make(map[string]bool, len(tree))
	c.pages = make(map[string]bool, len(tree))
	c.dirs, c.bundles = map[string]bool{".": true}, map[string]bool{}
	for _, e := range tree {
		c.known[e.path] = true
		switch e.kind {
		case treePage:
			c.pages[e.path] = true
			c.dirs[path.Dir(e.path)] = true
		case treeBundle:
			c.bundles[path.Dir(e.path)] = true
		}
		for _, f := range e.bundle {
			c.known[path.Join(path.Dir(e.path), f)] = true
		}
	}
}

// Digest identifies the bytes the page at src was last loaded from (its
// file, and a bundle's list of files): two loads through this cache that
// give the same digest decoded the same input. ok is false for a file the
// cache does not hold.
func (c *Cache) Digest(src string) (digest uint64, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.files[src]
	if !ok {
		return 0, false
	}
	return e.digest, true
}

// Len is the number of files the cache holds.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.files)
}

// begin prepares the cache for a load in the given time zone: dates were
// decoded in the old zone, so a new zone forgets everything.
func (c *Cache) begin(zone string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if zone != c.zone {
		clear(c.files)
		c.zone = zone
		c.stale = true
	}
}

// lookup returns the entry for src when it was decoded with the same bundle
// files.
func (c *Cache) lookup(src string, bundle []string) *cached {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.files[src]
	if !ok || (e.bundle == nil) != (bundle == nil) || !slices.Equal(e.bundle, bundle) {
		return nil
	}
	return e
}

func (c *Cache) store(src string, e *cached) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.files[src] = e
}

// keep drops every entry whose file the last walk did not see.
func (c *Cache) keep(seen map[string]bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for src := range c.files {
		if !seen[src] {
			delete(c.files, src)
		}
	}
}

// digest hashes a file's bytes with what else its page was decoded from:
// a bundle's files and the sizes of its attachments.
func (c *Cache) digest(data []byte, bundle []string, page *site.Page) uint64 {
	var h maphash.Hash
	h.SetSeed(c.seed)
	h.Write(data)
	if bundle != nil {
		h.WriteByte(1)
		for _, f := range bundle {
			h.WriteString(f)
			h.WriteByte(0)
		}
	}
	if page != nil {
		for _, a := range page.Attachments {
			maphash.WriteComparable(&h, a.Size)
		}
	}
	return h.Sum64()
}

// walkCompare orders slash-separated paths as fs.WalkDir visits them:
// by their first differing element.
func walkCompare(a, b string) int {
	for {
		x, restA, moreA := strings.Cut(a, "/")
		y, restB, moreB := strings.Cut(b, "/")
		if c := strings.Compare(x, y); c != 0 || !moreA || !moreB {
			if c == 0 {
				return cmpBool(moreA, moreB)
			}
			return c
		}
		a, b = restA, restB
	}
}

// cmpBool orders false before true.
func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

func parentDir(p string) string {
	i := strings.LastIndexByte(p, '/')
	if i < 0 {
		return ""
	}
	return p[:i]
}

// Reread reads again the Markdown file src (relative to content/,
// slash-separated), which a load through c read before, and reports
// whether its body alone changed: then it returns the page as decoded
// now (before assembly, like Load's, with its new Body and Digest) and
// keeps it in the cache in place of the old. ok is false, and the cache
// unchanged, when the file is not one the cache holds as a page without
// problems, cannot be read, or reads with problems, or when anything but
// its body changed (its front matter, or a title taken from the body's
// first heading): the caller loads the site again instead.
//
// Nothing else of the site depends on a page's body alone, so a caller
// may put the new body on the page it holds and render only that page's
// Markdown again.
func (c *Cache) Reread(fsys fs.FS, cfg site.Config, opts Options, src string) (page *site.Page, ok bool) {
	c.mu.Lock()
	e, held := c.files[src]
	zone := c.zone
	c.mu.Unlock()
	if !held || e.page == nil || len(e.diags) > 0 || zone != cfg.TimeZone {
		return nil, false
	}
	l := &loader{fsys: fsys, cfg: cfg, opts: opts, loc: cfg.Location()}
	var data []byte
	p := l.readPageData(src, e.bundle, &data)
	if p == nil || len(l.diags) > 0 || p.Params == nil {
		return nil, false
	}
	if !sameButBody(p, e.page) {
		return nil, false
	}
	p.Digest = c.digest(data, e.bundle, p)
	pristine := *p
	c.store(src, &cached{bundle: e.bundle, page: &pristine, digest: p.Digest})
	return p, true
}

// sameButBody reports whether two decoded pages differ in their body at
// most.
func sameButBody(a, b *site.Page) bool {
	x, y := *a, *b
	x.Body, y.Body, x.Digest, y.Digest = nil, nil, 0, 0
	// Times are compared as instants in a zone of the same name: a
	// *time.Location caches the zone it last looked up.
	for _, t := range [][2]*time.Time{{&x.Date, &y.Date}, {&x.Lastmod, &y.Lastmod},
		{&x.PublishDate, &y.PublishDate}, {&x.ExpiryDate, &y.ExpiryDate}} {
		if !t[0].Equal(*t[1]) || t[0].Location().String() != t[1].Location().String() {
			return false
		}
		*t[0], *t[1] = time.Time{}, time.Time{}
	}
	return reflect.DeepEqual(&x, &y)
}
