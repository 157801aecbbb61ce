package markdown

import (
	"bytes"
	"fmt"
	"html"
	"path"
	"sort"
	"strconv"
	"strings"
)

// ShortcodeFunc renders a shortcode other than ref and relref (which the
// renderer resolves itself) to HTML. An error is a problem at the
// shortcode's line, and nothing is written in its place.
type ShortcodeFunc func(call *Call) (string, error)

// Call is a shortcode being rendered, with what its template may ask for.
type Call struct {
	*Shortcode
	inner func() string
	url   func(dest string, image bool) string
}

// InnerHTML is the inner text rendered as Markdown (links, images and
// nested shortcodes included), rendered on first use only, so that the
// inner text of a shortcode that does not show it as Markdown (highlight)
// is never checked as Markdown.
func (c *Call) InnerHTML() string { return c.inner() }

// URL resolves a path written in the shortcode ("img/a.png",
// "../files/办法.pdf") like a link or an image of the body, and records it
// at the shortcode's line, so that a missing file is reported. A
// destination that is not local (https://…) is returned as it is.
func (c *Call) URL(dest string, image bool) string { return c.url(dest, image) }

// The messages of shortcodes, in Chinese.
const (
	msgRefArgs   = "短代码 %s 要写一个页面路径，如 {{< %s \"../rules/dangfei.md\" >}}"
	msgSCUnknown = "未知的短代码 %s"
	msgSCNesting = "短代码嵌套超过 %d 层"
)

// maxNesting is how deep shortcodes may be inside each other: each level
// converts its inner text again.
const maxNesting = 20

// placeholder marks where a shortcode's HTML goes, in a form goldmark keeps
// as it is in text: letters and digits, ended by a letter so that "…1X" is
// not part of "…10X".
func placeholder(i int) string { return "DWSCPH" + strconv.Itoa(i) + "X" }

// expansion is a body with its shortcodes taken out: ref and relref became
// the URL they name, others a placeholder for their HTML.
type expansion struct {
	src []byte
	// html and plain are each placeholder's HTML and text.
	html, plain []string
	// shifts say how many lines of the body were taken out before a point
	// of src, for the lines of links and raw HTML found in it.
	shifts []shift
	// links are those the shortcodes made (ref, URL, inner Markdown);
	// problems and warnings what they found, all at lines of the body.
	links    []Link
	problems []Warning
	warnings []Warning
}

// shift is the number of body lines taken out before offset at of src.
type shift struct {
	at, lines int
}

// hasShortcodes reports whether src may hold a shortcode.
func hasShortcodes(src []byte) bool {
	return bytes.Contains(src, []byte("{{<")) || bytes.Contains(src, []byte("{{%"))
}

// expand takes the shortcodes out of src.
func (r *Renderer) expand(src []byte, res Resolvers) *expansion {
	pieces, errs := ParseShortcodes(string(src))
	e := &expansion{}
	for _, err := range errs {
		e.problems = append(e.problems, Warning{Line: err.Line, Msg: err.Msg})
	}
	var out bytes.Buffer
	out.Grow(len(src))
	removed := 0
	for _, p := range pieces {
		if p.Shortcode == nil {
			out.WriteString(p.Text)
			continue
		}
		sc := p.Shortcode
		out.WriteString(r.expandOne(e, sc, res))
		removed += sc.endLine - sc.Line
		if removed > 0 {
			e.shifts = append(e.shifts, shift{at: out.Len(), lines: removed})
		}
	}
	e.src = out.Bytes()
	return e
}

// expandOne returns what takes the place of sc in the body.
func (r *Renderer) expandOne(e *expansion, sc *Shortcode, res Resolvers) string {
	switch sc.Name {
	case "ref", "relref":
		// A placeholder too, so that a link to it is not resolved again
		// as a file.
		url := e.ref(sc, res)
		e.html = append(e.html, html.EscapeString(url))
		e.plain = append(e.plain, url)
		return placeholder(len(e.html) - 1)
	}
	var inner *string
	call := &Call{Shortcode: sc}
	call.inner = func() string {
		if inner == nil {
			s := e.convertInner(r, sc, res)
			inner = &s
		}
		return *inner
	}
	call.url = func(dest string, image bool) string {
		return e.url(sc, res, dest, image)
	}
	if res.Shortcode == nil {
		e.problems = append(e.problems, Warning{Line: sc.Line, Msg: fmt.Sprintf(msgSCUnknown, sc.Name)})
		return ""
	}
	out, err := res.Shortcode(call)
	if err != nil {
		e.problems = append(e.problems, Warning{Line: sc.Line, Msg: err.Error()})
		return ""
	}
	out = strings.TrimSpace(out)
	e.html = append(e.html, out)
	e.plain = append(e.plain, htmlText(out))
	return placeholder(len(e.html) - 1)
}

// convertInner renders the inner text of sc as Markdown, keeping what it
// finds at lines of the body.
func (e *expansion) convertInner(r *Renderer, sc *Shortcode, res Resolvers) string {
	if res.nesting++; res.nesting > maxNesting {
		e.problems = append(e.problems, Warning{Line: sc.Line, Msg: fmt.Sprintf(msgSCNesting, maxNesting)})
		return ""
	}
	got, err := r.ConvertWith([]byte(sc.Inner), res)
	if err != nil {
		e.problems = append(e.problems, Warning{Line: sc.InnerLine, Msg: err.Error()})
		return ""
	}
	off := sc.InnerLine - 1
	for _, l := range got.Links {
		l.Line += off
		e.links = append(e.links, l)
	}
	for _, w := range got.Problems {
		e.problems = append(e.problems, Warning{Line: w.Line + off, Msg: w.Msg})
	}
	for _, w := range got.Warnings {
		e.warnings = append(e.warnings, Warning{Line: w.Line + off, Msg: w.Msg})
	}
	return string(got.HTML)
}

// url resolves dest, written in sc, as a file or an image.
func (e *expansion) url(sc *Shortcode, res Resolvers, dest string, image bool) string {
	if !isLocal(dest) || res.File == nil {
		return dest
	}
	c := conversion{resolveFile: res.File}
	to, _ := c.fileDest(dest, sc.Line, image)
	e.links = append(e.links, c.links...)
	if to == nil {
		return dest
	}
	return string(to)
}

// ref resolves {{< ref "path" >}}: the path of a page's source, relative to
// the page or (when no such page is there, or it starts with "/") to
// content/, with or without ".md", "#fragment" kept. The link is recorded
// like a .md link, so a missing page or heading is reported.
func (e *expansion) ref(sc *Shortcode, res Resolvers) string {
	dest := sc.Get(0)
	if dest == "" {
		dest = sc.Get("path")
	}
	if dest == "" {
		e.problems = append(e.problems, Warning{Line: sc.Line, Msg: fmt.Sprintf(msgRefArgs, sc.Name, sc.Name)})
		return ""
	}
	p, fragment, hasFragment := strings.Cut(dest, "#")
	link := Link{Dest: dest, Path: p, Fragment: fragment, Line: sc.Line, Found: p == ""}
	url := ""
	if p != "" && res.Page != nil {
		for _, cand := range refCandidates(p, res.Depth) {
			if u, ok := res.Page(cand); ok {
				link.Path, url, link.Found = cand, u, true
				break
			}
		}
	}
	if p != "" && !link.Found {
		link.Path = refCandidates(p, res.Depth)[0]
	}
	e.links = append(e.links, link)
	if hasFragment {
		url += "#" + fragment
	}
	return url
}

// refCandidates are the relative .md paths a ref path may mean, in order,
// for a page depth folders below content/.
func refCandidates(p string, depth int) []string {
	root := strings.Repeat("../", depth)
	var bases []string
	if rooted, ok := strings.CutPrefix(p, "/"); ok {
		bases = []string{root + rooted}
	} else {
		bases = []string{p, root + p}
	}
	var out []string
	for _, b := range bases {
		b = strings.TrimSuffix(b, "/")
		if strings.EqualFold(path.Ext(b), ".md") {
			out = append(out, b)
			continue
		}
		out = append(out, b+".md", b+"/index.md", b+"/_index.md")
	}
	return out
}

// fill puts the shortcodes' HTML in place of their placeholders: a
// placeholder alone in a paragraph replaces the paragraph.
func (e *expansion) fill(out []byte) []byte {
	if len(e.html) == 0 {
		return out
	}
	return []byte(e.replace(string(out), e.html, true))
}

// fillText puts the shortcodes' text in place of their placeholders.
func (e *expansion) fillText(s string) string {
	if len(e.html) == 0 {
		return s
	}
	return e.replace(s, e.plain, false)
}

// replace writes s with each placeholder replaced by its value, in one
// pass; with para, "<p>placeholder</p>" is replaced as a whole.
func (e *expansion) replace(s string, values []string, para bool) string {
	const mark = "DWSCPH"
	if !strings.Contains(s, mark) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for {
		i := strings.Index(s, mark)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		j := i + len(mark)
		for j < len(s) && '0' <= s[j] && s[j] <= '9' {
			j++
		}
		n, err := strconv.Atoi(s[i+len(mark) : j])
		if err != nil || j >= len(s) || s[j] != 'X' || n >= len(values) {
			b.WriteString(s[:j])
			s = s[j:]
			continue
		}
		j++
		if para && strings.HasSuffix(s[:i], "<p>") && strings.HasPrefix(s[j:], "</p>") {
			i -= len("<p>")
			j += len("</p>")
		}
		b.WriteString(s[:i])
		b.WriteString(values[n])
		s = s[j:]
	}
}

// linesBefore is how many body lines were taken out before offset off of
// the expanded source.
func (e *expansion) linesBefore(off int) int {
	i := sort.Search(len(e.shifts), func(i int) bool { return e.shifts[i].at > off })
	if i == 0 {
		return 0
	}
	return e.shifts[i-1].lines
}

// blockTags end a line of the text of a shortcode's HTML.
var blockTags = map[string]bool{
	"p": true, "div": true, "br": true, "li": true, "pre": true, "figcaption": true, "figure": true,
	"tr": true, "table": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"aside": true, "blockquote": true, "video": true, "audio": true, "details": true, "summary": true,
}

// htmlText is the text of a shortcode's HTML: tags removed (a block
// element ends a line), entities decoded.
func htmlText(s string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		j := strings.IndexByte(s[i:], '>')
		if j < 0 {
			break
		}
		tag := strings.TrimPrefix(s[i+1:i+j], "/")
		if k := strings.IndexAny(tag, " \t\n/"); k >= 0 {
			tag = tag[:k]
		}
		if blockTags[strings.ToLower(tag)] {
			b.WriteByte('\n')
		}
		s = s[i+j+1:]
	}
	lines := strings.Split(html.UnescapeString(b.String()), "\n")
	out := lines[:0]
	for _, l := range lines {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// complete puts the shortcodes back into a result of the expanded source.
func (e *expansion) complete(out *Result) {
	out.HTML = e.fill(out.HTML)
	out.Plain = e.fillText(out.Plain)
	for i := range out.Headings {
		out.Headings[i].Text = e.fillText(out.Headings[i].Text)
	}
	out.Links = append(out.Links, e.links...)
	sort.SliceStable(out.Links, func(i, j int) bool { return out.Links[i].Line < out.Links[j].Line })
	out.Warnings = append(out.Warnings, e.warnings...)
	sort.SliceStable(out.Warnings, func(i, j int) bool { return out.Warnings[i].Line < out.Warnings[j].Line })
	out.Problems = append(out.Problems, e.problems...)
	sort.SliceStable(out.Problems, func(i, j int) bool { return out.Problems[i].Line < out.Problems[j].Line })
}

// isPlaceholder reports whether a link destination is a shortcode's.
func (e *expansion) isPlaceholder(dest []byte) bool {
	return e != nil && bytes.HasPrefix(dest, []byte("DWSCPH"))
}
