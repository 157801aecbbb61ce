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
	// list is the outputs of the site the destination holds, made with
	// listTheme, for the board of listYear.
	list      []outFile
	listTheme *theme.Theme
	listYear  int
	// links resolved the links of the site the destination holds, when
	// the last update succeeded: then an edit of a page's body alone is
	// brought in without loading the site again (see quickUpdate).
	links *linkResolver

	// The parsed theme, and what it was parsed from.
	theme    *theme.Theme
	themeSum uint64
	themeCfg *site.Config
	layouts  map[string]layoutInfo

	// What the destination holds.
	built bool
	site  *site.Site
	// current is site, readable without waiting for an update in progress.
	current atomic.Pointer[site.Site]
	own     map[*site.Page]*pageRender
	outs    map[string]outState
	force   map[string]bool
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

// outState is what the destination holds for one output.
type outState struct {
	key   uint64 // what it was made from
	clock uint64 // the time and statuses it shows, for pages that show them
	sum   uint64 // its bytes
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
	l := &Live{
		g: g, seed: maphash.MakeSeed(), content: content.NewCache(),
		outs: map[string]outState{}, force: map[string]bool{}, changed: map[string]uint64{},
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
	_, err := l.applyOnly(ctx, l.site, l.own, nil, only, nil)
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
	return l.applyOnly(ctx, s, own, notify, nil, nil)
}

// applyOnly is apply limited, when only is not nil, to the outputs at
// those paths (after the first build): nothing else is keyed, rendered or
// removed. With edits (see quickUpdate), the site is the one the
// destination holds with only the bodies of some pages changed: its list
// of outputs is the last one, and only the outputs that read those pages
// are keyed again.
func (l *Live) applyOnly(ctx context.Context, s *site.Site, own map[*site.Page]*pageRender, notify func(Change), only map[string]bool, edits *bodyEdits) (Change, error) {
	th, layouts, err := l.themeFor(s)
	if err != nil {
		return Change{}, err
	}
	r := l.g.rendererWith(s, l.snap, th)
	if l.search != nil {
		r.searchEdit = &searchEdit{index: l.search, order: l.searchOrder}
		if edits != nil {
			r.searchEdit.old = edits.old
		}
	}
	year := r.snap.Now.In(s.Location).Year()
	var outs []outFile
	if edits != nil && l.list != nil && l.listTheme == th && l.listYear == year {
		outs = l.list
	} else if outs, err = r.outputs(); err != nil {
		return Change{}, err
	}
	partial := only != nil && l.built
	if partial {
		outs = slices.DeleteFunc(outs, func(o outFile) bool { return !only[o.rel] })
	}
	clock := l.tick(s)
	k := &keyer{seed: l.seed, s: s, own: own, memo: map[memoKey]uint64{}, layouts: layouts,
		clock: clock.epoch, year: l.yearEpoch}
	if clock.yearChanged {
		k.year++
	}
	k.init(l.g.opts, r.api)
	k.clock = hashSnapshot(l.seed, clock.epoch, r.snap, true)
	k.now = hashSnapshot(l.seed, clock.epoch, site.Snapshot{Now: r.snap.Now}, true)
	k.status = hashSnapshot(l.seed, 0, r.snap, false)
	k.prepare()
	keys := make([]outState, len(outs))
	l.g.chunks(len(outs), func(lo, hi int) {
		var h hasher
		h.SetSeed(l.seed)
		for i := lo; i < hi; i++ {
			o := &outs[i]
			if old, ok := l.outs[o.rel]; ok && edits != nil && !edits.affect(o, layouts) {
				keys[i].key, keys[i].clock = old.key, old.clock
				continue
			}
			keys[i].key, keys[i].clock = k.key(&h, o, l.version)
		}
	})
	if edits != nil && l.verifyEdits {
		var h hasher
		h.SetSeed(l.seed)
		for i := range outs {
			if key, clock := k.key(&h, &outs[i], l.version); key != keys[i].key || clock != keys[i].clock {
				return Change{}, fmt.Errorf("%s: an edit of a page's body changed its key, which was not computed again", outs[i].rel)
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
	if r.search.index != nil {
		l.search, l.searchOrder = r.search.index, r.search.order
	}
	l.current.Store(s)
	clear(l.force)
	if !partial {
		l.list, l.listTheme, l.listYear = outs, th, year
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
func (l *Live) buildAll(ctx context.Context, r *renderer, outs []outFile, keys []outState) (Change, error) {
	sums := make([]uint64, len(outs))
	if _, err := l.g.writeAll(ctx, r, outs, func(i int, b []byte) { sums[i] = l.sum(b) }); err != nil {
		return Change{}, err
	}
	clear(l.outs)
	ch := Change{Full: true, Rendered: len(outs)}
	for i, o := range outs {
		l.outs[o.rel] = outState{key: keys[i].key, clock: keys[i].clock, sum: sums[i]}
		ch.Written = append(ch.Written, o.rel)
	}
	sort.Strings(ch.Written)
	return ch, nil
}

// buildChanged renders the outputs whose keys changed, writes those whose
// bytes changed and removes the outputs that are gone. Nothing stays
// written unless every page rendered.
//
// Pages new to the destination come first, then the other pages and the
// files they use; then notify is called; then
// the data files no page shows (feeds, sitemap, search index, which code
// makes from the same data without layouts) and the pages that changed
// only because time passed are rendered and written.
func (l *Live) buildChanged(ctx context.Context, r *renderer, outs []outFile, keys []outState, notify func(Change), partial bool) (Change, error) {
	b := &batch{r: r, outs: outs}
	early, late, gone := l.plan(b, keys, partial)
	dir, err := output.OpenFolder(l.g.opts.Dest)
	if err != nil {
		return Change{}, err
	}
	defer dir.Close()
	ch := Change{Rendered: len(b.todo)}
	fresh, early := l.fresh(b, early)
	if len(fresh) > 0 {
		// A page new to the destination is what its editor is waiting
		// for: it is written before the lists it joins are rendered, and
		// removed again if one of them fails, so that a failed update
		// still changes nothing.
		l.g.parallel(ctx, len(fresh), func(k int) { b.render(fresh[k]) })
		if err := failed(ctx, b.errs); err != nil {
			return Change{}, err
		}
		for _, j := range fresh {
			i := b.todo[j]
			if err := l.write(dir, &outs[i], keys[i], b.data[j], &ch); err != nil {
				return ch, l.undo(dir, ch.Written, err)
			}
		}
	}
	l.g.parallel(ctx, len(early), func(k int) { b.render(early[k]) })
	if err := failed(ctx, b.errs); err != nil {
		return Change{}, l.undo(dir, ch.Written, err)
	}
	for _, j := range early {
		i := b.todo[j]
		if err := l.write(dir, &outs[i], keys[i], b.data[j], &ch); err != nil {
			return ch, err
		}
	}
	for _, rel := range gone {
		if err := dir.Remove(rel); err != nil {
			return ch, err
		}
		delete(l.outs, rel)
		ch.Removed = append(ch.Removed, rel)
	}
	if notify != nil {
		first := ch
		first.Site, first.Outputs = r.s, len(outs)
		first.Written = slices.Clone(ch.Written)
		sort.Strings(first.Written)
		notify(first)
	}
	l.g.parallel(ctx, len(late), func(k int) { b.render(late[k]) })
	if err := failed(ctx, b.errs); err != nil {
		return ch, err
	}
	for _, j := range late {
		i := b.todo[j]
		if err := l.write(dir, &outs[i], keys[i], b.data[j], &ch); err != nil {
			return ch, err
		}
	}
	sort.Strings(ch.Written)
	return ch, nil
}

// fresh splits from early (see plan) the pages the destination does not
// hold yet, when there are other outputs to render too.
func (l *Live) fresh(b *batch, early []int) (fresh, rest []int) {
	for _, j := range early {
		o := &b.outs[b.todo[j]]
		if _, ok := l.outs[o.rel]; !ok && o.view != nil && o.view.kind == theme.KindPage {
			fresh = append(fresh, j)
		} else {
			rest = append(rest, j)
		}
	}
	if len(rest) == 0 {
		return nil, early
	}
	return fresh, rest
}

// undo removes the outputs new to the destination that a failed update
// wrote (see buildChanged) and returns err.
func (l *Live) undo(dir *output.Folder, written []string, err error) error {
	for _, rel := range written {
		if rerr := dir.Remove(rel); rerr != nil {
			return errors.Join(err, rerr)
		}
		delete(l.outs, rel)
	}
	return err
}

// batch is the outputs an update renders, and what they rendered to.
type batch struct {
	r    *renderer
	outs []outFile
	// todo are the indexes in outs of the outputs to render; the other
	// slices go with it.
	todo []int
	data [][]byte
	errs []error
}

// plan picks the outputs whose key changed, split into those to write
// first and those to write after notifying (see buildChanged), and lists
// the outputs the destination holds that are gone, sorted (none when
// partial: outs are only some of the site's outputs).
func (l *Live) plan(b *batch, keys []outState, partial bool) (early, late []int, gone []string) {
	current := make(map[string]struct{}, len(b.outs))
	kept := 0 // outputs the destination holds already
	for i, o := range b.outs {
		_, dup := current[o.rel]
		current[o.rel] = struct{}{}
		old, ok := l.outs[o.rel]
		if ok && !dup {
			kept++
		}
		content := !ok || old.key != keys[i].key || l.force[o.rel]
		if !content && old.clock == keys[i].clock {
			continue
		}
		if o.make != nil || !content {
			late = append(late, len(b.todo))
		} else {
			early = append(early, len(b.todo))
		}
		b.todo = append(b.todo, i)
	}
	n := len(b.todo)
	b.data, b.errs = make([][]byte, n), make([]error, n)
	if kept < len(l.outs) && !partial {
		for rel := range l.outs {
			if _, ok := current[rel]; !ok {
				gone = append(gone, rel)
			}
		}
		sort.Strings(gone)
	}
	return early, late, gone
}

// render renders the j-th output to do.
func (b *batch) render(j int) {
	o := &b.outs[b.todo[j]]
	var err error
	switch {
	case o.fsys != nil: // copied when written
	default:
		b.data[j], err = b.r.render(o)
	}
	if err != nil {
		b.errs[j] = fmt.Errorf("%s: %w", o.rel, err)
	}
}

// failed joins the errors of a parallel step.
func failed(ctx context.Context, errs []error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	var all []error
	for _, err := range errs {
		if err != nil {
			all = append(all, err)
		}
	}
	if len(all) > 0 {
		return sortedJoin(all)
	}
	return nil
}

// write puts one rendered output in the destination, unless its bytes are
// the same as before.
func (l *Live) write(dir *output.Folder, o *outFile, st outState, data []byte, ch *Change) error {
	old, existed := l.outs[o.rel]
	var err error
	switch {
	case o.fsys != nil:
		err = dir.CopyFile(o.fsys, o.name, o.rel)
	default:
		st.sum = l.sum(data)
		if existed && old.sum == st.sum && !l.force[o.rel] {
			l.outs[o.rel] = st
			return nil
		}
		err = dir.WriteFile(o.rel, data)
	}
	if err != nil {
		return err
	}
	l.outs[o.rel] = st
	ch.Written = append(ch.Written, o.rel)
	return nil
}

// sum identifies an output's bytes, to skip writing a file that came out
// the same.
func (l *Live) sum(b []byte) uint64 {
	return maphash.Bytes(l.seed, b)
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
