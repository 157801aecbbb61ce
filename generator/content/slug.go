package content

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Slugify makes the URL segment for a file or folder name, the same on
// every operating system: full-width Latin letters and digits become
// ASCII, letters are lower-cased (Chinese is kept as it is), and every run
// of spaces and punctuation (ASCII or full-width: 《》、，。（）…) becomes
// one "-", trimmed at both ends. "关于党费的通知 2026" gives
// "关于党费的通知-2026", "Ｑ４ 工作计划（草案）" gives "q4-工作计划-草案".
// Names come in NFC first, as macOS hands out decomposed ones.
// The result is empty when the name has no letter or digit.
func Slugify(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFC.String(name) {
		if r >= 0xFF01 && r <= 0xFF5E { // full-width ASCII
			r -= 0xFEE0
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.M, r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		dash = true
	}
	return b.String()
}

// slugDir slugifies each segment of a slash-separated folder path.
func slugDir(dir string) string {
	if dir == "" {
		return ""
	}
	parts := strings.Split(dir, "/")
	for i, p := range parts {
		if s := Slugify(p); s != "" {
			parts[i] = s
		}
	}
	return strings.Join(parts, "/")
}
