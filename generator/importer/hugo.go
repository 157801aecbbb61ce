package importer

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
	"gopkg.in/yaml.v2"

	"github.com/dangwu-org/dangwu/generator/content"
	"github.com/dangwu-org/dangwu/generator/markdown"
)

// specialColumns are the top-level folders with a meaning of their own in
// dangwu, which imported content must not take.
var specialColumns = map[string]string{"tasks": "工作任务", "branches": "基层党支部"}

// builtinShortcodes are the shortcodes a dangwu site renders.
var builtinShortcodes = map[string]bool{"figure": true, "ref": true, "relref": true, "notice": true,
	"admonition": true, "video": true, "audio": true, "pdf": true, "highlight": true}

// embeds are Hugo's shortcodes for third-party content, turned into links:
// the site does not load anything from outside.
var embeds = map[string]func(sc *markdown.Shortcode) string{
	"youtube": func(sc *markdown.Shortcode) string {
		return "https://www.youtube.com/watch?v=" + arg(sc, "id", 0)
	},
	"vimeo": func(sc *markdown.Shortcode) string { return "https://vimeo.com/" + arg(sc, "id", 0) },
	"gist": func(sc *markdown.Shortcode) string {
		return "https://gist.github.com/" + arg(sc, "user", 0) + "/" + arg(sc, "id", 1)
	},
	"tweet": func(sc *markdown.Shortcode) string {
		return "https://x.com/" + arg(sc, "user", 0) + "/status/" + arg(sc, "id", 1)
	},
	"x": func(sc *markdown.Shortcode) string {
		return "https://x.com/" + arg(sc, "user", 0) + "/status/" + arg(sc, "id", 1)
	},
	"instagram": func(sc *markdown.Shortcode) string { return "https://www.instagram.com/p/" + arg(sc, "id", 0) + "/" },
}

func arg(sc *markdown.Shortcode, name string, i int) string {
	if v, ok := sc.Params[name]; ok {
		return v
	}
	return sc.Get(i)
}

// hugoOnly are front-matter keys of Hugo that dangwu does not use and that
// carry nothing worth keeping: they are removed.
var hugoDropped = map[string]bool{"toc": true, "isCJKLanguage": true, "markup": true, "outputs": true,
	"build": true, "sitemap": true, "headless": true, "cascade": true, "translationKey": true}

// Hugo imports a Hugo site's content/ and static/ from src into the site.
func Hugo(src string, o Options) (*Report, error) {
	contentDir := filepath.Join(src, "content")
	if fi, err := os.Stat(contentDir); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf(msgNotHugo, src)
	}
	r := &Report{Kind: "Hugo"}
	t := &target{dir: o.Site, r: r}
	hugoConfig(src, r)
	h := &hugo{o: o, r: r, t: t, kept: map[string][]string{}}
	if err := h.content(contentDir); err != nil {
		return nil, err
	}
	h.report()
	if fi, err := os.Stat(filepath.Join(src, "static")); err == nil && fi.IsDir() {
		if err := t.copyTree(filepath.Join(src, "static"), "static"); err != nil {
			return nil, err
		}
	}
	for _, dir := range []string{"layouts/shortcodes", "layouts/_shortcodes"} {
		names, _ := filepath.Glob(filepath.Join(src, filepath.FromSlash(dir), "*.html"))
		for _, n := range names {
			r.attend("", 0, msgSCTemplate, path.Join(dir, filepath.Base(n)))
		}
	}
	for _, dir := range []string{"assets", "data", "i18n", "archetypes", "themes"} {
		if fi, err := os.Stat(filepath.Join(src, dir)); err == nil && fi.IsDir() {
			r.skip(dir+"/", msgHugoDir, dir)
		}
	}
	return r, nil
}

// hugo is one Hugo import.
type hugo struct {
	o Options
	r *Report
	t *target
	// kept lists, by Hugo key left in place, the pages that have it.
	kept map[string][]string
}

// langFile matches Hugo's file names for a language: about.en.md.
var langFile = regexp.MustCompile(`\.[a-z]{2}(?:-[a-zA-Z]{2,4})?\.(?:md|markdown)$`)

func (h *hugo) content(dir string) error {
	tops := map[string]bool{}
	indexed := map[string]bool{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if strings.HasPrefix(d.Name(), ".") && rel != "." {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		dest := h.destination(rel)
		if top, _, nested := strings.Cut(dest, "/"); nested {
			tops[top] = true
			if dest == top+"/_index.md" {
				indexed[top] = true
			}
		}
		switch ext := strings.ToLower(path.Ext(rel)); {
		case (ext == ".md" || ext == ".markdown") && langFile.MatchString(rel) && !strings.HasSuffix(rel, "index.md"):
			h.r.skip("content/"+rel, msgLangFile, rel)
		case ext == ".md" || ext == ".markdown":
			h.page(p, "content/"+strings.TrimSuffix(dest, path.Ext(dest))+".md")
		case ext == ".html" || ext == ".htm":
			h.r.skip("content/"+rel, msgHTMLPage)
		default:
			h.t.copy("content/"+dest, p)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, top := range sortedSet(tops) {
		if !indexed[top] {
			rel := "content/" + top + "/_index.md"
			if _, err := os.Stat(filepath.Join(h.o.Site, filepath.FromSlash(rel))); err == nil {
				continue
			}
			h.t.write(rel, []byte(fmt.Sprintf("---\ntitle: %s\n---\n", top)), "")
			h.r.attend(rel, 0, msgColumnIdx, top, top)
		}
	}
	return nil
}

// destination maps a path under Hugo's content/ to one under dangwu's:
// the same, except in a folder dangwu gives a meaning of its own.
func (h *hugo) destination(rel string) string {
	top, rest, nested := strings.Cut(rel, "/")
	if what, ok := specialColumns[top]; ok && nested {
		moved := top + "-hugo"
		if rest == "_index.md" || !strings.Contains(rest, "/") {
			h.noteSpecial(top, what, moved)
		}
		return moved + "/" + rest
	}
	return rel
}

func (h *hugo) noteSpecial(top, what, moved string) {
	for _, n := range h.r.Changes {
		if n.File == "content/"+moved+"/" {
			return
		}
	}
	h.r.change("content/"+moved+"/", 0, msgSpecialCol, top+"/", what, moved)
}

// page converts one Hugo page.
func (h *hugo) page(from, rel string) {
	src, err := readAll(from)
	if err != nil {
		h.r.skip(rel, "%v", err)
		return
	}
	p, ok := readPage(rel, src, h.r)
	if !ok {
		h.t.write(rel, src, from)
		return
	}
	h.keys(p)
	p.dates(h.o.Location)
	p.lists("tags", "categories", "aliases", "author")
	h.shortcodes(p)
	b, err := p.bytes()
	if err != nil {
		h.r.skip(rel, "%v", err)
		return
	}
	h.t.write(rel, b, from)
}

// keys maps Hugo's front matter to dangwu's: Hugo reads keys in any case
// (Title, publishdate), calls authors a taxonomy, and has keys of its own.
func (h *hugo) keys(p *page) {
	canon := map[string]string{"authors": "author"}
	for _, k := range content.PageKeys() {
		canon[strings.ToLower(k)] = k
	}
	for _, k := range append([]string(nil), p.keys...) {
		want, known := canon[strings.ToLower(k)]
		switch {
		case known && want != k:
			h.r.change(p.rel, p.line(k), msgKeyRenamed, k, want)
			p.rename(k, want)
		case hugoDropped[k]:
			h.r.change(p.rel, p.line(k), msgKeyDropped, k, p.vals[k])
			p.del(k)
		case !known && isASCII(k):
			h.kept[k] = append(h.kept[k], p.rel)
		}
	}
	if m, ok := p.vals["menu"]; ok && !mainMenu(m) {
		h.r.change(p.rel, p.line("menu"), msgMenu)
		p.del("menu")
	}
}

// report notes the Hugo keys left in place, once each.
func (h *hugo) report() {
	keys := make([]string, 0, len(h.kept))
	for k := range h.kept {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		files := h.kept[k]
		msg := fmt.Sprintf(msgKeyKept, k)
		if len(files) > 1 {
			msg += fmt.Sprintf("（共 %d 个页面）", len(files))
		}
		h.r.Attention = append(h.r.Attention, Note{File: files[0], Msg: msg})
	}
}

// mainMenu reports whether a menu value names the main menu.
func mainMenu(v any) bool {
	switch x := v.(type) {
	case string:
		return x == "main"
	case []any:
		return len(x) == 1 && x[0] == "main"
	case map[string]any:
		_, ok := x["main"]
		return ok && len(x) == 1
	}
	return false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// shortcodes rewrites the shortcodes dangwu does not have: embeds become
// links, param its value; any other is shown as written, and its page
// becomes a draft for an editor to finish.
func (h *hugo) shortcodes(p *page) {
	if !strings.Contains(p.body, "{{<") && !strings.Contains(p.body, "{{%") {
		return
	}
	pieces, _ := markdown.ParseShortcodes(p.body)
	body := p.body
	off := p.fm.BodyLine - 1
	for _, pc := range pieces {
		sc := pc.Shortcode
		if sc == nil || builtinShortcodes[sc.Name] {
			continue
		}
		var with string
		switch embed, ok := embeds[sc.Name]; {
		case ok:
			url := embed(sc)
			with = "<" + url + ">"
			h.r.change(p.rel, sc.Line+off, msgEmbed, sc.Name, url)
		case sc.Name == "param":
			v := fmt.Sprint(p.vals[sc.Get(0)])
			if _, ok := p.vals[sc.Get(0)]; !ok {
				v = ""
			}
			with = v
			h.r.change(p.rel, sc.Line+off, msgParam, sc.Get(0), v)
		default:
			with = escapeShortcodes(sc.Source)
			h.r.attend(p.rel, sc.Line+off, msgSCUnknown, sc.Name)
			p.draft()
		}
		body = strings.Replace(body, sc.Source, with, 1)
	}
	p.setBody(body)
}

// escapeShortcodes writes shortcode tags so that a build shows them as
// text: {{< x >}} becomes {{</* x */>}}.
func escapeShortcodes(s string) string {
	r := strings.NewReplacer("{{<", "{{</*", ">}}", "*/>}}", "{{%", "{{%/*", "%}}", "*/%}}")
	return r.Replace(s)
}

// hugoConfig reports what of Hugo's configuration an editor must carry
// over by hand.
func hugoConfig(src string, r *Report) {
	for _, name := range []string{"hugo.toml", "hugo.yaml", "hugo.yml", "config.toml", "config.yaml", "config.yml"} {
		b, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			continue
		}
		var cfg map[string]any
		if strings.HasSuffix(name, ".toml") {
			err = toml.Unmarshal(b, &cfg)
		} else {
			err = yaml.Unmarshal(b, &cfg)
		}
		if err != nil {
			r.attend(name, 0, "%v", err)
			return
		}
		r.skip(name, msgHugoConfig, name, fmt.Sprint(orEmpty(cfg["title"])), fmt.Sprint(orEmpty(cfg["baseURL"])))
		if pl, ok := cfg["permalinks"]; ok {
			r.attend(name, 0, msgPermalinks, fmt.Sprint(pl))
		}
		return
	}
}

func orEmpty(v any) any {
	if v == nil {
		return ""
	}
	return v
}

func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
