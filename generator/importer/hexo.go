package importer

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"gopkg.in/yaml.v2"
)

// hexoDropped are front-matter keys of Hexo and its themes that dangwu has
// no use for.
var hexoDropped = map[string]bool{"comments": true, "toc": true, "sticky": true, "top": true, "mathjax": true,
	"copyright": true, "reward": true, "photos": true, "thumbnail": true, "banner": true, "top_img": true}

// Hexo imports a Hexo site's source/ from src into the site: posts
// (source/_posts/, source/_drafts/ as drafts) into the column o.Column,
// other pages to the content root, other files to static/.
func Hexo(src string, o Options) (*Report, error) {
	sourceDir := filepath.Join(src, "source")
	if fi, err := os.Stat(sourceDir); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf(msgNotHexo, src)
	}
	r := &Report{Kind: "Hexo"}
	x := &hexo{o: o, r: r, t: &target{dir: o.Site, r: r}}
	x.config(src)
	for _, d := range []struct {
		dir   string
		draft bool
	}{{"_posts", false}, {"_drafts", true}} {
		dir := filepath.Join(sourceDir, d.dir)
		if _, err := os.Stat(dir); err != nil {
			continue
		}
		if err := x.posts(dir, d.draft); err != nil {
			return nil, err
		}
	}
	if err := x.pages(sourceDir); err != nil {
		return nil, err
	}
	for _, dir := range []string{"scaffolds", "themes"} {
		if fi, err := os.Stat(filepath.Join(src, dir)); err == nil && fi.IsDir() {
			r.skip(dir+"/", msgHexoScaffold, dir)
		}
	}
	if _, err := os.Stat(filepath.Join(o.Site, "content", o.Column, "_index.md")); err != nil && len(r.Written) > 0 {
		rel := "content/" + o.Column + "/_index.md"
		x.t.write(rel, []byte(fmt.Sprintf("---\ntitle: %s\n---\n", o.Column)), "")
		r.attend(rel, 0, msgColumnIdx, o.Column, o.Column)
	}
	return r, nil
}

type hexo struct {
	o Options
	r *Report
	t *target
}

func (x *hexo) config(src string) {
	b, err := os.ReadFile(filepath.Join(src, "_config.yml"))
	if err != nil {
		return
	}
	var cfg map[string]any
	if err := yaml.Unmarshal(b, &cfg); err != nil {
		x.r.attend("_config.yml", 0, "%v", err)
		return
	}
	x.r.skip("_config.yml", msgHexoConfig, fmt.Sprint(orEmpty(cfg["title"])), fmt.Sprint(orEmpty(cfg["url"])))
	if pl, ok := cfg["permalink"].(string); ok && pl != "" {
		x.r.attend("_config.yml", 0, msgPermalinks, pl)
	}
}

// posts imports the posts of dir. A post with a folder of the same name
// (Hexo's post_asset_folder) becomes a bundle with its files.
func (x *hexo) posts(dir string, draft bool) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		base := strings.TrimSuffix(rel, path.Ext(rel))
		col := "content/" + x.o.Column + "/"
		if isMarkdown(rel) {
			if fi, err := os.Stat(filepath.Join(dir, filepath.FromSlash(base))); err == nil && fi.IsDir() {
				x.page(p, col+base+"/index.md", draft)
			} else {
				x.page(p, col+base+".md", draft)
			}
			return nil
		}
		// A file of a post's asset folder goes into the bundle.
		x.t.copy(col+rel, p)
		return nil
	})
}

// pages imports source/ outside _posts and _drafts: Markdown pages to the
// content root (source/about/index.md is /about/), other files to static/.
func (x *hexo) pages(sourceDir string) error {
	return filepath.WalkDir(sourceDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(sourceDir, p)
		rel = filepath.ToSlash(rel)
		if rel != "." && (strings.HasPrefix(d.Name(), "_") || strings.HasPrefix(d.Name(), ".")) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if isMarkdown(rel) {
			x.page(p, "content/"+strings.TrimSuffix(rel, path.Ext(rel))+".md", false)
			return nil
		}
		if dir := path.Dir(rel); dir != "." && hasIndex(filepath.Join(sourceDir, filepath.FromSlash(dir))) {
			x.t.copy("content/"+rel, p) // beside its page, in the bundle
			return nil
		}
		x.t.copy("static/"+rel, p)
		return nil
	})
}

func hasIndex(dir string) bool {
	for _, n := range []string{"index.md", "index.markdown"} {
		if _, err := os.Stat(filepath.Join(dir, n)); err == nil {
			return true
		}
	}
	return false
}

func isMarkdown(name string) bool {
	ext := strings.ToLower(path.Ext(name))
	return ext == ".md" || ext == ".markdown"
}

// page converts one Hexo page.
func (x *hexo) page(from, rel string, draft bool) {
	src, err := readAll(from)
	if err != nil {
		x.r.skip(rel, "%v", err)
		return
	}
	if fixed, ok := hexoDelimiter(src); ok {
		src = fixed
		x.r.change(rel, 1, msgHexoNoDelim)
	}
	p, ok := readPage(rel, src, x.r)
	if !ok {
		x.t.write(rel, src, from)
		return
	}
	if draft {
		p.draft()
		x.r.change(rel, 0, msgHexoDraft)
	}
	x.keys(p)
	p.dates(x.o.Location)
	p.lists("tags", "categories")
	x.body(p)
	b, err := p.bytes()
	if err != nil {
		x.r.skip(rel, "%v", err)
		return
	}
	x.t.write(rel, b, from)
}

// hexoDelimiter adds the opening --- Hexo lets a file leave out: front
// matter that starts at the first line and ends at a --- line.
func hexoDelimiter(src []byte) ([]byte, bool) {
	if bytes.HasPrefix(src, []byte("---")) || bytes.HasPrefix(src, []byte("+++")) || bytes.HasPrefix(src, []byte(";;;")) {
		return src, false
	}
	end := bytes.Index(src, []byte("\n---"))
	if end < 0 {
		return src, false
	}
	head := src[:end]
	for _, line := range bytes.Split(head, []byte("\n")) {
		if len(bytes.TrimSpace(line)) > 0 && !bytes.Contains(line, []byte(":")) && !bytes.HasPrefix(bytes.TrimSpace(line), []byte("-")) {
			return src, false
		}
	}
	return append([]byte("---\n"), src...), true
}

// keys maps Hexo's front matter: updated is lastmod, permalink a url,
// nested categories flat, a theme's settings dropped.
func (x *hexo) keys(p *page) {
	if p.has("updated") {
		x.r.change(p.rel, p.line("updated"), msgKeyRenamed, "updated", "lastmod")
		p.rename("updated", "lastmod")
	}
	if p.has("excerpt") && !p.has("summary") {
		x.r.change(p.rel, p.line("excerpt"), msgKeyRenamed, "excerpt", "summary")
		p.rename("excerpt", "summary")
	}
	if v, _ := p.vals["layout"].(string); v == "post" || v == "page" {
		x.r.change(p.rel, p.line("layout"), msgKeyDropped, "layout", v)
		p.del("layout")
	}
	if pl, ok := p.vals["permalink"].(string); ok {
		u := "/" + strings.Trim(strings.TrimSuffix(strings.TrimSuffix(pl, ".html"), "/index"), "/") + "/"
		x.r.change(p.rel, p.line("permalink"), msgHexoLink, pl, u)
		p.rename("permalink", "url")
		p.set("url", u)
	}
	if cats, ok := p.vals["categories"].([]any); ok {
		var flat []any
		nested := false
		for _, c := range cats {
			if list, ok := c.([]any); ok {
				nested = true
				flat = append(flat, list...)
				continue
			}
			flat = append(flat, c)
		}
		if nested {
			x.r.change(p.rel, p.line("categories"), msgHexoCats, cats)
			p.set("categories", flat)
		}
	}
	for _, k := range append([]string(nil), p.keys...) {
		if hexoDropped[k] {
			x.r.change(p.rel, p.line(k), msgHexoDropped, k, p.vals[k])
			p.del(k)
		}
	}
}

var (
	hexoMore = regexp.MustCompile(`<!--\s+more\s+-->`)
	hexoTag  = regexp.MustCompile(`\{%\s*(\w+)([^%]*?)\s*%\}`)
)

// body rewrites Hexo's <!-- more --> and tag plugins.
func (x *hexo) body(p *page) {
	body := p.body
	base := p.fm.BodyLine // the line body starts on
	line := func(i int) int { return base + strings.Count(body[:i], "\n") }
	if loc := hexoMore.FindStringIndex(body); loc != nil {
		x.r.change(p.rel, line(loc[0]), msgHexoMore)
		body = hexoMore.ReplaceAllString(body, "<!--more-->")
	}
	var out strings.Builder
	for {
		m := hexoTag.FindStringSubmatchIndex(body)
		if m == nil {
			out.WriteString(body)
			break
		}
		name, args := body[m[2]:m[3]], strings.TrimSpace(body[m[4]:m[5]])
		at := line(m[0])
		out.WriteString(body[:m[0]])
		rest := body[m[1]:]
		with, consumed, ok := hexoPlugin(name, args, rest)
		if ok {
			x.r.change(p.rel, at, msgHexoTag, name)
		} else {
			x.r.attend(p.rel, at, msgHexoTagBad, name)
			p.draft()
			with = "`" + body[m[0]:m[1]] + "`"
		}
		out.WriteString(with)
		base += strings.Count(body[:m[1]+consumed], "\n")
		body = rest[consumed:]
	}
	p.setBody(out.String())
}

// hexoPlugin turns a tag plugin into Markdown; consumed is how much of
// rest (its content up to the end tag) it used.
func hexoPlugin(name, args, rest string) (with string, consumed int, ok bool) {
	fields := hexoArgs(args)
	block := func(end string) (string, int, bool) {
		loc := regexp.MustCompile(`\{%\s*` + end + `\s*%\}`).FindStringIndex(rest)
		if loc == nil {
			return "", 0, false
		}
		return rest[:loc[0]], loc[1], true
	}
	switch name {
	case "asset_img", "img":
		if len(fields) == 0 {
			return "", 0, false
		}
		return "![" + strings.Join(fields[1:], " ") + "](" + fields[0] + ")", 0, true
	case "asset_link", "asset_path":
		if len(fields) == 0 {
			return "", 0, false
		}
		title := strings.Join(fields[1:], " ")
		if title == "" {
			title = fields[0]
		}
		return "[" + title + "](" + fields[0] + ")", 0, true
	case "codeblock", "code":
		inner, n, ok := block("end" + name)
		if !ok {
			return "", 0, false
		}
		lang := ""
		for _, f := range fields {
			if l, ok := strings.CutPrefix(f, "lang:"); ok {
				lang = l
			}
		}
		return "```" + lang + "\n" + strings.Trim(inner, "\n") + "\n```", n, true
	case "blockquote", "quote":
		inner, n, ok := block("end" + name)
		if !ok {
			return "", 0, false
		}
		var b strings.Builder
		for _, l := range strings.Split(strings.Trim(inner, "\n"), "\n") {
			b.WriteString("> " + l + "\n")
		}
		if len(fields) > 0 {
			b.WriteString(">\n> —— " + strings.Join(fields, " ") + "\n")
		}
		return strings.TrimSuffix(b.String(), "\n"), n, true
	case "raw":
		inner, n, ok := block("endraw")
		return inner, n, ok
	case "youtube":
		if len(fields) == 0 {
			return "", 0, false
		}
		return "<https://www.youtube.com/watch?v=" + fields[0] + ">", 0, true
	}
	return "", 0, false
}

// hexoArgs splits a tag plugin's arguments, keeping "quoted words" whole.
func hexoArgs(s string) []string {
	var out []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		if s[0] == '"' || s[0] == '\'' {
			if end := strings.IndexByte(s[1:], s[0]); end >= 0 {
				out = append(out, s[1:end+1])
				s = s[end+2:]
				continue
			}
		}
		i := strings.IndexAny(s, " \t")
		if i < 0 {
			out = append(out, s)
			break
		}
		out = append(out, s[:i])
		s = s[i:]
	}
	return out
}
