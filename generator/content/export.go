package content

import (
	"sort"
	"time"
)

// FrontMatter is a page file split as the loader splits it, for tools that
// rewrite pages (dangwu import).
type FrontMatter struct {
	// Format is "yaml", "toml", or "" when the file has none.
	Format string
	// Keys are the top-level keys in the order they are written.
	Keys   []string
	Params map[string]any
	// Lines maps a key to its line in the file.
	Lines map[string]int
	// Body is what follows the front matter; BodyLine is the file's line
	// it starts on.
	Body     []byte
	BodyLine int
}

// ReadFrontMatter splits src into its front matter and body. A mistake is
// returned with the line it is on.
func ReadFrontMatter(src []byte) (*FrontMatter, int, error) {
	p, line, err := parseFile(src)
	if err != nil {
		return nil, line, err
	}
	fm := &FrontMatter{Format: p.format, Params: p.params, Lines: p.lines, Body: p.body, BodyLine: p.bodyLine}
	for k := range p.params {
		fm.Keys = append(fm.Keys, k)
	}
	sort.Slice(fm.Keys, func(i, j int) bool {
		a, b := fm.Keys[i], fm.Keys[j]
		if p.lines[a] != p.lines[b] {
			return p.lines[a] < p.lines[b]
		}
		return a < b
	})
	return fm, 0, nil
}

// ParseTime reads a front-matter date or time as a build does: one without
// an offset is in loc.
func ParseTime(v any, loc *time.Location) (time.Time, error) { return toTime(v, loc) }

// PageKeys are the front-matter keys of every page, in Hugo's spelling.
func PageKeys() []string { return append([]string(nil), pageKeys...) }
