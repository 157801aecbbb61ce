package markdown

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
	"golang.org/x/net/html"
)

// HTMLMode is what becomes of raw HTML in a body: site.yaml's markup.html.
type HTMLMode string

// The modes of raw HTML.
const (
	// HTMLSafe keeps what the allow-list permits and drops the rest, with a
	// Warning for each part dropped. It is the default.
	HTMLSafe HTMLMode = "safe"
	// HTMLStrip drops every raw HTML tag, silently; the text between tags stays.
	HTMLStrip HTMLMode = "strip"
	// HTMLUnsafe writes raw HTML as it is: only for sites whose every editor
	// is trusted.
	HTMLUnsafe HTMLMode = "unsafe"
)

// Warning is a part of the raw HTML of a body that was dropped.
type Warning struct {
	// Line is the 1-based line of the body.
	Line int
	Msg  string
}

// The messages of dropped HTML, in Chinese, as an editor reads them.
const (
	msgDroppedTag  = "原始 HTML 标签 <%s> 不在允许之列，已删除"
	msgDroppedAttr = "原始 HTML <%s> 的属性 %s 不在允许之列，已删除"
	msgDroppedURL  = "原始 HTML <%s> 的 %s=%q 不安全或不在站内，已删除"
)

// localURL matches a URL without a scheme that stays on the site: rooted
// ("/a.png"), not protocol-relative ("//cdn/a.png"), or relative
// ("img/a.png", "./a.png").
var localURL = regexp.MustCompile(`^(?:/(?:[^/].*)?|[^/:?#]+(?:[/?#].*)?)$`)

var classNames = regexp.MustCompile(`^[\p{L}\p{N}_ -]+$`)

// newPolicy is the allow-list for raw HTML: formatting that carries meaning
// in Chinese documents (上标、下标、着重、表格中的换行), tables, details,
// span and div with classes, images from the site itself and links with
// safe targets. Scripts, styles, event handlers, forms and frames are
// never allowed.
func newPolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("sup", "sub", "br", "u", "mark", "kbd", "b", "i", "strong", "em", "s", "del", "ins",
		"small", "cite", "q", "dfn", "var", "samp", "code", "pre", "p", "blockquote", "hr",
		"ul", "ol", "li", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
		"figure", "figcaption", "ruby", "rt", "rp", "wbr",
		"table", "thead", "tbody", "tfoot", "tr", "caption", "colgroup", "details", "summary", "center")
	p.AllowAttrs("colspan", "rowspan").Matching(bluemonday.Integer).OnElements("td", "th", "col", "colgroup")
	p.AllowAttrs("align").Matching(regexp.MustCompile(`^(?i:left|right|center)$`)).OnElements("td", "th", "tr", "p", "table")
	p.AllowAttrs("scope").Matching(regexp.MustCompile(`^(?i:row|col|rowgroup|colgroup)$`)).OnElements("th")
	p.AllowNoAttrs().OnElements("td", "th", "col")
	p.AllowAttrs("title").OnElements("abbr", "dfn", "span", "a", "img")
	p.AllowElements("abbr")
	p.AllowAttrs("open").Matching(regexp.MustCompile(`^(?i:open|)$`)).OnElements("details")
	p.AllowAttrs("class").Matching(classNames).OnElements("span", "div", "p", "table", "td", "th", "code", "pre", "mark")
	p.AllowAttrs("id").Matching(bluemonday.SpaceSeparatedTokens).OnElements("span", "div", "h1", "h2", "h3", "h4", "h5", "h6", "a")
	p.AllowElements("span", "div")
	p.AllowAttrs("start").Matching(bluemonday.Integer).OnElements("ol")
	p.AllowAttrs("src").Matching(localURL).OnElements("img")
	p.AllowAttrs("alt", "width", "height").OnElements("img")
	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("datetime").OnElements("time", "del", "ins")
	p.AllowElements("time")
	p.AllowURLSchemes("http", "https", "mailto", "tel")
	p.AllowRelativeURLs(true)
	p.RequireParseableURLs(true)
	return p
}

// skipContent are the elements whose content is not text to show: when
// one is dropped, so is everything up to its end tag.
var skipContent = map[string]bool{"script": true, "style": true, "iframe": true, "object": true,
	"noscript": true, "template": true, "textarea": true, "select": true, "svg": true, "math": true,
	"frameset": true, "noembed": true, "noframes": true, "xmp": true, "title": true}

// rawHTML is the processed form of a raw HTML node, kept on the node for
// the renderer (the pipeline is shared; this is per Convert).
const rawHTMLAttr = "dangwu-raw"

// processRaw sanitizes the raw HTML text of one node according to mode,
// rewriting local src and href through resolve, and stores the result on
// the node. line is the body line text starts on.
func (c *conversion) processRaw(n ast.Node, text []byte, line int) {
	out := c.sanitize(text, line)
	n.SetAttributeString(rawHTMLAttr, out)
}

// sanitize returns text as it may be published.
func (c *conversion) sanitize(text []byte, line int) []byte {
	switch c.html {
	case HTMLUnsafe:
		return text
	case HTMLStrip:
		return nil
	}
	var out bytes.Buffer
	z := html.NewTokenizer(bytes.NewReader(text))
	offset := 0
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		raw := z.Raw()
		tokLine := line + bytes.Count(text[:min(offset, len(text))], []byte("\n"))
		offset += len(raw)
		if c.skip != "" {
			// Inside a dropped script or style: nothing of it is shown.
			if tt == html.EndTagToken {
				if name, _ := z.TagName(); string(name) == c.skip {
					c.skip = ""
				}
			}
			continue
		}
		switch tt {
		case html.TextToken:
			out.Write(raw)
			continue
		case html.CommentToken, html.DoctypeToken:
			continue
		}
		tok := z.Token()
		if tt == html.StartTagToken && skipContent[tok.Data] {
			c.warn(tokLine, msgDroppedTag, tok.Data)
			c.skip = tok.Data
			continue
		}
		clean := c.policy.SanitizeBytes(raw)
		if tt == html.EndTagToken {
			if c.dropped[tok.Data] > 0 {
				c.dropped[tok.Data]-- // the end of an element dropped
				continue
			}
			out.Write(clean)
			continue
		}
		kept := c.checkDropped(tok, clean, tokLine)
		if kept == nil {
			if tt == html.StartTagToken {
				if c.dropped == nil {
					c.dropped = map[string]int{}
				}
				c.dropped[tok.Data]++
			}
			continue
		}
		c.rawLine = tokLine
		out.Write(c.rewriteURLs(*kept, tt == html.SelfClosingTagToken))
	}
	return out.Bytes()
}

// checkDropped compares a start tag with what the policy made of it,
// records a warning for each part dropped, and returns the tag as kept
// (nil when dropped whole).
func (c *conversion) checkDropped(tok html.Token, clean []byte, line int) *html.Token {
	z := html.NewTokenizer(bytes.NewReader(clean))
	var kept *html.Token
	for tt := z.Next(); tt != html.ErrorToken; tt = z.Next() {
		if tt == html.StartTagToken || tt == html.SelfClosingTagToken {
			t := z.Token()
			kept = &t
			break
		}
	}
	if kept == nil {
		for _, a := range tok.Attr {
			if (a.Key == "src" && tok.Data == "img") || (a.Key == "href" && tok.Data == "a") {
				c.warn(line, msgDroppedURL, tok.Data, a.Key, a.Val)
				return nil
			}
		}
		c.warn(line, msgDroppedTag, tok.Data)
		return nil
	}
	have := map[string]bool{}
	for _, a := range kept.Attr {
		have[a.Key] = true
	}
	var dropped []html.Attribute
	for _, a := range tok.Attr {
		if !have[a.Key] {
			dropped = append(dropped, a)
		}
	}
	sort.SliceStable(dropped, func(i, j int) bool { return dropped[i].Key < dropped[j].Key })
	for _, a := range dropped {
		if a.Key == "src" || a.Key == "href" {
			c.warn(line, msgDroppedURL, tok.Data, a.Key, a.Val)
			continue
		}
		c.warn(line, msgDroppedAttr, tok.Data, a.Key)
	}
	if tok.Data == "img" && !have["src"] {
		return nil // an image with nowhere to come from shows nothing
	}
	return kept
}

func (c *conversion) warn(line int, format string, args ...any) {
	c.warnings = append(c.warnings, Warning{Line: line, Msg: fmt.Sprintf(format, args...)})
}

// rewriteURLs resolves a kept tag's local src or href like a Markdown
// image or link, and writes the tag.
func (c *conversion) rewriteURLs(t html.Token, selfClosing bool) []byte {
	for i, a := range t.Attr {
		if (a.Key != "src" || t.Data != "img") && (a.Key != "href" || t.Data != "a") {
			continue
		}
		if c.resolveFile == nil && c.resolve == nil {
			continue
		}
		if to := c.rawLink(a.Val, t.Data == "img"); to != "" {
			t.Attr[i].Val = to
		}
	}
	var b strings.Builder
	b.WriteString("<" + t.Data)
	for _, a := range t.Attr {
		b.WriteString(" " + a.Key + `="` + html.EscapeString(a.Val) + `"`)
	}
	if selfClosing {
		b.WriteString(" /")
	}
	b.WriteString(">")
	return []byte(b.String())
}

// rawLink resolves the destination of a raw <a href> or <img src>, records
// it among the links, and returns the URL to write ("" to keep it).
func (c *conversion) rawLink(dest string, image bool) string {
	p, _, _ := strings.Cut(dest, "#")
	if isPageLink(p) && !image {
		if c.resolve == nil {
			return ""
		}
		l := Link{Dest: dest, Path: unescape(p), Line: c.rawLine}
		_, frag, hasFrag := strings.Cut(dest, "#")
		l.Fragment = unescape(frag)
		url, ok := c.resolve(l.Path)
		l.Found = ok
		c.links = append(c.links, l)
		if !ok {
			return ""
		}
		if hasFrag && frag != "" {
			url += "#" + frag
		}
		return url
	}
	if c.resolveFile == nil {
		return ""
	}
	to, _ := c.fileDest(dest, c.rawLine, image)
	return string(to)
}

// rawHTMLRenderer writes raw HTML nodes as processRaw left them, or
// goldmark's "raw HTML omitted" when the node was not processed (the case
// files run the pipeline without a conversion).
type rawHTMLRenderer struct{}

func (rawHTMLRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindRawHTML, renderRaw)
	reg.Register(ast.KindHTMLBlock, renderRaw)
}

func renderRaw(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	v, ok := n.AttributeString(rawHTMLAttr)
	if !ok {
		if n.Kind() == ast.KindHTMLBlock {
			w.WriteString("<!-- raw HTML omitted -->\n")
		} else {
			w.WriteString("<!-- raw HTML omitted -->")
		}
		return ast.WalkSkipChildren, nil
	}
	b, _ := v.([]byte)
	if n.Kind() != ast.KindHTMLBlock {
		w.Write(b)
		return ast.WalkSkipChildren, nil
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return ast.WalkSkipChildren, nil // all of it was dropped
	}
	w.Write(b)
	if b[len(b)-1] != '\n' {
		w.WriteByte('\n')
	}
	return ast.WalkSkipChildren, nil
}
