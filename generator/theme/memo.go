package theme

import (
	"bytes"
	"html/template"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/template/parse"
)

// A site's header, menu, footer and breadcrumbs are the same on thousands
// of pages, or differ only by the column or the kind of page. Executing
// them once per distinct value of what they read, and copying the result
// into every other page, saves much of a large build's template time
// (issue 14). Which partials qualify, and what they read, comes from the
// same reach analysis that keys incremental builds, so the output is the
// same bytes as executing them every time.

// memoFunc is the template function a memoized partial call becomes.
const memoFunc = "dangwu_memo_partial"

// Memo holds the partials rendered during one build (one renderer): the
// site, the statuses and the time are the same for every page it sees.
// Safe for concurrent use.
type Memo struct {
	mu   sync.Mutex
	done map[string]template.HTML
	// pages holds the partials executed with one page (see memoizePages).
	pages map[pageMemoKey]template.HTML
}

// NewMemo returns an empty memo.
func NewMemo() *Memo {
	return &Memo{done: map[string]template.HTML{}, pages: map[pageMemoKey]template.HTML{}}
}

// Attach makes layouts executed with d use the memo. Without one, memoized
// partials are executed every time.
func (m *Memo) Attach(d *PageData) { d.memo = m }

// memoFields are the fields of PageData a memoized partial may read, and
// how each goes into the memo's key. The site, the statuses, the time and
// the API's URL are the same for the whole build and need no key; a field
// not listed (the page, its list, its pager, …) makes a partial execute
// every time.
var memoFields = map[string]func(d *PageData, b *strings.Builder){
	"Site": nil, "Snapshot": nil, "Now": nil, "APIURL": nil,
	"Kind":   func(d *PageData, b *strings.Builder) { b.WriteString(d.Kind) },
	"Title":  func(d *PageData, b *strings.Builder) { b.WriteString(d.Title) },
	"Path":   func(d *PageData, b *strings.Builder) { b.WriteString(d.Path) },
	"Target": func(d *PageData, b *strings.Builder) { b.WriteString(d.Target) },
	"Year":   func(d *PageData, b *strings.Builder) { b.WriteString(strconv.Itoa(d.Year)) },
	"Column": func(d *PageData, b *strings.Builder) {
		if d.Column != nil {
			b.WriteString(d.Column.Name)
		}
	},
	"Menu": func(d *PageData, b *strings.Builder) {
		for _, m := range d.Menu {
			b.WriteString(m.Title)
			b.WriteByte(1)
			b.WriteString(m.URL)
			if m.Active {
				b.WriteString("\x01true\x02")
			} else {
				b.WriteString("\x01false\x02")
			}
		}
	},
	"Crumbs": func(d *PageData, b *strings.Builder) {
		for _, c := range d.Crumbs {
			b.WriteString(c.Title)
			b.WriteByte(1)
			b.WriteString(c.URL)
			b.WriteByte(2)
		}
	},
}

// compared are the string fields of PageData whose key can be which of a
// few constants they equal, when a partial only ever compares them with
// constants: a footer that marks its link to "status/" as the current page
// is then one of two versions, not one per page.
var compared = map[string]func(d *PageData) string{
	"Kind": func(d *PageData) string { return d.Kind },
	"Path": func(d *PageData) string { return d.Path },
}

// memoKeys returns the key writers for the partial t, whose reach is r,
// when it reads only memoFields, or ok false.
func memoKeys(t *parse.Tree, r Reach) (keys []func(*PageData, *strings.Builder), ok bool) {
	seen := map[string]bool{}
	for _, a := range r.Accesses {
		root, _, _ := strings.Cut(a.Path, ".")
		if strings.HasSuffix(root, "()") {
			return nil, false // a method of PageData: reads what it likes
		}
		root = strings.TrimSuffix(root, "[]")
		key, listed := memoFields[root]
		if !listed {
			return nil, false // also the dot passed whole (""), and the unknown ("?")
		}
		if key == nil || seen[root] {
			continue
		}
		seen[root] = true
		if value, ok := compared[root]; ok {
			if consts, ok := comparedOnly(t, root); ok {
				key = func(d *PageData, b *strings.Builder) {
					b.WriteString(strconv.Itoa(slices.Index(consts, value(d))))
				}
			}
		}
		keys = append(keys, key)
	}
	return keys, true
}

// comparedOnly reports whether every use of the PageData's field in t is
// an argument of eq with string constants, and returns the constants.
func comparedOnly(t *parse.Tree, field string) (consts []string, ok bool) {
	ok = true
	isField := func(n parse.Node, root bool) bool {
		switch n := n.(type) {
		case *parse.FieldNode:
			return root && len(n.Ident) > 0 && n.Ident[0] == field
		case *parse.VariableNode:
			return len(n.Ident) > 1 && n.Ident[0] == "$" && n.Ident[1] == field
		case *parse.ChainNode:
			return true // (…).Field: not followed; refuse
		}
		return false
	}
	var pipe func(p *parse.PipeNode, root bool)
	var list func(l *parse.ListNode, root bool)
	pipe = func(p *parse.PipeNode, root bool) {
		if p == nil {
			return
		}
		for _, c := range p.Cmds {
			eq := len(c.Args) > 0 && c.Args[0].String() == "eq"
			var strs []string
			uses, other := false, false
			for _, a := range c.Args[min(1, len(c.Args)):] {
				switch a := a.(type) {
				case *parse.StringNode:
					strs = append(strs, a.Text)
				case *parse.PipeNode:
					pipe(a, root)
					other = true
				default:
					if isField(a, root) {
						uses = true
					} else {
						other = true
					}
				}
			}
			if len(c.Args) > 0 && isField(c.Args[0], root) {
				uses, eq = true, false
			}
			if uses && (!eq || other) {
				ok = false
			}
			if uses {
				consts = append(consts, strs...)
			}
		}
	}
	list = func(l *parse.ListNode, root bool) {
		if l == nil {
			return
		}
		for _, n := range l.Nodes {
			switch n := n.(type) {
			case *parse.ActionNode:
				pipe(n.Pipe, root)
			case *parse.IfNode:
				pipe(n.Pipe, root)
				list(n.List, root)
				list(n.ElseList, root)
			case *parse.WithNode, *parse.RangeNode: // they move dot in their body
				b := branchOf(n)
				pipe(b.Pipe, root)
				list(b.List, false)
				list(b.ElseList, root)
			case *parse.TemplateNode:
				if n.Pipe != nil {
					ok = false // passes values on: not followed
				}
			}
		}
	}
	list(t.Root, true)
	return consts, ok
}

// memoize replaces the calls of baseof.html that pass a partial the whole
// PageData, where the partial reads only memoFields, by calls of memoFunc.
// The set must not have been executed yet; its reach has been analysed.
func memoize(set *template.Template, funcs template.FuncMap) error {
	base := set.Lookup("baseof.html")
	if base == nil || base.Tree == nil {
		return nil
	}
	plans := map[string][]func(*PageData, *strings.Builder){}
	var before strings.Builder // the text so far, for the context of a call
	var walk func(l *parse.ListNode) error
	walk = func(l *parse.ListNode) error {
		if l == nil {
			return nil
		}
		for i, n := range l.Nodes {
			switch n := n.(type) {
			case *parse.TextNode:
				before.Write(n.Text)
			case *parse.IfNode: // dot stays the PageData
				if err := walk(n.List); err != nil {
					return err
				}
				if err := walk(n.ElseList); err != nil {
					return err
				}
			case *parse.TemplateNode:
				if !replaceable(set, n, before.String()) {
					continue
				}
				keys, ok := plans[n.Name]
				if !ok {
					if keys, ok = memoKeys(set.Lookup(n.Name).Tree, analyze(set, n.Name, funcs)); !ok {
						continue
					}
					plans[n.Name] = keys
				}
				call, err := memoCall(n)
				if err != nil {
					return err
				}
				l.Nodes[i] = call
			}
		}
		return nil
	}
	if err := walk(base.Tree.Root); err != nil {
		return err
	}
	if len(plans) == 0 {
		return nil
	}
	set.Funcs(template.FuncMap{memoFunc: func(name string, d *PageData) (template.HTML, error) {
		var key strings.Builder
		if d.memo != nil {
			key.Grow(256)
			key.WriteString(name)
			for _, k := range plans[name] {
				key.WriteByte(0)
				k(d, &key)
			}
			d.memo.mu.Lock()
			html, ok := d.memo.done[key.String()]
			d.memo.mu.Unlock()
			if ok {
				return html, nil
			}
		}
		var buf bytes.Buffer
		if err := set.ExecuteTemplate(&buf, name, d); err != nil {
			return "", err
		}
		html := template.HTML(buf.String()) // escaped by html/template, in the same context as the call
		if d.memo != nil {
			d.memo.mu.Lock()
			d.memo.done[key.String()] = html
			d.memo.mu.Unlock()
		}
		return html, nil
	}})
	return nil
}

// replaceable reports whether the call n, after the text before, passes
// dot to a partial of set where its output can stand for the call.
func replaceable(set *template.Template, n *parse.TemplateNode, before string) bool {
	return strings.HasPrefix(n.Name, "_partials/") && passesDot(n.Pipe) && set.Lookup(n.Name) != nil && betweenElements(before)
}

// betweenElements reports whether text ends between HTML elements, where
// html/template escapes a partial the same whether it is called there or
// executed on its own: after a tag's ">", outside <script>, <style>,
// <title> and <textarea>, and outside comments.
func betweenElements(text string) bool {
	t := strings.ToLower(strings.TrimRight(text, " \t\r\n"))
	if t != "" && !strings.HasSuffix(t, ">") {
		return false
	}
	if strings.LastIndex(t, "<!--") > strings.LastIndex(t, "-->") {
		return false
	}
	for _, el := range []string{"script", "style", "title", "textarea"} {
		if strings.LastIndex(t, "<"+el) > strings.LastIndex(t, "</"+el) {
			return false
		}
	}
	return true
}

func branchOf(n parse.Node) *parse.BranchNode {
	if w, ok := n.(*parse.WithNode); ok {
		return &w.BranchNode
	}
	return &n.(*parse.RangeNode).BranchNode
}

// passesDot reports whether a {{template}} call's argument is exactly dot.
func passesDot(p *parse.PipeNode) bool {
	if p == nil || len(p.Decl) > 0 || len(p.Cmds) != 1 || len(p.Cmds[0].Args) != 1 {
		return false
	}
	_, ok := p.Cmds[0].Args[0].(*parse.DotNode)
	return ok
}

// memoCall is the action {{memoFunc "name" .}} standing where the
// {{template "name" .}} call n was.
func memoCall(n *parse.TemplateNode) (parse.Node, error) {
	trees, err := parse.Parse("memo", "{{"+memoFunc+" "+strconv.Quote(n.Name)+" .}}", "{{", "}}", map[string]any{memoFunc: true}) // only named, not called
	if err != nil {
		return nil, err
	}
	a := trees["memo"].Root.Nodes[0].(*parse.ActionNode)
	a.Pos, a.Line = n.Pos, n.Line
	return a, nil
}
