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

// TestGCPercent checks the pace PaceGC sets: twice the live heap, as with
// GOGC=100, or up to the floor while little is live (issue 14).
func TestGCPercent(t *testing.T) {
	const mib = 1 << 20
	tests := []struct {
		live, floor uint64
		want        int
	}{
		{0, 192 * mib, 100}, // nothing measured yet: GOGC's own
		{2 * mib, 192 * mib, 9500},
		{64 * mib, 192 * mib, 200},
		{96 * mib, 192 * mib, 100},
		{500 * mib, 192 * mib, 100},
		{1, 1 << 62, 1 << 20},
	}
	for _, tt := range tests {
		if got := gcPercent(tt.live, tt.floor); got != tt.want {
			t.Errorf("gcPercent(%d, %d) = %d, want %d", tt.live, tt.floor, got, tt.want)
		}
		if got := tt.live + tt.live*uint64(gcPercent(tt.live, tt.floor))/100; tt.live > 0 && tt.live < tt.floor/2 && tt.floor < 1<<40 && got != tt.floor {
			t.Errorf("live %d may grow to %d, want the floor %d", tt.live, got, tt.floor)
		}
	}
}

// TestPaceGC checks that PaceGC paces the collector after collections
// and puts back GOGC=100, and that it leaves a GOGC of the process alone.
func TestPaceGC(t *testing.T) {
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)

	debug.SetGCPercent(300)
	PaceGC()()
	if got := debug.SetGCPercent(100); got != 300 {
		t.Errorf("with GOGC=300: the percentage after PaceGC is %d, want 300 kept", got)
	}

	restore := PaceGC()
	paced := false
	for i := 0; i < 100 && !paced; i++ {
		runtime.GC() // the cleanup of the collection before runs after it
		pct := debug.SetGCPercent(-1)
		debug.SetGCPercent(pct)
		paced = pct > 100 // a test binary's heap is far below the floor
	}
	restore()
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
