package markdown

import (
	"fmt"
	"strings"
	"testing"
)

// describePieces writes pieces as text for comparison.
func describePieces(pieces []Piece) string {
	var b strings.Builder
	for _, p := range pieces {
		if p.Shortcode == nil {
			fmt.Fprintf(&b, "[%s]", p.Text)
			continue
		}
		s := p.Shortcode
		fmt.Fprintf(&b, "{%s md=%v pos=%q params=%v line=%d", s.Name, s.Markdown, s.Pos, s.Params, s.Line)
		if s.Paired {
			fmt.Fprintf(&b, " inner=%q@%d", s.Inner, s.InnerLine)
		}
		b.WriteString("}")
	}
	return b.String()
}

func TestParseShortcodes(t *testing.T) {
	tests := []struct {
		name, src, want string
		errs            []string
	}{
		{"text only", "正文 {{ 不是 }} 短代码", "[正文 {{ 不是 }} 短代码]", nil},
		{"named arguments", `前{{< figure src="img/a.png" title="会议 现场" >}}后`,
			`[前]{figure md=false pos=[] params=map[src:img/a.png title:会议 现场] line=1}[后]`, nil},
		{"positional arguments", "{{< ref \"../rules/a.md\" >}} {{< highlight go `linenos=table` >}}x{{< /highlight >}}",
			`{ref md=false pos=["../rules/a.md"] params=map[] line=1}[ ]{highlight md=false pos=["go" "linenos=table"] params=map[] line=1 inner="x"@1}`, nil},
		{"markdown inner on later lines", "一\n\n{{% notice info \"注意\" %}}\n**加粗**\n{{% /notice %}}\n尾",
			`[一` + "\n\n" + `]{notice md=true pos=["info" "注意"] params=map[] line=3 inner="\n**加粗**\n"@3}[` + "\n" + `尾]`, nil},
		{"self-closing", "{{< video src=\"a.mp4\" />}}", `{video md=false pos=[] params=map[src:a.mp4] line=1}`, nil},
		{"nested same name", "{{< x >}}a{{< x >}}b{{< /x >}}c{{< /x >}}",
			`{x md=false pos=[] params=map[] line=1 inner="a{{< x >}}b{{< /x >}}c"@1}`, nil},
		{"escaped", "写法：{{</* figure src=\"a.png\" */>}}", `[写法：{{< figure src="a.png" >}}]`, nil},
		{"unclosed tag", "一\n二 {{< figure src=\"a.png\"\n", "", []string{"2: 短代码 {{< 没有结束的 >}}"}},
		{"stray close", "{{< /notice >}}", "", []string{"1: 短代码的结束标签 {{< /notice >}} 前面没有对应的开始标签"}},
		{"unterminated quote", `{{< figure src="a.png >}}`, "", []string{"1: 短代码 figure 的参数缺少结尾的引号"}},
		{"mixed arguments", `{{< figure "a.png" title="x" >}}`, "", []string{"1: 短代码 figure 不能同时使用带名称和不带名称的参数"}},
		{"no name", `{{<  >}}`, "", []string{"1: 短代码没有名称"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pieces, errs := ParseShortcodes(tt.src)
			var got []string
			for _, e := range errs {
				got = append(got, e.Error())
			}
			if strings.Join(got, "\n") != strings.Join(tt.errs, "\n") {
				t.Errorf("errors %q, want %q", got, tt.errs)
			}
			if tt.errs == nil {
				if d := describePieces(pieces); d != tt.want {
					t.Errorf("pieces\n%s\nwant\n%s", d, tt.want)
				}
			}
		})
	}
}

// FuzzShortcodes feeds arbitrary bodies to the shortcode parser: it must not
// panic, every line it names must be in the body, and the texts and
// shortcodes it returns must cover no more than the body holds.
func FuzzShortcodes(f *testing.F) {
	f.Add(`{{< figure src="a.png" title="标题" >}}`)
	f.Add("{{% notice tip %}}\n内容\n{{% /notice %}}")
	f.Add("{{< x >}}{{< x >}}{{< /x >}}")
	f.Add("{{</* x */>}} {{< ref \"a.md\" >}}")
	f.Add("{{< a `b` c=\"d\\\"e\" >}}")
	f.Add("{{<")
	f.Add("{{%%}}{{<>}}{{< / >}}")
	f.Fuzz(func(t *testing.T, src string) {
		lines := strings.Count(src, "\n") + 1
		pieces, errs := ParseShortcodes(src)
		for _, e := range errs {
			if e.Line < 1 || e.Line > lines {
				t.Fatalf("error %v: line beyond the body's %d lines", e, lines)
			}
		}
		for _, p := range pieces {
			if s := p.Shortcode; s != nil {
				if s.Line < 1 || s.Line > lines || (s.Paired && (s.InnerLine < s.Line || s.InnerLine > lines)) {
					t.Fatalf("shortcode %s at line %d (inner %d) of %d", s.Name, s.Line, s.InnerLine, lines)
				}
				if len(s.Inner) > len(src) {
					t.Fatalf("inner longer than the body")
				}
			} else if len(p.Text) > len(src) {
				t.Fatalf("text longer than the body")
			}
		}
	})
}
