// Package live keeps a destination folder equal to the outputs of a site
// while the site changes: the incremental engine of `dangwu serve` and of
// the collector's re-renders.
//
// Every output of a site, whatever makes it (a layout, a feed or index
// written by code, a copied file), is an Output that declares what it is
// made from. A Keyer turns that declaration into a Key; the engine keeps
// the key and a hash of the bytes of each output the destination holds,
// renders again only the outputs whose key changed, writes only those
// whose bytes changed, and removes the outputs that are gone. It knows
// nothing of sites, themes or pages: what an output reads is the Keyer's
// business, how it is made the Renderer's.
package live

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io/fs"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
)

// Kind says when an update writes an output.
type Kind uint8

const (
	// Page is the output of one page of content. A page new to the
	// destination is written first: it is what its editor waits for.
	Page Kind = iota
	// View is any other output made with a layout: a list, a branch's
	// page, the board. Pages and views are written before the caller is
	// notified, together, so a broken layout changes nothing.
	View
	// Data is an output made by code that no page shows as it is (a feed,
	// the sitemap, the search index, a calendar): written after notifying.
	Data
	// File is a file copied as it is.
	File
)

// Reads is what an output reads beyond its own data: a set of inputs, each
// bit one kind of input the Keyer defines (for an output made with a
// layout, what theme.Reach finds its templates can reach). The engine does
// not look into it.
type Reads uint32

// Output is one file of a site.
type Output struct {
	// Rel is its path in the destination, slash-separated.
	Rel  string
	Kind Kind
	// Layout names what renders it: a layout of the theme, or the maker
	// of a Data output.
	Layout string
	// Data is what it shows, for the Renderer and the Keyer.
	Data  any
	Reads Reads
	// Source is the file a File output copies.
	Source *Source
}

// Source is a file copied into the destination as it is.
type Source struct {
	FS   fs.FS
	Name string
	// Path is its path on disk, for change tracking.
	Path string
}

// Key is what an output is made from. Content hashes everything but the
// time and the statuses, Clock those, for outputs that show them (0 for
// others): an output whose Content is the same shows the same things at a
// later time, and is written after those whose Content changed.
type Key struct{ Content, Clock uint64 }

// Keyer computes outputs' keys. It is called from several goroutines at
// once.
type Keyer interface {
	// Key is the key of o.
	Key(o *Output) Key
	// Unchanged reports that o reads nothing that changed since the keys
	// the destination holds were computed: an output it holds then keeps
	// its key, without computing it.
	Unchanged(o *Output) bool
}

// Renderer makes the bytes of an output that is not a File. It is called
// from several goroutines at once.
type Renderer interface {
	Render(o *Output) ([]byte, error)
}

// Folder is the destination an update writes into.
type Folder interface {
	WriteFile(rel string, data []byte) error
	CopyFile(fsys fs.FS, name, rel string) error
	Remove(rel string) error
}

// Result is what an update did.
type Result struct {
	// Written and Removed are the outputs written and removed, sorted.
	Written, Removed []string
	// Rendered counts the outputs rendered or copied, some of which may
	// have come out unchanged.
	Rendered int
}

// state is what the destination holds for one output.
type state struct {
	key Key
	sum uint64 // of its bytes
}

// Engine holds the keys and bytes' hashes of the outputs in a destination.
// Its methods must not be called concurrently.
type Engine struct {
	seed    maphash.Seed
	workers int
	outs    map[string]state
}

// New returns an engine for an empty destination that renders and keys
// outputs on workers goroutines.
func New(seed maphash.Seed, workers int) *Engine {
	return &Engine{seed: seed, workers: max(1, workers), outs: map[string]state{}}
}

// Keys computes the key of every output, in parallel, but for the outputs
// the destination holds that k says are unchanged: they keep their key.
func (e *Engine) Keys(outs []Output, k Keyer) []Key {
	keys := make([]Key, len(outs))
	n := len(outs)
	w := min(e.workers, max(1, n/256))
	var wg sync.WaitGroup
	for i := range w {
		lo, hi := i*n/w, (i+1)*n/w
		wg.Go(func() {
			for j := lo; j < hi; j++ {
				o := &outs[j]
				if old, ok := e.outs[o.Rel]; ok && k.Unchanged(o) {
					keys[j] = old.key
				} else {
					keys[j] = k.Key(o)
				}
			}
		})
	}
	wg.Wait()
	return keys
}

// Sum hashes an output's bytes, for Replace.
func (e *Engine) Sum(b []byte) uint64 { return maphash.Bytes(e.seed, b) }

// Replace records a destination made anew from outs, whose keys and
// bytes' sums are keys and sums (0 for a copied file).
func (e *Engine) Replace(outs []Output, keys []Key, sums []uint64) {
	clear(e.outs)
	for i, o := range outs {
		e.outs[o.Rel] = state{key: keys[i], sum: sums[i]}
	}
}

// Update renders the outputs whose key changed, writes those whose bytes
// changed, and removes those the destination holds that are not in outs,
// unless partial is set (outs are then only some of the site's outputs).
//
// Pages new to the destination are rendered and written first; then the
// other pages and views and the files they use; then the outputs gone are removed and notify, when
// not nil, is called with what was done so far; then the data outputs and
// the pages whose Content did not change (only their Clock) are rendered and
// written. Nothing stays written unless every page and view rendered: pages
// new to the destination are removed again if one of them fails.
func (e *Engine) Update(ctx context.Context, outs []Output, keys []Key, r Renderer, dir Folder, partial bool, notify func(Result)) (Result, error) {
	b := &batch{e: e, r: r, outs: outs, keys: keys}
	fresh, early, late, gone := b.plan(partial)
	res := Result{Rendered: len(b.todo)}
	if len(fresh) > 0 {
		if err := b.render(ctx, fresh); err != nil {
			return Result{}, err
		}
		if err := b.write(dir, fresh, &res); err != nil {
			return res, e.undo(dir, res.Written, err)
		}
	}
	if err := b.render(ctx, early); err != nil {
		return Result{}, e.undo(dir, res.Written, err)
	}
	if err := b.write(dir, early, &res); err != nil {
		return res, err
	}
	for _, rel := range gone {
		if err := dir.Remove(rel); err != nil {
			return res, err
		}
		delete(e.outs, rel)
		res.Removed = append(res.Removed, rel)
	}
	if notify != nil {
		first := res
		first.Written = slices.Clone(res.Written)
		sort.Strings(first.Written)
		notify(first)
	}
	if err := b.render(ctx, late); err != nil {
		return res, err
	}
	if err := b.write(dir, late, &res); err != nil {
		return res, err
	}
	sort.Strings(res.Written)
	return res, nil
}

// undo removes the outputs new to the destination that a failed update
// wrote, and returns err.
func (e *Engine) undo(dir Folder, written []string, err error) error {
	for _, rel := range written {
		if rerr := dir.Remove(rel); rerr != nil {
			return errors.Join(err, rerr)
		}
		delete(e.outs, rel)
	}
	return err
}

// batch is the outputs an update renders, and what they rendered to.
type batch struct {
	e    *Engine
	r    Renderer
	outs []Output
	keys []Key
	// todo are the indexes in outs of the outputs to render; data and
	// errs go with it.
	todo []int
	data [][]byte
	errs []error
}

// plan picks the outputs to render, as indexes in todo: the pages new to
// the destination (when there are other outputs to render too), the other
// pages, views and files whose Content changed, and the rest; and lists the
// outputs gone, sorted (none when partial).
func (b *batch) plan(partial bool) (fresh, early, late []int, gone []string) {
	e := b.e
	current := make(map[string]struct{}, len(b.outs))
	kept := 0 // outputs the destination holds already
	for i := range b.outs {
		o := &b.outs[i]
		_, dup := current[o.Rel]
		current[o.Rel] = struct{}{}
		old, ok := e.outs[o.Rel]
		if ok && !dup {
			kept++
		}
		content := !ok || old.key.Content != b.keys[i].Content
		if !content && old.key.Clock == b.keys[i].Clock {
			continue
		}
		j := len(b.todo)
		b.todo = append(b.todo, i)
		switch {
		case o.Kind == Data || !content:
			late = append(late, j)
		case o.Kind == Page && !ok:
			fresh = append(fresh, j)
		default:
			early = append(early, j)
		}
	}
	if len(early) == 0 {
		fresh, early = nil, fresh
	}
	n := len(b.todo)
	b.data, b.errs = make([][]byte, n), make([]error, n)
	if kept < len(e.outs) && !partial {
		for rel := range e.outs {
			if _, ok := current[rel]; !ok {
				gone = append(gone, rel)
			}
		}
		sort.Strings(gone)
	}
	return fresh, early, late, gone
}

// render renders the outputs todo[js...] in parallel, and joins their
// errors.
func (b *batch) render(ctx context.Context, js []int) error {
	var next atomic.Int64 // each worker takes the next itself (see generator's parallel)
	var wg sync.WaitGroup
	for range min(b.e.workers, len(js)) {
		wg.Go(func() {
			for ctx.Err() == nil {
				k := int(next.Add(1) - 1)
				if k >= len(js) {
					return
				}
				j := js[k]
				o := &b.outs[b.todo[j]]
				if o.Kind == File {
					continue // copied when written
				}
				var err error
				if b.data[j], err = b.r.Render(o); err != nil {
					b.errs[j] = fmt.Errorf("%s: %w", o.Rel, err)
				}
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	var all []error
	for _, j := range js {
		if err := b.errs[j]; err != nil {
			all = append(all, err)
		}
	}
	if len(all) == 0 {
		return nil
	}
	// In a stable order, whatever order the workers found them in.
	sort.Slice(all, func(i, j int) bool { return all[i].Error() < all[j].Error() })
	return errors.Join(all...)
}

// write puts the rendered outputs todo[js...] in the destination, each
// unless its bytes are the same as before.
func (b *batch) write(dir Folder, js []int, res *Result) error {
	e := b.e
	for _, j := range js {
		i := b.todo[j]
		o := &b.outs[i]
		st := state{key: b.keys[i]}
		old, existed := e.outs[o.Rel]
		var err error
		switch {
		case o.Kind == File:
			err = dir.CopyFile(o.Source.FS, o.Source.Name, o.Rel)
		default:
			st.sum = e.Sum(b.data[j])
			if existed && old.sum == st.sum {
				e.outs[o.Rel] = st
				b.data[j] = nil
				continue
			}
			err = dir.WriteFile(o.Rel, b.data[j])
			b.data[j] = nil
		}
		if err != nil {
			return err
		}
		e.outs[o.Rel] = st
		res.Written = append(res.Written, o.Rel)
	}
	return nil
}
