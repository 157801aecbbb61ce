package generator

import (
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"strings"
	"sync"
	"time"

	"github.com/dangwu-org/dangwu/generator/live"
	"github.com/dangwu-org/dangwu/generator/site"
	"github.com/dangwu-org/dangwu/generator/theme"
)

// deps are the parts of a site an output may read beyond its own page, its
// list entries, the configuration and the columns' titles (which every
// output's key holds). A layout's deps come from what its templates can
// reach (theme.Reach), so a theme that reads more makes its outputs depend
// on more, and a rebuild stays exact whatever the layouts do; a data
// output's from what its maker declares (makerReads). They are what a
// live.Output reads.
type deps = live.Reads

const (
	depNeighbors   deps = 1 << iota // the page's previous and next pages
	depBranch                       // the branch of the page or output
	depBranchPosts                  // that branch's posts
	depColumnPages                  // every page of the output's column
	depBranches                     // every branch
	depTasks                        // every task
	depSite                         // anything at all
	depClock                        // the time (Now)
	depYear                         // only the year of Now
	depAllPages                     // every page of every column
	// depEntryContent is set when the layout reads more of other pages
	// (list entries, neighbours) than their listing fields: then a change
	// of their body changes the output.
	depEntryContent
	depStatus // the statuses and published opinions (Snapshot)
)

// listFields are the fields of a page a list shows: everything but what
// comes from the body, which only the page's own output shows, except the
// summary. keyer.list hashes exactly these.
var listFields = map[string]bool{
	"Kind": true, "Source": true, "Column": true, "Slug": true, "Path": true, "Title": true,
	"Description": true, "Date": true, "Lastmod": true, "PublishDate": true, "ExpiryDate": true,
	"Draft": true, "Tags": true, "Categories": true, "Weight": true, "Aliases": true, "Author": true, "Cover": true,
	"Attachments": true, "Video": true, "Audio": true, "Duration": true, "Layout": true,
	"Summary": true, "Bundle": true, "Files": true,
}

// object is what a step of an access path stands on.
type object int

const (
	objValue       object = iota // a value that leads nowhere else
	objRoot                      // the PageData
	objSite                      // the whole site
	objOwnPage                   // the output's page
	objNeighbor                  // its previous or next page
	objEntry                     // a page whose fingerprint is in the key already
	objIndex                     // a column's or branch's _index.md, part of its meta
	objOwnBranch                 // the branch of the output or its page
	objBranch                    // any branch
	objOwnColumn                 // the output's column
	objSection                   // a section (子栏目)
	objColumn                    // any column
	objOwnTask                   // the output's task
	objTask                      // any task
	objTag                       // the tag of a term page
	objTime                      // Now
	objSnapshot                  // the statuses
	objRows                      // obligations of tasks, with branches and statuses
	objRowBranches               // the branches of such a row
)

// derived are what the fields and methods of PageData computed from the
// tasks, the branches, the statuses and the clock read. One missing here is
// taken to read anything (depSite), which is right, only slower.
var derived = map[string]deps{
	"Upcoming":          depTasks | depBranches | depClock | depStatus,
	"Overdue":           depTasks | depBranches | depClock | depStatus,
	"BranchObligations": depTasks | depBranches | depClock | depStatus,
	"Board":             depTasks | depBranches | depClock | depStatus,
	"Years":             depTasks | depClock,
	"BoardRollUp":       depBranches,
	"BoardTotal":        depTasks | depBranches | depClock | depStatus,
	"BoardLink":         depBranches,
	"TaskBranches":      depTasks | depBranches,
	"TaskScope":         depTasks | depBranches,
	"TaskUnits":         depTasks | depBranches,
	"TaskFormURL":       depBranches,
	"Done":              depTasks | depStatus,
	"UnitTotals":        depTasks | depBranches | depClock | depStatus,
	"Year":              0,
}

// classify turns what a layout can reach into deps.
func classify(r theme.Reach) deps {
	var d deps
	for _, a := range r.Accesses {
		d |= classifyAccess(a)
	}
	return d
}

func classifyAccess(a theme.Access) deps {
	if a.Path == "" {
		if a.Deep {
			return depSite
		}
		return 0
	}
	segs := strings.Split(a.Path, ".")
	obj, d := objRoot, deps(0)
	for i, seg := range segs {
		name := strings.TrimSuffix(seg, "[]")
		method := strings.HasSuffix(name, "()")
		name = strings.TrimSuffix(name, "()")
		if method && i == len(segs)-1 && a.Func == "" {
			// The method's own record: it reads its receiver.
			if obj == objRoot {
				if rd, ok := derived[name]; ok {
					return d | rd
				}
			}
			return d | methodDeps(obj, name)
		}
		var more deps
		obj, more = step(obj, name, method)
		d |= more
		if obj == objValue || d&depSite != 0 {
			return d
		}
	}
	if a.Deep {
		d |= deepDeps(obj, a.Func)
	}
	return d
}

// edge is where a field leads, and what following it depends on.
type edge struct {
	to object
	d  deps
}

// edges are the fields that lead from one object to another. A field of
// the root or of the site that is not listed may read anything; one of
// another object leads to a plain value.
var edges = map[object]map[string]edge{
	objRoot: {
		"Site": {objSite, 0}, "Page": {objOwnPage, 0}, "Task": {objOwnTask, 0},
		"Column": {objOwnColumn, 0}, "Branch": {objOwnBranch, depBranch}, "Pages": {objEntry, 0},
		"Section": {objSection, 0}, "Sections": {objSection, 0},
		"Tag": {objTag, 0}, "Now": {objTime, 0}, "Snapshot": {objSnapshot, depStatus},
		"Unit": {objBranch, depBranches},
		"Kind": {}, "Title": {}, "Path": {}, "Target": {}, "APIURL": {}, "Menu": {}, "Crumbs": {}, "Pager": {},
	},
	objSite: {
		"Config": {}, "Location": {}, "Column": {objColumn, 0}, "Columns": {objColumn, 0},
		"Branch": {objBranch, depBranches}, "Branches": {objBranch, depBranches},
		"Task": {objTask, depTasks}, "Tasks": {objTask, depTasks}, "Now": {objTime, 0},
	},
	objOwnBranch: {"Posts": {objEntry, depBranchPosts}, "Index": {objIndex, 0}},
	// The posts of every branch are pages of the branches column.
	objBranch:    {"Posts": {objEntry, depAllPages}, "Index": {objIndex, 0}},
	objOwnColumn: {"Pages": {objEntry, depColumnPages}, "Index": {objIndex, 0}, "Sections": {objSection, 0}},
	// A section's meta is in every key; its pages are its column's.
	objSection: {"Pages": {objEntry, depAllPages}, "Index": {objIndex, 0}, "Sections": {objSection, 0},
		"Parent": {objSection, 0}},
	objColumn: {"Pages": {objEntry, depAllPages}, "Index": {objIndex, 0}, "Sections": {objSection, 0}},
	objTag:    {"Pages": {objEntry, 0}},
	objRows: {
		"Task": {objTask, 0}, "Branch": {objRowBranches, 0}, "Missing": {objRowBranches, 0},
		"Obligation": {objRows, 0}, "Entry": {objRows, 0},
	},
}

// step follows one field or method from obj.
func step(obj object, name string, method bool) (object, deps) {
	switch obj {
	case objOwnPage, objNeighbor, objEntry, objIndex:
		return pageStep(obj, name, method)
	case objRowBranches:
		return step(objBranch, name, method)
	case objOwnTask, objTask:
		switch {
		case name == "Page" && obj == objOwnTask:
			return objOwnPage, 0
		case name == "Page":
			return objEntry, 0
		case method, name == "Task":
			// An obligation of the task leads back to the task.
			return obj, 0
		}
		return objValue, 0
	case objTime:
		return objValue, depClock
	case objSnapshot:
		if name == "Now" || method {
			// Entry tells pending from missing by the snapshot's time.
			return objValue, depClock
		}
		return objValue, 0
	}
	if e, ok := edges[obj][name]; ok {
		return e.to, e.d
	}
	if obj == objRoot {
		if d, ok := derived[name]; ok {
			return objRows, d
		}
	}
	if obj == objRoot || obj == objSite {
		return objValue, depSite
	}
	return objValue, 0
}

// pageStep follows a field of a page whose fingerprint the key holds.
func pageStep(obj object, name string, method bool) (object, deps) {
	if method {
		if obj == objOwnPage || obj == objIndex {
			return objValue, 0
		}
		return objValue, depEntryContent
	}
	switch name {
	case "Prev", "Next":
		if obj == objOwnPage {
			return objNeighbor, depNeighbors
		}
		return objValue, depSite
	case "Branch":
		if obj == objOwnPage {
			return objOwnBranch, depBranch
		}
		return objBranch, depBranches
	case "Task":
		if obj == objOwnPage {
			return objOwnTask, 0
		}
		return objTask, depTasks
	}
	if obj != objOwnPage && obj != objIndex && !listFields[name] {
		return objValue, depEntryContent
	}
	return objValue, 0
}

// methodDeps is what calling a method reads of its receiver.
func methodDeps(obj object, name string) deps {
	switch obj {
	case objSite:
		if name == "Column" || name == "Branch" || name == "Task" {
			return 0 // they look up one element by name
		}
		return depSite
	case objTime, objSnapshot:
		return depClock
	case objOwnColumn, objColumn:
		if name == "Path" {
			return 0 // the column's name
		}
	}
	return deepDeps(obj, "")
}

// deepDeps is what reading a whole object, as a function may, depends on.
func deepDeps(obj object, fn string) deps {
	switch obj {
	case objRoot, objSite, objBranch, objColumn:
		return depSite
	case objOwnBranch:
		return depBranchPosts
	case objOwnColumn:
		return depColumnPages
	case objNeighbor, objEntry:
		if fn == "indexOf" {
			return 0 // compares the pages, reads nothing of them
		}
		return depEntryContent
	case objRowBranches:
		// A count (a board row's Missing) or the branches themselves.
		return depBranches | depAllPages
	case objSnapshot:
		return depClock
	case objTime:
		if fn == "year" {
			return depYear
		}
		return depClock
	}
	return 0
}

// hasher accumulates what an output is made from into its key.
type hasher struct{ maphash.Hash }

func (h *hasher) str(s string) {
	h.WriteString(s)
	h.WriteByte(0)
}

func (h *hasher) u64(v uint64) {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], v)
	h.Write(b[:])
}

func (h *hasher) int(v int) { h.u64(uint64(v)) }

func (h *hasher) time(t time.Time) {
	h.u64(uint64(t.UnixNano()))
	_, off := t.Zone()
	h.int(off)
}

// keyer computes the keys of one build's outputs: a hash of everything an
// output's bytes can depend on. An output whose key did not change since the
// last build is not rendered again.
type keyer struct {
	seed maphash.Seed
	s    *site.Site
	// own holds each rendered page's render, with its fingerprint: of its
	// source, the bytes it was read from and how its links resolved.
	own  map[*site.Page]*pageRender
	base uint64 // configuration and options
	cols uint64 // every column's meta
	// clock changes with the time and the statuses, now the time and
	// status the statuses, year with the year.
	clock, now, status, year uint64
	mu                       sync.Mutex // guards memo: keys are computed in parallel
	memo                     map[memoKey]uint64
	layouts                  map[string]layoutInfo
	// version is the generation of a copied file (see Live.version).
	version func(src string) uint64
	// edits, when set, are the body edits of a quick update (quick.go).
	edits   *bodyEdits
	hashers sync.Pool
}

// prepare computes the listing fingerprints of the published pages that
// the last build did not, so that keys can then be computed in parallel.
func (k *keyer) prepare() {
	for _, p := range k.s.Pages {
		if r := k.own[p]; r != nil && r.list == 0 {
			r.list = k.listing(p)
		}
	}
}

// layoutInfo is what keys need of a layout: what its files are (their
// digest) and what it reads.
type layoutInfo struct {
	digest uint64
	deps   deps
}

// memoKey names a part of the site whose fingerprint is computed once per
// build.
type memoKey struct {
	what    string
	content bool
	branch  *site.Branch
	column  *site.Column
	tag     *site.Tag
	view    *view
}

// memoPages is the length of a view's list of pages above which its
// fingerprint is computed once per build.
const memoPages = 64

func (k *keyer) hasher() *hasher {
	h := &hasher{}
	h.SetSeed(k.seed)
	return h
}

// init computes the parts every key holds.
func (k *keyer) init(opts Options, api string) {
	k.hashers.New = func() any { return k.hasher() }
	h := k.hasher()
	fmt.Fprintf(h, "%#v\x00%v %v %q %q\x00", k.s.Config, opts.Drafts, opts.Future, opts.BaseURL, api)
	k.base = h.Sum64()
	h = k.hasher()
	for _, c := range k.s.Columns {
		h.str(c.Name)
		h.str(c.Title)
		h.str(c.Description)
		h.int(c.Weight)
		h.str(strings.Join(c.Require, "\x00"))
		h.u64(k.page(c.Index))
	}
	// The menu is on every page.
	for _, p := range k.s.Menu {
		h.str(p.Path)
		h.str(p.Menu.Title)
	}
	// Sections show in breadcrumbs and in their parents' lists.
	for _, sec := range k.s.Sections {
		h.str(sec.Path)
		h.str(sec.Title)
		h.str(sec.Description)
		h.int(sec.Weight)
		h.u64(k.page(sec.Index))
		h.int(len(sec.Pages))
		h.int(len(sec.Sections))
	}
	k.cols = h.Sum64()
}

// page is a page's fingerprint.
func (k *keyer) page(p *site.Page) uint64 {
	if p == nil {
		return 0
	}
	if r := k.own[p]; r != nil {
		return r.fp
	}
	// A page made up by the generator, such as the index of a column
	// without _index.md.
	h := k.hasher()
	h.str(p.Source)
	h.str(p.Title)
	h.str(p.Path)
	return h.Sum64()
}

// entry is the fingerprint of a page shown by another output: of its
// listing fields, or of all of it when content is set.
func (k *keyer) entry(p *site.Page, content bool) uint64 {
	if content || p == nil {
		return k.page(p)
	}
	if r := k.own[p]; r != nil && r.list != 0 {
		return r.list
	}
	return k.listing(p)
}

// listing hashes a page's listing fields. A render is reused only while
// the page's source is the same, so the hash is kept on it.
func (k *keyer) listing(p *site.Page) uint64 {
	h := k.hasher()
	h.str(p.Source)
	h.int(int(p.Kind))
	for _, v := range []string{p.Column, p.Slug, p.Path, p.Title, p.Description, p.Author, p.Cover,
		p.Video, p.Audio, p.Duration, p.Layout, string(p.Summary)} {
		h.str(v)
	}
	for _, t := range []time.Time{p.Date, p.Lastmod, p.PublishDate, p.ExpiryDate} {
		h.time(t)
	}
	h.int(p.Weight)
	if p.Draft {
		h.WriteByte(1)
	}
	if p.Bundle {
		h.WriteByte(2)
	}
	for _, list := range [][]string{p.Tags, p.Categories, p.Aliases, p.Files} {
		h.str(strings.Join(list, "\x00"))
	}
	for _, a := range p.Attachments {
		h.str(a.File)
		h.str(a.Title)
		h.u64(uint64(a.Size))
	}
	return h.Sum64()
}

// pages writes a list of pages shown by an output: which, in what order,
// and their fingerprints (see entry).
func (k *keyer) pages(h *hasher, pages []*site.Page, content bool) {
	h.int(len(pages))
	for _, p := range pages {
		h.u64(k.entry(p, content))
	}
}

func (k *keyer) columns(h *hasher) { h.u64(k.cols) }

// memoize computes a fingerprint once per build. Two goroutines may both
// compute it; they get the same value.
func (k *keyer) memoize(key memoKey, fn func(h *hasher)) uint64 {
	k.mu.Lock()
	v, ok := k.memo[key]
	k.mu.Unlock()
	if ok {
		return v
	}
	h := k.hasher()
	fn(h)
	v = h.Sum64()
	k.mu.Lock()
	k.memo[key] = v
	k.mu.Unlock()
	return v
}

func (k *keyer) branch(b *site.Branch) uint64 {
	if b == nil {
		return 0
	}
	return k.memoize(memoKey{what: "branch", branch: b}, func(h *hasher) {
		h.str(b.ID)
		h.str(b.Title)
		h.str(b.Secretary)
		h.int(b.Members)
		h.time(b.Established)
		h.str(string(b.Kind))
		h.str(b.ParentID)
		h.u64(k.page(b.Index))
	})
}

func (k *keyer) branchPosts(b *site.Branch, content bool) uint64 {
	if b == nil {
		return 0
	}
	return k.memoize(memoKey{what: "posts", branch: b, content: content}, func(h *hasher) { k.pages(h, b.Posts, content) })
}

func (k *keyer) columnPages(c *site.Column, content bool) uint64 {
	if c == nil {
		return 0
	}
	return k.memoize(memoKey{what: "column", column: c, content: content}, func(h *hasher) { k.pages(h, c.Pages, content) })
}

// allPages covers the pages of every column.
func (k *keyer) allPages(content bool) uint64 {
	return k.memoize(memoKey{what: "columns", content: content}, func(h *hasher) {
		for _, c := range k.s.Columns {
			h.u64(k.columnPages(c, content))
		}
	})
}

func (k *keyer) branches() uint64 {
	return k.memoize(memoKey{what: "branches"}, func(h *hasher) {
		for _, b := range k.s.Branches {
			h.u64(k.branch(b))
		}
	})
}

func (k *keyer) tasks() uint64 {
	return k.memoize(memoKey{what: "tasks"}, func(h *hasher) {
		for _, t := range k.s.Tasks {
			h.str(t.ID)
			h.str(strings.Join(t.Branches, "\x00"))
			h.u64(k.page(t.Page))
		}
	})
}

// whole is the fingerprint of everything loaded, for layouts that read
// anything at all.
func (k *keyer) whole() uint64 {
	return k.memoize(memoKey{what: "site"}, func(h *hasher) {
		h.u64(k.branches())
		h.u64(k.tasks())
		k.pages(h, k.s.Pages, true)
		h.u64(k.allPages(true))
		for _, terms := range [][]*site.Tag{k.s.Tags, k.s.Categories} {
			h.str("\x00terms")
			for _, t := range terms {
				h.str(t.Name)
				k.pages(h, t.Pages, true)
			}
		}
		for _, b := range k.s.Branches {
			h.u64(k.branchPosts(b, true))
		}
		h.u64(k.page(k.s.Home))
		h.str(strings.Join(k.s.Files, "\x00"))
	})
}

// Key is the key of an output (live.Keyer): a hash of everything its bytes
// can depend on, and apart from it, for an output that reads the clock or
// the statuses, their fingerprint (0 for others): when only that changed,
// the output shows the same content at a later time, and can be written
// after those whose content changed.
func (k *keyer) Key(o *live.Output) live.Key {
	h := k.hashers.Get().(*hasher)
	defer k.hashers.Put(h)
	h.Reset()
	h.u64(k.base)
	h.str(o.Rel)
	var clock uint64
	switch v := viewOf(o); {
	case o.Kind == live.File:
		h.str(o.Source.Path)
		h.str(o.Source.Name)
		h.u64(k.version(o.Source.Path))
	case v == nil:
		// Without a view it may read anything.
		h.str(o.Layout)
		h.u64(k.whole())
	default:
		clock = k.viewKey(h, o, v)
	}
	return live.Key{Content: h.Sum64(), Clock: clock}
}

// Unchanged reports whether o reads none of the pages the body edits of
// this update changed (live.Keyer); false when there are none.
func (k *keyer) Unchanged(o *live.Output) bool {
	return k.edits != nil && !k.edits.affect(o)
}

func (k *keyer) viewKey(h *hasher, o *live.Output, v *view) (clock uint64) {
	h.str(o.Layout)
	h.u64(k.layouts[o.Layout].digest)
	h.str(v.kind)
	h.str(v.path)
	h.str(v.title)
	h.str(v.target)
	h.int(v.pagerN)
	h.int(v.pagerTotal)
	h.u64(k.cols)
	if v.column != nil {
		h.str(v.column.Name)
	}
	if v.section != nil {
		h.str(v.section.Path)
	}
	if v.crumb != nil {
		h.str(v.crumb.Title)
		h.str(v.crumb.URL)
	}
	h.u64(k.page(v.page))
	h.u64(k.branch(v.branch))
	if v.page != nil {
		h.u64(k.branch(v.page.Branch))
	}
	if v.task != nil {
		h.u64(k.page(v.task.Page))
		for _, b := range v.task.Branches {
			h.str(b)
		}
	}
	d := o.Reads
	content := d&depEntryContent != 0
	if len(v.pages) > memoPages {
		// A long list, such as every page for the search index's files,
		// which share their view.
		h.u64(k.memoize(memoKey{what: "view", view: v, content: content}, func(h *hasher) { k.pages(h, v.pages, content) }))
	} else {
		k.pages(h, v.pages, content)
	}
	if v.tag != nil {
		h.str(v.tag.Path)
		if v.pagerTotal > 1 {
			// A page of the list shows the tag's count.
			h.u64(k.memoize(memoKey{what: "tag", tag: v.tag}, func(h *hasher) { k.pages(h, v.tag.Pages, false) }))
		}
	}
	if d&depNeighbors != 0 && v.page != nil {
		h.u64(k.entry(v.page.Prev, content))
		h.u64(k.entry(v.page.Next, content))
	}
	if d&depBranchPosts != 0 {
		h.u64(k.branchPosts(v.branch, content))
		if v.page != nil {
			h.u64(k.branchPosts(v.page.Branch, content))
		}
	}
	if d&depColumnPages != 0 {
		h.u64(k.columnPages(v.column, content))
	}
	if d&depAllPages != 0 {
		h.u64(k.allPages(content))
	}
	if d&depBranches != 0 {
		h.u64(k.branches())
	}
	if d&depTasks != 0 {
		h.u64(k.tasks())
	}
	if d&depSite != 0 {
		h.u64(k.whole())
	}
	if d&(depClock|depStatus) != 0 {
		ch := k.hasher()
		if d&depClock != 0 {
			ch.u64(k.now)
		}
		if d&depStatus != 0 {
			ch.u64(k.status)
		}
		clock = ch.Sum64()
	}
	if d&depYear != 0 {
		h.u64(k.year)
	}
	return clock
}
