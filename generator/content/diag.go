package content

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Diagnostic is a problem in one file, at one line when known.
type Diagnostic struct {
	File string // path as the user knows it, e.g. content/news/a.md
	Line int    // 1-based; 0 when the whole file is concerned
	Msg  string
}

func (d *Diagnostic) Error() string {
	if d.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", d.File, d.Line, d.Msg)
	}
	return d.File + ": " + d.Msg
}

// Diagnostics collects problems; its Err joins them in file and line order.
type Diagnostics []*Diagnostic

// Add records a problem.
func (ds *Diagnostics) Add(file string, line int, format string, args ...any) {
	*ds = append(*ds, &Diagnostic{File: file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// Err returns nil when there are no problems, else every problem joined, sorted.
func (ds Diagnostics) Err() error {
	if len(ds) == 0 {
		return nil
	}
	sorted := append(Diagnostics(nil), ds...)
	sort.SliceStable(sorted, func(i, j int) bool {
		if sorted[i].File != sorted[j].File {
			return sorted[i].File < sorted[j].File
		}
		return sorted[i].Line < sorted[j].Line
	})
	errs := make([]error, len(sorted))
	for i, d := range sorted {
		errs[i] = d
	}
	return errors.Join(errs...)
}

// lineOf returns the 1-based line of a byte offset in src.
func lineOf(src []byte, off int) int {
	if off > len(src) {
		off = len(src)
	}
	return strings.Count(string(src[:off]), "\n") + 1
}
