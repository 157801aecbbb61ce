package theme

import (
	"bytes"
	"errors"
	"fmt"
	"hash/fnv"
	"html/template"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/dangwu-org/dangwu/generator/site"
)

// shortcodeDir is the folder of the layouts that holds shortcode templates.
const shortcodeDir = "_shortcodes"

// Shortcodes are the shortcode templates, _shortcodes/<name>.html of the
// site's layouts and the theme's, the site's winning: {{< figure >}} is
// rendered by _shortcodes/figure.html. Safe for concurrent Execute.
type Shortcodes struct {
	set    *template.Template
	names  []string
	origin map[string]string
	digest uint64
	warns  []string
}

// ParseShortcodes reads and parses the shortcode templates of the layers.
// Template errors name the file and line.
func ParseShortcodes(layers []Layer, funcs template.FuncMap) (*Shortcodes, error) {
	files := map[string]string{}
	s := &Shortcodes{set: template.New("").Funcs(funcs), origin: map[string]string{}}
	for i := len(layers) - 1; i >= 0; i-- {
		l := layers[i]
		if l.FS == nil {
			continue
		}
		err := fs.WalkDir(l.FS, shortcodeDir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) && p == shortcodeDir {
					return fs.SkipAll
				}
				return err
			}
			if d.IsDir() || path.Ext(p) != ".html" {
				return nil
			}
			text, warn, err := readLayout(l, p)
			if err != nil {
				return err
			}
			if warn != "" {
				s.warns = append(s.warns, warn)
			}
			name := strings.TrimSuffix(strings.TrimPrefix(p, shortcodeDir+"/"), ".html")
			files[name] = text
			s.origin[name+".html"] = l.Name + "/" + shortcodeDir
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("read shortcodes: %w", err)
		}
	}
	for name := range files {
		s.names = append(s.names, name)
	}
	sort.Strings(s.names)
	h := fnv.New64a()
	var errs []error
	for _, name := range s.names {
		io.WriteString(h, name+"\x00"+s.origin[name+".html"]+"\x00"+files[name]+"\x00")
		if _, err := s.set.New(name + ".html").Parse(files[name]); err != nil {
			errs = append(errs, s.wrap(err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	s.digest = h.Sum64()
	return s, nil
}

// Names lists the shortcodes there are templates for, sorted.
func (s *Shortcodes) Names() []string { return s.names }

// Has reports whether there is a template for the named shortcode.
func (s *Shortcodes) Has(name string) bool {
	i := sort.SearchStrings(s.names, name)
	return i < len(s.names) && s.names[i] == name
}

// Digest identifies the templates: it changes when any of them does.
func (s *Shortcodes) Digest() uint64 { return s.digest }

// Warnings are the templates saved in an encoding other than UTF-8.
func (s *Shortcodes) Warnings() []string { return s.warns }

// Execute renders a shortcode with its template.
func (s *Shortcodes) Execute(data *ShortcodeData) (string, error) {
	var buf bytes.Buffer
	if err := s.set.ExecuteTemplate(&buf, data.Name+".html", data); err != nil {
		return "", s.wrap(err)
	}
	return buf.String(), nil
}

// wrap names a template by its file, "layouts/_shortcodes/x.html:3:".
func (s *Shortcodes) wrap(err error) error { return wrapTemplate(err, s.origin) }

// ShortcodeCall is what rendering a shortcode may ask of the Markdown
// renderer: markdown.Call.
type ShortcodeCall interface {
	// InnerHTML is the inner text rendered as Markdown.
	InnerHTML() string
	// URL resolves and checks a path of a file or an image.
	URL(dest string, image bool) string
}

// ShortcodeData is what a shortcode template receives; the names are
// Hugo's where Hugo has one (.Get, .Inner, .Page, .Site, .IsNamedParams).
type ShortcodeData struct {
	// Name is the shortcode's name.
	Name string
	// Pos are the positional arguments, Params the named ones.
	Pos    []string
	Params map[string]string
	// IsNamedParams is set when the arguments are named.
	IsNamedParams bool
	// Inner is the text between the tags as written; Markdown is set for
	// the {{% %}} form.
	Inner    string
	Markdown bool
	// Page is the page the shortcode is in, Site the site.
	Page *site.Page
	Site *site.Site
	// Call renders and resolves for the template.
	Call ShortcodeCall
}

// Get returns the positional argument at an index or the named one, ""
// when there is none.
func (d *ShortcodeData) Get(key any) string {
	switch k := key.(type) {
	case int:
		if k >= 0 && k < len(d.Pos) {
			return d.Pos[k]
		}
	case string:
		return d.Params[k]
	}
	return ""
}

// Arg returns the named argument, else the positional one at index i:
// {{ .Arg "src" 0 }} reads both {{< pdf src="a.pdf" >}} and {{< pdf "a.pdf" >}}.
func (d *ShortcodeData) Arg(name string, i int) string {
	if v, ok := d.Params[name]; ok {
		return v
	}
	return d.Get(i)
}

// InnerHTML is the inner text rendered as Markdown.
func (d *ShortcodeData) InnerHTML() template.HTML {
	if d.Call == nil || strings.TrimSpace(d.Inner) == "" {
		return ""
	}
	return template.HTML(strings.TrimRight(d.Call.InnerHTML(), "\n"))
}

// Text is the inner text without the blank lines around it: the code of
// {{< highlight >}}.
func (d *ShortcodeData) Text() string {
	lines := strings.Split(strings.ReplaceAll(d.Inner, "\r\n", "\n"), "\n")
	for len(lines) > 0 && strings.TrimSpace(lines[0]) == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	return strings.Join(lines, "\n")
}

// URL is the published URL of a file written in the shortcode, relative to
// the page ("../files/办法.pdf"); a missing file fails the build.
func (d *ShortcodeData) URL(dest string) string {
	if d.Call == nil {
		return dest
	}
	return d.Call.URL(dest, false)
}

// ImageURL is URL for an image.
func (d *ShortcodeData) ImageURL(dest string) string {
	if d.Call == nil {
		return dest
	}
	return d.Call.URL(dest, true)
}

// Base is the last element of a path: the file name of "../files/办法.pdf".
func (d *ShortcodeData) Base(p string) string { return path.Base(p) }
