package theme

import (
	"bytes"
	"html/template"
	"reflect"
	"strconv"
	"strings"
	"text/template/parse"

	"github.com/dangwu-org/dangwu/generator/site"
)

// A list entry (a page's title, date and summary in a column's list, a
// tag's list, a branch's posts) is the same on every list that shows the
// page: a page with three tags is in five lists. A partial that is given
// one page and reads nothing but that page is executed once per page in a
// build, and its HTML copied into the other lists (issue 14). What a
// partial reads comes from the reach analysis, followed from a *site.Page.

// memoPageFunc is the template function such a partial call becomes.
const memoPageFunc = "dangwu_memo_page"

// pageMemoKey names a partial executed with a page.
type pageMemoKey struct {
	name string
	page *site.Page
}

var sitePageType = reflect.TypeOf(site.Page{})

// pageOnly reports whether the partial, executed with a page as dot,
// reads only that page (and what the page points to): everything the
// analysis could follow, and nothing of the PageData, which it cannot
// reach.
//
// A partial written for the PageData (reading .Page.Title, .Site) is not
// one: it names fields that site.Page does not have. Its calls stay as
// they are, executed inline.
func pageOnly(set *template.Template, name string, funcs template.FuncMap) bool {
	r := analyzeFrom(set, name, funcs, sitePageType)
	if r.missing {
		return false
	}
	for _, a := range r.Accesses {
		if strings.HasPrefix(a.Path, Unknown) {
			return false
		}
	}
	return true
}

// memoizePages replaces, in every template of set, the calls that pass
// dot to a partial that reads only a page by calls of memoPageFunc, which
// executes the partial once per page when dot is a page and the layout's
// data carries a memo. The set must not have been executed yet; its reach
// has been analysed.
func memoizePages(set *template.Template, funcs template.FuncMap) error {
	plans := map[string]bool{}
	type callSite struct {
		list *parse.ListNode
		i    int
		name string
	}
	var calls []callSite
	for _, t := range set.Templates() {
		if t.Tree == nil {
			continue
		}
		var before strings.Builder
		var walk func(l *parse.ListNode)
		walk = func(l *parse.ListNode) {
			if l == nil {
				return
			}
			for i, n := range l.Nodes {
				switch n := n.(type) {
				case *parse.TextNode:
					before.Write(n.Text)
				case *parse.IfNode:
					walk(n.List)
					walk(n.ElseList)
				case *parse.WithNode:
					walk(n.List)
					walk(n.ElseList)
				case *parse.RangeNode:
					walk(n.List)
					walk(n.ElseList)
				case *parse.TemplateNode:
					if !replaceable(set, n, before.String()) {
						continue
					}
					ok, seen := plans[n.Name]
					if !seen {
						ok = pageOnly(set, n.Name, funcs)
						plans[n.Name] = ok
					}
					if ok {
						calls = append(calls, callSite{list: l, i: i, name: n.Name})
					}
				}
			}
		}
		walk(t.Tree.Root)
	}
	if len(calls) == 0 {
		return nil
	}
	for _, c := range calls {
		call, err := memoPageCall(c.list.Nodes[c.i].(*parse.TemplateNode))
		if err != nil {
			return err
		}
		c.list.Nodes[c.i] = call
	}
	set.Funcs(template.FuncMap{memoPageFunc: func(name string, dot, root any) (template.HTML, error) {
		p, isPage := dot.(*site.Page)
		d, isData := root.(*PageData)
		if !isPage || p == nil || !isData || d.memo == nil {
			return executeHTML(set, name, dot)
		}
		key := pageMemoKey{name: name, page: p}
		d.memo.mu.Lock()
		html, ok := d.memo.pages[key]
		d.memo.mu.Unlock()
		if ok {
			return html, nil
		}
		html, err := executeHTML(set, name, dot)
		if err != nil {
			return "", err
		}
		d.memo.mu.Lock()
		d.memo.pages[key] = html
		d.memo.mu.Unlock()
		return html, nil
	}})
	return nil
}

// executeHTML executes the partial on its own: escaped by html/template
// as it is between elements, where memoizePages replaced its call.
func executeHTML(set *template.Template, name string, dot any) (template.HTML, error) {
	var buf bytes.Buffer
	if err := set.ExecuteTemplate(&buf, name, dot); err != nil {
		return "", err
	}
	return template.HTML(buf.String()), nil
}

// memoPageCall is the action {{memoPageFunc "name" . $}} standing where the
// {{template "name" .}} call n was.
func memoPageCall(n *parse.TemplateNode) (parse.Node, error) {
	text := "{{" + memoPageFunc + " " + strconv.Quote(n.Name) + " . $}}"
	trees, err := parse.Parse("memo", text, "{{", "}}", map[string]any{memoPageFunc: true})
	if err != nil {
		return nil, err
	}
	a := trees["memo"].Root.Nodes[0].(*parse.ActionNode)
	a.Pos, a.Line = n.Pos, n.Line
	return a, nil
}
