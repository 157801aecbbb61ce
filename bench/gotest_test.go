package main

import (
	"reflect"
	"testing"
)

func TestParseBench(t *testing.T) {
	out := `goos: linux
goarch: amd64
pkg: github.com/dangwu-org/dangwu/collector/sqlite
cpu: Intel(R) Xeon(R) Processor
BenchmarkSubmit-2   	   20000	     52345 ns/op	     12345 subs/s	         1.230 p50-ms	         9.870 p99-ms	     17000 raw-rows/s	        72.62 %-of-raw
BenchmarkBuild/pages=1000-2         	       1	 353000000 ns/op	      2832 pages/s
BenchmarkFeedback-2   	time=2026-11-28 level=INFO msg=rendered
      30	  45000000 ns/op	        41.50 p50-ms	        97.00 p99-ms
--- FAIL: BenchmarkBroken-2
PASS
ok  	github.com/dangwu-org/dangwu/collector/sqlite	12.345s
`
	want := []result{
		{name: "BenchmarkSubmit", n: 20000, metrics: []metric{{52345, "ns/op"}, {12345, "subs/s"}, {1.23, "p50-ms"}, {9.87, "p99-ms"}, {17000, "raw-rows/s"}, {72.62, "%-of-raw"}}},
		{name: "BenchmarkBuild/pages=1000", n: 1, metrics: []metric{{353000000, "ns/op"}, {2832, "pages/s"}}},
		{name: "BenchmarkFeedback", n: 30, metrics: []metric{{45000000, "ns/op"}, {41.5, "p50-ms"}, {97, "p99-ms"}}},
	}
	got := parseBench(out)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("parseBench:\n got %+v\nwant %+v", got, want)
	}
	if v, ok := got[0].metric("p99-ms"); !ok || v != 9.87 {
		t.Errorf("metric(p99-ms) = %v, %v; want 9.87, true", v, ok)
	}
	if _, ok := got[0].metric("edit-ms"); ok {
		t.Errorf("metric(edit-ms) found a metric that is not there")
	}
}

func TestFailure(t *testing.T) {
	out := "goos: linux\nBenchmarkEdit/debounce=1ms-2 \t--- FAIL: BenchmarkEdit/debounce=1ms-2\n    bench_test.go:108: no reload of /news/p00042/\nFAIL\nexit status 1\nFAIL\tgithub.com/dangwu-org/dangwu/generator/serve\t60.1s\n"
	want := "--- FAIL: BenchmarkEdit/debounce=1ms-2\n    bench_test.go:108: no reload of /news/p00042/\nFAIL\nexit status 1"
	if got := failure(out); got != want {
		t.Errorf("failure:\n got %q\nwant %q", got, want)
	}
	if got := failure("a\nb\n"); got != "a\nb" {
		t.Errorf("failure without FAIL = %q, want the last lines", got)
	}
}
