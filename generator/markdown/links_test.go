package markdown

import (
	"slices"
	"strings"
	"testing"
)

func TestConvertLinks(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []Link
		// html are fragments the HTML must contain, notHTML ones it must not.
		html, notHTML []string
	}{
		{
			name: "relative link rewritten",
			src:  "见[党费规定](../rules/dangfei.md)。",
			want: []Link{{Dest: "../rules/dangfei.md", Path: "../rules/dangfei.md", Line: 1, Found: true}},
			html: []string{`<a href="/dangwu/rules/dangfei/">党费规定</a>`},
		},
		{
			name: "fragment kept as written",
			src:  "[第三条](../rules/dangfei.md#第三条-党费的计算)",
			want: []Link{{
				Dest: "../rules/dangfei.md#第三条-党费的计算", Path: "../rules/dangfei.md",
				Fragment: "第三条-党费的计算", Line: 1, Found: true,
			}},
			html: []string{`href="/dangwu/rules/dangfei/#%E7%AC%AC%E4%B8%89%E6%9D%A1-%E5%85%9A%E8%B4%B9%E7%9A%84%E8%AE%A1%E7%AE%97"`},
		},
		{
			name: "percent-escaped fragment unescaped in Link, kept in URL",
			src:  "[第三条](../rules/dangfei.md#%E7%AC%AC%E4%B8%89%E6%9D%A1)",
			want: []Link{{
				Dest: "../rules/dangfei.md#%E7%AC%AC%E4%B8%89%E6%9D%A1", Path: "../rules/dangfei.md",
				Fragment: "第三条", Line: 1, Found: true,
			}},
			html: []string{`href="/dangwu/rules/dangfei/#%E7%AC%AC%E4%B8%89%E6%9D%A1"`},
		},
		{
			name: "empty fragment dropped",
			src:  "[a](lesson-01/index.md#)",
			want: []Link{{Dest: "lesson-01/index.md#", Path: "lesson-01/index.md", Line: 1, Found: true}},
			html: []string{`href="/dangwu/study/lesson-01/"`},
		},
		{
			name: "escaped and angle-bracket paths",
			src:  "[a](my%20file.md) [b](<my file.md>)",
			want: []Link{
				{Dest: "my%20file.md", Path: "my file.md", Line: 1, Found: true},
				{Dest: "my file.md", Path: "my file.md", Line: 1, Found: true},
			},
			html: []string{`<a href="/dangwu/my-file/">a</a> <a href="/dangwu/my-file/">b</a>`},
		},
		{
			name:    "not found recorded and left as written",
			src:     "[缺失](missing.md#x) [大写](README.MD)",
			want:    []Link{{Dest: "missing.md#x", Path: "missing.md", Fragment: "x", Line: 1}, {Dest: "README.MD", Path: "README.MD", Line: 1}},
			html:    []string{`<a href="missing.md#x">缺失</a>`, `<a href="README.MD">大写</a>`},
			notHTML: []string{"/dangwu/"},
		},
		{
			name: "absolute URLs untouched",
			src: "[a](https://example.com/a.md) [b](//cdn.example.com/b.md) [c](/rules/dangfei.md)\n" +
				"[d](mailto:dangwu@example.md) [e](ftp:lesson-01/index.md) [f](HTTP://X/a.md)",
			html: []string{
				`href="https://example.com/a.md"`, `href="//cdn.example.com/b.md"`, `href="/rules/dangfei.md"`,
				`href="mailto:dangwu@example.md"`, `href="ftp:lesson-01/index.md"`, `href="HTTP://X/a.md"`,
			},
		},
		{
			name: "other files untouched",
			src:  "[a](photo.png) [b](a.md.bak) [c](dir/) [d](a.md?x=1) ![e](../rules/dangfei.md)",
			html: []string{`href="photo.png"`, `href="a.md.bak"`, `href="dir/"`, `href="a.md?x=1"`, `src="../rules/dangfei.md"`},
		},
		{
			name: "same-page fragments",
			src:  "[总体要求](#一总体要求) [顶部](#)\n\n[编码](#%E4%B8%80)",
			want: []Link{
				{Dest: "#一总体要求", Fragment: "一总体要求", Line: 1, Found: true},
				{Dest: "#%E4%B8%80", Fragment: "一", Line: 3, Found: true},
			},
			html: []string{`href="#%E4%B8%80%E6%80%BB%E4%BD%93%E8%A6%81%E6%B1%82"`, `href="#"`},
		},
		{
			name: "fifth line of a paragraph",
			src:  "第一行\n第二行\n第三行\n第四行\n第五行有[链接](../rules/dangfei.md)和[另一个](missing.md)\n第六行",
			want: []Link{
				{Dest: "../rules/dangfei.md", Path: "../rules/dangfei.md", Line: 5, Found: true},
				{Dest: "missing.md", Path: "missing.md", Line: 5},
			},
		},
		{
			name: "list items, nested",
			src:  "- 一\n- 二\n  - [三](lesson-01/index.md)\n\n1. 甲\n\n   乙 [丁](missing.md)\n",
			want: []Link{
				{Dest: "lesson-01/index.md", Path: "lesson-01/index.md", Line: 3, Found: true},
				{Dest: "missing.md", Path: "missing.md", Line: 7},
			},
		},
		{
			name: "table cells",
			src:  "说明\n\n| 名称 | 链接 |\n|---|---|\n| 甲 | 无 |\n| 乙 | [规定](../rules/dangfei.md) |\n| 丙 | [缺失](missing.md) |",
			want: []Link{
				{Dest: "../rules/dangfei.md", Path: "../rules/dangfei.md", Line: 6, Found: true},
				{Dest: "missing.md", Path: "missing.md", Line: 7},
			},
			html: []string{`<td><a href="/dangwu/rules/dangfei/">规定</a></td>`},
		},
		{
			name: "blockquote, heading, emphasis, image link",
			src:  "## [党章](missing.md)\n\n> 引文\n> **[强调](lesson-01/index.md)**\n\n[![图](x.png)](../rules/dangfei.md)",
			want: []Link{
				{Dest: "missing.md", Path: "missing.md", Line: 1},
				{Dest: "lesson-01/index.md", Path: "lesson-01/index.md", Line: 4, Found: true},
				{Dest: "../rules/dangfei.md", Path: "../rules/dangfei.md", Line: 6, Found: true},
			},
		},
		{
			name: "reference links report the line of use",
			src:  "开头\n\n按[规定][r]执行，\n另见[r]。\n\n[r]: ../rules/dangfei.md#第三条",
			want: []Link{
				{Dest: "../rules/dangfei.md#第三条", Path: "../rules/dangfei.md", Fragment: "第三条", Line: 3, Found: true},
				{Dest: "../rules/dangfei.md#第三条", Path: "../rules/dangfei.md", Fragment: "第三条", Line: 4, Found: true},
			},
		},
		{
			name: "footnotes",
			src:  "正文[^1]。\n\n[^1]: 注释第一行\n    注释第二行[第一课](lesson-01/index.md)\n",
			want: []Link{{Dest: "lesson-01/index.md", Path: "lesson-01/index.md", Line: 4, Found: true}},
			html: []string{`<a href="/dangwu/study/lesson-01/">第一课</a>`},
		},
		{
			name: "CRLF line endings",
			src:  "一\r\n二\r\n\r\n[三](missing.md)\r\n",
			want: []Link{{Dest: "missing.md", Path: "missing.md", Line: 4}},
		},
		{
			name: "link text on the next line",
			src:  "一\n[\n二](missing.md)",
			want: []Link{{Dest: "missing.md", Path: "missing.md", Line: 2}},
		},
	}
	r := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := r.Convert([]byte(tt.src), testResolve)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(res.Links, tt.want) {
				t.Errorf("Links =\n%+v\nwant\n%+v", res.Links, tt.want)
			}
			for _, s := range tt.html {
				if !strings.Contains(string(res.HTML), s) {
					t.Errorf("HTML = %s\nwant it to contain %s", res.HTML, s)
				}
			}
			for _, s := range tt.notHTML {
				if strings.Contains(string(res.HTML), s) {
					t.Errorf("HTML = %s\nwant it not to contain %s", res.HTML, s)
				}
			}
		})
	}
}

func TestConvertNilResolve(t *testing.T) {
	res, err := New().Convert([]byte("[a](../rules/dangfei.md) [b](#x)"), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []Link{
		{Dest: "../rules/dangfei.md", Path: "../rules/dangfei.md", Line: 1},
		{Dest: "#x", Fragment: "x", Line: 1, Found: true},
	}
	if !slices.Equal(res.Links, want) {
		t.Errorf("Links = %+v, want %+v", res.Links, want)
	}
}

func TestHasScheme(t *testing.T) {
	tests := []struct {
		s    string
		want bool
	}{
		{"https://x", true},
		{"mailto:a@b", true},
		{"svn+ssh:x", true},
		{"a.md", false},
		{"1http:x", false},
		{":x", false},
		{"../a:b.md", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := hasScheme(tt.s); got != tt.want {
			t.Errorf("hasScheme(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}
