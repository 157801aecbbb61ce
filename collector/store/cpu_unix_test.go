//go:build unix

package store_test

import (
	"syscall"
	"time"
)

// processCPU is the CPU time this process has used so far (user and
// system), for the benchmarks' CPU per submission.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
