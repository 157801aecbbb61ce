package collector

import (
	"regexp"
	"sort"
	"strings"
)

// What Mask looks for, in text made half-width rune by rune (maskRune):
// an ID-card number (18 characters, the last a digit or X, spaces or
// hyphens allowed between digits: "110101 19900307 1234"), a mainland
// mobile number (11 digits from 13x to 19x, optionally after +86, 86 or
// (+86), grouped 3-4-4 or not), an e-mail address.
var (
	idCardRE = regexp.MustCompile(`^\d(?:[ -]?\d){16}[ -]?[\dXx]`)
	mobileRE = regexp.MustCompile(`^(?:(\(\+?86\)|\+?86)[ -]?)?(1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})`)
	emailRE  = regexp.MustCompile(`^([A-Za-z0-9_%+\-])[A-Za-z0-9._%+\-]*@([A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,})`)
)

// Mask hides personal data in text a user typed before it is published:
// mainland mobile numbers keep their first 3 and last 4 digits (and a +86
// prefix), ID-card numbers their first 6 and last 4, e-mail addresses their
// first character and domain. Full-width digits, letters, ＋, －, ＠ and ．
// typed with a Chinese input method are recognised like ASCII ones; a
// masked number is written in ASCII, the rest of the text is left as typed.
func Mask(s string) string {
	orig := []rune(s)
	norm := make([]rune, len(orig))
	for i, r := range orig {
		norm[i] = maskRune(r)
	}
	ns := string(norm)
	// offs[i] is the byte offset in ns of rune i.
	offs := make([]int, len(norm)+1)
	for i, r := range norm {
		offs[i+1] = offs[i] + len(string(r))
	}
	runeAt := func(byteOff int) int { return sort.SearchInts(offs, byteOff) }
	isDigit := func(i int) bool { return i >= 0 && i < len(norm) && norm[i] >= '0' && norm[i] <= '9' }
	isMailChar := func(i int) bool {
		if i < 0 || i >= len(norm) {
			return false
		}
		r := norm[i]
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._%+-", r)
	}
	var b strings.Builder
	for i := 0; i < len(norm); {
		rest := ns[offs[i]:]
		if !isDigit(i - 1) {
			if m := idCardRE.FindString(rest); m != "" {
				end := runeAt(offs[i] + len(m))
				if !isDigit(end) && !(end < len(norm) && (norm[end] == 'X' || norm[end] == 'x')) {
					d := digitsOf(m)
					b.WriteString(d[:6] + strings.Repeat("*", 8) + d[14:])
					i = end
					continue
				}
			}
			if m := mobileRE.FindStringSubmatch(rest); m != nil {
				end := runeAt(offs[i] + len(m[0]))
				if !isDigit(end) {
					if m[1] != "" {
						b.WriteString(strings.Trim(m[1], "()") + " ")
					}
					b.WriteString(m[2] + "****" + m[4])
					i = end
					continue
				}
			}
		}
		if !isMailChar(i - 1) {
			if m := emailRE.FindStringSubmatch(rest); m != nil {
				b.WriteString(m[1] + "***@" + m[2])
				i = runeAt(offs[i] + len(m[0]))
				continue
			}
		}
		b.WriteRune(orig[i])
		i++
	}
	return b.String()
}

// maskRune is r as Mask reads it: full-width ASCII as ASCII, the
// ideographic space as a space, other dashes as a hyphen.
func maskRune(r rune) rune {
	switch {
	case r >= '！' && r <= '～':
		return r - '！' + '!'
	case r == '　':
		return ' '
	case r == '‐' || r == '‑' || r == '–' || r == '—' || r == '−':
		return '-'
	}
	return r
}

func digitsOf(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' || r == 'X' || r == 'x' {
			return r
		}
		return -1
	}, s)
}
