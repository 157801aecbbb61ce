package markdown

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// caseInputs returns the Markdown of every case in testdata/*.txt, to seed
// the fuzz targets.
func caseInputs(tb testing.TB) []string {
	tb.Helper()
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil {
		tb.Fatal(err)
	}
	var inputs []string
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			tb.Fatal(err)
		}
		for c := range strings.SplitSeq(string(b), "//= = = = = = = = = = = = = = = = = = = = = = = =//") {
			parts := strings.Split(c, "//- - - - - - - - -//\n")
			if len(parts) == 3 {
				inputs = append(inputs, strings.TrimSuffix(parts[1], "\n"))
			}
		}
	}
	if len(inputs) == 0 {
		tb.Fatal("no cases in testdata")
	}
	return inputs
}

// halfResolve knows every path of even length.
func halfResolve(dest string) (string, bool) {
	if len(dest)%2 != 0 {
		return "", false
	}
	return "/dangwu/" + strings.TrimSuffix(dest, ".md") + "/", true
}

func FuzzMarkdown(f *testing.F) {
	for _, in := range caseInputs(f) {
		f.Add([]byte(in))
	}
	f.Add(benchPage())
	f.Add([]byte("[a](b.md)\n[cc](dd.md#x)\r\n[](#)\n\n[e](#f)\x00"))
	f.Add([]byte("{{% box %}}\n[a](b.md)\n{{< box >}}x{{< /box >}}\n{{% /box %}}\n[x]({{< ref \"cc\" >}}) {{< y >}}\n[z](zz.md)"))
	r := New()
	res := Resolvers{Page: halfResolve, Shortcode: func(c *Call) (string, error) {
		if c.Name == "y" {
			return "", errors.New("未知")
		}
		return "<div>" + c.InnerHTML() + "</div>", nil
	}}
	f.Fuzz(func(t *testing.T, src []byte) {
		res, err := r.ConvertWith(src, res)
		if err != nil {
			t.Fatal(err)
		}
		lines := bytes.Count(src, []byte("\n")) + 1
		if !bytes.Contains(src, []byte("DWSCPH")) && (bytes.Contains(res.HTML, []byte("DWSCPH")) || strings.Contains(res.Plain, "DWSCPH")) {
			t.Errorf("a shortcode's placeholder is left in the output:\n%s", res.HTML)
		}
		for _, p := range res.Problems {
			if p.Line < 1 || p.Line > lines {
				t.Errorf("problem %q on line %d, want 1..%d", p.Msg, p.Line, lines)
			}
		}
		for _, l := range res.Links {
			if l.Line < 1 || l.Line > lines {
				t.Errorf("link %q on line %d, want 1..%d", l.Dest, l.Line, lines)
			}
			if l.Path == "" && !l.Found {
				t.Errorf("same-page link %q not found", l.Dest)
			}
		}
		for _, h := range res.Headings {
			if h.ID == "" {
				t.Errorf("heading %q has no id", h.Text)
			}
		}
	})
}

func FuzzSummarize(f *testing.F) {
	r := New()
	for _, in := range caseInputs(f) {
		res, err := r.Convert([]byte(in), nil)
		if err != nil {
			f.Fatal(err)
		}
		for _, n := range []int{1, 5, 20, 100} {
			f.Add(res.Plain, n)
		}
	}
	f.Add("他说：“我们要学习。”然后大家开始讨论。", 12)
	f.Add("ab\xffcd。。。", 3)
	f.Fuzz(func(t *testing.T, s string, n int) {
		n %= 1000
		got := Summarize(s, n)
		if !utf8.ValidString(got) {
			t.Errorf("Summarize(%q, %d) = %q, not valid UTF-8", s, n, got)
		}
		if max := max(0, 3*n/2+2); utf8.RuneCountInString(got) > max {
			t.Errorf("Summarize(%q, %d) = %q, longer than %d runes", s, n, got, max)
		}
	})
}

// FuzzPlainText holds plainText to goldmark's HTML writer: text it lets
// through is what the writer writes, escaped or raw.
func FuzzPlainText(f *testing.F) {
	for _, s := range []string{"支部学习", "a\\*b", "x & y", "<b>", "\"引号\"", "a\x00b", "&amp;", "\\ ", "末尾\\"} {
		f.Add([]byte(s))
	}
	for _, s := range caseInputs(f) {
		f.Add([]byte(s))
	}
	w := html.NewWriter(html.WithEscapedSpace())
	f.Fuzz(func(t *testing.T, b []byte) {
		if !plainText(b) {
			return
		}
		for _, write := range []func(util.BufWriter, []byte){w.Write, w.RawWrite} {
			var out bytes.Buffer
			bw := bufio.NewWriter(&out)
			write(bw, b)
			bw.Flush()
			if !bytes.Equal(out.Bytes(), b) {
				t.Fatalf("goldmark writes %q as %q", b, out.Bytes())
			}
		}
	})
}

// TestPlainTextRefuses checks that plainText refuses every byte goldmark's
// writer changes or reads as an escape.
func TestPlainTextRefuses(t *testing.T) {
	w := html.NewWriter(html.WithEscapedSpace())
	for c := range 256 {
		b := []byte{'a', byte(c), '*', ' ', ';'}
		var out bytes.Buffer
		bw := bufio.NewWriter(&out)
		w.Write(bw, b)
		bw.Flush()
		if changed := !bytes.Equal(out.Bytes(), b); changed && plainText(b) {
			t.Errorf("byte %#x: goldmark writes %q as %q, plainText lets it through", c, b, out.Bytes())
		}
	}
	if plainText([]byte("支部&党员")) {
		t.Error("plainText lets '&' through")
	}
}
