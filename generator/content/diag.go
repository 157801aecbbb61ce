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
	// Warning marks a problem that does not fail the build.
	Warning bool
}

func (d *Diagnostic) Error() string {
	warn := ""
	if d.Warning {
		warn = "警告："
	}
	if d.Line > 0 {
		return fmt.Sprintf("%s:%d: %s%s", d.File, d.Line, warn, d.Msg)
	}
	return d.File + ": " + warn + d.Msg
}

// Diagnostics collects problems; its Err joins them in file and line order.
type Diagnostics []*Diagnostic

// Add records a problem.
func (ds *Diagnostics) Add(file string, line int, format string, args ...any) {
	*ds = append(*ds, &Diagnostic{File: file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// Warn records a problem that does not fail the build.
func (ds *Diagnostics) Warn(file string, line int, format string, args ...any) {
	*ds = append(*ds, &Diagnostic{File: file, Line: line, Msg: fmt.Sprintf(format, args...), Warning: true})
}

// Err returns nil when there are no errors, else every error joined, sorted
// by file and line. Warnings are left out.
func (ds Diagnostics) Err() error {
	var errs []error
	for _, d := range ds.sorted() {
		if !d.Warning {
			errs = append(errs, d)
		}
	}
	return errors.Join(errs...)
}

// Warnings returns the warnings, each as "file:line: 警告：…", sorted by
// file and line.
func (ds Diagnostics) Warnings() []string {
	var out []string
	for _, d := range ds.sorted() {
		if d.Warning {
			out = append(out, d.Error())
		}
	}
	return out
}

func (ds Diagnostics) sorted() Diagnostics {
	sorted := append(Diagnostics(nil), ds...)
	sort.SliceStable(sorted, func(i, j int) bool {
		if sorted[i].File != sorted[j].File {
			return sorted[i].File < sorted[j].File
		}
		return sorted[i].Line < sorted[j].Line
	})
	return sorted
}

// lineOf returns the 1-based line of a byte offset in src.
func lineOf(src []byte, off int) int {
	if off > len(src) {
		off = len(src)
	}
	return strings.Count(string(src[:off]), "\n") + 1
}

// Merge joins the problems of several steps (errors returned by Err, or
// any other errors) into one error with every problem sorted by file and
// line; problems that are not Diagnostics come first, in order.
func Merge(errs ...error) error {
	var other []error
	var ds Diagnostics
	var walk func(err error)
	walk = func(err error) {
		if err == nil {
			return
		}
		if d, ok := err.(*Diagnostic); ok {
			ds = append(ds, d)
			return
		}
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
			return
		}
		other = append(other, err)
	}
	for _, err := range errs {
		walk(err)
	}
	if err := ds.Err(); err != nil {
		other = append(other, err)
	}
	return errors.Join(other...)
}
