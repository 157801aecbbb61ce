package content

import (
	"strings"
	"testing"
)

// TestSlugify is the slug table of issue 16: file names as editors type
// them give URLs without spaces or punctuation, the same on every OS.
func TestSlugify(t *testing.T) {
	tests := []struct{ name, want string }{
		{"dangfei", "dangfei"},
		{"2026-dangfei-banfa-yinfa", "2026-dangfei-banfa-yinfa"},
		{"关于党费的通知 2026", "关于党费的通知-2026"},
		{"关于党费的通知　2026", "关于党费的通知-2026"}, // ideographic space
		{"  前后有空格  ", "前后有空格"},
		{"Ｑ４ 工作计划（草案）", "q4-工作计划-草案"},
		{"关于印发《党费收缴使用管理办法》的通知", "关于印发-党费收缴使用管理办法-的通知"},
		{"一、二、三", "一-二-三"},
		{"会议纪要：第3次，2026年", "会议纪要-第3次-2026年"},
		{"MixedCase File", "mixedcase-file"},
		{"a__b--c..d", "a-b-c-d"},
		{"v1.2", "v1-2"},
		{"Café", "café"},
		{"Cafe\u0301", "café"}, // macOS's decomposed form
		{"ÀÉÎ", "àéî"},
		{"！！！", ""},
		{"", ""},
		{"..", ""},
		{"a/b\\c", "a-b-c"},
		{"党费 №1", "党费-1"},
	}
	for _, tt := range tests {
		if got := Slugify(tt.name); got != tt.want {
			t.Errorf("Slugify(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestFileNameURLs: a page's URL comes from the slug of its file or bundle
// folder name, and its title, when it has none, from the name as typed.
func TestFileNameURLs(t *testing.T) {
	s, err := load(t, map[string]string{
		"news/_index.md":       "---\ntitle: 要闻\n---\n",
		"news/关于党费的通知 2026.md": "正文。\n",
		"news/（转发）工作要点 Q4.md":  "# 工作要点\n\n正文。\n",
		"news/会议 材料/index.md":  "---\ntitle: 会议材料\n---\n",
		"news/会议 材料/附件 1.pdf":  "%PDF",
		"news/named.md":        "---\ntitle: 自定\nslug: Custom-Slug\n---\n",
		"Notice Board.md":      "---\ntitle: 公告\n---\n",
	}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]string{ // source → URL path, title
		"news/关于党费的通知 2026.md": {"news/关于党费的通知-2026/", "关于党费的通知 2026"},
		"news/（转发）工作要点 Q4.md":  {"news/转发-工作要点-q4/", "工作要点"},
		"news/会议 材料/index.md":  {"news/会议-材料/", "会议材料"},
		"news/named.md":        {"news/Custom-Slug/", "自定"},
		"Notice Board.md":      {"notice-board/", "公告"},
	}
	for src, w := range want {
		p := s.All[src]
		if p == nil {
			t.Errorf("%s not loaded", src)
			continue
		}
		if p.Path != w[0] || p.Title != w[1] {
			t.Errorf("%s: path %q title %q, want %q %q", src, p.Path, p.Title, w[0], w[1])
		}
		if strings.ContainsAny(p.Path, " \\") {
			t.Errorf("%s: URL %q has a space or a backslash", src, p.Path)
		}
	}
}

// TestCaseCollision: two pages whose URLs differ only in case are an
// error naming both files, since Windows would write them to one folder.
func TestCaseCollision(t *testing.T) {
	_, err := load(t, map[string]string{
		"news/_index.md": "---\ntitle: 要闻\n---\n",
		"news/report.md": "---\ntitle: 报告\n---\n",
		"news/other.md":  "---\ntitle: 另一篇\nslug: Report\n---\n",
	}, Options{})
	if err == nil {
		t.Fatal("load succeeded")
	}
	msg := err.Error()
	for _, want := range []string{"content/news/report.md: 网址 /news/report/ 与 content/news/other.md 的网址 /news/Report/ 只有大小写不同", "请改名或用 slug 区分"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
}

func TestNameWithoutLetters(t *testing.T) {
	_, err := load(t, map[string]string{"news/！！.md": "正文\n"}, Options{})
	if err == nil || !strings.Contains(err.Error(), `content/news/！！.md: 文件名 "！！" 里没有字母、汉字或数字`) {
		t.Errorf("err = %v", err)
	}
}
