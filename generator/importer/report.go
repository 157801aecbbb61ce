package importer

import (
	"fmt"
	"io"
	"sort"
)

// Report says what an import did.
type Report struct {
	// Kind is what was imported: "Hugo", "Hexo", "Word".
	Kind string
	// Written are the files written, relative to the site.
	Written []string
	// Changes are what the import changed on its own; Attention what an
	// editor must look at; Skipped what it did not bring in.
	Changes, Attention, Skipped []Note
	// Check is what a build of the site said after the import: its
	// problems, or nothing when it builds.
	Check   []string
	Checked bool
}

// Note is one line of a report, about a file (relative to the site, or to
// the source for skipped files) and a line of it when known.
type Note struct {
	File string
	Line int
	Msg  string
}

func (n Note) String() string {
	if n.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", n.File, n.Line, n.Msg)
	}
	if n.File == "" {
		return n.Msg
	}
	return n.File + ": " + n.Msg
}

func (r *Report) change(file string, line int, format string, args ...any) {
	r.Changes = append(r.Changes, Note{file, line, fmt.Sprintf(format, args...)})
}

func (r *Report) attend(file string, line int, format string, args ...any) {
	r.Attention = append(r.Attention, Note{file, line, fmt.Sprintf(format, args...)})
}

func (r *Report) skip(file string, format string, args ...any) {
	r.Skipped = append(r.Skipped, Note{file, 0, fmt.Sprintf(format, args...)})
}

// Write writes the report as Markdown, in Chinese, each list sorted by
// file and line.
func (r *Report) Write(w io.Writer) error {
	ew := &errWriter{w: w}
	ew.printf(msgReportTitle, r.Kind)
	ew.printf(msgReportWritten, len(r.Written))
	for _, part := range []struct {
		title string
		notes []Note
	}{{msgReportChanges, r.Changes}, {msgReportAttention, r.Attention}, {msgReportSkipped, r.Skipped}} {
		ew.printf("\n## "+part.title+"\n\n", len(part.notes))
		if len(part.notes) == 0 {
			ew.printf("%s\n", msgReportNone)
		}
		sortNotes(part.notes)
		for _, n := range part.notes {
			ew.printf("- %s\n", n)
		}
	}
	if r.Checked {
		ew.printf("\n## "+msgReportCheck+"\n\n", len(r.Check))
		if len(r.Check) == 0 {
			ew.printf("%s\n", msgReportBuilds)
		}
		for _, c := range r.Check {
			ew.printf("- %s\n", c)
		}
	}
	return ew.err
}

func sortNotes(notes []Note) {
	sort.SliceStable(notes, func(i, j int) bool {
		if notes[i].File != notes[j].File {
			return notes[i].File < notes[j].File
		}
		return notes[i].Line < notes[j].Line
	})
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}
