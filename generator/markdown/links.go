package markdown

import (
	"bytes"
	"net/url"
	"sort"
	"strings"

	"github.com/yuin/goldmark/ast"
)

// link records l when it points to a .md file by a relative path or to a
// fragment of the same page, and rewrites a .md destination that resolve
// knows to the target page's URL.
func (c *conversion) link(l *ast.Link) {
	if c.exp.isPlaceholder(l.Destination) {
		return // {{< ref >}}, resolved already
	}
	dest := string(l.Destination)
	path, fragment, hasFragment := strings.Cut(dest, "#")
	if path == "" {
		if fragment == "" {
			return
		}
		c.links = append(c.links, Link{
			Dest:     dest,
			Fragment: unescape(fragment),
			Line:     c.line(l),
			Found:    true,
		})
		return
	}
	if !isPageLink(path) {
		if c.resolveFile != nil {
			if d := c.fileLink(l.Destination, l, false); d != nil {
				l.Destination = d
			}
		}
		return
	}
	found := Link{
		Dest:     dest,
		Path:     unescape(path),
		Fragment: unescape(fragment),
		Line:     c.line(l),
	}
	var to string
	if c.resolve != nil {
		to, found.Found = c.resolve(found.Path)
	}
	if found.Found {
		if hasFragment && fragment != "" {
			to += "#" + fragment
		}
		l.Destination = []byte(to)
	}
	c.links = append(c.links, found)
}

// fileLink resolves dest, the destination of a link or an image that is
// not a .md page, and returns the destination to write (nil when it stays
// as written).
func (c *conversion) fileLink(dest []byte, n ast.Node, image bool) []byte {
	if c.exp.isPlaceholder(dest) {
		return nil
	}
	d := string(dest)
	if !isLocal(d) {
		return nil
	}
	to, _ := c.fileDest(d, c.line(n), image)
	return to
}

// isLocal reports whether a destination names something on the site by a
// path: not a same-page fragment, no scheme, not protocol-relative.
func isLocal(d string) bool {
	return d != "" && d[0] != '#' && d[0] != '?' && !strings.HasPrefix(d, "//") && !hasScheme(d)
}

// fileDest resolves a local destination through resolveFile, records it
// among the links, and returns the destination to write (nil to keep it)
// and whether it was found.
func (c *conversion) fileDest(d string, line int, image bool) ([]byte, bool) {
	if !isLocal(d) {
		return nil, true
	}
	p, fragment, hasFragment := strings.Cut(d, "#")
	p, query, hasQuery := strings.Cut(p, "?")
	if p == "" {
		return nil, true
	}
	found := Link{Dest: d, Path: unescape(p), Fragment: unescape(fragment), Line: line, File: !image, Image: image}
	url, ok := c.resolveFile(found.Path)
	found.Found = ok
	c.links = append(c.links, found)
	if !ok || url == "" {
		return nil, ok
	}
	if hasQuery {
		url += "?" + query
	}
	if hasFragment {
		url += "#" + fragment
	}
	return []byte(url), true
}

// isPageLink reports whether path is a relative path to a Markdown file: no
// scheme, not rooted ("/", "//"), ending in ".md" in any case.
func isPageLink(path string) bool {
	if len(path) < 3 || path[0] == '/' || hasScheme(path) {
		return false
	}
	return strings.EqualFold(path[len(path)-3:], ".md")
}

// hasScheme reports whether s starts with a URL scheme and ':'
// ("https:", "mailto:").
func hasScheme(s string) bool {
	for i := 0; i < len(s); i++ {
		b := s[i]
		switch {
		case 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z':
		case i > 0 && ('0' <= b && b <= '9' || b == '+' || b == '-' || b == '.'):
		case i > 0 && b == ':':
			return true
		default:
			return false
		}
	}
	return false
}

// unescape decodes percent-escapes in s, or returns s as it is when they
// are malformed.
func unescape(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	u, err := url.PathUnescape(s)
	if err != nil {
		return s
	}
	return u
}

// line returns the 1-based line of src that l starts on: at its '[' when
// goldmark knows that position, else at its first text, else at the start
// of its block.
func (c *conversion) line(l ast.Node) int {
	off := -1
	if p, ok := l.(interface{ Pos() int }); ok {
		off = p.Pos()
	}
	if off < 0 {
		off = firstOffset(l)
	}
	for n := l; off < 0 && n != nil; n = n.Parent() {
		if n.Type() == ast.TypeBlock && n.Lines().Len() > 0 {
			off = n.Lines().At(0).Start
		}
	}
	return c.lineAt(off)
}

// lineAt returns the 1-based line of src that offset off is on.
func (c *conversion) lineAt(off int) int {
	if off < 0 {
		return 1
	}
	if c.lineStarts == nil {
		c.lineStarts = make([]int, 1, bytes.Count(c.src, []byte("\n"))+1)
		for i, b := range c.src {
			if b == '\n' {
				c.lineStarts = append(c.lineStarts, i+1)
			}
		}
	}
	// The number of lines starting at or before off, and those of the
	// shortcodes taken out before it.
	line := sort.SearchInts(c.lineStarts, off+1)
	if c.exp != nil {
		line += c.exp.linesBefore(off)
	}
	return line
}

// firstOffset returns the source offset of the first text under n, or -1.
func firstOffset(n ast.Node) int {
	for ch := n.FirstChild(); ch != nil; ch = ch.NextSibling() {
		if t, ok := ch.(*ast.Text); ok {
			return t.Segment.Start
		}
		if off := firstOffset(ch); off >= 0 {
			return off
		}
	}
	return -1
}
