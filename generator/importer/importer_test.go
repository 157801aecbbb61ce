package importer

import (
	"archive/zip"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dangwu-org/dangwu/generator"
	"github.com/dangwu-org/dangwu/generator/site"
)

var shanghai = time.FixedZone("CST", 8*3600)

// writeFiles writes a tree of files under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// newSite is an empty dangwu site with a rules column that requires the
// keys of a notice.
func newSite(t *testing.T) string {
	dir := filepath.Join(t.TempDir(), "site")
	writeFiles(t, dir, map[string]string{
		"site.yaml":               "title: 导入测试\nbaseURL: http://intranet.example/\n",
		"content/_index.md":       "---\ntitle: 首页\n---\n",
		"content/rules/_index.md": "---\ntitle: 规章制度\nrequire: [文号, 发文单位, 成文日期]\n---\n",
	})
	return dir
}

// build builds the site and returns its output; the import must leave a
// site that builds.
func build(t *testing.T, dir string, drafts bool) map[string]string {
	t.Helper()
	dest := filepath.Join(t.TempDir(), "public")
	g := generator.New(generator.Options{Source: dir, Dest: dest, ThemesDir: filepath.Join("..", "..", "themes"),
		Drafts: drafts, Now: func() time.Time { return time.Date(2026, 11, 28, 12, 0, 0, 0, shanghai) }})
	if _, err := g.Run(context.Background(), site.Snapshot{}); err != nil {
		t.Fatalf("the imported site does not build:\n%v", err)
	}
	out := map[string]string{}
	filepath.WalkDir(dest, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(dest, p)
			out[filepath.ToSlash(rel)] = string(b)
		}
		return err
	})
	return out
}

func reportText(t *testing.T, r *Report) string {
	var b bytes.Buffer
	if err := r.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func contains(t *testing.T, what, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s does not contain %q:\n%s", what, w, text)
		}
	}
}

// TestHugoRoundTrip imports a small Hugo site (issue 13, item 7): keys in
// Hugo's spellings, a TOML page at the root, a bundle, a folder dangwu
// reserves, embeds and a shortcode dangwu lacks; the result builds, and
// the report says what changed and what needs an editor.
func TestHugoRoundTrip(t *testing.T) {
	hugo := filepath.Join(t.TempDir(), "hugo")
	writeFiles(t, hugo, map[string]string{
		"hugo.toml":               "title = \"旧网站\"\nbaseURL = \"https://old.example/\"\n",
		"content/about.md":        "+++\nTitle = \"关于\"\ndate = 2024-01-02T10:00:00+08:00\nmenu = \"main\"\n+++\n\n关于我们。\n",
		"content/posts/_index.md": "---\ntitle: 文章\n---\n",
		"content/posts/first.md": "---\ntitle: 第一篇\ndate: 2024年3月5日\npublishdate: 2024-03-05\ntags: 党建\nauthors: [张三]\ntoc: true\n---\n\n" +
			"见{{< ref \"bundle\" >}}。\n\n{{< figure src=\"/images/a.png\" title=\"图\" >}}\n\n{{< youtube abc >}}\n\n{{< mine x >}}\n\n正文{{< param title >}}。\n",
		"content/posts/bundle/index.md": "---\ntitle: 页面包\ndate: 2024-02-01\n---\n![图](pic.png)\n",
		"content/posts/bundle/pic.png":  "PNG",
		"content/tasks/todo.md":         "---\ntitle: 待办\ndate: 2024-01-01\n---\n待办。\n",
		"content/about.en.md":           "---\ntitle: About\n---\n",
		"static/images/a.png":           "PNG",
		"layouts/shortcodes/mine.html":  "<b>{{ .Get 0 }}</b>",
	})
	dir := newSite(t)
	r, err := Hugo(hugo, Options{Site: dir, Location: shanghai})
	if err != nil {
		t.Fatal(err)
	}
	rep := reportText(t, r)
	contains(t, "the report", rep,
		"content/about.md:2: 前置信息 Title 改写为 title",
		"content/posts/first.md:3: 前置信息 date 的时间 \"2024年3月5日\" 改写为 2024-03-05",
		"content/posts/first.md:4: 前置信息 publishdate 改写为 publishDate",
		"content/posts/first.md:5: 前置信息 tags 由文字改为列表",
		"content/posts/first.md:6: 前置信息 authors 改写为 author",
		"content/posts/first.md:7: 前置信息 toc（true）dangwu 没有对应的功能，已删除",
		"content/posts/first.md:14: 第三方嵌入 {{< youtube >}} 改为外部链接（网站不加载外部内容）：https://www.youtube.com/watch?v=abc",
		"content/posts/first.md:16: Hugo 短代码 {{< mine >}} dangwu 没有，已改为原样显示的文字，页面标为草稿（draft: true）",
		"content/tasks-hugo/: 文件夹 tasks/ 在 dangwu 里有特殊含义（工作任务），内容已改放到 tasks-hugo/",
		"layouts/shortcodes/mine.html 没有导入",
		"content/about.en.md: 多语言文件",
		"网站标题 \"旧网站\"")
	out := build(t, dir, true)
	contains(t, "about/index.html", out["about/index.html"], "关于我们。")
	contains(t, "posts/first/index.html", out["posts/first/index.html"], `见/posts/bundle/。`, `<img src="/images/a.png"`,
		`href="https://www.youtube.com/watch?v=abc"`, "{{&lt; mine x &gt;}}", "正文第一篇。")
	contains(t, "posts/bundle/index.html", out["posts/bundle/index.html"], `src="/posts/bundle/pic.png"`)
	contains(t, "tasks-hugo/todo/index.html", out["tasks-hugo/todo/index.html"], "待办。")
	// The page with a shortcode dangwu lacks is a draft until an editor
	// rewrites it.
	if _, ok := build(t, dir, false)["posts/first/index.html"]; ok {
		t.Error("posts/first is published, want a draft")
	}
	// A second import writes nothing over the first.
	r, err = Hugo(hugo, Options{Site: dir, Location: shanghai})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Written) != 0 || len(r.Skipped) < 8 {
		t.Errorf("a second import wrote %v and skipped %d", r.Written, len(r.Skipped))
	}
}

// TestHexoRoundTrip imports a small Hexo site: a post without the opening
// ---, nested categories, permalink, tag plugins, a draft and a page.
func TestHexoRoundTrip(t *testing.T) {
	hexo := filepath.Join(t.TempDir(), "hexo")
	writeFiles(t, hexo, map[string]string{
		"_config.yml": "title: 旧博客\nurl: https://blog.example\npermalink: :year/:month/:title/\n",
		"source/_posts/hello.md": "title: 你好\ndate: 2024-05-06 07:08:09\nupdated: 2024-05-07 07:08:09\n" +
			"categories:\n- [学习, 党史]\ntags: 党建\npermalink: old/hello.html\ncomments: true\nlayout: post\n---\n" +
			"摘要。\n<!-- more -->\n{% asset_img pic.png 图片说明 %}\n\n{% blockquote 毛泽东 %}\n为人民服务\n{% endblockquote %}\n\n{% mytag x %}\n",
		"source/_posts/hello/pic.png": "PNG",
		"source/_drafts/wip.md":       "---\ntitle: 草稿\n---\n未完成。\n",
		"source/about/index.md":       "---\ntitle: 关于\n---\n关于博客。\n",
		"source/images/logo.png":      "PNG",
	})
	dir := newSite(t)
	r, err := Hexo(hexo, Options{Site: dir, Column: "news", Location: shanghai})
	if err != nil {
		t.Fatal(err)
	}
	rep := reportText(t, r)
	contains(t, "the report", rep,
		"content/news/hello/index.md:1: 前置信息没有开头的 ---（Hexo 允许省略），已补上",
		"前置信息 updated 改写为 lastmod",
		"permalink \"old/hello.html\" 改写为 url \"/old/hello/\"",
		"Hexo 的多级分类 [[学习 党史]] 展开为并列的分类",
		"<!-- more --> 改写为 <!--more-->",
		"Hexo 标签插件 {% asset_img %} 改写为 Markdown",
		"Hexo 标签插件 {% mytag %} dangwu 没有对应的写法",
		"content/news/wip.md: 来自 _drafts/，标为草稿",
		"content/news/_index.md: 栏目 news 没有 _index.md")
	out := build(t, dir, true)
	contains(t, "old/hello/index.html", out["old/hello/index.html"], `<img src="/old/hello/pic.png" alt="图片说明"`,
		"<blockquote>", "为人民服务", "<code>{% mytag x %}</code>")
	contains(t, "about/index.html", out["about/index.html"], "关于博客。")
	contains(t, "images/logo.png", out["images/logo.png"], "PNG")
}

// docxParts are the parts of a small notice written in Word: a red head,
// a 文号, a title, a heading, bold and superscript, a list, a table with
// a merged cell, an image, the signature and the date.
func docxParts() map[string]string {
	w := `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"`
	p := func(style, text string) string {
		ppr := ""
		if style != "" {
			ppr = `<w:pPr><w:pStyle w:val="` + style + `"/></w:pPr>`
		}
		return `<w:p>` + ppr + `<w:r><w:t>` + text + `</w:t></w:r></w:p>`
	}
	item := func(text string) string {
		return `<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>` + text + `</w:t></w:r></w:p>`
	}
	cell := func(text, pr string) string {
		return `<w:tc>` + pr + `<w:p><w:r><w:t>` + text + `</w:t></w:r></w:p></w:tc>`
	}
	body := p("", "中共测试机关委员会文件") + p("", "测机党〔2026〕3号") + p("Title", "关于党费收缴的通知") +
		p("1", "一、收缴标准") +
		`<w:p><w:r><w:t xml:space="preserve">按月收入的 </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>0.5%</w:t></w:r><w:r><w:t xml:space="preserve"> 交纳，10</w:t></w:r><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:t>-2</w:t></w:r><w:r><w:t>为比例。</w:t></w:r></w:p>` +
		item("按时交纳") + item("足额交纳") +
		`<w:tbl><w:tr>` + cell("月收入", "") + cell("比例", "") + `</w:tr><w:tr>` + cell("3000元以下", "") + cell("0.5%", "") + `</w:tr><w:tr>` +
		cell("合计", `<w:tcPr><w:gridSpan w:val="2"/></w:tcPr>`) + `</w:tr></w:tbl>` +
		`<w:p><w:r><w:drawing><wp:inline><wp:docPr id="1" name="图片 1" descr="收缴流程"/><a:graphic><a:graphicData><a:blip r:embed="rId9"/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>` +
		p("", "中共测试机关委员会") + p("", "2026年2月1日")
	return map[string]string{
		"[Content_Types].xml": `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"word/document.xml":   `<?xml version="1.0" encoding="UTF-8"?><w:document ` + w + `><w:body>` + body + `<w:sectPr/></w:body></w:document>`,
		"word/styles.xml": `<?xml version="1.0"?><w:styles ` + w + `><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style>` +
			`<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/></w:style></w:styles>`,
		"word/numbering.xml": `<?xml version="1.0"?><w:numbering ` + w + `><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/></w:lvl></w:abstractNum>` +
			`<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>`,
		"word/_rels/document.xml.rels": `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image1.png"/></Relationships>`,
		"word/media/image1.png": "PNG",
		"docProps/core.xml": `<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">` +
			`<dc:title></dc:title><dcterms:created>2025-12-30T02:00:00Z</dcterms:created></cp:coreProperties>`,
	}
}

func writeDocx(t *testing.T, file string, parts map[string]string) {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"[Content_Types].xml", "word/document.xml", "word/styles.xml", "word/numbering.xml",
		"word/_rels/document.xml.rels", "word/media/image1.png", "docProps/core.xml"} {
		if text, ok := parts[name]; ok {
			f, err := zw.Create(name)
			if err != nil {
				t.Fatal(err)
			}
			f.Write([]byte(text))
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestDocxRoundTrip converts a .docx made here into a page of the rules
// column: the front matter holds the title, the date and the keys the
// column requires, read from the text; the body is the Markdown below,
// and the site builds with it published.
func TestDocxRoundTrip(t *testing.T) {
	dir := newSite(t)
	file := filepath.Join(t.TempDir(), "党费通知.docx")
	writeDocx(t, file, docxParts())
	r, err := Docx([]string{file}, Options{Site: dir, Column: "rules", Location: shanghai})
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, "content", "rules", "党费通知", "index.md"))
	if err != nil {
		t.Fatalf("%v\n%s", err, reportText(t, r))
	}
	want := "---\ntitle: 关于党费收缴的通知\ndate: \"2026-02-01\"\n文号: 测机党〔2026〕3号\n发文单位: 中共测试机关委员会\n成文日期: \"2026-02-01\"\n---\n\n" +
		"中共测试机关委员会文件\n\n测机党〔2026〕3号\n\n## 一、收缴标准\n\n" +
		"按月收入的 <strong>0.5%</strong> 交纳，10<sup>-2</sup>为比例。\n\n- 按时交纳\n- 足额交纳\n\n" +
		"| 月收入 | 比例 |\n| --- | --- |\n| 3000元以下 | 0.5% |\n| 合计 |  |\n\n![收缴流程](image1.png)\n\n中共测试机关委员会\n\n2026年2月1日\n"
	if string(got) != want {
		t.Errorf("the page:\n%s\nwant:\n%s", got, want)
	}
	contains(t, "the report", reportText(t, r), "标题取自第一个标题：\"关于党费收缴的通知\"", "日期取自正文的“2026年2月1日”：2026-02-01",
		"文号 取自正文：\"测机党〔2026〕3号\"", "表格里有合并的单元格", "图片 word/media/image1.png 随页面保存为 image1.png")
	out := build(t, dir, false)
	contains(t, "rules/党费通知/index.html", out["rules/党费通知/index.html"], "<table>", "<strong>0.5%</strong>", "<sup>-2</sup>",
		`src="/rules/%E5%85%9A%E8%B4%B9%E9%80%9A%E7%9F%A5/image1.png"`, "<li>按时交纳</li>")

	// Without what the column requires in its text, the page is a draft
	// with 待补充, and still builds.
	parts := docxParts()
	parts["word/document.xml"] = strings.NewReplacer("测机党〔2026〕3号", "无文号", "2026年2月1日", "二月一日").Replace(parts["word/document.xml"])
	file2 := filepath.Join(t.TempDir(), "无文号.docx")
	writeDocx(t, file2, parts)
	r, err = Docx([]string{file2}, Options{Site: dir, Column: "rules", Location: shanghai})
	if err != nil {
		t.Fatal(err)
	}
	contains(t, "the report", reportText(t, r), "栏目 rules 要求的 文号 未能从文档中读出，已写“待补充”，页面标为草稿",
		"日期取自文档属性（创建时间）：2025-12-30")
	build(t, dir, true)
}
