package textenc

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

const page = "---\r\ntitle: 关于党费的通知\r\n---\r\n\r\n按月交纳党费。€𝄞\r\n"

func gb(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func utf16With(t *testing.T, s string, e unicode.Endianness) []byte {
	t.Helper()
	b, err := unicode.UTF16(e, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDecode is the decoding table of issue 16: what editors' programs
// save is read as the text they meant, or is an error at a line.
func TestDecode(t *testing.T) {
	tests := []struct {
		name     string
		in       []byte
		want     string
		enc      Encoding
		wantLine int // an *Error at this line when > 0
	}{
		{name: "UTF-8", in: []byte(page), want: page, enc: UTF8},
		{name: "UTF-8 with BOM", in: append([]byte{0xEF, 0xBB, 0xBF}, page...), want: page, enc: UTF8BOM},
		{name: "empty", in: nil, want: "", enc: UTF8},
		{name: "GB18030", in: gb(t, page), want: page, enc: GB18030},
		{name: "GBK without front matter", in: gb(t, "# 关于党费的通知\n\n正文。\n"), want: "# 关于党费的通知\n\n正文。\n", enc: GB18030},
		{name: "UTF-16LE with BOM", in: utf16With(t, page, unicode.LittleEndian), want: page, enc: UTF16LE},
		{name: "UTF-16BE with BOM", in: utf16With(t, page, unicode.BigEndian), want: page, enc: UTF16BE},
		{name: "Latin-1 is not GB18030", in: []byte("title: caf\xe9\nline two\n"), wantLine: 1},
		{name: "invalid on line 3", in: []byte("a\nb\nc \xff\xfe\xfd end\n"), wantLine: 3},
		{name: "GB18030 byte cut off at the end", in: append(gb(t, "第一行\n第二行"), 0x81), wantLine: 1},
		{name: "NUL bytes are not GB18030", in: []byte("a\x00b\n\xc4\xe3"), wantLine: 2},
		{name: "UTF-8 BOM then GBK", in: append([]byte{0xEF, 0xBB, 0xBF}, gb(t, "党\n二")...), wantLine: 1},
		{name: "UTF-16 odd length", in: append(utf16With(t, "一\n二", unicode.LittleEndian), 'x'), wantLine: 2},
		{name: "UTF-16 lone surrogate", in: []byte{0xFF, 0xFE, 'a', 0, '\n', 0, 0x00, 0xD8, 'b', 0}, wantLine: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, enc, err := Decode(tt.in)
			if tt.wantLine > 0 {
				var e *Error
				if !errors.As(err, &e) {
					t.Fatalf("Decode = %q, %v, %v; want an *Error", got, enc, err)
				}
				if e.Line != tt.wantLine {
					t.Errorf("error at line %d, want %d", e.Line, tt.wantLine)
				}
				if !strings.Contains(err.Error(), "无法识别的文件编码") || !strings.Contains(err.Error(), "UTF-8") {
					t.Errorf("message %q does not say the encoding is unknown and how to fix it", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if string(got) != tt.want || enc != tt.enc {
				t.Errorf("Decode = %q, %v; want %q, %v", got, enc, tt.want, tt.enc)
			}
			if enc.Converted() != (tt.enc >= GB18030) {
				t.Errorf("%v.Converted() = %v", enc, enc.Converted())
			}
		})
	}
}

func TestWarning(t *testing.T) {
	w := Warning("content/news/a.md", GB18030)
	for _, want := range []string{"content/news/a.md: ", "GB18030", "另存为", "UTF-8"} {
		if !strings.Contains(w, want) {
			t.Errorf("Warning = %q, lacks %q", w, want)
		}
	}
}

// FuzzDecode: Decode never panics, what it returns is UTF-8, and UTF-8
// input comes back unchanged.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(page))
	f.Add([]byte("\xef\xbb\xbf" + page))
	f.Add([]byte("\xff\xfea\x00\n\x00"))
	f.Add([]byte("\xfe\xff\x00a\xd8\x00"))
	f.Add([]byte("\xb9\xd8\xd3\xda\x81\x30\x81\x30"))
	f.Fuzz(func(t *testing.T, b []byte) {
		got, enc, err := Decode(b)
		if err != nil {
			return
		}
		if !utf8.Valid(got) {
			t.Fatalf("Decode(%q) = %q (%v), not UTF-8", b, got, enc)
		}
		if enc == UTF8 && string(got) != string(b) {
			t.Fatalf("UTF-8 input changed: %q → %q", b, got)
		}
	})
}
