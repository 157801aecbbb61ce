package markdown

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestCountWords(t *testing.T) {
	tests := []struct {
		name string
		s    string
		want int
	}{
		{"empty", "", 0},
		{"punctuation and space only", "，。！？ \n\t...", 0},
		// 党员干部要学习 (7) + 语言和 (3) + 使用 (2) = 12 characters, Go and e-mail 2 words.
		{"mixed", "党员干部要学习Go语言和e-mail使用。", 14},
		{"English", "Hello, world!", 2},
		{"inner joiners", "Go's e-mail 3.5 v1.2.3 Go’s", 5},
		{"joiners at the edges", "-a- .b. 'c' end.", 4},
		{"double dash splits", "a--b", 2},
		{"Chinese with spaces", "中文 English 混合 text", 6},
		{"Japanese", "日本語のカタカナ、コーヒー", 12},
		{"Hangul counts per character", "한국어 단어", 5},
		{"fullwidth digits are a word", "２０２６年", 2},
		{"accents and combining marks", "café naïve cafe\u0301", 3},
		{"numbers", "2026年10月1日", 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CountWords(tt.s); got != tt.want {
				t.Errorf("CountWords(%q) = %d, want %d", tt.s, got, tt.want)
			}
		})
	}
}

func TestReadingTime(t *testing.T) {
	tests := []struct {
		name string
		s    string
		want int
	}{
		{"empty", "", 0},
		{"no words", "。！ ", 0},
		{"one character", "中", 1},
		{"400 characters", strings.Repeat("中", 400), 1},
		{"401 characters", strings.Repeat("中", 401), 2},
		{"800 characters", strings.Repeat("中", 800), 2},
		{"200 words", strings.Repeat("word ", 200), 1},
		{"201 words", strings.Repeat("word ", 201), 2},
		{"half and half", strings.Repeat("中", 200) + strings.Repeat(" word", 100), 1},
		{"just over", strings.Repeat("中", 201) + strings.Repeat(" word", 100), 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ReadingTime(tt.s); got != tt.want {
				t.Errorf("ReadingTime = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestSummarize(t *testing.T) {
	tests := []struct {
		name string
		s    string
		n    int
		want string
	}{
		{"short text whole", "短文本。", 10, "短文本。"},
		{"exactly n", "一二三四五", 5, "一二三四五"},
		{"whitespace collapsed", "  第一行\n第二行\n\nEnglish\nline  two\n", 100, "第一行第二行 English line two"},
		{"ideographic space collapsed", "第一段。\n\u3000\u3000第二段。", 100, "第一段。第二段。"},
		{"sentence end nearest to n", "甲乙丙丁。戊己庚辛壬癸子丑。寅卯辰巳午未申酉戌亥。", 10, "甲乙丙丁。戊己庚辛壬癸子丑。"},
		{"tie prefers the shorter", "一二三四五六七。八九十一。二三四五六七八九十一二三四五六七", 10, "一二三四五六七。"},
		{"closing quote kept", "他说：“我们要学习。”然后大家开始讨论这个问题，一直到很晚才结束。", 12, "他说：“我们要学习。”"},
		{"question, exclamation and corner bracket", "「真的吗？！」后面还有很多很多的文字内容需要被截断掉才行", 8, "「真的吗？！」"},
		{"no sentence end: ellipsis", "这是一段没有任何句子结束符号的很长很长的文字内容用于测试", 10, "这是一段没有任何句子……"},
		{"weak punctuation before the ellipsis dropped", "一二三四五六七八九，十一二三四五六七八九十", 10, "一二三四五六七八九……"},
		{"sentence end too early", "好。这是一段很长的没有结束的文字内容继续写下去", 20, "好。这是一段很长的没有结束的文字内容继续……"},
		{"mixed Latin", "Go is a language. It is simple and fast. 我们用它来构建网站。", 20, "Go is a language."},
		{"dot inside a number is no end", "版本3.5发布了新的功能，包括很多改进和修复等内容", 10, "版本3.5发布了新的……"},
		{"ellipsis of dots then space", "Wait... what happened next is a long story that goes on", 10, "Wait..."},
		{"English quote after the dot", `He said "Stop." Then he left the room quietly.`, 16, `He said "Stop."`},
		{"zero n", "文字", 0, ""},
		{"invalid UTF-8 replaced", "ab\xffcd", 10, "ab\uFFFDcd"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Summarize(tt.s, tt.n); got != tt.want {
				t.Errorf("Summarize(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
			}
		})
	}
}

func TestIsCJK(t *testing.T) {
	tests := []struct {
		r    rune
		want bool
	}{
		{'中', true}, {'。', true}, {'，', true}, {'“', true}, {'」', true}, {'の', true},
		{'ー', true}, {'々', true}, {'…', true}, {'𠀀', true},
		{'a', false}, {'1', false}, {',', false}, {'é', false}, {'한', false}, {0, false},
	}
	for _, tt := range tests {
		if got := isCJK(tt.r); got != tt.want {
			t.Errorf("isCJK(%q) = %v, want %v", tt.r, got, tt.want)
		}
	}
}

// TestCountWordsEveryCharacter checks countWords, which looks characters up
// in a table (issue 14), against the rules written out case by case, for
// every character of the Basic Multilingual Plane (the table's) and a few
// beyond it, alone, inside a Latin word, after one and before one.
func TestCountWordsEveryCharacter(t *testing.T) {
	chars := []rune{0x1F600, 0x20000, 0x2A6DF, 0x1D400, 0xE0041, unicode.MaxRune}
	for r := rune(0); r <= 0xFFFF; r++ {
		if r < 0xD800 || r > 0xDFFF { // surrogates are not characters
			chars = append(chars, r)
		}
	}
	for _, r := range chars {
		c := string(r)
		for _, s := range []string{c, "a" + c + "b", "a" + c, c + "b", "中" + c + "文"} {
			gotCJK, gotLatin := countWords(s)
			wantCJK, wantLatin := countWordsByRules(s)
			if gotCJK != wantCJK || gotLatin != wantLatin {
				t.Fatalf("countWords(%q) = %d, %d; want %d, %d", s, gotCJK, gotLatin, wantCJK, wantLatin)
			}
		}
	}
}

// countWordsByRules is countWords without the table.
func countWordsByRules(s string) (cjk, latin int) {
	inWord := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r >= 0x4E00 && r <= 0x9FFF:
			cjk++
			inWord = false
		case isWordCJK(r):
			cjk++
			inWord = false
		case isWordLetter(r):
			if !inWord {
				latin++
				inWord = true
			}
		case inWord && r >= 0x300 && unicode.Is(unicode.M, r):
		case inWord && isWordJoiner(r):
			next, _ := utf8.DecodeRuneInString(s[i:])
			inWord = isWordLetter(next)
		default:
			inWord = false
		}
	}
	return cjk, latin
}
