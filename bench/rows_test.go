package main

import "testing"

func TestServeTarget(t *testing.T) {
	tests := []struct {
		name, unit string
		want       string
	}{
		{"BenchmarkServeEdit", "p50-ms", "< 50 ms"},
		{"BenchmarkEdit/debounce=1ms", "ms/save-median", "< 51 ms（含防抖）"},
		{"BenchmarkEdit/debounce=100ms", "ms/save-median", "< 150 ms（含防抖）"},
		{"BenchmarkEdit/debounce=1ms", "ms/save-worst", "≤ 100 ms"},
		{"BenchmarkEdit/settle=default", "ms/save-median", "< 50 ms"},
		{"BenchmarkEdit", "ms/save-all-worst", "≤ 整站构建 4.00 s"},
		{"BenchmarkEdit", "ms/create-worst", "≤ 整站构建 4.00 s"},
		{"BenchmarkEdit", "ms/create-median", "≤ 150 ms"},
		{"BenchmarkEdit", "ms/create-all-median", ""},
		{"BenchmarkEdit", "ms/save-all-median", ""},
		{"BenchmarkMemory", "MB-heap-after-500", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name+" "+tt.unit, func(t *testing.T) {
			got := ""
			if tg := serveTarget(tt.name, tt.unit, 4e9, true); tg != nil {
				got = tg.String()
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
