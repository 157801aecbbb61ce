package markdown

import (
	"fmt"
	"strings"
	"testing"
)

// TestConvertShortcodes checks what becomes of shortcodes in a body: the
// HTML of the function in place of its paragraph or inline, ref resolved
// and recorded as a link, the text in Plain, and the lines of links and
// problems after shortcodes that span lines (issue 13, item 3).
func TestConvertShortcodes(t *testing.T) {
	pages := map[string]string{"a.md": "/a/", "../rules/b.md": "/rules/b/", "../about/_index.md": "/about/"}
	res := Resolvers{
		Page: func(dest string) (string, bool) { u, ok := pages[dest]; return u, ok },
		File: func(dest string) (string, bool) { return "/f/" + dest, dest != "none.png" },
		Shortcode: func(c *Call) (string, error) {
			switch c.Name {
			case "box":
				return "<div class=\"box\">" + c.InnerHTML() + "</div>\n", nil
			case "img":
				return `<img src="` + c.URL(c.Get(0), true) + `">`, nil
			case "code":
				return "<pre>" + c.Inner + "</pre>", nil
			}
			return "", fmt.Errorf("没有 %s", c.Name)
		},
		Depth: 1,
	}
	tests := []struct {
		name, src string
		html      string
		plain     string
		links     []string // dest@line found
		problems  []string
	}{
		{"block replaces its paragraph", "前\n\n{{< box >}}\n**粗**\n{{< /box >}}\n\n后",
			"<p>前</p>\n<div class=\"box\"><p><strong>粗</strong></p>\n</div>\n<p>后</p>\n", "前\n粗\n后", nil, nil},
		{"inline", "图{{< img \"x.png\" >}}文", "<p>图<img src=\"/f/x.png\">文</p>\n", "图文", []string{"x.png@1 true"}, nil},
		{"ref in a link", "[甲]({{< ref \"a\" >}}) [乙]({{< relref \"/rules/b.md#二\" >}}) {{< ref \"/about\" >}}",
			"<p><a href=\"/a/\">甲</a> <a href=\"/rules/b/#二\">乙</a> /about/</p>\n", "甲 乙 /about/",
			[]string{"a@1 true", "/rules/b.md#二@1 true", "/about@1 true"}, nil},
		{"lines after a shortcode of several lines", "{{% box %}}\n一\n\n[内](no.md)\n{{% /box %}}\n\n[外](no2.md)\n{{< ref \"zz\" >}}",
			"", "", []string{"no.md@4 false", "no2.md@7 false", "zz@8 false"}, nil},
		{"inner not read as Markdown unless shown", "{{< code >}}\n[x](no.md)\n{{< /code >}}",
			"<pre>\n[x](no.md)\n</pre>\n", "[x](no.md)", nil, nil},
		{"problems", "一\n\n{{< nope >}}\n\n{{< img \"none.png\" >}}\n\n{{< ref >}}\n{{< box",
			"", "", []string{"none.png@5 false"}, []string{"3: 没有 nope", "7: 短代码 ref 要写一个页面路径，如 {{< ref \"../rules/dangfei.md\" >}}", "8: 短代码 {{< 没有结束的 >}}"}},
	}
	r := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := r.ConvertWith([]byte(tt.src), res)
			if err != nil {
				t.Fatal(err)
			}
			if tt.html != "" && string(got.HTML) != tt.html {
				t.Errorf("HTML:\n got  %q\n want %q", got.HTML, tt.html)
			}
			if tt.plain != "" && got.Plain != tt.plain {
				t.Errorf("Plain:\n got  %q\n want %q", got.Plain, tt.plain)
			}
			var links []string
			for _, l := range got.Links {
				links = append(links, fmt.Sprintf("%s@%d %v", l.Dest, l.Line, l.Found))
			}
			if strings.Join(links, "|") != strings.Join(tt.links, "|") {
				t.Errorf("links:\n got  %q\n want %q", links, tt.links)
			}
			var problems []string
			for _, p := range got.Problems {
				problems = append(problems, fmt.Sprintf("%d: %s", p.Line, p.Msg))
			}
			if strings.Join(problems, "|") != strings.Join(tt.problems, "|") {
				t.Errorf("problems:\n got  %q\n want %q", problems, tt.problems)
			}
		})
	}
}
