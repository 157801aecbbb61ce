package importer

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v2"

	"github.com/dangwu-org/dangwu/generator/content"
)

// Word documents are read with archive/zip and encoding/xml: the Go
// packages for .docx are either under the AGPL or made for writing, and
// what a page needs (headings by style, lists by numbering, tables, bold,
// images) is a small part of WordprocessingML.

const nsW = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

// node is an element of a part of the document, kept whole.
type node struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Nodes   []node     `xml:",any"`
	Text    string     `xml:",chardata"`
}

// attr returns the value of the attribute with that local name.
func (n *node) attr(local string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// child returns the first child with that local name in the Word
// namespace, or nil.
func (n *node) child(local string) *node {
	for i := range n.Nodes {
		if c := &n.Nodes[i]; c.XMLName.Local == local && c.XMLName.Space == nsW {
			return c
		}
	}
	return nil
}

// on reports whether a run property (w:b, w:i) is set: present, and not
// w:val="0"/"false"/"none".
func (n *node) on(local string) bool {
	c := n.child(local)
	if c == nil {
		return false
	}
	v := c.attr("val")
	return v != "0" && v != "false" && v != "none"
}

// find calls fn on every descendant with that local name, in order.
func (n *node) find(local string, fn func(*node)) {
	for i := range n.Nodes {
		c := &n.Nodes[i]
		if c.XMLName.Local == local {
			fn(c)
		}
		c.find(local, fn)
	}
}

// docx is one Word document being read.
type docx struct {
	name   string // the file, as given
	rel    string // the page's path under the site
	files  map[string]*zip.File
	styles map[string]style
	// lists maps a numbering id and level to whether it is a bullet list.
	lists    map[string]map[string]bool
	links    map[string]string // relationship id → target
	images   map[string]string // image part → file name beside the page
	headings []string
	body     []string // Markdown blocks
	// paras are the document's paragraphs as plain text, for the title,
	// the date and the keys a column requires.
	paras []string
	// noted keeps each kind of remark to one per document.
	noted map[string]bool
	r     *Report
}

// style is what a paragraph style means for Markdown.
type style struct {
	heading int // 1-6, 0 for none
	title   bool
}

// Docx converts Word documents into pages of the column o.Column: title
// and date in the front matter (from the document's properties or its
// text), headings, lists, tables, bold and italic, images into a bundle.
// Keys the column requires are taken from the text when they can be found
// (文号, 发文单位, 成文日期); a page missing one is a draft with "待补充".
func Docx(files []string, o Options) (*Report, error) {
	if o.Column == "" {
		return nil, fmt.Errorf("%s", msgDocxColumn)
	}
	r := &Report{Kind: "Word"}
	t := &target{dir: o.Site, r: r}
	require := columnRequire(o.Site, o.Column)
	for _, f := range files {
		if err := convertDocx(f, o, require, t); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// columnRequire reads the keys a column's _index.md requires.
func columnRequire(siteDir, column string) []string {
	b, err := os.ReadFile(filepath.Join(siteDir, "content", column, "_index.md"))
	if err != nil {
		return nil
	}
	fm, _, err := content.ReadFrontMatter(b)
	if err != nil {
		return nil
	}
	list, _ := fm.Params["require"].([]any)
	var out []string
	for _, v := range list {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func convertDocx(file string, o Options, require []string, t *target) error {
	zr, err := zip.OpenReader(file)
	if err != nil {
		return fmt.Errorf(msgDocxOpen, file, err)
	}
	defer zr.Close()
	base := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	slug := content.Slugify(base)
	d := &docx{name: file, files: map[string]*zip.File{}, styles: map[string]style{}, lists: map[string]map[string]bool{},
		links: map[string]string{}, images: map[string]string{}, noted: map[string]bool{}, r: t.r}
	for _, f := range zr.File {
		d.files[f.Name] = f
	}
	var doc node
	if err := d.part("word/document.xml", &doc); err != nil {
		return fmt.Errorf(msgDocxOpen, file, err)
	}
	d.readStyles()
	d.readNumbering()
	d.readRels()
	bodyNode := doc.child("body")
	if bodyNode == nil {
		return fmt.Errorf(msgDocxOpen, file, "word/document.xml 没有 w:body")
	}
	// The page is a bundle when it has images: they go beside it.
	d.rel = "content/" + o.Column + "/" + slug + ".md"
	bodyNode.find("blip", func(*node) { d.rel = "content/" + o.Column + "/" + slug + "/index.md" })
	bodyNode.find("imagedata", func(*node) { d.rel = "content/" + o.Column + "/" + slug + "/index.md" })
	d.blocks(bodyNode, 0)

	front := yaml.MapSlice{}
	title := d.title(base)
	front = append(front, yaml.MapItem{Key: "title", Value: title})
	date := d.date(o)
	front = append(front, yaml.MapItem{Key: "date", Value: date})
	found := d.requiredKeys(require, date)
	draft := false
	for _, k := range require {
		v, ok := found[k]
		if !ok {
			v = "待补充"
			draft = true
			t.r.attend(d.rel, 0, msgDocxRequired, o.Column, k)
		}
		front = append(front, yaml.MapItem{Key: k, Value: v})
	}
	if draft {
		front = append(front, yaml.MapItem{Key: "draft", Value: true})
	}
	y, err := yaml.Marshal(front)
	if err != nil {
		return err
	}
	var out bytes.Buffer
	out.WriteString("---\n")
	out.Write(y)
	out.WriteString("---\n\n")
	out.WriteString(strings.Join(d.body, "\n\n"))
	out.WriteString("\n")
	t.write(d.rel, out.Bytes(), file)
	for part, name := range d.images {
		b, err := d.read(part)
		if err != nil {
			t.r.attend(d.rel, 0, msgDocxImageBad, part)
			continue
		}
		t.write(path.Join(path.Dir(d.rel), name), b, file)
	}
	return nil
}

// read returns a part of the package.
func (d *docx) read(name string) ([]byte, error) {
	f, ok := d.files[name]
	if !ok {
		return nil, fmt.Errorf("没有 %s", name)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(io.LimitReader(rc, 64<<20))
}

// part decodes an XML part into v.
func (d *docx) part(name string, v any) error {
	b, err := d.read(name)
	if err != nil {
		return err
	}
	return xml.Unmarshal(b, v)
}

var headingName = regexp.MustCompile(`(?i)^(?:heading|标题)\s*([1-9])$`)

func (d *docx) readStyles() {
	var styles node
	if d.part("word/styles.xml", &styles) != nil {
		return
	}
	for _, s := range styles.Nodes {
		if s.XMLName.Local != "style" {
			continue
		}
		var st style
		name := ""
		if n := s.child("name"); n != nil {
			name = n.attr("val")
		}
		if m := headingName.FindStringSubmatch(name); m != nil {
			st.heading, _ = strconv.Atoi(m[1])
		}
		if strings.EqualFold(name, "title") || name == "标题" {
			st.title = true
		}
		if ppr := s.child("pPr"); ppr != nil && st.heading == 0 {
			if ol := ppr.child("outlineLvl"); ol != nil {
				if n, err := strconv.Atoi(ol.attr("val")); err == nil && n < 9 {
					st.heading = n + 1
				}
			}
		}
		d.styles[s.attr("styleId")] = st
	}
}

func (d *docx) readNumbering() {
	var num node
	if d.part("word/numbering.xml", &num) != nil {
		return
	}
	abstract := map[string]map[string]bool{}
	for _, a := range num.Nodes {
		if a.XMLName.Local != "abstractNum" {
			continue
		}
		levels := map[string]bool{}
		for _, l := range a.Nodes {
			if l.XMLName.Local == "lvl" {
				f := l.child("numFmt")
				levels[l.attr("ilvl")] = f != nil && (f.attr("val") == "bullet" || f.attr("val") == "none")
			}
		}
		abstract[a.attr("abstractNumId")] = levels
	}
	for _, n := range num.Nodes {
		if n.XMLName.Local == "num" {
			if a := n.child("abstractNumId"); a != nil {
				d.lists[n.attr("numId")] = abstract[a.attr("val")]
			}
		}
	}
}

func (d *docx) readRels() {
	var rels node
	if d.part("word/_rels/document.xml.rels", &rels) != nil {
		return
	}
	for _, r := range rels.Nodes {
		target := r.attr("Target")
		if r.attr("TargetMode") != "External" {
			target = path.Join("word", target)
		}
		d.links[r.attr("Id")] = target
	}
}

// note reports a kind of remark once per document.
func (d *docx) note(kind, msg string) {
	if !d.noted[kind] {
		d.noted[kind] = true
		d.r.attend(d.rel, 0, "%s", msg)
	}
}

// blocks converts the paragraphs and tables in n.
func (d *docx) blocks(n *node, depth int) {
	for i := range n.Nodes {
		c := &n.Nodes[i]
		if c.XMLName.Space != nsW {
			continue
		}
		switch c.XMLName.Local {
		case "p":
			d.paragraph(c)
		case "tbl":
			if depth > 0 {
				d.note("nested", msgDocxNested)
				d.blocks(c, depth)
				continue
			}
			d.table(c)
		case "sdt", "sdtContent", "customXml", "tr", "tc":
			d.blocks(c, depth)
		}
	}
}

// paragraph converts one w:p into a heading, a list item or a paragraph.
func (d *docx) paragraph(p *node) {
	text := strings.TrimSpace(d.inline(p, false))
	plain := strings.TrimSpace(plainText(p))
	if plain != "" {
		d.paras = append(d.paras, plain)
	}
	if text == "" {
		return
	}
	var st style
	level, bullet, listed := "", false, false
	if ppr := p.child("pPr"); ppr != nil {
		if ps := ppr.child("pStyle"); ps != nil {
			st = d.styles[ps.attr("val")]
		}
		if ol := ppr.child("outlineLvl"); ol != nil && st.heading == 0 {
			if n, err := strconv.Atoi(ol.attr("val")); err == nil && n < 9 {
				st.heading = n + 1
			}
		}
		if np := ppr.child("numPr"); np != nil && np.child("numId") != nil {
			id := np.child("numId").attr("val")
			if il := np.child("ilvl"); il != nil {
				level = il.attr("val")
			}
			if id != "0" {
				listed = true
				bullet = d.lists[id][level]
			}
		}
	}
	switch {
	case st.title:
		d.headings = append(d.headings, plain)
		d.body = append(d.body, "# "+text)
	case st.heading > 0:
		d.headings = append(d.headings, plain)
		d.body = append(d.body, strings.Repeat("#", min(st.heading+1, 6))+" "+text)
	case listed:
		n, _ := strconv.Atoi(level)
		marker := "1. "
		if bullet {
			marker = "- "
		}
		item := strings.Repeat("    ", n) + marker + text
		// Items of one list are one block.
		if k := len(d.body) - 1; k >= 0 && isListItem(d.body[k]) {
			d.body[k] += "\n" + item
			return
		}
		d.body = append(d.body, item)
	default:
		d.body = append(d.body, escapeStart(text))
	}
}

var listItem = regexp.MustCompile(`^\s*(?:- |\d+\. )`)

func isListItem(block string) bool {
	last := block[strings.LastIndexByte(block, '\n')+1:]
	return listItem.MatchString(last)
}

// format is how a run is written.
type format struct {
	bold, italic, strike, underline bool
	vert                            string // "superscript", "subscript"
}

// segment is text of one format, or Markdown already made (an image).
type segment struct {
	text string
	f    format
	raw  bool
}

// inline converts the runs of a paragraph (or a table cell's, with
// cell set) into Markdown.
func (d *docx) inline(p *node, cell bool) string {
	var segs []segment
	d.runs(p, &segs, cell, "")
	var b strings.Builder
	for i := 0; i < len(segs); {
		s := segs[i]
		j := i + 1
		text := s.text
		if !s.raw {
			text = escapeText(text, cell)
		}
		for j < len(segs) && !segs[j].raw && !s.raw && segs[j].f == s.f {
			text += escapeText(segs[j].text, cell)
			j++
		}
		b.WriteString(wrap(text, s.f, s.raw))
		i = j
	}
	return b.String()
}

// runs collects the text of the runs below n; link is the URL of the
// hyperlink they are in.
func (d *docx) runs(n *node, segs *[]segment, cell bool, link string) {
	for i := range n.Nodes {
		c := &n.Nodes[i]
		switch c.XMLName.Local {
		case "r":
			d.run(c, segs, cell)
		case "hyperlink":
			target := d.links[c.attr("id")]
			if target == "" || strings.HasPrefix(target, "word/") {
				d.runs(c, segs, cell, "")
				continue
			}
			var inner []segment
			d.runs(c, &inner, cell, target)
			var b strings.Builder
			for _, s := range inner {
				b.WriteString(escapeText(s.text, cell))
			}
			*segs = append(*segs, segment{text: "[" + b.String() + "](" + target + ")", raw: true})
		case "fldSimple":
			d.note("fields", msgDocxFields)
			d.runs(c, segs, cell, link)
		case "ins", "smartTag", "sdt", "sdtContent", "customXml":
			d.runs(c, segs, cell, link)
		}
	}
}

// run converts one w:r.
func (d *docx) run(r *node, segs *[]segment, cell bool) {
	var f format
	if rpr := r.child("rPr"); rpr != nil {
		f.bold, f.italic = rpr.on("b"), rpr.on("i")
		f.strike = rpr.on("strike") || rpr.on("dstrike")
		f.underline = rpr.child("u") != nil && rpr.child("u").attr("val") != "none"
		if v := rpr.child("vertAlign"); v != nil {
			f.vert = v.attr("val")
		}
	}
	for i := range r.Nodes {
		c := &r.Nodes[i]
		switch c.XMLName.Local {
		case "t":
			if c.XMLName.Space == nsW {
				*segs = append(*segs, segment{text: c.Text, f: f})
			}
		case "tab":
			*segs = append(*segs, segment{text: " ", f: f})
		case "br", "cr":
			br := "\\\n"
			if cell {
				br = "<br>"
			}
			if c.attr("type") != "page" {
				*segs = append(*segs, segment{text: br, raw: true})
			}
		case "drawing", "pict", "object":
			d.image(c, segs)
		case "instrText":
			d.note("fields", msgDocxFields)
		case "footnoteReference", "endnoteReference", "commentReference":
			d.note("notes", msgDocxNotes)
		}
	}
}

// image writes a picture of a run as a Markdown image beside the page.
func (d *docx) image(n *node, segs *[]segment) {
	alt := ""
	n.find("docPr", func(p *node) { alt = firstNonEmpty(p.attr("descr"), p.attr("title")) })
	n.find("txbxContent", func(*node) { d.note("textbox", msgDocxTextBox) })
	ids := []string{}
	n.find("blip", func(b *node) { ids = append(ids, b.attr("embed")) })
	n.find("imagedata", func(b *node) { ids = append(ids, b.attr("id")) })
	for _, id := range ids {
		part := d.links[id]
		if part == "" {
			d.r.attend(d.rel, 0, msgDocxImageBad, id)
			continue
		}
		name, ok := d.images[part]
		if !ok {
			name = path.Base(part)
			d.images[part] = name
			d.r.change(d.rel, 0, msgDocxImage, part, name)
		}
		*segs = append(*segs, segment{text: "![" + escapeText(alt, false) + "](" + name + ")", raw: true})
	}
	if len(ids) == 0 {
		n.find("txbxContent", func(t *node) {
			*segs = append(*segs, segment{text: plainText(t)})
		})
	}
}

// table converts a w:tbl to a GFM table, its first row the header.
func (d *docx) table(t *node) {
	var rows [][]string
	for i := range t.Nodes {
		tr := &t.Nodes[i]
		if tr.XMLName.Local != "tr" {
			continue
		}
		var row []string
		for j := range tr.Nodes {
			tc := &tr.Nodes[j]
			if tc.XMLName.Local != "tc" {
				continue
			}
			var parts []string
			span := 1
			if pr := tc.child("tcPr"); pr != nil {
				if gs := pr.child("gridSpan"); gs != nil {
					span, _ = strconv.Atoi(gs.attr("val"))
				}
				if vm := pr.child("vMerge"); vm != nil && vm.attr("val") != "restart" {
					d.note("merged", msgDocxMerged)
				}
			}
			for k := range tc.Nodes {
				c := &tc.Nodes[k]
				switch c.XMLName.Local {
				case "p":
					if s := strings.TrimSpace(d.inline(c, true)); s != "" {
						parts = append(parts, s)
					}
					if s := strings.TrimSpace(plainText(c)); s != "" {
						d.paras = append(d.paras, s)
					}
				case "tbl":
					d.note("nested", msgDocxNested)
					parts = append(parts, escapeText(strings.TrimSpace(plainText(c)), true))
				}
			}
			row = append(row, strings.Join(parts, "<br>"))
			if span > 1 {
				d.note("merged", msgDocxMerged)
				for ; span > 1; span-- {
					row = append(row, "")
				}
			}
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return
	}
	width := 0
	for _, r := range rows {
		width = max(width, len(r))
	}
	var b strings.Builder
	for i, r := range rows {
		for len(r) < width {
			r = append(r, "")
		}
		b.WriteString("| " + strings.Join(r, " | ") + " |\n")
		if i == 0 {
			b.WriteString("|" + strings.Repeat(" --- |", width) + "\n")
		}
	}
	d.body = append(d.body, strings.TrimSuffix(b.String(), "\n"))
}

// plainText is the text of the w:t elements below n.
func plainText(n *node) string {
	var b strings.Builder
	n.find("t", func(t *node) {
		if t.XMLName.Space == nsW {
			b.WriteString(t.Text)
		}
	})
	return b.String()
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// wrap writes text in its format.
func wrap(text string, f format, raw bool) string {
	if raw || strings.TrimSpace(text) == "" {
		return text
	}
	// Leading and trailing spaces stay outside the markers, which
	// CommonMark requires.
	lead := text[:len(text)-len(strings.TrimLeft(text, " "))]
	trail := text[len(strings.TrimRight(text, " ")):]
	text = strings.TrimSpace(text)
	if f.vert == "superscript" {
		text = "<sup>" + text + "</sup>"
	}
	if f.vert == "subscript" {
		text = "<sub>" + text + "</sub>"
	}
	if f.underline {
		text = "<u>" + text + "</u>"
	}
	if f.strike {
		text = "~~" + text + "~~"
	}
	// Next to punctuation, ** would not be read as emphasis: HTML is.
	punct := edgePunct(text)
	if f.italic {
		if punct {
			text = "<em>" + text + "</em>"
		} else {
			text = "*" + text + "*"
		}
	}
	if f.bold {
		if punct {
			text = "<strong>" + text + "</strong>"
		} else {
			text = "**" + text + "**"
		}
	}
	return lead + text + trail
}

func edgePunct(s string) bool {
	first, _ := utf8.DecodeRuneInString(s)
	last, _ := utf8.DecodeLastRuneInString(s)
	return unicode.IsPunct(first) || unicode.IsPunct(last) || unicode.IsSymbol(first) || unicode.IsSymbol(last)
}

// escapeText escapes what Markdown would read as markup in a document's
// text; in a table cell, | as well.
func escapeText(s string, cell bool) string {
	var b strings.Builder
	prev := rune(0)
	for _, r := range s {
		switch {
		case strings.ContainsRune("\\*_`[]<>~", r), r == '|' && cell, r == '{' && prev == '{':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

var blockStart = regexp.MustCompile(`^(?:#|\+ |- |\d+[.)] |=|>)`)

// escapeStart keeps a paragraph that starts like a heading or a list a
// paragraph.
func escapeStart(s string) string {
	if blockStart.MatchString(s) {
		return "\\" + s
	}
	return s
}

// title is the document's title: its properties' title, else its first
// Title or Heading paragraph (then taken out of the body), else the file
// name.
func (d *docx) title(base string) string {
	var core node
	if d.part("docProps/core.xml", &core) == nil {
		for _, n := range core.Nodes {
			if n.XMLName.Local == "title" {
				if t := strings.TrimSpace(n.Text); t != "" && !strings.HasPrefix(t, "Microsoft Word") {
					d.r.change(d.rel, 0, msgDocxTitle, "文档属性", t)
					return t
				}
			}
		}
	}
	for i, b := range d.body {
		if strings.HasPrefix(b, "#") && len(d.headings) > 0 {
			title := d.headings[0]
			d.body = append(d.body[:i], d.body[i+1:]...)
			d.r.change(d.rel, 0, msgDocxTitle, "第一个标题", title)
			return title
		}
	}
	d.r.change(d.rel, 0, msgDocxTitle, "文件名", base)
	return base
}

var cnDate = regexp.MustCompile(`^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$`)

// date is the document's date: a date line in its text (a notice's
// 成文日期), else when it was created, else now.
func (d *docx) date(o Options) string {
	for i := len(d.paras) - 1; i >= 0; i-- {
		if m := cnDate.FindStringSubmatch(d.paras[i]); m != nil {
			y, _ := strconv.Atoi(m[1])
			mo, _ := strconv.Atoi(m[2])
			day, _ := strconv.Atoi(m[3])
			s := fmt.Sprintf("%04d-%02d-%02d", y, mo, day)
			d.r.change(d.rel, 0, msgDocxDate, "正文的“"+d.paras[i]+"”", s)
			return s
		}
	}
	var core node
	if d.part("docProps/core.xml", &core) == nil {
		for _, n := range core.Nodes {
			if n.XMLName.Local == "created" || n.XMLName.Local == "modified" {
				if t, err := time.Parse(time.RFC3339, strings.TrimSpace(n.Text)); err == nil {
					s := t.In(o.Location).Format("2006-01-02")
					d.r.change(d.rel, 0, msgDocxDate, "文档属性（创建时间）", s)
					return s
				}
			}
		}
	}
	s := o.now().In(o.Location).Format("2006-01-02")
	d.r.attend(d.rel, 0, msgDocxNoDate, s)
	return s
}

var docNumber = regexp.MustCompile(`\p{Han}{1,12}[〔［\[（(]\d{4}[〕］\]）)]\s*\d+\s*号`)

// requiredKeys finds in the text what a column requires, when it is one a
// notice carries: 文号 (测机党〔2026〕1号), 发文单位 (the line above the
// date, or the red head's "…文件"), 成文日期 (the date line).
func (d *docx) requiredKeys(require []string, date string) map[string]string {
	found := map[string]string{}
	for _, k := range require {
		switch k {
		case "文号":
			for _, p := range d.paras {
				if m := docNumber.FindString(p); m != "" {
					found[k] = m
					break
				}
			}
		case "发文单位":
			for i, p := range d.paras {
				if cnDate.MatchString(p) && i > 0 && utf8.RuneCountInString(d.paras[i-1]) <= 30 && !strings.ContainsAny(d.paras[i-1], "，。；：") {
					found[k] = d.paras[i-1]
				}
			}
			if _, ok := found[k]; !ok && len(d.paras) > 0 && strings.HasSuffix(d.paras[0], "文件") {
				found[k] = strings.TrimSuffix(d.paras[0], "文件")
			}
		case "成文日期":
			for _, p := range d.paras {
				if cnDate.MatchString(p) {
					found[k] = date
				}
			}
		}
		if v, ok := found[k]; ok {
			d.r.change(d.rel, 0, msgDocxFound, k, v)
		}
	}
	return found
}
