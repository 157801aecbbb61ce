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
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"text/template/parse"

	"github.com/dangwu-org/dangwu/generator/textenc"
)

// Theme is a parsed set of layouts, safe for concurrent Execute.
type Theme struct {
	sets   map[string]*template.Template
	origin map[string]string // layout name → folder it came from, for errors
	reach  map[string]Reach  // by page layout name
	warns  []string          // layouts read as GB18030 or UTF-16
	// sizes holds each layout's last output size, to size the next one's
	// buffer (with an eighth more) instead of growing it from empty: a
	// page is tens of kilobytes, and ten thousand grown buffers add up
	// (issue 14). The last, not the largest: one long article must not
	// make every later page's buffer as large.
	sizes map[string]*atomic.Int64
	// prepared escapes each layout set and puts in the faster escaping
	// functions before its first execution (see escapers).
	prepared map[string]func()
}

// Warnings are the problems that did not stop parsing: layouts saved in an
// encoding other than UTF-8, which were converted.
func (t *Theme) Warnings() []string { return t.warns }

// Layer is one folder of layouts; Name is how errors show it
// ("themes/default/layouts").
type Layer struct {
	Name string
	FS   fs.FS
}

// Parse reads every .html layout from the layers, the first layer that has a
// file winning, and parses each page layout with baseof.html and the partials.
// Template errors name the file and line.
func Parse(layers []Layer, funcs template.FuncMap) (*Theme, error) {
	files := map[string]string{}
	origin := map[string]string{}
	var warns []string
	for i := len(layers) - 1; i >= 0; i-- {
		if layers[i].FS == nil {
			continue
		}
		err := fs.WalkDir(layers[i].FS, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) && p == "." {
					return fs.SkipAll
				}
				return err
			}
			if d.IsDir() && p == shortcodeDir {
				return fs.SkipDir // ParseShortcodes reads them
			}
			if d.IsDir() || path.Ext(p) != ".html" {
				return nil
			}
			b, warn, err := readLayout(layers[i], p)
			if err != nil {
				return err
			}
			if warn != "" {
				warns = append(warns, warn)
			}
			files[p] = b
			origin[p] = layers[i].Name
			return nil
		})
		if err != nil {
			var e *textenc.Error
			if errors.As(err, &e) {
				return nil, err
			}
			return nil, fmt.Errorf("read layouts: %w", err)
		}
	}
	if _, ok := files["baseof.html"]; !ok {
		return nil, errors.New("layouts: baseof.html is missing")
	}
	t := &Theme{sets: map[string]*template.Template{}, origin: origin, warns: warns, sizes: map[string]*atomic.Int64{},
		prepared: map[string]func(){}}
	base := template.New("baseof.html").Funcs(funcs)
	if _, err := base.Parse(files["baseof.html"]); err != nil {
		return nil, t.wrap(err)
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if strings.HasPrefix(name, "_partials/") {
			if _, err := base.New(name).Parse(files[name]); err != nil {
				return nil, t.wrap(err)
			}
		}
	}
	var errs []error
	for _, name := range names {
		if name == "baseof.html" || strings.HasPrefix(name, "_partials/") {
			continue
		}
		set, err := base.Clone()
		if err == nil {
			_, err = set.New(name).Parse(files[name])
		}
		if err != nil {
			errs = append(errs, t.wrap(err))
			continue
		}
		t.sets[name] = set
		t.sizes[name] = new(atomic.Int64)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	t.reach = make(map[string]Reach, len(t.sets))
	for name, set := range t.sets {
		r := analyze(set, entryOf(set, name), funcs)
		h := fnv.New64a()
		for _, f := range r.Files {
			io.WriteString(h, f+"\x00"+t.origin[f]+"\x00"+files[f]+"\x00")
		}
		r.Digest = h.Sum64()
		t.reach[name] = r
	}
	// After the analysis, which must see the partials' own calls.
	for _, name := range names {
		if set := t.sets[name]; set != nil && !standalone(set.Lookup(name)) {
			if err := memoize(set, funcs); err != nil {
				return nil, err
			}
			if err := memoizePages(set, funcs); err != nil {
				return nil, err
			}
		}
	}
	for name, set := range t.sets {
		names := executedNames(set, entryOf(set, name))
		t.prepared[name] = sync.OnceFunc(func() { prepare(set, names) })
	}
	return t, nil
}

// Layouts lists the names of the page layouts, sorted.
func (t *Theme) Layouts() []string {
	names := make([]string, 0, len(t.sets))
	for name := range t.sets {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// Reach returns what the named page layout may read of its PageData and
// which files it is made of; the zero Reach for a layout that does not
// exist. It is computed once, when the theme is parsed.
func (t *Theme) Reach(name string) Reach {
	return t.reach[name]
}

// Has reports whether a page layout of that name exists.
func (t *Theme) Has(name string) bool {
	_, ok := t.sets[name]
	return ok
}

// Lookup returns the first of the candidate layout names that exists.
func (t *Theme) Lookup(candidates ...string) (string, bool) {
	for _, c := range candidates {
		if t.Has(c) {
			return c, true
		}
	}
	return "", false
}

// Execute renders data with the named layout. A layout that defines "main"
// is rendered through baseof.html; one that does not (a feed, say) is
// rendered on its own. The output is complete or the error is returned:
// nothing is written on failure.
func (t *Theme) Execute(name string, data any) ([]byte, error) {
	var buf bytes.Buffer
	if size := t.sizes[name]; size != nil {
		if n := size.Load(); n > 0 {
			buf.Grow(int(n + n/8))
		}
	}
	if err := t.ExecuteTo(&buf, name, data); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// ExecuteTo is Execute into buf, which a build may use again for the next
// page instead of making one for each (issue 14). On error, buf holds
// part of the page.
func (t *Theme) ExecuteTo(buf *bytes.Buffer, name string, data any) error {
	set, ok := t.sets[name]
	if !ok {
		return fmt.Errorf("layout %s: not found", name)
	}
	t.prepared[name]()
	start := buf.Len()
	if err := set.ExecuteTemplate(buf, entryOf(set, name), data); err != nil {
		return t.wrap(err)
	}
	t.sizes[name].Store(int64(buf.Len() - start))
	return nil
}

// entryOf is the template a layout is executed from: baseof.html, or the
// layout itself when it is standalone.
func entryOf(set *template.Template, name string) string {
	if standalone(set.Lookup(name)) {
		return name
	}
	return "baseof.html"
}

// Candidates lists the layouts to try for a page of the given kind in a
// column, most specific first: front matter layout, <column>/<kind>.html,
// <kind>.html, then the fallbacks.
func Candidates(layout, column, kind string, fallbacks ...string) []string {
	var c []string
	if layout != "" {
		if column != "" {
			c = append(c, column+"/"+layout+".html")
		}
		c = append(c, layout+".html")
	}
	if column != "" {
		c = append(c, column+"/"+kind+".html")
	}
	c = append(c, kind+".html")
	for _, f := range fallbacks {
		if column != "" {
			c = append(c, column+"/"+f+".html")
		}
		c = append(c, f+".html")
	}
	return c
}

var templateErr = regexp.MustCompile(`template: ([^:\s]+\.html):`)

// wrap rewrites html/template's "template: page.html:12:" into the layout's
// real path, "themes/default/layouts/page.html:12:", so the editor can open it.
func (t *Theme) wrap(err error) error { return wrapTemplate(err, t.origin) }

// wrapTemplate names each template in err by its folder in origin.
func wrapTemplate(err error, origin map[string]string) error {
	msg := templateErr.ReplaceAllStringFunc(err.Error(), func(m string) string {
		name := templateErr.FindStringSubmatch(m)[1]
		if o, ok := origin[name]; ok {
			return o + "/" + name + ":"
		}
		return name + ":"
	})
	return errors.New(msg)
}

// standalone reports whether a layout has content of its own outside its
// {{define}} blocks: a feed or a redirect page, rendered without baseof.html.
func standalone(t *template.Template) bool {
	if t == nil || t.Tree == nil || t.Tree.Root == nil {
		return false
	}
	for _, n := range t.Tree.Root.Nodes {
		if tn, ok := n.(*parse.TextNode); ok && len(bytes.TrimSpace(tn.Text)) == 0 {
			continue
		}
		return true
	}
	return false
}

// readLayout reads a layout of a layer as UTF-8 text; warn is set when it
// was saved in another encoding.
func readLayout(l Layer, p string) (text, warn string, err error) {
	b, err := fs.ReadFile(l.FS, p)
	if err != nil {
		return "", "", err
	}
	b, enc, err := textenc.Decode(b)
	if err != nil {
		var e *textenc.Error
		errors.As(err, &e)
		return "", "", fmt.Errorf("%s/%s:%d: %w", l.Name, p, e.Line, err)
	}
	if enc.Converted() {
		warn = textenc.Warning(l.Name+"/"+p, enc)
	}
	return string(b), warn, nil
}
