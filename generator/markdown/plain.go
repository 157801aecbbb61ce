package markdown

import (
	"bytes"
	"strconv"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/util"
)

// separate starts block n on a new line of the plain text, or after a tab
// when n is a table cell that is not the first of its row.
func (c *conversion) separate(n ast.Node) {
	if len(c.plain) == 0 {
		return
	}
	if n.Kind() == east.KindTableCell && n.PreviousSibling() != nil {
		c.plain = append(c.plain, '\t')
		return
	}
	if c.plain[len(c.plain)-1] != '\n' {
		c.plain = append(c.plain, '\n')
	}
}

// plainBlock adds the text of a block that keeps it in lines rather than in
// inline nodes (code blocks), and skips raw HTML.
func (c *conversion) plainBlock(n ast.Node) ast.WalkStatus {
	switch n.Kind() {
	case ast.KindCodeBlock, ast.KindFencedCodeBlock:
		lines := n.Lines()
		for i := range lines.Len() {
			seg := lines.At(i)
			c.plain = append(c.plain, seg.Value(c.src)...)
		}
		return ast.WalkSkipChildren
	case ast.KindHTMLBlock:
		return ast.WalkSkipChildren
	}
	return ast.WalkContinue
}

// plainInline adds the text of an inline node and tells the walk whether
// to go into its children.
func (c *conversion) plainInline(n ast.Node) ast.WalkStatus {
	switch n := n.(type) {
	case *ast.Text:
		if n.IsRaw() {
			c.plain = append(c.plain, n.Segment.Value(c.src)...)
			return ast.WalkContinue
		}
		c.plain = appendUnescaped(c.plain, n.Segment.Value(c.src))
		switch {
		case n.HardLineBreak():
			c.plain = append(c.plain, '\n')
		case n.SoftLineBreak() && !joinsLines(n, c.src):
			c.plain = append(c.plain, ' ')
		}
	case *ast.String:
		if n.IsRaw() || n.IsCode() {
			c.plain = append(c.plain, n.Value...)
		} else {
			c.plain = appendUnescaped(c.plain, n.Value)
		}
	case *ast.CodeSpan:
		// Code is literal: no escapes; a line break inside is a space.
		for t := n.FirstChild(); t != nil; t = t.NextSibling() {
			if t, ok := t.(*ast.Text); ok {
				v := t.Segment.Value(c.src)
				if v, ok := bytes.CutSuffix(v, []byte("\n")); ok {
					c.plain = append(append(c.plain, v...), ' ')
					continue
				}
				c.plain = append(c.plain, v...)
			}
		}
		return ast.WalkSkipChildren
	case *ast.AutoLink:
		c.plain = append(c.plain, n.Label(c.src)...)
	case *ast.RawHTML, *east.FootnoteLink, *east.FootnoteBacklink:
		return ast.WalkSkipChildren
	}
	return ast.WalkContinue
}

// appendUnescaped appends v, text as written in Markdown, to dst the way a
// reader sees it: backslash escapes and character references resolved, an
// escaped space dropped (the CJK extension's rule), NUL replaced.
func appendUnescaped(dst, v []byte) []byte {
	if !bytes.ContainsAny(v, "\\&\x00") {
		return append(dst, v...)
	}
	for i := 0; i < len(v); i++ {
		switch b := v[i]; {
		case b == '\\' && i+1 < len(v) && util.IsPunct(v[i+1]):
			i++
			dst = append(dst, v[i])
		case b == '\\' && i+1 < len(v) && v[i+1] == ' ':
			i++
		case b == 0:
			dst = utf8.AppendRune(dst, utf8.RuneError)
		case b == '&':
			r, size := characterReference(v[i:])
			if size == 0 {
				dst = append(dst, b)
				continue
			}
			dst = append(dst, r...)
			i += size - 1
		default:
			dst = append(dst, b)
		}
	}
	return dst
}

// characterReference decodes the character reference at the start of v
// ("&amp;", "&#20013;", "&#x4E2D;") and returns its text and length, or a
// length of 0 when v does not start with one.
func characterReference(v []byte) ([]byte, int) {
	end := bytes.IndexByte(v, ';')
	if end < 2 || end > 40 {
		return nil, 0
	}
	name := v[1:end]
	if name[0] != '#' {
		e, ok := util.LookUpHTML5EntityByName(string(name))
		if !ok {
			return nil, 0
		}
		return e.Characters, end + 1
	}
	digits, base := name[1:], 10
	if len(digits) > 0 && (digits[0] == 'x' || digits[0] == 'X') {
		digits, base = digits[1:], 16
	}
	if len(digits) == 0 || len(digits) > 7 {
		return nil, 0
	}
	code, err := strconv.ParseUint(string(digits), base, 32)
	if err != nil {
		return nil, 0
	}
	r := rune(code)
	if r == 0 || !utf8.ValidRune(r) {
		r = utf8.RuneError
	}
	return utf8.AppendRune(nil, r), end + 1
}

// joinsLines reports whether the soft line break after t stands for
// nothing: the characters on both sides of it are CJK. It looks past inline
// markup, so "中文\n**强调**" joins and "word\n**bold**" does not.
func joinsLines(t *ast.Text, src []byte) bool {
	before, ok := edgeRune(t, src, false)
	if !ok {
		before = runeBefore(t, src)
	}
	return isCJK(before) && isCJK(runeAfter(t, src))
}

// runeBefore returns the last character of the inline content before n in
// its block, or 0.
func runeBefore(n ast.Node, src []byte) rune {
	for cur := n; cur != nil && cur.Type() == ast.TypeInline; cur = cur.Parent() {
		for s := cur.PreviousSibling(); s != nil; s = s.PreviousSibling() {
			if r, ok := edgeRune(s, src, false); ok {
				return r
			}
		}
	}
	return 0
}

// runeAfter returns the first character of the inline content after n in
// its block, or 0.
func runeAfter(n ast.Node, src []byte) rune {
	for cur := n; cur != nil && cur.Type() == ast.TypeInline; cur = cur.Parent() {
		for s := cur.NextSibling(); s != nil; s = s.NextSibling() {
			if r, ok := edgeRune(s, src, true); ok {
				return r
			}
		}
	}
	return 0
}

// edgeRune returns the first (or last) character n shows, with ok=false
// when n shows no text. Images, raw HTML and footnote references count as
// a character that is not CJK.
func edgeRune(n ast.Node, src []byte, first bool) (rune, bool) {
	var v []byte
	switch n := n.(type) {
	case *ast.Text:
		v = n.Segment.Value(src)
	case *ast.String:
		v = n.Value
	case *ast.AutoLink:
		v = n.Label(src)
	case *ast.Image, *ast.RawHTML, *east.FootnoteLink, *east.TaskCheckBox:
		return 0, true
	default:
		if first {
			for ch := n.FirstChild(); ch != nil; ch = ch.NextSibling() {
				if r, ok := edgeRune(ch, src, true); ok {
					return r, true
				}
			}
		} else {
			for ch := n.LastChild(); ch != nil; ch = ch.PreviousSibling() {
				if r, ok := edgeRune(ch, src, false); ok {
					return r, true
				}
			}
		}
		return 0, false
	}
	if len(v) == 0 {
		return 0, false
	}
	if first {
		r, _ := utf8.DecodeRune(v)
		return r, true
	}
	r, _ := utf8.DecodeLastRune(v)
	return r, true
}
