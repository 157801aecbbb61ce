package generator

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestMistakes is the table of real-world mistakes of issue 13 (item 8):
// content written for Hugo, Hexo or by hand, each with every message a
// build prints for it, errors and warnings, exactly as printed.
func TestMistakes(t *testing.T) {
	base := map[string]string{
		"site.yaml":               "title: 测试\n",
		"content/news/_index.md":  "---\ntitle: 要闻\n---\n",
		"content/news/ok.md":      "---\ntitle: 好的\ndate: 2026-01-01\n---\n\n## 第一节\n",
		"content/news/img/a.png":  "PNG",
		"content/tasks/_index.md": "---\ntitle: 工作任务\n---\n",
	}
	tests := []struct {
		name  string
		files map[string]string
		errs  []string
		warns []string
	}{
		// Item 1: front matter.
		{"front matter never closed", map[string]string{"content/news/a.md": "---\ntitle: 通知\ndate: 2026-11-01\n\n正文。\n"},
			[]string{"content/news/a.md:1: 前置信息以第 1 行的 --- 开始，但没有结束的 --- 行（前置信息须以单独一行的 --- 结束）"}, nil},
		{"misspelled keys", map[string]string{"content/news/a.md": "---\ntitel: 通知\ntag: [党建]\ndat: 2026-01-01\n---\n"},
			nil, []string{
				`content/news/a.md:2: 警告：未知的前置信息 "titel"，已忽略；是否想写 "title"？`,
				`content/news/a.md:3: 警告：未知的前置信息 "tag"，已忽略；是否想写 "tags"？`,
				`content/news/a.md:4: 警告：未知的前置信息 "dat"，已忽略；是否想写 "date"？`}},
		{"a key of Hugo's", map[string]string{"content/news/a.md": "---\ntitle: a\nkeywords: [党建]\n---\n"},
			nil, []string{`content/news/a.md:3: 警告：前置信息 "keywords" 是 Hugo 的功能，dangwu 不支持，已忽略`}},
		{"two pages at one url", map[string]string{"content/news/a.md": "---\ntitle: a\nurl: /news/ok/\n---\n"},
			[]string{"content/news/ok.md: 网址 /news/ok/ 与 content/news/a.md 的网址相同"}, nil},
		{"a menu other than main", map[string]string{"content/about.md": "---\ntitle: 关于\nmenu: footer\n---\n"},
			[]string{`content/about.md:3: menu: dangwu 只有主导航 main，没有 "footer"`}, nil},
		{"a Hugo translation", map[string]string{"content/news/ok.en.md": "---\ntitle: OK\n---\n"},
			nil, []string{"content/news/ok.en.md: 警告：文件名 ok.en.md 像 Hugo 的多语言译文（语言 en）：dangwu 只有一种语言，它作为一个普通页面发布"}},
		// Item 2: layout.
		{"a section inside tasks", map[string]string{"content/tasks/2026/_index.md": "---\ntitle: 2026\n---\n"},
			[]string{"content/tasks/2026/_index.md: 工作任务栏目里不能有子栏目：每项任务写成 content/tasks/<编号>.md（或 content/tasks/<编号>/index.md）"}, nil},
		{"a section inside a branch", map[string]string{"content/branches/yi/_index.md": "---\ntitle: 一支部\n---\n",
			"content/branches/yi/2026/_index.md": "---\ntitle: 2026\n---\n"},
			[]string{"content/branches/yi/2026/_index.md: 支部之下不能再有子栏目：支部是 content/branches/<编号>/_index.md，其下只放支部自己的文章"}, nil},
		// Item 3: shortcodes.
		{"an unknown shortcode", map[string]string{"content/news/a.md": "---\ntitle: a\n---\n\n{{< youtube abc >}}\n"},
			[]string{"content/news/a.md:5: 未知的短代码 youtube（可用的有 ref、relref、admonition、audio、figure、highlight、notice、pdf、video；网站自己的短代码写成 layouts/_shortcodes/youtube.html）"}, nil},
		{"a shortcode never closed", map[string]string{"content/news/a.md": "---\ntitle: a\n---\n\n{{< figure src=\"img/a.png\"\n"},
			[]string{"content/news/a.md:5: 短代码 {{< 没有结束的 >}}"}, nil},
		{"a closing tag alone", map[string]string{"content/news/a.md": "---\ntitle: a\n---\n\n{{% /notice %}}\n"},
			[]string{"content/news/a.md:5: 短代码的结束标签 {{< /notice >}} 前面没有对应的开始标签"}, nil},
		{"a ref to no page", map[string]string{"content/news/a.md": "---\ntitle: a\n---\n\n[办法]({{< ref \"/rules/dangfei.md\" >}})\n"},
			[]string{"content/news/a.md:5: 链接 /rules/dangfei.md：页面不存在（没有 content/rules/dangfei.md）"}, nil},
		{"a ref to no heading", map[string]string{"content/news/a.md": "---\ntitle: a\n---\n\n{{< relref \"ok#第二节\" >}}\n"},
			[]string{`content/news/a.md:5: 链接 ok#第二节：content/news/ok.md 中没有锚点为 "第二节" 的标题`}, nil},
		{"a figure of no file, after a notice of three lines", map[string]string{"content/news/a.md": "---\ntitle: a\n---\n\n{{% notice %}}\n提示\n{{% /notice %}}\n{{< figure src=\"img/b.png\" >}}\n"},
			[]string{"content/news/a.md:8: 图片 img/b.png：文件不存在（没有 content/news/img/b.png）"}, nil},
		// Item 4: links and media.
		{"an image of no file", map[string]string{"content/news/a.md": "---\ntitle: a\n---\n\n![图](img/none.png)\n"},
			[]string{"content/news/a.md:5: 图片 img/none.png：文件不存在（没有 content/news/img/none.png）"}, nil},
		{"a file link out of place", map[string]string{"content/news/a.md": "---\ntitle: a\n---\n\n[办法](../files/办法.pdf)\n"},
			[]string{"content/news/a.md:5: 链接 ../files/办法.pdf：文件不存在（没有 content/files/办法.pdf）"}, nil},
		{"a link to no page", map[string]string{"content/news/a.md": "---\ntitle: a\n---\n\n见[通知](tongzhi.md)。\n"},
			[]string{"content/news/a.md:5: 链接 tongzhi.md：页面不存在（没有 content/news/tongzhi.md）"}, nil},
		// Item 5: raw HTML.
		{"a script and a handler", map[string]string{"content/news/a.md": "---\ntitle: a\n---\n\n10<sup>-21</sup>秒<script>alert(1)</script>\n\n<p onclick=\"x()\">点</p>\n"},
			nil, []string{
				"content/news/a.md:5: 警告：原始 HTML 标签 <script> 不在允许之列，已删除",
				"content/news/a.md:7: 警告：原始 HTML <p> 的属性 onclick 不在允许之列，已删除"}},
		// Item 6: every problem of every file at once, sorted.
		{"problems of several kinds and files", map[string]string{
			"content/news/b.md": "---\ntitle: b\ndate: 2026-13-45\n---\n\n{{< nope >}}\n",
			"content/news/a.md": "---\ntitle: a\n---\n\n[坏](no.md)\n",
		}, []string{
			"content/news/a.md:5: 链接 no.md：页面不存在（没有 content/news/no.md）",
			`content/news/b.md:3: date: "2026-13-45" 不是 Asia/Shanghai 时区的有效时间（请写成 2026-11-28 或 2026-11-28T17:00:00+08:00）`,
			"content/news/b.md:6: 未知的短代码 nope（可用的有 ref、relref、admonition、audio、figure、highlight、notice、pdf、video；网站自己的短代码写成 layouts/_shortcodes/nope.html）"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, files := range []map[string]string{base, tt.files} {
				for name, text := range files {
					p := filepath.Join(dir, filepath.FromSlash(name))
					os.MkdirAll(filepath.Dir(p), 0o755)
					if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			var warns []string
			_, err := New(Options{Source: dir, ThemesDir: filepath.Join("..", "themes"),
				Now:  func() time.Time { return fixedNow },
				Warn: func(m string) { warns = append(warns, m) }}).Load(context.Background())
			var errs []string
			if err != nil {
				errs = strings.Split(err.Error(), "\n")
			}
			if strings.Join(errs, "\n") != strings.Join(tt.errs, "\n") {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(errs, "\n"), strings.Join(tt.errs, "\n"))
			}
			if strings.Join(warns, "\n") != strings.Join(tt.warns, "\n") {
				t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(warns, "\n"), strings.Join(tt.warns, "\n"))
			}
			for _, m := range append(errs, warns...) {
				t.Log(m)
			}
		})
	}
}
