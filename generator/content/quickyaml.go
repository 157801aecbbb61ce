package content

import (
	"bytes"
	"strconv"
	"unicode/utf8"

	"gopkg.in/yaml.v2"
)

// Most front matter is a few lines of "key: value", the values quoted
// strings, lists of them, dates, booleans and small integers, and
// yaml.v2's general parser spends a tenth of a 10,000-page build's
// loading on it (issue 14). quickYAML decodes exactly that shape, to what
// yaml.v2 gives for it, and refuses anything else, which yaml.v2 then
// decodes (FuzzQuickYAML holds the two together).

// quickYAML decodes data, front matter between its delimiters, when every
// line is a plain key, ": " and a value quickValue knows, and the keys
// differ; ok false otherwise.
func quickYAML(data []byte) (m yaml.MapSlice, ok bool) {
	for len(data) > 0 {
		line, rest, found := bytes.Cut(data, []byte{'\n'})
		if !found {
			rest = nil
		}
		data = rest
		key, value, found := bytes.Cut(line, []byte(": "))
		if !found || !plainKey(key) {
			return nil, false
		}
		v, ok := quickValue(value)
		if !ok {
			return nil, false
		}
		for _, item := range m {
			if item.Key == string(key) {
				return nil, false
			}
		}
		m = append(m, yaml.MapItem{Key: string(key), Value: v})
	}
	return m, true
}

// plainKey reports whether key is ASCII letters, digits, '_' and '-',
// starting with a letter, and not a word YAML 1.1 reads as a boolean or
// null (yaml.v2 decodes the key "y" as true).
func plainKey(key []byte) bool {
	if len(key) == 0 || !isLetter(key[0]) {
		return false
	}
	for _, c := range key {
		if !isLetter(c) && !isDigit(c) && c != '_' && c != '-' {
			return false
		}
	}
	switch string(bytes.ToLower(key)) {
	case "y", "n", "yes", "no", "on", "off", "true", "false", "null":
		return false
	}
	return true
}

// quickValue decodes a value of one line: a double-quoted string without
// escapes, a flow list of such strings, true or false, a date or a date
// and time (which yaml.v2 keeps as a string), a small decimal integer, an
// unquoted string that starts with a letter outside ASCII and holds
// nothing YAML reads specially, or a name as plainKey takes.
func quickValue(v []byte) (any, bool) {
	if len(v) == 0 {
		return nil, false
	}
	switch {
	case v[0] == '"':
		s, n, ok := quoted(v)
		return s, ok && n == len(v)
	case v[0] == '[':
		return quickList(v)
	case string(v) == "true":
		return true, true
	case string(v) == "false":
		return false, true
	case isDate(v):
		return string(v), true
	case isSmallInt(v):
		n, err := strconv.Atoi(string(v))
		return n, err == nil
	case v[0] >= utf8.RuneSelf:
		return string(v), plainScalar(v)
	case plainKey(v):
		return string(v), true // a name as "zb16", which YAML reads as a string as it reads keys
	}
	return nil, false
}

// quoted decodes the double-quoted string v starts with, when it holds no
// backslash and only characters YAML prints, and returns its length.
func quoted(v []byte) (s string, n int, ok bool) {
	end := bytes.IndexByte(v[1:], '"')
	if end < 0 {
		return "", 0, false
	}
	body := v[1 : 1+end]
	if bytes.IndexByte(body, '\\') >= 0 || !printable(body) {
		return "", 0, false
	}
	return string(body), end + 2, true
}

// quickList decodes a flow list of double-quoted strings separated by
// ", ", as `["a", "b"]`, or the empty list "[]".
func quickList(v []byte) (any, bool) {
	list := []any{}
	rest := v[1:]
	if string(rest) == "]" {
		return list, true
	}
	for {
		if len(rest) == 0 || rest[0] != '"' {
			return nil, false
		}
		s, n, ok := quoted(rest)
		if !ok {
			return nil, false
		}
		list = append(list, s)
		rest = rest[n:]
		switch {
		case string(rest) == "]":
			return list, true
		case bytes.HasPrefix(rest, []byte(", ")):
			rest = rest[2:]
		default:
			return nil, false
		}
	}
}

// plainScalar reports whether v, starting with a letter outside ASCII, is
// a string to YAML as it stands: printable, without ": ", " #" or a
// trailing ':' or space, and without a character flow lists give meaning.
func plainScalar(v []byte) bool {
	if !printable(v) || bytes.Contains(v, []byte(": ")) || bytes.Contains(v, []byte(" #")) {
		return false
	}
	if c := v[len(v)-1]; c == ':' || c == ' ' {
		return false
	}
	return bytes.IndexAny(v, "[]{},") < 0
}

// printable reports whether b is UTF-8 of characters YAML allows in a
// scalar on one line: no control characters (tab included), no C1
// controls, no line or paragraph separator (YAML breaks lines there),
// no byte order mark and no non-characters U+FFFE, U+FFFF.
func printable(b []byte) bool {
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError || r < 0xa0 || r == 0x2028 || r == 0x2029 || r == 0xfeff || r == 0xfffe || r == 0xffff {
			return false
		}
		i += size
	}
	return true
}

// isDate reports whether v is YYYY-MM-DD, or that and THH:MM:SS with Z or
// an offset ±HH:MM.
func isDate(v []byte) bool {
	const day, clock = "dddd-dd-dd", "Tdd:dd:dd"
	if !digitsLike(v, day) {
		return false
	}
	v = v[len(day):]
	if len(v) == 0 {
		return true
	}
	if !digitsLike(v, clock) {
		return false
	}
	v = v[len(clock):]
	return string(v) == "Z" || (len(v) == 6 && (v[0] == '+' || v[0] == '-') && digitsLike(v[1:], "dd:dd"))
}

// digitsLike reports whether v starts with pattern, where 'd' is any digit
// and every other byte stands for itself.
func digitsLike(v []byte, pattern string) bool {
	if len(v) < len(pattern) {
		return false
	}
	for i := range len(pattern) {
		if pattern[i] == 'd' {
			if !isDigit(v[i]) {
				return false
			}
		} else if v[i] != pattern[i] {
			return false
		}
	}
	return true
}

// isSmallInt reports whether v is 0 or a decimal number of at most nine
// digits without a leading zero (YAML 1.1 reads 012 as octal).
func isSmallInt(v []byte) bool {
	if string(v) == "0" {
		return true
	}
	if len(v) == 0 || len(v) > 9 || v[0] == '0' {
		return false
	}
	for _, c := range v {
		if !isDigit(c) {
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
