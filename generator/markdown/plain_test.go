package markdown

import (
	"slices"
	"testing"

	"github.com/dangwu-org/dangwu/generator/site"
)

func TestConvertPlain(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"empty", "", ""},
		{"wrapped Chinese joins", "党员要认真学习党章\n自觉遵守党的纪律", "党员要认真学习党章自觉遵守党的纪律"},
		{"fullwidth punctuation joins", "一是学习，\n二是实践。", "一是学习，二是实践。"},
		{"Chinese and Latin get a space", "学习\nGo语言\nand\nmore", "学习 Go语言 and more"},
		{"break around emphasis and links", "**重点**\n内容与[链接](missing.md)\n继续\nread the\n*docs*", "重点内容与链接继续 read the docs"},
		{"hard break", "第一行\\\n第二行", "第一行\n第二行"},
		{"CRLF", "第一行\r\n第二行\r\n\r\n第二段\r\n", "第一行第二行\n第二段"},
		{"blocks on lines", "# 标题\n\n段落一\n\n- 甲\n- 乙\n\n> 引文\n\n---\n\n段落二", "标题\n段落一\n甲\n乙\n引文\n段落二"},
		{"escapes and references", "a\\*b\\\\c &amp; &lt;x&gt; &#20013;&#x6587; &copy; &nosuch; \\&amp;", "a*b\\c & <x> 中文 © &nosuch; &amp;"},
		{"escaped space dropped", "**中文**\\ 文字", "中文文字"},
		{"code span literal", "用 `a\\*b &amp;` 和 `多\n行`", "用 a\\*b &amp; 和 多 行"},
		{"fenced and indented code", "说明\n\n```go\nfunc main() {\n\tfmt.Println(\"<x>\")\n}\n```\n\n    indented\n\n结束", "说明\nfunc main() {\n\tfmt.Println(\"<x>\")\n}\nindented\n结束"},
		{"image alt text", "前![党徽 图片](a.png)后", "前党徽 图片后"},
		{"autolinks", "见 https://example.com/x 和 <a@example.com>", "见 https://example.com/x 和 a@example.com"},
		{"raw HTML omitted", "<div>\n块\n</div>\n\n文<b>粗</b>字<!-- 注释 -->", "文粗字"},
		{"table cells tab-separated", "| 姓名 | 职务 |\n|---|---|\n| 张三 | 书记 |", "姓名\t职务\n张三\t书记"},
		{"task list and strikethrough", "- [x] 完成\n- [ ] ~~未~~做", "完成\n未做"},
		{"footnotes without markers", "正文[^1]。\n\n[^1]: 注释。", "正文。\n注释。"},
	}
	r := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := r.Convert([]byte(tt.src), testResolve)
			if err != nil {
				t.Fatal(err)
			}
			if res.Plain != tt.want {
				t.Errorf("Plain = %q, want %q", res.Plain, tt.want)
			}
		})
	}
}

func TestConvertHeadings(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []site.Heading
	}{
		{"none", "正文", nil},
		{
			name: "levels and Chinese ids",
			src:  "# 关于党费\n\n## 第三条 党费的计算\n\n### 一、总体要求\n\n#### Go 语言 (2026)\n\n###### 六级",
			want: []site.Heading{
				{Level: 1, ID: "关于党费", Text: "关于党费"},
				{Level: 2, ID: "第三条-党费的计算", Text: "第三条 党费的计算"},
				{Level: 3, ID: "一总体要求", Text: "一、总体要求"},
				{Level: 4, ID: "go-语言-2026", Text: "Go 语言 (2026)"},
				{Level: 6, ID: "六级", Text: "六级"},
			},
		},
		{
			name: "duplicates, explicit ids reserved wherever they are",
			src:  "## 学习\n\n## 学习\n\n## 学习 {#学习-2}\n\n## 学习\n\n## 其他 {#学习}",
			want: []site.Heading{
				{Level: 2, ID: "学习-1", Text: "学习"},
				{Level: 2, ID: "学习-3", Text: "学习"},
				{Level: 2, ID: "学习-2", Text: "学习"},
				{Level: 2, ID: "学习-4", Text: "学习"},
				{Level: 2, ID: "学习", Text: "其他"},
			},
		},
		{
			name: "empty headings, in order",
			src:  "##\n\n## ！\n\n## heading",
			want: []site.Heading{
				{Level: 2, ID: "heading", Text: ""},
				{Level: 2, ID: "heading-1", Text: "！"},
				{Level: 2, ID: "heading-2", Text: "heading"},
			},
		},
		{
			name: "an empty explicit id counts as none",
			src:  "# 标题{#}",
			want: []site.Heading{{Level: 1, ID: "标题", Text: "标题"}},
		},
		{
			name: "markup and links in headings",
			src:  "## 学习 **Go** 与 `fmt.Println`\n\n## [党章](../rules/dangfei.md) 全文\n\n## A &amp; B\\_C",
			want: []site.Heading{
				{Level: 2, ID: "学习-go-与-fmtprintln", Text: "学习 Go 与 fmt.Println"},
				{Level: 2, ID: "党章-全文", Text: "党章 全文"},
				{Level: 2, ID: "a--b_c", Text: "A & B_C"},
			},
		},
		{
			name: "setext and nested headings",
			src:  "第一\n节\n===\n\n> ## 引文中的标题\n\n- ### 列表中的标题",
			want: []site.Heading{
				{Level: 1, ID: "第一节", Text: "第一节"},
				{Level: 2, ID: "引文中的标题", Text: "引文中的标题"},
				{Level: 3, ID: "列表中的标题", Text: "列表中的标题"},
			},
		},
	}
	r := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := r.Convert([]byte(tt.src), testResolve)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(res.Headings, tt.want) {
				t.Errorf("Headings =\n%+v\nwant\n%+v", res.Headings, tt.want)
			}
		})
	}
}

func TestHeadingID(t *testing.T) {
	tests := []struct {
		text, want string
	}{
		{"第三条 党费的计算", "第三条-党费的计算"},
		{"一、总体要求", "一总体要求"},
		{"Go 语言 (2026)", "go-语言-2026"},
		{"  前后 \t 空白  ", "前后-空白"},
		{"第二节　要点", "第二节-要点"},
		{"C++ & Go", "c--go"},
		{"snake_case-and-dash", "snake_case-and-dash"},
		{"Ünïcödé ÀB", "Ünïcödé-Àb"}, // only ASCII is lower-cased
		{"２０２６年", "２０２６年"},
		{"《党章》：“学习”！", "党章学习"},
		{"", "heading"},
		{"？！……", "heading"},
	}
	for _, tt := range tests {
		if got := headingID(tt.text); got != tt.want {
			t.Errorf("headingID(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}
