package generator

import (
	"math"
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
