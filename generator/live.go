package generator

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dangwu-org/dangwu/generator/content"
	"github.com/dangwu-org/dangwu/generator/live"
	"github.com/dangwu-org/dangwu/generator/output"
	"github.com/dangwu-org/dangwu/generator/site"
	"github.com/dangwu-org/dangwu/generator/theme"
)

// Live keeps one built site up to date, for `dangwu serve` and for the
// collector's re-renders. The first Update builds everything; each later one
// reads again only the files reported changed, renders again only the
// outputs whose inputs changed (an output's key hashes everything its layout
// can reach, see deps), and writes only the files whose bytes changed. After
// any sequence of updates the destination holds exactly what a fresh Build
// of the same files would.
//
// A failed update changes nothing in the destination. Live is safe for
// concurrent use; its methods run one at a time.
type Live struct {
	g    *Generator
	mu   sync.Mutex
	seed maphash.Seed

	content *content.Cache
	md      *mdCache
	// verifyEdits, set by tests, computes every key after a body edit and
	// fails the update when one that was not computed again changed.
	verifyEdits bool
	// quickUpdates counts the updates that took the quick way, for tests.
	quickUpdates int
	// search is the search index the destination holds, of the pages in
	// searchOrder, when it was made by this Live: an edit of pages' bodies
	// changes only some of its files (see output.EditableIndex).
	search      *output.EditableIndex
	searchOrder []*site.Page
	// list is the outputs of site, the site the destination holds (both
	// change only when a build succeeds), made with listTheme, for the
	// boards of listYears: what they depend on (the time only through the
	// years the board has).
	list      []live.Output
	listTheme *theme.Theme
	listYears []int
	// links resolved the links of the site the destination holds, when
	// the last update succeeded: then an edit of a page's body alone is
	// brought in without loading the site again (see quickUpdate).
	links *linkResolver

	// The parsed theme, and what it was parsed from.
	theme    *theme.Theme
	themeSum uint64
	themeCfg *site.Config
	layouts  map[string]layoutInfo
	// siteTheme and siteLayouts are the theme the last build that
	// succeeded used, with the site it loaded: a status render's. An
	// Update that parsed a new theme and then failed leaves them.
	siteTheme   *theme.Theme
	siteLayouts map[string]layoutInfo

	// What the destination holds.
	built bool
	site  *site.Site
	// current is site, readable without waiting for an update in progress.
	current atomic.Pointer[site.Site]
	own     map[*site.Page]*pageRender
	engine  *live.Engine
	snap    site.Snapshot
	// changed holds, by absolute path, the generation at which a static
	// file or a folder above it was last reported changed.
	changed map[string]uint64
	gen     uint64

	// The clock: clockEpoch counts the transitions passed since the first
	// build, clockAt is when the last was noticed, next the one after it.
	clockEpoch, yearEpoch uint64
	clockAt, next         time.Time
	year                  int
}

// Change reports what an update did.
type Change struct {
	// Written and Removed are the output files written and removed,
	// slash-separated, relative to the destination, sorted.
	Written, Removed []string
	// Rendered counts outputs rendered or copied, some of which may have
	// come out unchanged; Outputs counts the site's outputs.
	Rendered, Outputs int
	// Full is set on the first update, which builds everything.
	Full bool
	// Site is the site now in the destination.
	Site     *site.Site
	Duration time.Duration
}

// NewLive returns a Live for the generator's site and destination. Nothing
// is read or written until the first Update.
func (g *Generator) NewLive() *Live {
	seed := maphash.MakeSeed()
	l := &Live{
		g: g, seed: seed, content: content.NewCache(),
		engine: live.New(seed, g.opts.Workers), changed: map[string]uint64{},
	}
	l.md = newMDCache(l.seed)
	return l
}

// Update brings the destination up to date. paths are the files and
// folders that changed since the last update (as the watcher reports them,
// absolute or relative to the working folder); an update for the clock alone
// passes none. Use Forget when what changed is not known.
//
// Pages and the files they use are written only once every one of them
// rendered, so a broken page or layout changes nothing. notify, when not
// nil, is then called with what changed so far, before the data files no
// page shows (feeds, sitemap, the search index, which is large) are made by
// code from the same data and written: a browser showing a page can reload
// while they are. The Change returned covers everything.
func (l *Live) Update(ctx context.Context, notify func(Change), paths ...string) (Change, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if ch, ok, err := l.quickUpdate(ctx, notify, paths); ok {
		return ch, err
	}
	start := time.Now()
	l.links = nil
	l.note(paths)
	s, err := l.g.load(ctx, l.content, l.md)
	if err != nil {
		return Change{}, err
	}
	l.md.prune()
	own, links := l.md.renders, l.md.links
	ch, err := l.apply(ctx, s, own, notify)
	ch.Duration = time.Since(start)
	if err == nil {
		l.links = links
	}
	return ch, err
}

// Site is the site the destination holds now, nil before the first build.
// It does not wait for an update in progress.
func (l *Live) Site() *site.Site { return l.current.Load() }

// Forget makes the next Update read every file again, for when changes may
// have been missed.
func (l *Live) Forget() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.content.ForgetAll()
	l.links = nil
	l.gen++
	l.changed[""] = l.gen
}

// Render sets the statuses the site shows, from the site as last loaded.
// It is how the collector feeds statuses back.
//
// With no paths it writes again every output that shows statuses. With
// paths (relative to the site root: "tasks/zongjie/", "calendar.ics"), only
// the outputs at those paths are keyed and rendered, nothing else: the
// caller names the outputs that show what changed (collector/publish maps a
// commit's (task, period, branch) to them). The outputs it did not name
// keep what they show; the next Update renders any of them that differ.
func (l *Live) Render(ctx context.Context, snap site.Snapshot, paths ...string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.site == nil {
		return errors.New("render: the site has not been built yet")
	}
	l.snap = snap
	var only map[string]bool
	if len(paths) > 0 {
		only = make(map[string]bool, len(paths))
	}
	for _, p := range paths {
		p = strings.TrimPrefix(p, "/")
		if p == "" || strings.HasSuffix(p, "/") {
			p += "index.html"
		}
		only[p] = true
	}
	_, err := l.applyOnly(ctx, l.site, l.own, nil, only, nil, true)
	return err
}

// NextChange is the next instant at which the clock alone changes the site
// (a page's publish or expiry date, a task's opening or deadline, a new
// year), or zero when there is none. An Update then brings it in.
func (l *Live) NextChange() time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.site == nil {
		return time.Time{}
	}
	next := nextYear(l.clockAt, l.site.Location)
	if !l.next.IsZero() && l.next.Before(next) {
		next = l.next
	}
	return next
}

// note records reported changes: content files are forgotten by the cache,
// other files get a new generation.
func (l *Live) note(paths []string) {
	if len(paths) == 0 {
		return
	}
	l.gen++
	contentDir := absPath(filepath.Join(l.g.opts.Source, "content"))
	var forget []string
	for _, p := range paths {
		p = absPath(p)
		if rel, err := filepath.Rel(contentDir, p); err == nil && !strings.HasPrefix(rel, "..") {
			forget = append(forget, filepath.ToSlash(rel))
			if filepath.Ext(p) == ".md" {
				continue // the cache has it; only other files are copied
			}
		}
		l.changed[p] = l.gen
	}
	l.content.Forget(forget...)
	// Forget the generations of paths that are gone, such as editors'
	// temporary files, so that a long session does not pile them up.
	for p := range l.changed {
		if _, err := os.Lstat(p); p != "" && err != nil {
			delete(l.changed, p)
		}
	}
}

// version is the generation at which src, or a folder above it, last changed.
func (l *Live) version(src string) uint64 {
	v := l.changed[""]
	for p := src; ; {
		if g, ok := l.changed[p]; ok && g > v {
			v = g
		}
		parent := filepath.Dir(p)
		if parent == p {
			return v
		}
		p = parent
	}
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return filepath.Clean(p)
}

// apply renders s into the destination: everything the first time, then
// only what changed.
func (l *Live) apply(ctx context.Context, s *site.Site, own map[*site.Page]*pageRender, notify func(Change)) (Change, error) {
	return l.applyOnly(ctx, s, own, notify, nil, nil, false)
}

// applyOnly is apply limited, when only is not nil, to the outputs at
// those paths (after the first build): nothing else is keyed, rendered or
// removed. With edits (see quickUpdate), the site is the one the
// destination holds with only the bodies of some pages changed: its list
// of outputs is the last one, and only the outputs that read those pages
// are keyed again. With lastTheme (a status render), the theme is the one
// the last build that succeeded used: the site is the one it loaded, and
// its files are read again only by Update; reading and hashing every
// theme file for a status render, several a second under load, was a
// tenth of the render (issue 11).
func (l *Live) applyOnly(ctx context.Context, s *site.Site, own map[*site.Page]*pageRender, notify func(Change), only map[string]bool, edits *bodyEdits, lastTheme bool) (Change, error) {
	th, layouts := l.siteTheme, l.siteLayouts
	var err error
	if !lastTheme || th == nil {
		if th, layouts, err = l.themeFor(s); err != nil {
			return Change{}, err
		}
	}
	r := l.g.rendererWith(s, l.snap, th)
	r.reach = layouts
	if l.search != nil {
		r.searchEdit = &searchEdit{index: l.search, order: l.searchOrder}
		if edits != nil {
			r.searchEdit.old = edits.old
		}
	}
	// The list of outputs is the last one for an edit of bodies (the same
	// pages) and for a status render (the same site): listing every
	// output of a 10,000-page site again was most of a status render of
	// a few of them (issue 11).
	years := site.BoardYears(s, r.snap.Now)
	var outs []live.Output
	if l.list != nil && l.listTheme == th && slices.Equal(l.listYears, years) && (edits != nil || lastTheme) {
		outs = l.list
	} else if outs, err = r.outputs(); err != nil {
		return Change{}, err
	}
	partial := only != nil && l.built
	if partial {
		// Into a new slice: outs may be the kept list.
		var named []live.Output
		for _, o := range outs {
			if only[o.Rel] {
				named = append(named, o)
			}
		}
		outs = named
	}
	clock := l.tick(s)
	k := &keyer{seed: l.seed, s: s, own: own, memo: map[memoKey]uint64{}, layouts: layouts,
		clock: clock.epoch, year: l.yearEpoch, version: l.version, edits: edits}
	if clock.yearChanged {
		k.year++
	}
	k.init(l.g.opts, r.api)
	k.clock = hashSnapshot(l.seed, clock.epoch, r.snap, true)
	k.now = hashSnapshot(l.seed, clock.epoch, site.Snapshot{Now: r.snap.Now}, true)
	k.status = hashSnapshot(l.seed, 0, r.snap, false)
	k.prepare()
	keys := l.engine.Keys(outs, k)
	if edits != nil && l.verifyEdits {
		k.edits = nil
		for i := range outs {
			if k.Key(&outs[i]) != keys[i] {
				return Change{}, fmt.Errorf("%s: an edit of a page's body changed its key, which was not computed again", outs[i].Rel)
			}
		}
	}
	var ch Change
	if !l.built {
		ch, err = l.buildAll(ctx, r, outs, keys)
	} else {
		ch, err = l.buildChanged(ctx, r, outs, keys, notify, partial)
	}
	if err != nil {
		l.search = nil // it may have taken this update's changes
		return Change{}, err
	}
	l.built, l.site, l.own = true, s, own
	l.siteTheme, l.siteLayouts = th, layouts
	if r.search.index != nil {
		l.search, l.searchOrder = r.search.index, r.search.order
	}
	l.current.Store(s)
	if !partial {
		l.list, l.listTheme, l.listYears = outs, th, years
	}
	if partial {
		// The clock is not moved on: a transition it noticed is for the
		// next full update to bring to every output that shows the time.
		return ch, nil
	}
	l.clockEpoch, l.clockAt, l.next = clock.epoch, clock.at, clock.next
	l.year = clock.year
	if clock.yearChanged {
		l.yearEpoch++
	}
	ch.Site, ch.Outputs = s, len(outs)
	return ch, nil
}

// themeFor returns the parsed theme for s, parsing it again only when a
// layout file or the configuration changed.
func (l *Live) themeFor(s *site.Site) (*theme.Theme, map[string]layoutInfo, error) {
	layers := l.g.themeLayers(&s.Config)
	h := &hasher{}
	h.SetSeed(l.seed)
	fmt.Fprintf(h, "%#v\x00", s.Config)
	for _, layer := range layers {
		h.str(layer.Name)
		if err := hashTree(h, layer.FS); err != nil {
			return nil, nil, fmt.Errorf("read %s: %w", layer.Name, err)
		}
	}
	sum := h.Sum64()
	if l.theme != nil && sum == l.themeSum {
		return l.theme, l.layouts, nil
	}
	// The template functions keep a pointer to the configuration: give
	// them one of their own, not the site's, which is replaced each build.
	cfg := s.Config
	if dirFS(l.g.themeDir(&cfg, "layouts")) == nil {
		return nil, nil, fmt.Errorf("site.yaml: theme: %s has no layouts folder", l.g.themeDir(&cfg, ""))
	}
	th, err := theme.Parse(layers, theme.Funcs(&cfg, s.Location))
	if err != nil {
		return nil, nil, err
	}
	for _, w := range th.Warnings() {
		l.g.opts.Warn(w)
	}
	layouts := map[string]layoutInfo{}
	for _, name := range th.Layouts() {
		r := th.Reach(name)
		layouts[name] = layoutInfo{digest: r.Digest, deps: classify(r)}
	}
	l.theme, l.themeSum, l.themeCfg, l.layouts = th, sum, &cfg, layouts
	return th, layouts, nil
}

// buildAll renders every output into a new folder that replaces the
// destination.
func (l *Live) buildAll(ctx context.Context, r *renderer, outs []live.Output, keys []live.Key) (Change, error) {
	sums := make([]uint64, len(outs))
	if _, err := l.g.writeAll(ctx, r, outs, func(i int, b []byte) { sums[i] = l.engine.Sum(b) }); err != nil {
		return Change{}, err
	}
	l.engine.Replace(outs, keys, sums)
	ch := Change{Full: true, Rendered: len(outs)}
	for _, o := range outs {
		ch.Written = append(ch.Written, o.Rel)
	}
	sort.Strings(ch.Written)
	return ch, nil
}

// buildChanged renders the outputs whose keys changed, writes those whose
// bytes changed and removes the outputs that are gone (see
// live.Engine.Update): pages new to the destination first, then the other
// pages and the files they use; then notify is called; then the data files
// no page shows (feeds, sitemap, search index, which code makes from the
// same data without layouts) and the pages that changed only because time
// passed. Nothing stays written unless every page rendered.
func (l *Live) buildChanged(ctx context.Context, r *renderer, outs []live.Output, keys []live.Key, notify func(Change), partial bool) (Change, error) {
	dir, err := output.OpenFolder(l.g.opts.Dest)
	if err != nil {
		return Change{}, err
	}
	defer dir.Close()
	var first func(live.Result)
	if notify != nil {
		first = func(res live.Result) {
			notify(Change{Written: res.Written, Removed: res.Removed, Rendered: res.Rendered, Site: r.s, Outputs: len(outs)})
		}
	}
	res, err := l.engine.Update(ctx, outs, keys, r, dir, partial, first)
	return Change{Written: res.Written, Removed: res.Removed, Rendered: res.Rendered}, err
}

// hashTree hashes the names and contents of every file under fsys.
func hashTree(h *hasher, fsys fs.FS) error {
	return fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		h.str(p)
		h.u64(uint64(len(b)))
		h.Write(b)
		return nil
	})
}
