package markdown

import (
	"fmt"
	"strings"
	"unicode"
)

// Shortcode is a Hugo shortcode found in a body: {{< name args >}} or
// {{% name args %}}, alone or paired with {{< /name >}} around an inner
// text.
type Shortcode struct {
	// Name is the shortcode's name: "figure", "notice".
	Name string
	// Markdown is set for the {{% %}} form, whose inner text is Markdown.
	Markdown bool
	// Pos are the positional arguments, Params the named ones, unquoted.
	Pos    []string
	Params map[string]string
	// Inner is the text between the opening and the closing tag, as
	// written; Paired tells an empty inner from none.
	Inner  string
	Paired bool
	// InnerLine is the line of the body Inner starts on.
	InnerLine int
	// Line is the 1-based line of the body the shortcode starts on.
	Line int
	// Source is the shortcode as written, from its opening tag to the end
	// of its closing tag.
	Source string
	// endLine is the line its last tag ends on.
	endLine int
}

// Get returns the argument at an index (an int) or by name (a string), ""
// when there is none: what Hugo's templates call .Get.
func (s *Shortcode) Get(key any) string {
	switch k := key.(type) {
	case int:
		if k >= 0 && k < len(s.Pos) {
			return s.Pos[k]
		}
	case string:
		return s.Params[k]
	}
	return ""
}

// Piece is part of a body: text, or a shortcode.
type Piece struct {
	Text      string
	Shortcode *Shortcode
}

// ShortcodeError is a shortcode written wrongly, at a line of the body.
type ShortcodeError struct {
	Line int
	Msg  string
}

func (e *ShortcodeError) Error() string { return fmt.Sprintf("%d: %s", e.Line, e.Msg) }

// The messages of shortcode mistakes.
const (
	msgSCUnclosed    = "短代码 %s 没有结束的 %s"
	msgSCNoName      = "短代码没有名称"
	msgSCName        = "短代码名称 %q 只能用字母、数字、-、_ 和 /"
	msgSCQuote       = "短代码 %s 的参数缺少结尾的引号"
	msgSCStrayClose  = "短代码的结束标签 {{< /%s >}} 前面没有对应的开始标签"
	msgSCMixedParams = "短代码 %s 不能同时使用带名称和不带名称的参数"
)

// ParseShortcodes splits body into text and shortcodes. A shortcode's
// inner text is left as written (parse it again for nested shortcodes).
// The escaped form {{</* name */>}} is text: "{{< name >}}". Every mistake
// found is returned; the pieces are then what could be read.
func ParseShortcodes(body string) ([]Piece, []*ShortcodeError) {
	toks, body, errs := scanShortcodes(body)
	var pieces []Piece
	var text strings.Builder
	flush := func() {
		if text.Len() > 0 {
			pieces = append(pieces, Piece{Text: text.String()})
			text.Reset()
		}
	}
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch {
		case t.text:
			text.WriteString(body[t.start:t.end])
		case t.closing:
			errs = append(errs, &ShortcodeError{Line: t.sc.Line, Msg: fmt.Sprintf(msgSCStrayClose, t.sc.Name)})
		default:
			flush()
			sc := t.sc
			end := t.end
			if !t.selfClosing {
				if j := matchClose(toks, i); j > 0 {
					sc.Paired = true
					sc.Inner = body[t.end:toks[j].start]
					sc.InnerLine = sc.Line + strings.Count(body[t.start:t.end], "\n")
					end = toks[j].end
					i = j
				}
			}
			sc.Source = body[t.start:end]
			sc.endLine = sc.Line + strings.Count(sc.Source, "\n")
			pieces = append(pieces, Piece{Shortcode: sc})
		}
	}
	flush()
	return pieces, errs
}

// matchClose finds the closing tag of the opening tag toks[i], skipping
// nested pairs of the same name; -1 when there is none.
func matchClose(toks []token, i int) int {
	depth := 0
	name := toks[i].sc.Name
	for j := i + 1; j < len(toks); j++ {
		t := toks[j]
		if t.text || t.sc.Name != name {
			continue
		}
		switch {
		case t.closing && depth == 0:
			return j
		case t.closing:
			depth--
		case !t.selfClosing:
			depth++
		}
	}
	return -1
}

// token is a run of text or one shortcode tag.
type token struct {
	start, end           int
	text                 bool
	closing, selfClosing bool
	sc                   *Shortcode
}

// scanShortcodes finds the tags in body; it returns them with the body
// they index, in which escaped tags became text.
func scanShortcodes(body string) ([]token, string, []*ShortcodeError) {
	var toks []token
	var errs []*ShortcodeError
	line, lineAt := 1, 0
	lineOf := func(off int) int {
		line += strings.Count(body[lineAt:off], "\n")
		lineAt = off
		return line
	}
	textStart := 0
	addText := func(end int) {
		if end > textStart {
			toks = append(toks, token{start: textStart, end: end, text: true})
		}
	}
	for i := 0; i < len(body); {
		j := strings.Index(body[i:], "{{")
		if j < 0 || i+j+2 >= len(body) {
			break
		}
		start := i + j
		open := body[start+2]
		if open != '<' && open != '%' {
			i = start + 2
			continue
		}
		closeDelim := "%}}"
		if open == '<' {
			closeDelim = ">}}"
		}
		endRel := strings.Index(body[start+3:], closeDelim)
		ln := lineOf(start)
		if endRel < 0 {
			errs = append(errs, &ShortcodeError{Line: ln, Msg: fmt.Sprintf(msgSCUnclosed, "{{"+string(open), closeDelim)})
			break
		}
		end := start + 3 + endRel + 3
		inside := body[start+3 : end-3]
		trimmed := strings.TrimSpace(inside)
		if len(trimmed) >= 4 && strings.HasPrefix(trimmed, "/*") && strings.HasSuffix(trimmed, "*/") {
			// {{</* x */>}} is how a page shows a shortcode as text.
			lit := "{{" + string(open) + " " + strings.TrimSpace(trimmed[2:len(trimmed)-2]) + " " + closeDelim
			body = body[:start] + lit + body[end:]
			i = start + len(lit) // the literal stays part of the text run
			continue
		}
		addText(start)
		t, err := parseTag(trimmed, open == '%', ln)
		if err != nil {
			errs = append(errs, err)
		}
		t.start, t.end = start, end
		toks = append(toks, t)
		i = end
		textStart = end
	}
	if textStart < len(body) {
		toks = append(toks, token{start: textStart, end: len(body), text: true})
	}
	return toks, body, errs
}

// parseTag reads what stands between the delimiters of one tag.
func parseTag(s string, md bool, line int) (token, *ShortcodeError) {
	t := token{sc: &Shortcode{Markdown: md, Line: line, Params: map[string]string{}}}
	if strings.HasPrefix(s, "/") {
		t.closing = true
		s = strings.TrimSpace(s[1:])
	}
	if strings.HasSuffix(s, "/") {
		t.selfClosing = true
		s = strings.TrimSpace(s[:len(s)-1])
	}
	name, rest := s, ""
	if k := strings.IndexFunc(s, unicode.IsSpace); k >= 0 {
		name, rest = s[:k], s[k:]
	}
	t.sc.Name = name
	if name == "" {
		return t, &ShortcodeError{Line: line, Msg: msgSCNoName}
	}
	for _, r := range name {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_' || r == '/') {
			return t, &ShortcodeError{Line: line, Msg: fmt.Sprintf(msgSCName, name)}
		}
	}
	if err := parseArgs(t.sc, rest); err != nil {
		return t, err
	}
	return t, nil
}

// parseArgs reads positional ("a", `b`, c) and named (k="v", k=v) arguments.
func parseArgs(sc *Shortcode, s string) *ShortcodeError {
	for {
		s = strings.TrimLeftFunc(s, unicode.IsSpace)
		if s == "" {
			break
		}
		key := ""
		if k := strings.IndexByte(s, '='); k > 0 && !strings.ContainsAny(s[:k], " \t\n\"`") {
			key, s = s[:k], s[k+1:]
		}
		var val string
		switch {
		case s != "" && (s[0] == '"' || s[0] == '`'):
			q := s[0]
			end := -1
			for k := 1; k < len(s); k++ {
				if q == '"' && s[k] == '\\' && k+1 < len(s) {
					k++
					continue
				}
				if s[k] == q {
					end = k
					break
				}
			}
			if end < 0 {
				return &ShortcodeError{Line: sc.Line, Msg: fmt.Sprintf(msgSCQuote, sc.Name)}
			}
			val = s[1:end]
			if q == '"' {
				val = strings.NewReplacer(`\"`, `"`, `\\`, `\`).Replace(val)
			}
			s = s[end+1:]
		default:
			k := strings.IndexFunc(s, unicode.IsSpace)
			if k < 0 {
				k = len(s)
			}
			val, s = s[:k], s[k:]
		}
		if key != "" {
			sc.Params[key] = val
		} else {
			sc.Pos = append(sc.Pos, val)
		}
	}
	if len(sc.Pos) > 0 && len(sc.Params) > 0 {
		return &ShortcodeError{Line: sc.Line, Msg: fmt.Sprintf(msgSCMixedParams, sc.Name)}
	}
	return nil
}
