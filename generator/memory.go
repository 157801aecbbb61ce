package generator

import (
	"math"
	"runtime/debug"
	"runtime/metrics"
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
	limitFactor = 2
	minLimit    = 64 << 20
)
