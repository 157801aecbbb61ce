package main

import "testing"

func TestStripFrontMatter(t *testing.T) {
	tests := []struct{ in, want string }{
		{"---\ntitle: 首页\n---\n\n正文\n", "\n正文\n"},
		{"+++\ntitle = \"首页\"\n+++\n正文", "正文"},
		{"---\n---\n正文", "正文"},
		{"---\ntitle: 无正文\n---", ""},
		{"# 标题\n\n正文", "# 标题\n\n正文"},
		{"---\n未闭合", "---\n未闭合"},
	}
	for _, tt := range tests {
		if got := string(stripFrontMatter([]byte(tt.in))); got != tt.want {
			t.Errorf("stripFrontMatter(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
