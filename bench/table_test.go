package main

import (
	"strings"
	"testing"
)

func TestWidth(t *testing.T) {
	tests := []struct {
		s    string
		want int
	}{
		{"dangwu", 6},
		{"用时", 4},
		{"构建（内存）", 12},
		{"≤ 0.5 ✓", 7},
		{"1,000 页", 8},
	}
	for _, tt := range tests {
		if got := width(tt.s); got != tt.want {
			t.Errorf("width(%q) = %d, want %d", tt.s, got, tt.want)
		}
	}
}

// TestTableAligns checks that every column starts at the same terminal
// column on every row, Chinese counting double.
func TestTableAligns(t *testing.T) {
	tb := &table{header: []string{"项目", "dangwu", "目标"}, right: []bool{false, true, false}}
	tb.heading("构建 10,000 页 → /dev/shm（内存），这一行很长也不加宽第一列")
	tb.add("  用时", "3.58 s", "≤ 0.5")
	tb.add("  峰值 RSS（最大）", "378 MiB")
	var b strings.Builder
	if err := tb.write(&b); err != nil {
		t.Fatal(err)
	}
	want := "项目" + strings.Repeat(" ", 17) + "dangwu  目标\n" +
		strings.Repeat("-", 34) + "\n" +
		"构建 10,000 页 → /dev/shm（内存），这一行很长也不加宽第一列\n" +
		"  用时" + strings.Repeat(" ", 15) + "3.58 s  ≤ 0.5\n" +
		"  峰值 RSS（最大）  378 MiB\n"
	if got := b.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
