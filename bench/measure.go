package main

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"
)

// sample is one timed run of a child process.
type sample struct {
	wall time.Duration
	cpu  time.Duration // user and system time of the child
	rss  int64         // peak resident set size, bytes
}

// measure runs a command to completion and returns its wall time, and the
// child's own CPU time and peak RSS from its rusage. A failure carries the end of the
// command's output.
func measure(ctx context.Context, name string, args ...string) (sample, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return sample{}, fmt.Errorf("%s %s: %w\n%s", filepath.Base(name), strings.Join(args, " "), err, lastLines(out.String(), 10))
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return sample{wall: wall}, nil
	}
	rss := int64(ru.Maxrss)
	if runtime.GOOS != "darwin" { // Linux and the BSDs report KiB, macOS bytes
		rss *= 1024
	}
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return sample{wall: wall, cpu: cpu, rss: rss}, nil
}

// figures summarise the runs of one generator on one corpus and folder:
// the median wall and CPU times and the largest peak RSS.
type figures struct {
	wall, cpu time.Duration
	rss       int64
}

// summarize returns the median wall and CPU times and the maximum RSS of
// samples.
func summarize(samples []sample) figures {
	var walls, cpus []time.Duration
	var f figures
	for _, s := range samples {
		walls = append(walls, s.wall)
		cpus = append(cpus, s.cpu)
		f.rss = max(f.rss, s.rss)
	}
	f.wall, f.cpu = median(walls), median(cpus)
	return f
}

// median sorts d and returns its middle, or the mean of the two middles.
func median(d []time.Duration) time.Duration {
	slices.Sort(d)
	n := len(d)
	switch {
	case n == 0:
		return 0
	case n%2 == 1:
		return d[n/2]
	}
	return (d[n/2-1] + d[n/2]) / 2
}

// lastLines is the last n lines of s, for error messages.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
