package importer

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"gopkg.in/yaml.v2"

	"github.com/dangwu-org/dangwu/generator/content"
)

// Options configure an import.
type Options struct {
	// Site is the dangwu site folder written into (its content/ and static/).
	Site string
	// Column is the column Hexo posts and Word documents go to.
	Column string
	// Location is the site's time zone, for dates without one.
	Location *time.Location
	// Now is the clock, for documents without a date; time.Now when nil.
	Now func() time.Time
}

func (o *Options) now() time.Time {
	if o.Now == nil {
		return time.Now()
	}
	return o.Now()
}

// target writes new files into the site and records them in the report.
type target struct {
	dir string
	r   *Report
}

// write creates rel (slash-separated, under the site) with b; an existing
// file is left alone and reported.
func (t *target) write(rel string, b []byte, from string) {
	p := filepath.Join(t.dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.r.skip(rel, "%v", err)
		return
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		t.r.skip(rel, msgExists, from)
		return
	}
	if err == nil {
		_, err = f.Write(b)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		t.r.skip(rel, "%v", err)
		return
	}
	t.r.Written = append(t.r.Written, rel)
}

// copy copies the file at from into the site as rel.
func (t *target) copy(rel, from string) {
	b, err := os.ReadFile(from)
	if err != nil {
		t.r.skip(rel, "%v", err)
		return
	}
	t.write(rel, b, from)
}

// copyTree copies every file below dir to the site's folder under.
func (t *target) copyTree(dir, under string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		t.copy(path.Join(under, filepath.ToSlash(rel)), p)
		return nil
	})
}

// page is a Markdown page being converted: its front matter as keys in
// order, and its body.
type page struct {
	rel  string // where it goes, under the site
	src  []byte
	fm   *content.FrontMatter
	keys []string
	vals map[string]any
	body string
	// front and bodyChanged say what must be written anew.
	front, bodyChanged bool
	r                  *Report
}

// readPage splits src; a page whose front matter cannot be read is copied
// as it is, and reported.
func readPage(rel string, src []byte, r *Report) (*page, bool) {
	fm, line, err := content.ReadFrontMatter(src)
	if err != nil {
		r.attend(rel, line, msgFrontBad, err)
		return nil, false
	}
	p := &page{rel: rel, src: src, fm: fm, vals: map[string]any{}, body: string(fm.Body), r: r}
	for _, k := range fm.Keys {
		p.keys = append(p.keys, k)
		p.vals[k] = fm.Params[k]
	}
	return p, true
}

func (p *page) line(key string) int { return p.fm.Lines[key] }

func (p *page) has(key string) bool { _, ok := p.vals[key]; return ok }

// set gives key a value, adding it at the end when new.
func (p *page) set(key string, v any) {
	if !p.has(key) {
		p.keys = append(p.keys, key)
	}
	p.vals[key] = v
	p.front = true
}

// rename changes a key's name in place.
func (p *page) rename(from, to string) {
	if p.has(to) {
		p.del(from)
		return
	}
	for i, k := range p.keys {
		if k == from {
			p.keys[i] = to
		}
	}
	p.vals[to] = p.vals[from]
	delete(p.vals, from)
	p.front = true
}

func (p *page) del(key string) {
	for i, k := range p.keys {
		if k == key {
			p.keys = append(p.keys[:i], p.keys[i+1:]...)
			break
		}
	}
	delete(p.vals, key)
	p.front = true
}

func (p *page) setBody(b string) {
	if b != p.body {
		p.body = b
		p.bodyChanged = true
	}
}

// draft marks the page a draft, for an editor to finish.
func (p *page) draft() {
	if v, _ := p.vals["draft"].(bool); !v {
		p.set("draft", true)
	}
}

// bytes is the page to write: as it was where nothing changed, else with
// its front matter written anew as YAML.
func (p *page) bytes() ([]byte, error) {
	if !p.front && !p.bodyChanged {
		return p.src, nil
	}
	var b bytes.Buffer
	if p.front || p.fm.Format == "" {
		if len(p.keys) > 0 {
			ms := make(yaml.MapSlice, 0, len(p.keys))
			for _, k := range p.keys {
				ms = append(ms, yaml.MapItem{Key: k, Value: yamlValue(p.vals[k])})
			}
			y, err := yaml.Marshal(ms)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", p.rel, err)
			}
			b.WriteString("---\n")
			b.Write(y)
			b.WriteString("---\n")
			if !strings.HasPrefix(p.body, "\n") {
				b.WriteString("\n")
			}
		}
	} else {
		b.Write(p.src[:len(p.src)-len(p.fm.Body)])
	}
	b.WriteString(p.body)
	return b.Bytes(), nil
}

// yamlValue makes values YAML writes as a build reads them: times as
// RFC 3339 text.
func yamlValue(v any) any {
	switch x := v.(type) {
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return x.Format("2006-01-02")
		}
		return x.Format(time.RFC3339)
	case []any:
		out := make([]any, len(x))
		for i := range x {
			out[i] = yamlValue(x[i])
		}
		return out
	case map[string]any:
		out := make(yaml.MapSlice, 0, len(x))
		for _, k := range sortedKeys(x) {
			out = append(out, yaml.MapItem{Key: k, Value: yamlValue(x[k])})
		}
		return out
	}
	return v
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// dateKeys are the front-matter keys holding a time.
var dateKeys = []string{"date", "lastmod", "publishDate", "expiryDate"}

// extraLayouts are the date forms Hugo and Hexo read that a build does not.
var extraLayouts = []string{
	"2006-01-02T15:04:05.999999999Z0700", "2006-01-02T15:04:05Z0700", "2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 Z07:00", "2006-01-02 15:04:05 MST", "2006-01-02 15:04:05.999999999",
	"2006/01/02 15:04:05", "2006/01/02 15:04", "2006/1/2 15:04", "2006.01.02", "2006.1.2",
	"2006年1月2日 15:04", "2006年1月2日", "January 2, 2006", "Jan 2, 2006", "2 January 2006", "02 Jan 2006",
	time.RFC1123Z, time.RFC1123, time.RFC822Z, time.RFC850, time.UnixDate,
}

// dates makes every date of the page one a build reads.
func (p *page) dates(loc *time.Location) {
	for _, k := range dateKeys {
		v, ok := p.vals[k]
		if !ok || v == nil {
			continue
		}
		if _, err := content.ParseTime(v, loc); err == nil {
			continue
		}
		s := strings.TrimSpace(fmt.Sprint(v))
		var t time.Time
		var err error = errors.New("no layout")
		for _, layout := range extraLayouts {
			if t, err = time.ParseInLocation(layout, s, loc); err == nil {
				break
			}
		}
		if err != nil {
			p.r.attend(p.rel, p.line(k), msgDateBad, k, s)
			p.del(k)
			continue
		}
		out := yamlValue(t).(string)
		p.r.change(p.rel, p.line(k), msgDate, k, s, out)
		p.set(k, out)
	}
}

// lists makes taxonomy keys written as one text a list.
func (p *page) lists(keys ...string) {
	for _, k := range keys {
		if s, ok := p.vals[k].(string); ok {
			p.r.change(p.rel, p.line(k), msgToList, k)
			p.set(k, []any{s})
		}
	}
}

// readAll reads a file of the source site.
func readAll(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}
