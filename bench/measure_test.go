package main

import (
	"testing"
	"time"
)

func TestSummarize(t *testing.T) {
	f := summarize([]sample{{wall: 3e9, cpu: 5e9, rss: 100}, {wall: 1e9, cpu: 2e9, rss: 300}, {wall: 2e9, cpu: 4e9, rss: 200}})
	if f.wall != 2e9 || f.cpu != 4e9 || f.rss != 300 {
		t.Errorf("summarize = %+v, want median wall 2 s, median CPU 4 s, max RSS 300", f)
	}
	if got := median([]time.Duration{4, 1, 3, 2}); got != 2 {
		t.Errorf("median of four = %v, want 2 (the mean of 2 and 3, truncated)", got)
	}
}
