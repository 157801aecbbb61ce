package main

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// table is a text table for a terminal or a Markdown code block. Columns
// are aligned counting a Chinese character as two columns; a heading row
// is printed whole and does not widen the columns.
type table struct {
	header []string
	right  []bool // right-align this column
	rows   []row
}

type row struct {
	cells   []string
	heading bool
}

// add appends a row of cells; missing trailing cells are empty.
func (t *table) add(cells ...string) { t.rows = append(t.rows, row{cells: cells}) }

// heading appends a row printed as one line above the rows it introduces.
func (t *table) heading(text string) {
	t.rows = append(t.rows, row{cells: []string{text}, heading: true})
}

// write prints the table, two spaces between columns, no trailing spaces.
func (t *table) write(w io.Writer) error {
	widths := t.widths()
	rule := 0
	for _, n := range widths {
		rule += n + 2
	}
	var b strings.Builder
	t.line(&b, t.header, widths)
	b.WriteString(strings.Repeat("-", rule-2) + "\n")
	for _, r := range t.rows {
		if r.heading {
			b.WriteString(r.cells[0] + "\n")
			continue
		}
		t.line(&b, r.cells, widths)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func (t *table) widths() []int {
	widths := make([]int, len(t.header))
	for i, h := range t.header {
		widths[i] = width(h)
	}
	for _, r := range t.rows {
		if r.heading {
			continue
		}
		for i, c := range r.cells {
			if i < len(widths) {
				widths[i] = max(widths[i], width(c))
			}
		}
	}
	return widths
}

func (t *table) line(b *strings.Builder, cells []string, widths []int) {
	var l strings.Builder
	for i, n := range widths {
		c := ""
		if i < len(cells) {
			c = cells[i]
		}
		pad := strings.Repeat(" ", n-width(c))
		if i < len(t.right) && t.right[i] {
			c = pad + c
		} else {
			c += pad
		}
		if i > 0 {
			l.WriteString("  ")
		}
		l.WriteString(c)
	}
	fmt.Fprintln(b, strings.TrimRight(l.String(), " "))
}

// width is how many terminal columns s takes: two for each East Asian wide
// or fullwidth character (Chinese, fullwidth punctuation), one otherwise.
func width(s string) int {
	n := 0
	for _, r := range s {
		if wide(r) {
			n += 2
		} else if r != utf8.RuneError {
			n++
		}
	}
	return n
}

func wide(r rune) bool {
	switch {
	case r >= 0x1100 && r <= 0x115f, // Hangul Jamo
		r >= 0x2e80 && r <= 0xa4cf && r != 0x303f, // CJK radicals … Yi
		r >= 0xac00 && r <= 0xd7a3,                // Hangul syllables
		r >= 0xf900 && r <= 0xfaff,                // CJK compatibility ideographs
		r >= 0xfe30 && r <= 0xfe4f,                // CJK compatibility forms
		r >= 0xff00 && r <= 0xff60,                // fullwidth forms
		r >= 0xffe0 && r <= 0xffe6,
		r >= 0x20000 && r <= 0x3fffd:
		return true
	}
	return false
}
