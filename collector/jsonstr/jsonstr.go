// Package jsonstr writes JSON strings exactly as encoding/json does, into
// a caller's buffer, for the hand-written encoders of what the collector
// writes on every submission (the JSON receipt, the ledger record): the
// reflecting encoder was a visible part of each post under wrk (issue 11).
// Byte-for-byte equality with encoding/json is the whole contract
// (FuzzAppend), since receipts and ledger records are kept and verified.
//
// It imports the standard library only.
package jsonstr

import "unicode/utf8"

const hexDigits = "0123456789abcdef"

// Append appends s as a JSON string the way encoding/json writes a string
// (with its default HTML escaping): <, > and & as \u00XX, U+2028 and U+2029 escaped, the
// short escapes for \b \f \n \r \t, other control bytes as \u00XX and
// invalid UTF-8 as \ufffd.
func Append(b []byte, s string) []byte {
	if utf8.ValidString(s) {
		return appendValid(b, s)
	}
	return appendAny(b, s)
}

// AppendValid is Append for an s the caller knows to be valid UTF-8 (a
// value that passed site.Field.Parse): the same bytes, without the check
// Append makes first. Invalid bytes in s would be copied as they are.
func AppendValid(b []byte, s string) []byte { return appendValid(b, s) }

// appendValid is Append for valid UTF-8, the usual text: of the runes
// from U+0080 on, only U+2028 and U+2029 (E2 80 A8, E2 80 A9) are
// escaped, so a rune's lead byte is enough to step over it; decoding
// every rune of a Chinese text was half of encoding it (issue 11).
func appendValid(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			// The lead byte says how long the rune is; the loop steps
			// over its last byte.
			switch {
			case c < 0xE0:
				i++
			case c < 0xF0:
				if c == 0xE2 && s[i+1] == 0x80 && s[i+2]&^1 == 0xA8 {
					b = append(b, s[start:i]...)
					b = append(b, '\\', 'u', '2', '0', '2', hexDigits[s[i+2]&0xF])
					start = i + 3
				}
				i += 2
			default:
				i += 3
			}
			continue
		}
		if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
			continue
		}
		b = append(b, s[start:i]...)
		b = appendEscape(b, c)
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendEscape writes the escape of an ASCII byte that needs one.
func appendEscape(b []byte, c byte) []byte {
	switch c {
	case '"', '\\':
		return append(b, '\\', c)
	case '\b':
		return append(b, '\\', 'b')
	case '\f':
		return append(b, '\\', 'f')
	case '\n':
		return append(b, '\\', 'n')
	case '\r':
		return append(b, '\\', 'r')
	case '\t':
		return append(b, '\\', 't')
	}
	return append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
}

// appendAny is Append for any bytes, invalid UTF-8 among them.
func appendAny(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			b = appendEscape(b, c)
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
