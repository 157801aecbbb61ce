package markdown

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Reading speeds for ReadingTime.
const (
	cjkPerMinute   = 400 // CJK characters
	latinPerMinute = 200 // other words
)

// CountWords counts each Han, Hiragana, Katakana or Hangul character as one
// word and each run of other letters and digits as one word. Inside such a run
// one of ' ’ - . between two letters or digits keeps the run going, so
// "e-mail", "3.5" and "Go's" are one word each. Punctuation and spaces count
// nothing: "党员干部要学习Go语言和e-mail使用。" is 12 + 2 = 14 words.
func CountWords(s string) int {
	cjk, latin := countWords(s)
	return cjk + latin
}

// ReadingTime returns the minutes it takes to read s: its CJK characters at
// 400 a minute plus its other words at 200 a minute, rounded up. It is at
// least 1 when s has any word, and 0 when it has none.
func ReadingTime(s string) int {
	_, minutes := Words(s)
	return minutes
}

// Words returns CountWords(s) and ReadingTime(s), reading s once.
func Words(s string) (words, minutes int) {
	cjk, latin := countWords(s)
	// cjk/cjkPerMinute + latin/latinPerMinute over a common denominator,
	// rounded up.
	units := cjk*latinPerMinute + latin*cjkPerMinute
	const per = cjkPerMinute * latinPerMinute
	return cjk + latin, (units + per - 1) / per
}

// countWords returns the number of CJK characters and of other words in s.
func countWords(s string) (cjk, latin int) {
	classes := bmpClasses()
	inWord := false
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		i += size
		c := classOther
		if r < rune(len(classes)) {
			c = classes[r]
		} else {
			c = wordClassOf(r)
		}
		switch {
		case c == classCJK:
			cjk++
			inWord = false
		case c == classLetter:
			if !inWord {
				latin++
				inWord = true
			}
		case inWord && c == classMark:
			// A combining mark belongs to the letter before it.
		case inWord && c == classJoiner:
			next, _ := utf8.DecodeRuneInString(s[i:])
			inWord = isWordLetter(next)
		default:
			inWord = false
		}
	}
	return cjk, latin
}

// wordClass is what a character is to countWords.
type wordClass uint8

const (
	classOther  wordClass = iota
	classCJK              // a word by itself (isWordCJK)
	classLetter           // builds up a word (isWordLetter)
	classMark             // a combining mark: belongs to the letter before
	classJoiner           // continues a word when a letter follows (isWordJoiner)
)

// wordClassOf is r's class, the first of the cases countWords tries.
func wordClassOf(r rune) wordClass {
	switch {
	case r >= 0x4E00 && r <= 0x9FFF: // the common ideographs, most of a Chinese text
		return classCJK
	case isWordCJK(r):
		return classCJK
	case isWordLetter(r):
		return classLetter
	case r >= 0x300 && unicode.Is(unicode.M, r):
		return classMark
	case isWordJoiner(r):
		return classJoiner
	}
	return classOther
}

// bmpClasses is wordClassOf of every character of the Basic Multilingual
// Plane, made once: a Chinese text's punctuation would otherwise go
// through five Unicode tables a character (a tenth of a 10,000-page
// build's Markdown time, issue 14). Never written after it is made.
var bmpClasses = sync.OnceValue(func() *[0x10000]wordClass {
	var t [0x10000]wordClass
	for r := range rune(len(t)) {
		t[r] = wordClassOf(r)
	}
	return &t
})

// isWordCJK reports whether r is a character that counts as a word by
// itself: Han, Hiragana, Katakana (with the prolonged sound mark ー) or Hangul.
func isWordCJK(r rune) bool {
	if r < 0x1100 {
		return false
	}
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) || r == 'ー'
}

// isWordLetter reports whether r is a letter or digit that builds up a word
// with its neighbours (any script but the ones isWordCJK counts one by one).
func isWordLetter(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return (unicode.IsLetter(r) || unicode.IsDigit(r)) && !isWordCJK(r)
}

// isWordJoiner reports whether r continues a word when a letter or digit
// follows it: "e-mail", "3.5", "Go's", "Go’s".
func isWordJoiner(r rune) bool {
	return r == '-' || r == '.' || r == '\'' || r == '’'
}

// isCJK reports whether r belongs to the writing that puts no spaces between
// words, so that a line break between two such characters stands for
// nothing: Han, kana, Bopomofo, CJK and fullwidth punctuation, and the
// quotes, dash and ellipsis Chinese text uses (“ ” ‘ ’ — …). Hangul is left
// out on purpose: Korean separates words with spaces.
func isCJK(r rune) bool {
	switch {
	case r < 0x2000:
		return false
	case r == '“' || r == '”' || r == '‘' || r == '’' || r == '—' || r == '…':
		return true
	case 0x2E80 <= r && r <= 0x2FDF: // radicals
		return true
	case 0x3000 <= r && r <= 0x312F: // CJK symbols and punctuation, kana, Bopomofo
		return true
	case 0x31A0 <= r && r <= 0x31FF: // Bopomofo extended, strokes, kana extensions
		return true
	case 0xFE10 <= r && r <= 0xFE1F, 0xFE30 <= r && r <= 0xFE4F: // vertical and compatibility forms
		return true
	case 0xFF01 <= r && r <= 0xFF9F, 0xFFE0 <= r && r <= 0xFFE6: // fullwidth and halfwidth forms
		return true
	}
	return unicode.Is(unicode.Han, r)
}

// Summarize returns the start of s, about n characters (runes) long. It
// prefers to end right after the end of a sentence (。！？!? or a '.' followed
// by a space or the end, each possibly followed by closing quotes or
// brackets such as ” ’ 」 』 ）) found between n/2 and 3n/2 runes, choosing
// the one nearest to n. Failing that it cuts at n runes and appends "……".
//
// Whitespace in s is collapsed first: a run of it becomes nothing when it
// holds a line break between two CJK characters (see CountWords for what
// counts), and one space otherwise; leading and trailing whitespace goes.
// When s has at most n runes after that, it is returned whole. Summarize
// returns "" when n < 1.
func Summarize(s string, n int) string {
	if n < 1 {
		return ""
	}
	s = collapseSpace(s)
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	runes := []rune(s)
	if end := sentenceEnd(runes, n); end > 0 {
		return string(runes[:end])
	}
	cut := strings.TrimRightFunc(string(runes[:n]), func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune("，、；：,;:", r)
	})
	return cut + "……"
}

// sentenceEnd returns the rune index just after the sentence end in runes
// that is nearest to n and lies between n/2 and 3n/2, or 0 when there is none.
func sentenceEnd(runes []rune, n int) int {
	best, bestDist := 0, -1
	for i := 0; i < len(runes); i++ {
		if !isSentenceEnd(runes[i]) {
			continue
		}
		end := i + 1
		for end < len(runes) && (isSentenceEnd(runes[end]) || isCloser(runes[end])) {
			end++
		}
		dotOnly := runes[i] == '.'
		i = end - 1
		if dotOnly && end < len(runes) && !unicode.IsSpace(runes[end]) {
			continue // "3.5", "example.com"
		}
		if 2*end < n {
			continue
		}
		if 2*end > 3*n {
			break
		}
		if d := abs(end - n); bestDist < 0 || d < bestDist {
			best, bestDist = end, d
		}
	}
	return best
}

// isSentenceEnd reports whether r ends a sentence ('.' only when a space or
// the end of the text follows, which the caller checks).
func isSentenceEnd(r rune) bool {
	switch r {
	case '。', '！', '？', '!', '?', '.':
		return true
	}
	return false
}

// isCloser reports whether r is a closing quote or bracket that belongs to
// the sentence it follows.
func isCloser(r rune) bool {
	switch r {
	case '”', '’', '」', '』', '）', '》', '】', ')', '"', '\'':
		return true
	}
	return false
}

// collapseSpace trims s and turns each run of whitespace into one space, or
// into nothing when the run holds a line break between two CJK characters.
func collapseSpace(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	var prev rune
	space, newline := false, false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = true
			newline = newline || r == '\n' || r == '\r'
			continue
		}
		if space && b.Len() > 0 && !(newline && isCJK(prev) && isCJK(r)) {
			b.WriteByte(' ')
		}
		space, newline = false, false
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
