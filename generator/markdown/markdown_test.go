package markdown

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/testutil"
)

// pages is the site the tests resolve links against.
var testPages = map[string]string{
	"../rules/dangfei.md": "/dangwu/rules/dangfei/",
	"lesson-01/index.md":  "/dangwu/study/lesson-01/",
	"my file.md":          "/dangwu/my-file/",
}

func testResolve(dest string) (string, bool) {
	url, ok := testPages[dest]
	return url, ok
}

// convertMarkdown runs goldmark's case files through Renderer.Convert, so
// they cover the link rewriting too.
type convertMarkdown struct {
	goldmark.Markdown
	r *Renderer
}

func (m convertMarkdown) Convert(src []byte, w io.Writer, _ ...parser.ParseOption) error {
	res, err := m.r.Convert(src, testResolve)
	if err != nil {
		return err
	}
	_, err = w.Write(res.HTML)
	return err
}

func TestCaseFiles(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no case files in testdata")
	}
	r := New()
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			testutil.DoTestCaseFile(convertMarkdown{Markdown: r.md, r: r}, file, t)
		})
	}
}

// TestCaseFilesGoldmark runs the case files through the goldmark pipeline
// alone, as other goldmark users would: everything but the link rewriting
// must come out the same.
func TestCaseFilesGoldmark(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		if base := filepath.Base(file); base == "links.txt" || base == "html.txt" {
			continue
		}
		t.Run(filepath.Base(file), func(t *testing.T) {
			testutil.DoTestCaseFile(newMarkdown(), file, t)
		})
	}
}

func TestConvertRawHTML(t *testing.T) {
	src := "<script>alert(1)</script>\n\n正文<script>alert(2)</script>\n\n<SCRIPT src=x></SCRIPT>"
	res, err := New().Convert([]byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.ToLower(string(res.HTML)); strings.Contains(got, "<script") {
		t.Errorf("HTML = %q, has a <script>", got)
	}
	// What a dropped script holds is dropped with it, also from the text.
	if got, want := res.Plain, "正文"; got != want {
		t.Errorf("Plain = %q, want %q", got, want)
	}
}

// TestConvertConcurrent shares one Renderer between goroutines; run it
// with -race.
func TestConvertConcurrent(t *testing.T) {
	r := New()
	src := benchPage()
	want, err := r.Convert(src, testResolve)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				got, err := r.Convert(src, testResolve)
				if err != nil {
					t.Error(err)
					return
				}
				if string(got.HTML) != string(want.HTML) || got.Plain != want.Plain ||
					len(got.Links) != len(want.Links) || len(got.Headings) != len(want.Headings) {
					t.Error("concurrent Convert gave a different result")
					return
				}
			}
		})
	}
	wg.Wait()
}

// benchPage returns a Chinese page of about 3,000 characters with headings,
// a table, lists, emphasis and links, both found and missing.
func benchPage() []byte {
	var b strings.Builder
	b.WriteString("关于开展2026年度党费收缴工作的通知\n\n")
	for i := range 7 {
		fmt.Fprintf(&b, "## 第%d条 党费的计算与缴纳\n\n", i+1)
		b.WriteString("各党支部要**高度重视**党费收缴工作，按照《中国共产党章程》和\n")
		b.WriteString("[党费规定](../rules/dangfei.md#第三条-党费的计算)的要求，认真做好\n")
		b.WriteString("党员工资收入基数的核定工作。对于按时足额缴纳党费有困难的党员，\n")
		b.WriteString("经支部委员会研究，可以少交或者免交，详见[第一课](lesson-01/index.md)。\n")
		b.WriteString("党员要学习Go语言和e-mail使用，参见 https://example.com/docs 。\n\n")
		b.WriteString("| 收入（元） | 比例 | 备注 |\n|:---|:---:|---:|\n")
		b.WriteString("| 3000以下 | 0.5% | 税后 |\n| 3000–5000 | 1% | [说明](#说明) |\n| 5000以上 | 2% | [缺失](missing.md) |\n\n")
		b.WriteString("- 第一项：按月缴纳\n- 第二项：按季度缴纳\n- [ ] 第三项：年底前补齐\n\n")
		b.WriteString("> 党费是党组织活动经费的重要来源，要做到专款专用。\n\n")
	}
	b.WriteString("## 说明\n\n本通知自印发之日起施行[^1]。\n\n[^1]: 由党委组织部负责解释。\n")
	return []byte(b.String())
}

func BenchmarkConvert(b *testing.B) {
	r := New()
	src := benchPage()
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Convert(src, testResolve); err != nil {
			b.Fatal(err)
		}
	}
}

// TestSanitizer is the allow and deny table of raw HTML in the safe mode
// (issue 13): what is kept, what is dropped, and the warning an editor
// reads for each part dropped, at its line.
func TestSanitizer(t *testing.T) {
	tests := []struct {
		name, src, html string
		warn            []string
	}{
		{"sup and sub keep their meaning", "10<sup>-21</sup>秒，H<sub>2</sub>O", "<p>10<sup>-21</sup>秒，H<sub>2</sub>O</p>\n", nil},
		{"u mark kbd", "<u>下划线</u><mark>重点</mark><kbd>Ctrl</kbd>", "<p><u>下划线</u><mark>重点</mark><kbd>Ctrl</kbd></p>\n", nil},
		{"br", "第一行<br>第二行<br/>第三行", "<p>第一行<br>第二行<br />第三行</p>\n", nil},
		{"span with a class", `<span class="red 重要">红</span>`, `<p><span class="red 重要">红</span></p>` + "\n", nil},
		{"style attribute", `<span style="color:red">红</span>`, "<p><span>红</span></p>\n",
			[]string{"1: 原始 HTML <span> 的属性 style 不在允许之列，已删除"}},
		{"event handler", "文字\n<img src=\"a.png\" onerror=\"alert(1)\">", "<p>文字\n<img src=\"a.png\"></p>\n",
			[]string{"2: 原始 HTML <img> 的属性 onerror 不在允许之列，已删除"}},
		{"external image", `图<img src="http://example.com/a.png" alt="外">`, "<p>图</p>\n",
			[]string{`1: 原始 HTML <img> 的 src="http://example.com/a.png" 不安全或不在站内，已删除`}},
		{"protocol-relative image", `<img src="//cdn.example.com/a.png">`, "",
			[]string{`1: 原始 HTML <img> 的 src="//cdn.example.com/a.png" 不安全或不在站内，已删除`}},
		{"javascript link", `<a href="javascript:alert(1)">点</a>`, "<p>点</p>\n",
			[]string{`1: 原始 HTML <a> 的 href="javascript:alert(1)" 不安全或不在站内，已删除`}},
		{"safe link", `<a href="https://www.gov.cn/" title="政府网">中国政府网</a>`, `<p><a href="https://www.gov.cn/" title="政府网">中国政府网</a></p>` + "\n", nil},
		{"script block", "正文\n\n<script>\nalert(1)\n</script>\n", "<p>正文</p>\n",
			[]string{"3: 原始 HTML 标签 <script> 不在允许之列，已删除"}},
		{"inline script", "正文<script>alert(1)</script>完", "<p>正文完</p>\n",
			[]string{"1: 原始 HTML 标签 <script> 不在允许之列，已删除"}},
		{"style block", "<style>\nbody{color:red}\n</style>\n", "",
			[]string{"1: 原始 HTML 标签 <style> 不在允许之列，已删除"}},
		{"iframe", `<iframe src="https://example.com/"></iframe>`, "",
			[]string{"1: 原始 HTML 标签 <iframe> 不在允许之列，已删除"}},
		{"form", "<form action=\"/x\"><input name=\"a\"></form>", "",
			[]string{"1: 原始 HTML 标签 <form> 不在允许之列，已删除", "1: 原始 HTML 标签 <input> 不在允许之列，已删除"}},
		{"font", `<font color="red">红</font>`, "<p>红</p>\n",
			[]string{"1: 原始 HTML 标签 <font> 不在允许之列，已删除"}},
		{"table with colspan", "<table>\n<tr><td colspan=\"2\" style=\"x\">合并</td></tr>\n</table>\n",
			"<table>\n<tr><td colspan=\"2\">合并</td></tr>\n</table>\n",
			[]string{"2: 原始 HTML <td> 的属性 style 不在允许之列，已删除"}},
		{"comments vanish silently", "文字<!-- 备注 -->完", "<p>文字完</p>\n", nil},
	}
	r := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := r.ConvertWith([]byte(tt.src), Resolvers{})
			if err != nil {
				t.Fatal(err)
			}
			if got := string(res.HTML); got != tt.html {
				t.Errorf("HTML\n%q\nwant\n%q", got, tt.html)
			}
			var warns []string
			for _, w := range res.Warnings {
				warns = append(warns, fmt.Sprintf("%d: %s", w.Line, w.Msg))
			}
			if got, want := strings.Join(warns, "\n"), strings.Join(tt.warn, "\n"); got != want {
				t.Errorf("warnings\n%s\nwant\n%s", got, want)
			}
		})
	}
	for _, mode := range []struct {
		mode HTMLMode
		want string
	}{{HTMLStrip, "<p>10-21秒</p>\n"}, {HTMLUnsafe, "<p>10<sup onclick=\"x\">-21</sup>秒</p>\n"}} {
		res, err := r.ConvertWith([]byte(`10<sup onclick="x">-21</sup>秒`), Resolvers{HTML: mode.mode})
		if err != nil {
			t.Fatal(err)
		}
		if string(res.HTML) != mode.want || len(res.Warnings) != 0 {
			t.Errorf("%s: HTML %q warnings %v, want %q and none", mode.mode, res.HTML, res.Warnings, mode.want)
		}
	}
}
