package generator

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// LimitHeap sets the process's soft memory limit to limitFactor times the
// heap live now, at least minLimit, and returns the limit set and a
// function that puts back the limit before; it sets nothing and returns 0
// when the process has a limit already (GOMEMLIMIT).
//
// For a one-off build, called between Load and Build. At the start of a
// build the heap holds every page's HTML, the search index and its files
// as they are made; left to GOGC alone it grows to twice what was live at
// the last collection before the next, which is the build's peak memory.
// Held to twice what was live after Load, the collector runs a few more
// times while the search files and the first pages are written, and the
// peak drops (issue 14, 10,000 pages, four alternating pairs of builds:
// peak RSS 278-316 MiB without, 243-256 MiB with; user CPU 6.4-9.3 s
// without, 8.2-9.7 s with, on a machine whose noise is as large: the
// price may be up to a second). Any limit in the environment
// (GOMEMLIMIT=100GiB, say) turns it off.
//
// 1.75 times, not twice, since the build got faster (issue 14, second
// round): with the search index fed on a goroutine of its own and the
// pages rendered at full speed on two cores, the heap overshot a limit of
// twice to 288-297 MiB of RSS (three builds), against 263-285 MiB at 1.75.
func LimitHeap() (limit int64, restore func()) {
	if debug.SetMemoryLimit(-1) != math.MaxInt64 {
		return 0, func() {}
	}
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0, func() {}
	}
	limit = max(minLimit, int64(float64(s[0].Value.Uint64())*limitFactor))
	debug.SetMemoryLimit(limit)
	return limit, func() { debug.SetMemoryLimit(math.MaxInt64) }
}

const (
	limitFactor = 1.75
	minLimit    = 64 << 20
)

// PaceGC sets the collector's pace for a one-off build's Load, and
// returns the Pacer to Stop after it, which puts back GOGC=100; it
// changes nothing and returns nil when the process has a GC percentage of
// its own (GOGC).
//
// The heap starts empty and grows to every page's HTML and the search
// index, and Load's garbage (front matter decoding, Markdown) comes while
// little is live. Left to GOGC=100, the collector runs every time the heap
// doubles from a few megabytes: 43 of a 10,000-page build's 54
// collections, 1.1 s of its CPU, came before Build (gctrace, issue 14).
// Paced, the heap may grow to a floor, or by three quarters of what was
// live after the last collection (paceGrowth) when that is more: the heap
// at the end of Load is a build's peak as much as Build's, which LimitHeap
// holds. The floor is floorHeap until Load tells the Pacer how much
// Markdown it read (Expect).
func PaceGC() *Pacer {
	if pct := debug.SetGCPercent(-1); pct != 100 {
		debug.SetGCPercent(pct)
		return nil
	}
	p := &Pacer{floor: floorHeap}
	p.set(liveHeap())
	p.arm()
	return p
}

// A Pacer sets the GC percentage after every collection of a Load. Its
// methods are safe for concurrent use, and do nothing on a nil Pacer.
type Pacer struct {
	mu      sync.Mutex
	floor   uint64
	stopped bool
}

// Stop ends the pace and puts back GOGC=100. It must be called before
// PaceGC is called again.
func (p *Pacer) Stop() {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.stopped = true
	p.mu.Unlock()
	debug.SetGCPercent(100)
}

// Expect raises the floor to three times (markdownFloor) the bytes of Markdown a
// load read, once it read them and before it renders them.
//
// At the end of Load the heap holds the HTML of every page, the search
// index and the site, 2.6 times the .md files at 10,000 pages (135 MB
// live, gctrace, against 52.5 MiB), and it may grow by three
// quarters of that: a floor below it lets the collector run less while
// little is live without raising the peak. With the fixed floor, a
// 30,000-page build's collector did 6.9 times the work of a 10,000-page
// build's (5.1 s against 0.74 s of assist and background marking, 39
// collections against 24: gctrace), which made the larger build take more
// than 3.3 times as long. With a fixed floor of 480 MiB (the corpus' .md
// files are 158 MiB, front matter included), the 30,000-page build took 6 %
// less CPU and its peak RSS did not rise (two alternated pairs: 22.3 and
// 21.7 s against 24.4 and 22.9 s; 660-676 MiB against 693-701 MiB). At
// 10,000 pages (52.5 MiB of files) the floor stays below the 236 MiB the
// heap reaches at the end of Load.
func (p *Pacer) Expect(markdown int64) {
	if p == nil || markdown <= 0 {
		return
	}
	p.mu.Lock()
	p.floor = max(p.floor, uint64(markdown)*markdownFloor/10)
	p.mu.Unlock()
	p.set(liveHeap())
}

// markdownFloor is the floor in tenths of the Markdown read (Expect).
const markdownFloor = 30

// sentinel is allocated for each collection to come; its cleanup runs
// after the collection that finds it unreachable. Large enough not to be
// a tiny allocation, which the runtime may keep alive with its neighbours.
type sentinel struct {
	_ [32]byte
	_ *int
}

// arm makes the next collection call p.collected.
func (p *Pacer) arm() {
	runtime.AddCleanup(new(sentinel), func(p *Pacer) { p.collected() }, p)
}

// collected paces the collection after the one just done.
func (p *Pacer) collected() {
	if p.set(liveHeap()) {
		p.arm()
	}
}

// set makes the heap grow by paceGrowth, or to p.floor when that is more,
// before the next collection, unless the pacer was stopped; it reports
// whether it set the pace.
func (p *Pacer) set(live liveBytes) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopped {
		return false
	}
	debug.SetGCPercent(gcPercent(live, p.floor))
	return true
}

// gcPercent is the GOGC that lets a heap with live bytes grow to floor, or
// by paceGrowth percent when that is more. The runtime grows the heap by
// GOGC percent of the live heap plus the stacks and globals it scans, and to
// at least its minimum heap, 4 MiB at GOGC=100, times GOGC/100.
func gcPercent(live liveBytes, floor uint64) int {
	base := live.heap + live.roots
	if live.heap == 0 {
		return 100
	}
	if live.heap+base*paceGrowth/100 >= floor {
		return paceGrowth
	}
	return int(min((floor-live.heap)*100/base, floor*100/minHeap))
}

// paceGrowth is the GOGC of a paced collector once the heap is past the
// floor. The last collection of Load sets Load's peak: at GOGC=100 it was
// twice what that collection found live, which is as much as the search
// index and every page's HTML held at the end of Load, a 250 MB heap at
// 10,000 pages, 20 % above the last round's peak (gctrace, issue 14). At
// 50 the collector cost a 30,000-page build 10-20 % more CPU (two
// alternated pairs each): 75 holds both sizes' peaks and their time.
const paceGrowth = 75

// minHeap is the runtime's least heap goal at GOGC=100.
const minHeap = 4 << 20

// liveBytes are what the last collection found live: the heap, and the
// stacks and globals it scanned.
type liveBytes struct{ heap, roots uint64 }

// liveHeap is what the last collection found live.
func liveHeap() liveBytes {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/gc/scan/stack:bytes"}, {Name: "/gc/scan/globals:bytes"}}
	metrics.Read(s)
	var v [3]uint64
	for i := range s {
		if s[i].Value.Kind() == metrics.KindUint64 {
			v[i] = s[i].Value.Uint64()
		}
	}
	return liveBytes{heap: v[0], roots: v[1] + v[2]}
}

// floorHeap is the heap below which a paced collector does not run. 192
// MiB paid with a higher peak once the build was fast (go run ./bench,
// 10,000 pages, quiet machine: peak RSS 320 MiB, 0.26 of Hugo's, at 192;
// 284 MiB at 96), as the heap Load grows to stays resident.
const floorHeap = 96 << 20
