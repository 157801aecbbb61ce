package markdown

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// headingIDs gives every heading without an explicit {#id} an id made from
// its text (see headingID), unique in the page.
//
// It replaces parser.WithAutoHeadingID: goldmark makes ids from the
// heading's source line (so "## [党章](dangzhang.md)" would get
// "党章dangzhangmd") and hands them out in one pass (so an explicit
// {#x} later in the page can repeat an id given earlier). Here ids come from
// the text a reader sees, and explicit ids are reserved first. Being a
// parser transformer, it also works for goldmark's own test runner.
type headingIDs struct{}

// Transform implements parser.ASTTransformer. Its state lives in the call,
// so one headingIDs serves concurrent parses.
func (headingIDs) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	headings := collectHeadings(doc, nil)
	if len(headings) == 0 {
		return
	}
	used := make(map[string]bool, len(headings))
	for _, h := range headings {
		if id := explicitID(h); id != "" {
			used[id] = true
		}
	}
	next := map[string]int{}
	src := reader.Source()
	for _, h := range headings {
		if explicitID(h) != "" {
			continue
		}
		base := headingID(inlineText(h, src))
		id := base
		for i := next[base] + 1; used[id]; i++ {
			id = base + "-" + strconv.Itoa(i)
			next[base] = i
		}
		used[id] = true
		h.SetAttributeString("id", []byte(id))
	}
}

// explicitID returns the id given in the source ("{#id}"), or "". An
// empty one ("{#}") counts as none.
func explicitID(h *ast.Heading) string {
	id, _ := h.AttributeString("id")
	return attributeString(id)
}

// collectHeadings appends the headings among the blocks under n to hs.
func collectHeadings(n ast.Node, hs []*ast.Heading) []*ast.Heading {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if c.Type() != ast.TypeBlock {
			continue
		}
		if h, ok := c.(*ast.Heading); ok {
			hs = append(hs, h)
			continue
		}
		hs = collectHeadings(c, hs)
	}
	return hs
}

// inlineText returns the plain text of n's inline content.
func inlineText(n ast.Node, src []byte) string {
	c := conversion{src: src, textOnly: true}
	for ch := n.FirstChild(); ch != nil; ch = ch.NextSibling() {
		// visit never fails.
		_ = ast.Walk(ch, c.visit)
	}
	return string(c.plain)
}

// headingID makes an id from a heading's text: ASCII letters lower-cased,
// each run of whitespace turned into one '-', and everything but letters
// (of any script), digits, '-' and '_' dropped. "第三条 党费的计算" gives
// "第三条-党费的计算", "一、总体要求" "一总体要求", "Go 语言 (2026)"
// "go-语言-2026"; an empty result is "heading".
func headingID(s string) string {
	s = strings.TrimSpace(s)
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space {
			b.WriteByte('-')
			space = false
		}
		switch {
		case 'A' <= r && r <= 'Z':
			b.WriteRune(r + 'a' - 'A')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "heading"
	}
	return b.String()
}
