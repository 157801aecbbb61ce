package generator

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"sync"
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
	entries *entryCache

	// The parsed theme, and what it was parsed from.
	theme    *theme.Theme
	themeSum uint64
	themeCfg *site.Config
	deps     map[string]deps

	// What the destination holds.
	built bool
	site  *site.Site
	own   map[*site.Page]uint64
	outs  map[string]outState
	force map[string]bool
	snap  site.Snapshot
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
	key uint64 // what it was made from
	sum uint64 // its bytes
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
	l.md = newMDCache(l.seed, l.content.Digest)
	l.entries = newEntryCache()
	return l
}

// Update brings the destination up to date. paths are the files and
// folders that changed since the last update (as the watcher reports them,
// absolute or relative to the working folder); an update for the clock alone
// passes none. Use Forget when what changed is not known.
func (l *Live) Update(ctx context.Context, paths ...string) (Change, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	start := time.Now()
	l.note(paths)
	s, err := l.g.load(ctx, l.content, l.md)
	if err != nil {
		return Change{}, err
	}
	l.md.prune()
	own := make(map[*site.Page]uint64, len(s.Pages)+len(s.Columns)+len(s.Branches)+1)
	for _, p := range renderable(s) {
		if fp := l.md.fingerprint(p); fp != 0 {
			own[p] = fp
		}
	}
	ch, err := l.apply(ctx, s, own)
	ch.Duration = time.Since(start)
	return ch, err
}

// Forget makes the next Update read every file again, for when changes may
// have been missed.
func (l *Live) Forget() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.content.ForgetAll()
	l.gen++
	l.changed[""] = l.gen
}

// Render sets the statuses the site shows and writes again every output
// that shows them, from the site as last loaded, together with the outputs
// at the given paths (relative to the site root: "tasks/zongjie/",
// "calendar.ics"). It is how the collector feeds statuses back.
func (l *Live) Render(ctx context.Context, snap site.Snapshot, paths ...string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.site == nil {
		return errors.New("render: the site has not been built yet")
	}
	l.snap = snap
	for _, p := range paths {
		p = strings.TrimPrefix(p, "/")
		if p == "" || strings.HasSuffix(p, "/") {
			p += "index.html"
		}
		l.force[p] = true
	}
	_, err := l.apply(ctx, l.site, l.own)
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
		l.changed[p] = l.gen
		if rel, err := filepath.Rel(contentDir, p); err == nil && !strings.HasPrefix(rel, "..") {
			forget = append(forget, filepath.ToSlash(rel))
		}
	}
	l.content.Forget(forget...)
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
func (l *Live) apply(ctx context.Context, s *site.Site, own map[*site.Page]uint64) (Change, error) {
	th, layoutDeps, err := l.themeFor(s)
	if err != nil {
		return Change{}, err
	}
	r := l.g.rendererWith(s, l.snap, th)
	r.entries, r.own = l.entries, own
	outs, err := r.outputs()
	if err != nil {
		return Change{}, err
	}
	clock := l.tick(s)
	k := &keyer{seed: l.seed, s: s, own: own, memo: map[string]uint64{}, layoutDeps: layoutDeps,
		clock: clock.epoch, year: l.yearEpoch}
	if clock.yearChanged {
		k.year++
	}
	k.init(l.g.opts, r.api)
	k.clock = hashSnapshot(l.seed, clock.epoch, r.snap)
	keys := make([]uint64, len(outs))
	for i := range outs {
		keys[i] = k.key(&outs[i], th, l.version)
	}
	var ch Change
	if !l.built {
		ch, err = l.buildAll(ctx, r, outs, keys)
	} else {
		ch, err = l.buildChanged(ctx, r, outs, keys)
	}
	if err != nil {
		return Change{}, err
	}
	l.built, l.site, l.own = true, s, own
	clear(l.force)
	l.clockEpoch, l.clockAt, l.next = clock.epoch, clock.at, nextTransition(s, clock.at)
	l.year = clock.year
	if clock.yearChanged {
		l.yearEpoch++
	}
	ch.Site, ch.Outputs = s, len(outs)
	return ch, nil
}

// clockState is where the clock stands for one build.
type clockState struct {
	epoch       uint64
	at          time.Time
	year        int
	yearChanged bool
}

// tick notices whether time passed a transition since the last build: the
// outputs that read the clock are then rendered again.
func (l *Live) tick(s *site.Site) clockState {
	now := s.Now
	year := now.In(s.Location).Year()
	if !l.built {
		return clockState{at: now, year: year}
	}
	c := clockState{epoch: l.clockEpoch, at: l.clockAt, year: l.year}
	next := l.next
	if n := nextTransition(s, l.clockAt); !n.IsZero() && (next.IsZero() || n.Before(next)) {
		next = n
	}
	if !next.IsZero() && !next.After(now) {
		c.epoch++
		c.at = now
	}
	if year != l.year {
		c.year, c.yearChanged = year, true
	}
	return c
}

func hashSnapshot(seed maphash.Seed, epoch uint64, snap site.Snapshot) uint64 {
	var h hasher
	h.SetSeed(seed)
	h.u64(epoch)
	h.time(snap.Now)
	keys := make([]string, 0, len(snap.Entries))
	for k := range snap.Entries {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		h.str(k)
		branches := make([]string, 0, len(snap.Entries[k]))
		for b := range snap.Entries[k] {
			branches = append(branches, b)
		}
		sort.Strings(branches)
		for _, b := range branches {
			fmt.Fprintf(&h, "%s\x00%#v\x00", b, snap.Entries[k][b])
		}
	}
	return h.Sum64()
}

// themeFor returns the parsed theme for s, parsing it again only when a
// layout file or the configuration changed.
func (l *Live) themeFor(s *site.Site) (*theme.Theme, map[string]deps, error) {
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
		return l.theme, l.deps, nil
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
	layoutDeps := map[string]deps{}
	for _, name := range th.Layouts() {
		layoutDeps[name] = classify(th.Reach(name))
	}
	l.theme, l.themeSum, l.themeCfg, l.deps = th, sum, &cfg, layoutDeps
	return th, layoutDeps, nil
}

// buildAll renders every output into a new folder that replaces the
// destination.
func (l *Live) buildAll(ctx context.Context, r *renderer, outs []outFile, keys []uint64) (Change, error) {
	sums := make([]uint64, len(outs))
	if _, err := l.g.writeAll(ctx, r, outs, func(i int, b []byte) { sums[i] = maphash.Bytes(l.seed, b) }); err != nil {
		return Change{}, err
	}
	clear(l.outs)
	ch := Change{Full: true, Rendered: len(outs)}
	for i, o := range outs {
		l.outs[o.rel] = outState{key: keys[i], sum: sums[i]}
		ch.Written = append(ch.Written, o.rel)
	}
	sort.Strings(ch.Written)
	return ch, nil
}

// buildChanged renders the outputs whose keys changed, writes those whose
// bytes changed and removes the outputs that are gone. Nothing is written
// unless every output rendered.
func (l *Live) buildChanged(ctx context.Context, r *renderer, outs []outFile, keys []uint64) (Change, error) {
	var todo []int
	current := make(map[string]bool, len(outs))
	for i, o := range outs {
		current[o.rel] = true
		if old, ok := l.outs[o.rel]; !ok || old.key != keys[i] || l.force[o.rel] {
			todo = append(todo, i)
		}
	}
	data := make([][]byte, len(todo))
	errs := make([]error, len(todo))
	l.g.parallel(ctx, len(todo), func(j int) {
		o := &outs[todo[j]]
		if o.fsys == nil {
			data[j], errs[j] = r.render(o)
			if errs[j] != nil {
				errs[j] = fmt.Errorf("%s: %w", o.rel, errs[j])
			}
		}
	})
	if err := ctx.Err(); err != nil {
		return Change{}, err
	}
	var failed []error
	for _, err := range errs {
		if err != nil {
			failed = append(failed, err)
		}
	}
	if len(failed) > 0 {
		return Change{}, sortedJoin(failed)
	}
	dir, err := output.OpenFolder(l.g.opts.Dest)
	if err != nil {
		return Change{}, err
	}
	defer dir.Close()
	ch := Change{Rendered: len(todo)}
	for j, i := range todo {
		o := &outs[i]
		old, existed := l.outs[o.rel]
		st := outState{key: keys[i]}
		switch {
		case o.fsys != nil:
			err = dir.CopyFile(o.fsys, o.name, o.rel)
		default:
			st.sum = maphash.Bytes(l.seed, data[j])
			if existed && old.sum == st.sum && !l.force[o.rel] {
				l.outs[o.rel] = st
				continue
			}
			err = dir.WriteFile(o.rel, data[j])
		}
		if err != nil {
			return ch, err
		}
		l.outs[o.rel] = st
		ch.Written = append(ch.Written, o.rel)
	}
	for rel := range l.outs {
		if current[rel] {
			continue
		}
		if err := dir.Remove(rel); err != nil {
			return ch, err
		}
		delete(l.outs, rel)
		ch.Removed = append(ch.Removed, rel)
	}
	sort.Strings(ch.Written)
	sort.Strings(ch.Removed)
	return ch, nil
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
