package content

import (
	"bytes"
	"io/fs"
	"path"
	"regexp"
	"strings"

	"github.com/dangwu-org/dangwu/generator/site"
)

// langSuffix matches the file names Hugo gives a page's translations:
// about.en.md, about.zh-cn.md.
var langSuffix = regexp.MustCompile(`^[^.]+\.([a-z]{2}(?:-[a-zA-Z]{2,4})?)\.md$`)

// decodePage turns parsed front matter into a page; nil when it cannot.
func (l *loader) decodePage(src string, p *parsed, bundleFiles []string) *site.Page {
	d := &decoder{file: l.file(src), p: p, loc: l.loc, diags: &l.diags}
	dir, name := path.Split(src)
	dir = strings.TrimSuffix(dir, "/")
	page := &site.Page{
		Kind:       site.KindPage,
		Source:     src,
		Params:     p.params,
		ParamLines: p.lines,
		Body:       p.body,
		BodyLine:   p.bodyLine,
		Bundle:     bundleFiles != nil,
		Files:      bundleFiles,
	}
	slug := strings.TrimSuffix(name, ".md")
	switch {
	case name == "_index.md":
		page.Kind = site.KindSection
		slug = path.Base(dir)
		if dir == "" {
			page.Kind, slug = site.KindHome, ""
		}
	case page.Bundle:
		slug = path.Base(dir)
		dir = path.Dir(dir)
		if dir == "." {
			dir = ""
		}
	}
	// URLs are made from slugs of the file and folder names, so that a
	// space or full-width punctuation never reaches a URL (issue 16).
	named := slug
	slug, dir = Slugify(slug), slugDir(dir)
	if s := d.str("slug"); s != "" && page.Kind == site.KindPage {
		if strings.ContainsAny(s, `/\?#%`) || s == "." || s == ".." {
			d.fail("slug", msgSlug, s)
		} else {
			slug, named = s, s
		}
	} else if slug == "" && page.Kind != site.KindHome {
		l.diags.Add(l.file(src), 0, "文件名 %q 里没有字母、汉字或数字，无法生成网址：请改名，或在前置信息里写 slug", named)
		return nil
	}
	page.Slug = slug
	if m := langSuffix.FindStringSubmatch(name); m != nil && page.Kind == site.KindPage {
		l.diags.Warn(l.file(src), 0, msgLangFile, name, m[1])
	}
	switch {
	case page.Kind == site.KindHome:
		page.Path = ""
	case page.Kind == site.KindSection:
		page.Path = dir + "/"
	case dir == "":
		page.Path = slug + "/"
	default:
		page.Path = dir + "/" + slug + "/"
	}
	if dir != "" {
		page.Column, _, _ = strings.Cut(dir, "/")
	}
	if u, ok := d.urlPath(); ok && page.Kind == site.KindPage {
		page.Path = u
	}

	page.Title = d.str("title")
	page.Description = d.str("description")
	page.Date = d.time("date")
	page.Lastmod = d.time("lastmod")
	page.PublishDate = d.time("publishDate")
	page.ExpiryDate = d.time("expiryDate")
	page.Draft = d.boolean("draft")
	page.Tags = d.strings("tags")
	page.Categories = d.strings("categories")
	page.Weight = d.integer("weight")
	page.Aliases = d.strings("aliases")
	page.Author = strings.Join(d.strings("author"), "、")
	page.Cover = d.str("cover")
	page.Video = d.str("video")
	page.Audio = d.str("audio")
	page.Duration = d.str("duration")
	page.Layout = d.str("layout")
	page.Attachments = l.attachments(d)
	page.Menu = d.menu(page)
	if page.Lastmod.IsZero() {
		page.Lastmod = page.Date
	}
	if page.Title == "" {
		page.Title = titleFromHeading(page)
	}
	if page.Title == "" {
		page.Title = named
	}
	for i, a := range page.Aliases {
		clean := strings.Trim(path.Clean("/"+a), "/")
		if clean == "" || strings.Contains(a, "..") {
			d.fail("aliases", msgAlias, a)
			continue
		}
		page.Aliases[i] = clean + "/"
	}
	l.checkBundleFiles(d, page)
	summaryText := d.str("summary")
	if summaryText != "" {
		page.Params["summary"] = summaryText
	}
	return page
}

// titleFromHeading takes the title from a first-line "# " heading and
// removes that heading from the body, so it is not shown twice.
func titleFromHeading(page *site.Page) string {
	body := page.Body
	trimmed := bytes.TrimLeft(body, "\r\n")
	skipped := len(body) - len(trimmed)
	if !bytes.HasPrefix(trimmed, []byte("# ")) {
		return ""
	}
	line, rest, _ := bytes.Cut(trimmed, []byte("\n"))
	title := strings.TrimSpace(strings.TrimRight(string(line[2:]), "#\r "))
	page.BodyLine += bytes.Count(body[:skipped], []byte("\n")) + 1
	page.Body = rest
	return title
}

func (l *loader) attachments(d *decoder) []site.Attachment {
	v, ok := d.p.params["attachments"]
	if !ok || v == nil {
		return nil
	}
	list, ok := v.([]any)
	if !ok {
		d.fail("attachments", msgAttachList, describe(v))
		return nil
	}
	out := make([]site.Attachment, 0, len(list))
	for _, item := range list {
		switch x := item.(type) {
		case string:
			out = append(out, site.Attachment{File: x, Title: path.Base(x)})
		case map[string]any:
			f, _ := x["file"].(string)
			t, _ := x["title"].(string)
			if f == "" {
				d.fail("attachments", msgAttachNoFile)
				continue
			}
			if t == "" {
				t = path.Base(f)
			}
			out = append(out, site.Attachment{File: f, Title: t})
		default:
			d.fail("attachments", msgAttachItem, describe(item))
		}
	}
	return out
}

// checkBundleFiles makes sure the files a bundle's front matter names exist,
// and records attachment sizes.
func (l *loader) checkBundleFiles(d *decoder, page *site.Page) {
	if !page.Bundle {
		return
	}
	dir := path.Dir(page.Source)
	check := func(key, name string) int64 {
		if name == "" || strings.Contains(name, "://") || strings.HasPrefix(name, "/") {
			return 0
		}
		clean := path.Clean(name)
		if strings.HasPrefix(clean, "..") {
			d.fail(key, msgOutsideDir, name)
			return 0
		}
		fi, err := fs.Stat(l.fsys, path.Join(dir, clean))
		if err != nil || !fi.Mode().IsRegular() {
			d.fail(key, msgNotInBundle, name, l.file(dir))
			return 0
		}
		return fi.Size()
	}
	check("cover", page.Cover)
	check("video", page.Video)
	check("audio", page.Audio)
	for i := range page.Attachments {
		page.Attachments[i].Size = check("attachments", page.Attachments[i].File)
	}
}

// urlPath reads the url key: a path inside the site that becomes the
// page's URL ("/about-us/" → "about-us/"), as in Hugo.
func (d *decoder) urlPath() (string, bool) {
	u := d.str("url")
	if u == "" {
		return "", false
	}
	if hasScheme(u) || strings.Contains(u, "..") || strings.ContainsAny(u, `\?#`) || !strings.HasPrefix(u, "/") {
		d.fail("url", msgURL, u)
		return "", false
	}
	clean := strings.Trim(path.Clean(u), "/")
	if clean == "" {
		d.fail("url", msgURL, u)
		return "", false
	}
	if ext := path.Ext(clean); ext != "" && !strings.HasSuffix(u, "/") && strings.ContainsAny(ext[1:], "abcdefghijklmnopqrstuvwxyz") {
		d.fail("url", msgURLFile, u)
		return "", false
	}
	return clean + "/", true
}

// hasScheme reports whether s starts with a URL scheme ("http:", "mailto:").
func hasScheme(s string) bool {
	i := strings.IndexByte(s, ':')
	if i <= 0 {
		return false
	}
	for j, r := range s[:i] {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || j > 0 && (r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.')) {
			return false
		}
	}
	return true
}

// menu reads Hugo's menu key for the main menu: "main", [main], or
// {main: {weight: 10, name: 关于}}.
func (d *decoder) menu(page *site.Page) *site.MenuEntry {
	v, ok := d.p.params["menu"]
	if !ok || v == nil {
		return nil
	}
	e := &site.MenuEntry{Title: page.Title, Weight: page.Weight}
	name := func(n string) bool {
		if n != "main" {
			d.fail("menu", msgMenuOther, n)
			return false
		}
		return true
	}
	switch x := v.(type) {
	case string:
		if !name(x) {
			return nil
		}
	case []any:
		for _, n := range x {
			s, isText := n.(string)
			if !isText {
				d.fail("menu", msgMenu, describe(v))
				return nil
			}
			if !name(s) {
				return nil
			}
		}
	case map[string]any:
		for n, item := range x {
			if !name(n) {
				return nil
			}
			m, isMap := item.(map[string]any)
			if item != nil && !isMap {
				d.fail("menu", msgMenu, describe(v))
				return nil
			}
			if t, ok := m["name"].(string); ok && t != "" {
				e.Title = t
			}
			switch w := m["weight"].(type) {
			case int:
				e.Weight = w
			case int64:
				e.Weight = int(w)
			}
		}
	default:
		d.fail("menu", msgMenu, describe(v))
		return nil
	}
	return e
}
