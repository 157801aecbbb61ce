// Package textenc turns the bytes of a text file as an editor saved it
// (a Markdown page, site.yaml, a template) into UTF-8. Chinese offices often
// save GBK/GB18030 (Notepad's "ANSI" on a Chinese Windows) or UTF-16 with a
// BOM (Notepad's "Unicode"); those are converted, and the caller warns the
// editor to save the file as UTF-8 again. Anything else is an error at the
// line where the bytes stop making sense, never mojibake.
//
// It only decodes bytes: it reads no files and prints nothing. It imports
// golang.org/x/text and the standard library only.
package textenc

import (
	"bytes"
	"fmt"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Encoding is what a file was found to be saved in.
type Encoding int

const (
	UTF8    Encoding = iota // UTF-8 without a BOM: read as it is
	UTF8BOM                 // UTF-8 with a BOM: the BOM is dropped
	GB18030                 // GB18030, which includes GBK and GB2312
	UTF16LE                 // UTF-16, little-endian, with a BOM
	UTF16BE                 // UTF-16, big-endian, with a BOM
)

// String names the encoding as editors' programs do.
func (e Encoding) String() string {
	switch e {
	case UTF8:
		return "UTF-8"
	case UTF8BOM:
		return "UTF-8（带 BOM）"
	case GB18030:
		return "GB18030/GBK（记事本的“ANSI”）"
	case UTF16LE:
		return "UTF-16 LE（记事本的“Unicode”）"
	case UTF16BE:
		return "UTF-16 BE"
	}
	return fmt.Sprintf("Encoding(%d)", int(e))
}

// Converted reports whether text in e was converted, so that its file
// should be saved again as UTF-8.
func (e Encoding) Converted() bool { return e >= GB18030 }

// Error is a file in no encoding Decode knows.
type Error struct {
	// Line is the 1-based line of the first byte that is not UTF-8.
	Line int
	// Reason says what is wrong, in Chinese.
	Reason string
}

func (e *Error) Error() string {
	return fmt.Sprintf("无法识别的文件编码（%s）：既不是 UTF-8，也不是 GB18030/GBK 或带 BOM 的 UTF-16；请在编辑器里“另存为”，编码选“UTF-8”", e.Reason)
}

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// Decode returns b as UTF-8 text, without a BOM, and the encoding it was
// in. Line ends are left as they are (CRLF stays CRLF). The error is an
// *Error when b is in no known encoding.
func Decode(b []byte) ([]byte, Encoding, error) {
	switch {
	case bytes.HasPrefix(b, bomUTF8):
		b = b[len(bomUTF8):]
		if off := invalidUTF8(b); off >= 0 {
			return nil, UTF8BOM, &Error{Line: lineAt(b, off), Reason: "文件以 UTF-8 的 BOM 开头，其后却有不是 UTF-8 的字节"}
		}
		return b, UTF8BOM, nil
	case bytes.HasPrefix(b, bomUTF16LE):
		return decodeUTF16(b[2:], false)
	case bytes.HasPrefix(b, bomUTF16BE):
		return decodeUTF16(b[2:], true)
	}
	off := invalidUTF8(b)
	if off < 0 {
		return b, UTF8, nil
	}
	if text, ok := decodeGB18030(b); ok {
		return text, GB18030, nil
	}
	return nil, UTF8, &Error{Line: lineAt(b, off), Reason: fmt.Sprintf("第 %d 个字节 0x%02X 起", off+1, b[off])}
}

// invalidUTF8 is the offset of the first byte that is not UTF-8, or -1.
func invalidUTF8(b []byte) int {
	if utf8.Valid(b) {
		return -1
	}
	for off := 0; off < len(b); {
		r, n := utf8.DecodeRune(b[off:])
		if r == utf8.RuneError && n == 1 {
			return off
		}
		off += n
	}
	return -1
}

// decodeGB18030 decodes b when it is GB18030 through and through: the
// decoder turns bad sequences into U+FFFD silently, so the text must encode
// back to exactly b. NUL bytes mean binary data or UTF-16 without a BOM.
func decodeGB18030(b []byte) ([]byte, bool) {
	if bytes.IndexByte(b, 0) >= 0 {
		return nil, false
	}
	text, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
	if err != nil {
		return nil, false
	}
	back, err := simplifiedchinese.GB18030.NewEncoder().Bytes(text)
	if err != nil || !bytes.Equal(back, b) {
		return nil, false
	}
	return text, true
}

// decodeUTF16 decodes b, which followed a UTF-16 BOM. An odd length or a
// lone surrogate is an error, not U+FFFD.
func decodeUTF16(b []byte, big bool) ([]byte, Encoding, error) {
	enc := UTF16LE
	if big {
		enc = UTF16BE
	}
	out := make([]byte, 0, len(b)*3/2)
	line := 1
	unit := func(i int) rune {
		if big {
			return rune(b[i])<<8 | rune(b[i+1])
		}
		return rune(b[i+1])<<8 | rune(b[i])
	}
	for i := 0; i < len(b); i += 2 {
		if i+1 >= len(b) {
			return nil, enc, &Error{Line: line, Reason: "文件以 UTF-16 的 BOM 开头，长度却是奇数个字节"}
		}
		r := unit(i)
		if utf16.IsSurrogate(r) {
			var r2 rune = -1
			if i+3 < len(b) {
				r2 = unit(i + 2)
			}
			if r = utf16.DecodeRune(r, r2); r == utf8.RuneError {
				return nil, enc, &Error{Line: line, Reason: "文件以 UTF-16 的 BOM 开头，其中却有不成对的代理项"}
			}
			i += 2
		}
		if r == '\n' {
			line++
		}
		out = utf8.AppendRune(out, r)
	}
	return out, enc, nil
}

// lineAt is the 1-based line of byte offset off in b.
func lineAt(b []byte, off int) int {
	return bytes.Count(b[:off], []byte("\n")) + 1
}

// Warning is the message for a file that Decode converted from enc: what
// it was read as, and how to save it as UTF-8.
func Warning(file string, enc Encoding) string {
	return fmt.Sprintf("%s: 警告：文件的编码是 %s，已按此读取；请另存为 UTF-8（记事本：“文件 → 另存为”，编码选“UTF-8”；WPS、VS Code 等同样在“另存为”或状态栏里选择 UTF-8）", file, enc)
}
