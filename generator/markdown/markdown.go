package markdown

import (
	"bytes"
	"fmt"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/dangwu-org/dangwu/generator/site"
)

// Renderer converts page bodies. It is safe for concurrent use by many
// goroutines: the goldmark pipeline is built once, in New, and every call of
// Convert keeps its state to itself.
type Renderer struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
}

// New returns a Renderer configured for the site: GFM (tables,
// strikethrough, autolinks, task lists), footnotes, CJK line breaks and
// escaped spaces, attributes ({#id}) on headings, heading ids that keep
// Chinese, no typographer, and no raw HTML in the output.
func New() *Renderer {
	return &Renderer{md: newMarkdown(), policy: newPolicy()}
}

// newMarkdown builds the goldmark pipeline. Tests run goldmark's case files
// through it directly.
func newMarkdown() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(
			extension.GFM,
			extension.Footnote,
			extension.CJK,
		),
		goldmark.WithParserOptions(
			parser.WithAttribute(),
			parser.WithASTTransformers(util.Prioritized(headingIDs{}, 1000)),
		),
		goldmark.WithRendererOptions(
			// Replaces goldmark's rendering of text, whose CJK line breaks
			// drop the space before emphasis and links and keep the one
			// after a fullwidth comma (goldmark 1.8.7).
			renderer.WithNodeRenderers(util.Prioritized(newTextRenderer(), 100), util.Prioritized(rawHTMLRenderer{}, 100)),
		),
	)
}

// Resolve maps a link destination path written in Markdown (the part before
// any '#', e.g. "../rules/dangfei.md" or "lesson-01/index.md") to the target
// page's URL (e.g. "/dangwu/rules/dangfei/"). ok=false means no such page.
// Percent-escapes in the path have been decoded ("my%20file.md" arrives as
// "my file.md").
type Resolve func(dest string) (url string, ok bool)

// Resolvers map the destinations of a body's links and images, and say
// what becomes of its raw HTML.
type Resolvers struct {
	// HTML is the raw HTML mode; HTMLSafe when empty.
	HTML HTMLMode
	// Page resolves relative links to .md files, as Resolve says.
	Page Resolve
	// File, when set, resolves every other local destination of a link or
	// an image: a relative path ("img/x.png", "../files/办法.pdf",
	// "../rules/") or a rooted one ("/images/logo.png"), percent-decoded,
	// without its "#fragment" or "?query". ok=false means no such file;
	// ok=true with url "" leaves the destination as written.
	File Resolve
	// Shortcode renders the shortcodes other than ref and relref; when nil,
	// every such shortcode is a problem.
	Shortcode ShortcodeFunc
	// Depth is how many folders below content/ the page's source is
	// ("news/a.md": 1), for ref paths written from content/.
	Depth int
	// nesting is how many shortcodes the body being converted is inside.
	nesting int
}

// Link is a relative link to a .md file, a same-page "#fragment" link, or
// (when Resolvers.File is set) a link or image to a local file, found in a
// body.
type Link struct {
	// Dest is the destination as written: "../rules/dangfei.md#第三条-党费的计算".
	Dest string
	// Path is the path part, percent-decoded, as passed to Resolve:
	// "../rules/dangfei.md"; "" for a same-page "#frag" link.
	Path string
	// Fragment is the part after '#', percent-decoded: "第三条-党费的计算";
	// "" when there is none.
	Fragment string
	// Line is the 1-based line of the body the link's text starts on.
	Line int
	// Found reports whether Resolve knew the path (always true for a
	// same-page link).
	Found bool
	// File is set for a link to something else than a .md file, Image for
	// an image; both were resolved by Resolvers.File.
	File, Image bool
}

// Result is a converted body.
type Result struct {
	// HTML is the rendered body.
	HTML []byte
	// Headings lists every heading, of all levels, in order, with its id.
	Headings []site.Heading
	// Plain is the text without markup: blocks separated by "\n" (the cells
	// of a table row by "\t"), code included, images' alt text included, raw
	// HTML omitted.
	Plain string
	// Links lists every relative link to a .md file and every "#fragment"
	// link, in order.
	Links []Link
	// Warnings list the parts of raw HTML that were dropped, in order.
	Warnings []Warning
	// Problems are the shortcodes that are written wrongly or could not be
	// rendered, which fail a build; nothing was written in their place.
	Problems []Warning
}

// Convert renders src, a page body, to HTML. Relative links to .md files
// are rewritten to the URL resolve gives them, keeping any "#fragment" as
// written; a link resolve does not know is left as it is and recorded with
// Found false, for the caller to report. A nil resolve knows no page.
//
// Heading ids are the heading's text with ASCII letters lower-cased, runs
// of whitespace turned into one '-', and everything but letters (of any
// script), digits, '-' and '_' dropped: "## 第三条 党费的计算" gets
// "第三条-党费的计算". An empty id becomes "heading", a repeated one gets
// "-1", "-2", … appended, and an explicit {#id} wins.
//
// Convert returns an error only when rendering fails.
func (r *Renderer) Convert(src []byte, resolve Resolve) (Result, error) {
	return r.ConvertWith(src, Resolvers{Page: resolve})
}

// ConvertWith is Convert with a resolver for links and images to files as
// well: each local destination of a link or image that is not a .md file
// goes to res.File and is rewritten to the URL it returns, or recorded with
// Found false.
//
// Shortcodes ({{< name >}}, {{% name %}}) are rendered by res.Shortcode,
// and ref and relref become the URL of the page they name; a shortcode's
// HTML takes the place of the paragraph it stands alone in, and its text
// (tags removed) goes into Plain.
func (r *Renderer) ConvertWith(src []byte, res Resolvers) (Result, error) {
	var exp *expansion
	if hasShortcodes(src) {
		exp = r.expand(src, res)
		src = exp.src
	}
	doc := r.md.Parser().Parse(text.NewReader(src))
	c := conversion{src: src, resolve: res.Page, resolveFile: res.File, html: res.HTML, policy: r.policy, exp: exp}
	if c.html == "" {
		c.html = HTMLSafe
	}
	c.plain = make([]byte, 0, len(src))
	if err := ast.Walk(doc, c.visit); err != nil {
		return Result{}, fmt.Errorf("walk markdown: %w", err)
	}
	for _, n := range c.remove {
		if p := n.Parent(); p != nil {
			p.RemoveChild(p, n)
		}
	}
	var buf bytes.Buffer
	buf.Grow(len(src) + len(src)/2)
	if err := r.md.Renderer().Render(&buf, src, doc); err != nil {
		return Result{}, fmt.Errorf("render markdown: %w", err)
	}
	out := Result{
		HTML:     buf.Bytes(),
		Headings: c.headings,
		Plain:    string(bytes.TrimRight(c.plain, "\n")),
		Links:    c.links,
		Warnings: c.warnings,
	}
	if exp != nil {
		exp.complete(&out)
	}
	return out, nil
}

// conversion holds the state of one Convert call while it walks the tree.
type conversion struct {
	src         []byte
	resolve     Resolve
	resolveFile Resolve
	// textOnly makes the walk collect plain text only, not links.
	textOnly bool
	// lineStarts holds the offset of every line's first byte, computed on
	// the first link.
	lineStarts []int
	plain      []byte
	// headingStart is where the current heading's text begins in plain.
	headingStart int
	headings     []site.Heading
	links        []Link
	// html is the raw HTML mode, policy the allow-list of HTMLSafe.
	html     HTMLMode
	policy   *bluemonday.Policy
	warnings []Warning
	// rawLine is the line of the raw HTML tag being processed.
	rawLine int
	// skip is the dropped element (script, style) whose content is being
	// left out; remove are the inline nodes of such content.
	skip   string
	remove []ast.Node
	// dropped counts the open elements whose start tag was dropped, by
	// name, so that their end tags go too.
	dropped map[string]int
	// exp is the body's shortcodes, taken out of src; nil when it has none.
	exp *expansion
}

// visit handles one node of the walk: links, headings and plain text.
func (c *conversion) visit(n ast.Node, entering bool) (ast.WalkStatus, error) {
	if n.Type() == ast.TypeBlock {
		return c.visitBlock(n, entering), nil
	}
	if !entering {
		return ast.WalkContinue, nil
	}
	if c.skip != "" && !c.textOnly {
		if _, ok := n.(*ast.RawHTML); !ok {
			c.remove = append(c.remove, n)
			return ast.WalkSkipChildren, nil
		}
	}
	if l, ok := n.(*ast.Link); ok && !c.textOnly {
		c.link(l)
		return ast.WalkContinue, nil
	}
	if img, ok := n.(*ast.Image); ok && !c.textOnly && c.resolveFile != nil {
		if dest := c.fileLink(img.Destination, img, true); dest != nil {
			img.Destination = dest
		}
	}
	if raw, ok := n.(*ast.RawHTML); ok && !c.textOnly {
		var text []byte
		for i := 0; i < raw.Segments.Len(); i++ {
			seg := raw.Segments.At(i)
			text = append(text, seg.Value(c.src)...)
		}
		c.processRaw(raw, text, c.lineAt(raw.Segments.At(0).Start))
	}
	return c.plainInline(n), nil
}

// visitBlock separates blocks in the plain text, takes block content that
// is not in inline nodes (code), and records headings.
func (c *conversion) visitBlock(n ast.Node, entering bool) ast.WalkStatus {
	h, isHeading := n.(*ast.Heading)
	if !entering {
		if isHeading {
			id, _ := h.AttributeString("id")
			c.headings = append(c.headings, site.Heading{
				Level: h.Level,
				ID:    attributeString(id),
				Text:  string(c.plain[c.headingStart:]),
			})
		}
		return ast.WalkContinue
	}
	c.skip = "" // a script left open in one paragraph ends with it
	if b, ok := n.(*ast.HTMLBlock); ok && !c.textOnly {
		var text []byte
		lines := b.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			text = append(text, seg.Value(c.src)...)
		}
		if b.HasClosure() {
			text = append(text, b.ClosureLine.Value(c.src)...)
		}
		start := 0
		if lines.Len() > 0 {
			start = lines.At(0).Start
		}
		c.processRaw(b, text, c.lineAt(start))
	}
	c.separate(n)
	if isHeading {
		c.headingStart = len(c.plain)
	}
	return c.plainBlock(n)
}

// attributeString returns an attribute value as a string.
func attributeString(v any) string {
	switch v := v.(type) {
	case []byte:
		return string(v)
	case string:
		return v
	}
	return ""
}
