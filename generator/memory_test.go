package generator

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
)

// TestLimitHeap checks that LimitHeap sets a limit of at least minLimit,
// and leaves a limit the process has (GOMEMLIMIT) as it is (issue 14).
func TestLimitHeap(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(before)

	debug.SetMemoryLimit(1 << 40)
	if got, _ := LimitHeap(); got != 0 || debug.SetMemoryLimit(-1) != 1<<40 {
		t.Errorf("with a limit set: LimitHeap() = %d, limit %d; want 0 and the limit kept", got, debug.SetMemoryLimit(-1))
	}
	debug.SetMemoryLimit(math.MaxInt64)
	got, restore := LimitHeap()
	if got < minLimit || debug.SetMemoryLimit(-1) != got {
		t.Errorf("LimitHeap() = %d, limit %d; want the limit set, at least %d", got, debug.SetMemoryLimit(-1), minLimit)
	}
	restore()
	if l := debug.SetMemoryLimit(-1); l != math.MaxInt64 {
		t.Errorf("after restore the limit is %d, want none", l)
	}
}

// TestGCPercent checks the pace PaceGC sets: up to the floor while little
// is live, then three quarters as much again as is live (GOGC=75: Load's last
// collection sets its peak), the stacks and globals counted as the runtime
// counts them (issue 14).
func TestGCPercent(t *testing.T) {
	const mib = 1 << 20
	tests := []struct {
		live  liveBytes
		floor uint64
		want  int
	}{
		{liveBytes{}, 192 * mib, 100},                               // nothing measured yet: GOGC's own
		{liveBytes{heap: 1 * mib, roots: 1 * mib}, 192 * mib, 4800}, // held by the minimum heap
		{liveBytes{heap: 8 * mib, roots: 1 * mib}, 192 * mib, 2044},
		{liveBytes{heap: 64 * mib}, 192 * mib, 200},
		{liveBytes{heap: 94 * mib, roots: 2 * mib}, 192 * mib, 102},
		{liveBytes{heap: 96 * mib, roots: 1 * mib}, 192 * mib, 98},
		{liveBytes{heap: 110 * mib, roots: 1 * mib}, 192 * mib, 75},
		{liveBytes{heap: 500 * mib, roots: 1 * mib}, 192 * mib, 75},
	}
	for _, tt := range tests {
		pct := gcPercent(tt.live, tt.floor)
		if pct != tt.want {
			t.Errorf("gcPercent(%+v, %d) = %d, want %d", tt.live, tt.floor, pct, tt.want)
		}
		goal := max(tt.live.heap+(tt.live.heap+tt.live.roots)*uint64(pct)/100, minHeap*uint64(pct)/100)
		if goal > max(tt.floor, tt.live.heap+(tt.live.heap+tt.live.roots)*paceGrowth/100) {
			t.Errorf("live %+v may grow to %d MiB, more than the floor %d MiB and paceGrowth more than the live heap", tt.live, goal/mib, tt.floor/mib)
		}
		if tt.live.heap > 0 && pct > paceGrowth && goal < tt.floor-tt.floor/50 {
			t.Errorf("live %+v may grow to %d MiB only, want the floor %d MiB", tt.live, goal/mib, tt.floor/mib)
		}
	}
}

// TestPaceGC checks that PaceGC paces the collector after collections
// and puts back GOGC=100, and that it leaves a GOGC of the process alone.
func TestPaceGC(t *testing.T) {
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)

	debug.SetGCPercent(300)
	if p := PaceGC(); p != nil {
		t.Error("with GOGC=300: PaceGC returned a Pacer, want nil")
	}
	if got := debug.SetGCPercent(100); got != 300 {
		t.Errorf("with GOGC=300: the percentage after PaceGC is %d, want 300 kept", got)
	}

	p := PaceGC()
	paced := false
	for i := 0; i < 100 && !paced; i++ {
		runtime.GC() // the cleanup of the collection before runs after it
		pct := debug.SetGCPercent(-1)
		debug.SetGCPercent(pct)
		paced = pct > 100 // a test binary's heap is far below the floor
	}
	p.Stop()
	if !paced {
		t.Error("after 100 collections the GC percentage is still 100, want the floor's")
	}
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("after restore the percentage is %d, want 100", got)
	}
	runtime.GC()
	runtime.GC()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("a collection after restore set the percentage to %d, want it left at 100", got)
	}
}

// TestPacerExpect checks that the floor rises to 3 times the Markdown a
// load read, never falls, and that a nil Pacer does nothing.
func TestPacerExpect(t *testing.T) {
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)

	var none *Pacer
	none.Expect(1 << 30)
	none.Stop()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Fatalf("a nil Pacer set the percentage to %d", got)
	}

	p := PaceGC()
	defer p.Stop()
	pct := func() int { v := debug.SetGCPercent(-1); debug.SetGCPercent(v); return v }
	low := pct()
	p.Expect(1 << 30)
	if p.floor != 3<<30 {
		t.Errorf("after 1 GiB of Markdown the floor is %d MiB, want 3072", p.floor>>20)
	}
	if high := pct(); high <= low {
		t.Errorf("after 1 GiB of Markdown the percentage is %d, want more than the %d before", high, low)
	}
	p.Expect(1 << 20)
	if p.floor != 3<<30 {
		t.Errorf("a smaller load lowered the floor to %d MiB", p.floor>>20)
	}
}
