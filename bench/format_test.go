package main

import "testing"

func TestFormat(t *testing.T) {
	tests := []struct{ got, want string }{
		{thousands(12345.6), "12,346"},
		{thousands(999), "999"},
		{thousands(1000), "1,000"},
		{thousands(-1234), "-1,234"},
		{mebibytes(387072 * 1024), "378 MiB"},
		{mebibytes(1288490189), "1.20 GiB"},
		{seconds(3579e6), "3.58 s"},
		{seconds(353e6), "353 ms"},
		{formatMetric(metric{41.5, "p50-ms"}), "41.5 ms"},
		{formatMetric(metric{12345, "subs/s"}), "12,345 /s"},
		{formatMetric(metric{12.34, "ms/save-median"}), "12.3 ms"},
		{formatMetric(metric{3.2, "MB-heap-before"}), "3.20 MB"},
		{formatMetric(metric{-1.5, "%-growth"}), "-1.50%"},
		{formatMetric(metric{7, "files"}), "7.00"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

func TestJudge(t *testing.T) {
	half := &target{"≤", 0.5, "0.5"}
	tests := []struct {
		t           *target
		v           float64
		have        bool
		goal, check string
	}{
		{half, 0.35, true, "≤ 0.5", "✓"},
		{half, 0.5, true, "≤ 0.5", "✓"},
		{half, 0.6, true, "≤ 0.5", "✗"},
		{half, 0, false, "≤ 0.5", "未测"},
		{&target{"<", 20, "20 ms"}, 20, true, "< 20 ms", "✗"},
		{&target{"≥", 70, "70%"}, 72.6, true, "≥ 70%", "✓"},
		{nil, 1, true, "", ""},
	}
	for _, tt := range tests {
		goal, check := judge(tt.t, tt.v, tt.have)
		if goal != tt.goal || check != tt.check {
			t.Errorf("judge(%v, %v, %v) = %q, %q; want %q, %q", tt.t, tt.v, tt.have, goal, check, tt.goal, tt.check)
		}
	}
}
