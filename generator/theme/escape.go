package theme

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"text/template/parse"
)

// html/template escapes every action of a page by appending calls of its
// escaping functions: {{.Title}} in an attribute becomes
// {{.Title | _html_template_attrescaper}}, a link three of them. Each
// call goes through reflection with a slice for its variadic argument,
// and the URL escapers write each percent-escape with fmt: on a
// 10,000-page build, a third of the layouts' time (issue 14). Once a
// layout set is escaped, its escaping functions are replaced by the ones
// below, which take one argument, as html/template calls them, and give
// the same string: for the values pages carry (strings, integers) by the
// same steps written out, for any other by html/template's own.
//
// The steps are html/template's of Go 1.26 (content.go, html.go, url.go;
// BSD-style licence, Copyright The Go Authors), which TestEscapers holds
// against html/template itself for every context and kind of value.

// escapeSteps are html/template's escaping functions replaced, by their
// names, each as a step on a value made a string by stringify (an
// escaper's result is plain text to the next).
var escapeSteps = map[string]func(s string, t content) string{
	"_html_template_htmlescaper": func(s string, t content) string {
		if t == contentHTML {
			return s
		}
		return replaceHTML(s, false)
	},
	"_html_template_attrescaper": func(s string, t content) string {
		if t == contentHTML {
			return attrFromHTML(s) // tags stripped: html/template's own
		}
		return replaceHTML(s, false)
	},
	"_html_template_rcdataescaper": func(s string, t content) string {
		return replaceHTML(s, t == contentHTML)
	},
	"_html_template_urlfilter": func(s string, t content) string {
		if t != contentURL && !isSafeURL(s) {
			return "#ZgotmplZ"
		}
		return s
	},
	"_html_template_urlnormalizer": func(s string, _ content) string { return processURL(s, true) },
	"_html_template_urlescaper":    func(s string, t content) string { return processURL(s, t == contentURL) },
}

// fusedPrefix starts the name of a function that does the steps of
// several escaping functions in one call.
const fusedPrefix = "dangwu_escape"

// prepare escapes every template a set executes by name (the entry and
// the memoized partials), and then makes each action call one function
// for what html/template appended to it: the same steps, in one call, on
// one argument. Run once, before the set's first execution; the set is
// escaped for good then, so html/template never walks the changed
// actions again (it would append its functions a second time).
func prepare(set *template.Template, names []string) {
	for _, name := range names {
		// Escaping comes before executing, which fails on nil data or
		// stops at the first value it cannot read: only the escape is
		// wanted.
		_ = set.ExecuteTemplate(io.Discard, name, nil)
	}
	funcs := template.FuncMap{}
	var actions []*parse.ActionNode
	for _, t := range set.Templates() {
		if t.Tree != nil {
			eachAction(t.Tree.Root, func(a *parse.ActionNode) { actions = append(actions, a) })
		}
	}
	for _, a := range actions {
		cmds := a.Pipe.Cmds
		k := len(cmds)
		for k > 0 && isEscapeStep(cmds[k-1]) {
			k--
		}
		if k == len(cmds) {
			continue
		}
		var name strings.Builder
		name.WriteString(fusedPrefix)
		var steps []func(string, content) string
		for _, c := range cmds[k:] {
			id := c.Args[0].(*parse.IdentifierNode).Ident
			name.WriteString(strings.TrimPrefix(id, "_html_template"))
			steps = append(steps, escapeSteps[id])
		}
		if _, ok := funcs[name.String()]; !ok {
			funcs[name.String()] = func(v any) string {
				s, t := stringify(v)
				for _, step := range steps {
					s, t = step(s, t), contentPlain
				}
				return s
			}
		}
		pos := cmds[k].Position()
		a.Pipe.Cmds = append(cmds[:k:k], &parse.CommandNode{
			NodeType: parse.NodeCommand, Pos: pos,
			Args: []parse.Node{parse.NewIdentifier(name.String()).SetTree(nil).SetPos(pos)},
		})
	}
	set.Funcs(funcs)
}

// isEscapeStep reports whether c is a call html/template appended of one
// of escapeSteps.
func isEscapeStep(c *parse.CommandNode) bool {
	if len(c.Args) != 1 {
		return false
	}
	id, ok := c.Args[0].(*parse.IdentifierNode)
	return ok && escapeSteps[id.Ident] != nil
}

// eachAction calls fn with every action of l, also inside if, with and
// range.
func eachAction(l *parse.ListNode, fn func(*parse.ActionNode)) {
	if l == nil {
		return
	}
	for _, n := range l.Nodes {
		switch n := n.(type) {
		case *parse.ActionNode:
			fn(n)
		case *parse.IfNode:
			eachAction(n.List, fn)
			eachAction(n.ElseList, fn)
		case *parse.WithNode, *parse.RangeNode:
			b := branchOf(n)
			eachAction(b.List, fn)
			eachAction(b.ElseList, fn)
		}
	}
}

// content is the kind of a value to html/template.
type content int

const (
	contentPlain content = iota
	contentCSS
	contentHTML
	contentHTMLAttr
	contentJS
	contentJSStr
	contentURL
	contentSrcset
)

// stringify is html/template's for one argument: the value as a string,
// pointers followed, and its kind.
func stringify(v any) (string, content) {
	switch s := v.(type) { // the common cases first, without reflection
	case string:
		return s, contentPlain
	case int:
		return strconv.Itoa(s), contentPlain
	case template.HTML:
		return string(s), contentHTML
	case template.URL:
		return string(s), contentURL
	}
	switch s := indirect(v).(type) {
	case string:
		return s, contentPlain
	case template.CSS:
		return string(s), contentCSS
	case template.HTML:
		return string(s), contentHTML
	case template.HTMLAttr:
		return string(s), contentHTMLAttr
	case template.JS:
		return string(s), contentJS
	case template.JSStr:
		return string(s), contentJSStr
	case template.URL:
		return string(s), contentURL
	case template.Srcset:
		return string(s), contentSrcset
	}
	if v == nil {
		return "", contentPlain // an untyped nil is skipped, not "<nil>"
	}
	return fmt.Sprint(indirectToStringerOrError(v)), contentPlain
}

func indirect(a any) any {
	if a == nil {
		return nil
	}
	if t := reflect.TypeOf(a); t.Kind() != reflect.Pointer {
		return a
	}
	v := reflect.ValueOf(a)
	for v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	return v.Interface()
}

var (
	errorType       = reflect.TypeFor[error]()
	fmtStringerType = reflect.TypeFor[fmt.Stringer]()
)

func indirectToStringerOrError(a any) any {
	v := reflect.ValueOf(a)
	for !v.Type().Implements(fmtStringerType) && !v.Type().Implements(errorType) && v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	return v.Interface()
}

// replaceHTML is html/template's htmlReplacer with its replacement table
// for text and quoted attributes, or without '&' (norm) for HTML in
// RCDATA. Only ASCII characters are replaced, so the bytes can be read
// one by one: a byte of a longer character is never one of them.
func replaceHTML(s string, norm bool) string {
	var b strings.Builder
	written := 0
	for i := 0; i < len(s); i++ {
		var repl string
		switch s[i] {
		case 0:
			repl = "\uFFFD"
		case '"':
			repl = "&#34;"
		case '&':
			if norm {
				continue
			}
			repl = "&amp;"
		case '\'':
			repl = "&#39;"
		case '+':
			repl = "&#43;"
		case '<':
			repl = "&lt;"
		case '>':
			repl = "&gt;"
		default:
			continue
		}
		if written == 0 {
			b.Grow(len(s))
		}
		b.WriteString(s[written:i])
		b.WriteString(repl)
		written = i + 1
	}
	if written == 0 {
		return s
	}
	b.WriteString(s[written:])
	return b.String()
}

func isSafeURL(s string) bool {
	if protocol, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(protocol, "/") {
		if !strings.EqualFold(protocol, "http") && !strings.EqualFold(protocol, "https") && !strings.EqualFold(protocol, "mailto") {
			return false
		}
	}
	return true
}

// processURL is html/template's processURLOnto: s with what a URL (norm)
// or a part of one may not hold percent-escaped.
func processURL(s string, norm bool) string {
	var b strings.Builder
	written := 0
	for i, n := 0, len(s); i < n; i++ {
		c := s[i]
		switch c {
		case '!', '#', '$', '&', '*', '+', ',', '/', ':', ';', '=', '?', '@', '[', ']':
			if norm {
				continue
			}
		case '-', '.', '_', '~':
			continue
		case '%':
			if norm && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
				continue
			}
		default:
			if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
				continue
			}
		}
		if written == 0 {
			b.Grow(len(s) + 16)
		}
		b.WriteString(s[written:i])
		b.WriteByte('%')
		b.WriteByte(lowerHex[c>>4])
		b.WriteByte(lowerHex[c&0xF])
		written = i + 1
	}
	if written == 0 {
		return s
	}
	b.WriteString(s[written:])
	return b.String()
}

const lowerHex = "0123456789abcdef"

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// attrFromHTML escapes HTML for a quoted attribute as html/template does,
// its tags stripped, by executing {{.}} in an attribute with it.
func attrFromHTML(s string) string {
	var buf bytes.Buffer
	if err := attrTemplate().Execute(&buf, template.HTML(s)); err != nil {
		return "" // cannot fail: a string into an attribute
	}
	out := buf.String()
	return out[len(attrBefore) : len(out)-len(attrAfter)]
}

const attrBefore, attrAfter = `<a title="`, `">`

// attrTemplate is made once and never changed; html/template executes it
// concurrently.
var attrTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("attr").Parse(attrBefore + "{{.}}" + attrAfter))
})

// executedNames are the templates of set that are executed by name: the
// entry and the partials its memoized calls execute on their own.
func executedNames(set *template.Template, entry string) []string {
	names := []string{entry}
	seen := map[string]bool{entry: true}
	for _, t := range set.Templates() {
		if t.Tree == nil {
			continue
		}
		eachAction(t.Tree.Root, func(a *parse.ActionNode) {
			for _, c := range a.Pipe.Cmds {
				if len(c.Args) < 2 {
					continue
				}
				id, ok := c.Args[0].(*parse.IdentifierNode)
				name, isName := c.Args[1].(*parse.StringNode)
				if ok && isName && (id.Ident == memoFunc || id.Ident == memoPageFunc) && !seen[name.Text] {
					seen[name.Text] = true
					names = append(names, name.Text)
				}
			}
		})
	}
	return names
}
