package theme

import (
	"html/template"
	"reflect"
	"sort"
	"strings"
	"text/template/parse"
	"time"
)

// Access is one thing a layout may read of its PageData: a path of fields,
// methods and elements from the data, such as "Page.Prev.Title",
// "Site.Column().Pages[].Summary" or "Now". A method step ends in "()" and
// stands for whatever the method reads of its receiver; "[]" is every
// element of a list or map. A path starting with "?" is a value the analysis
// could not follow back to the data.
type Access struct {
	Path string
	// Deep is set when the value is used whole: printed, compared, or
	// passed to a function or method, which may read all of it.
	Deep bool
	// Func names the function the value was passed to, when Deep.
	Func string
}

// Reach is what executing one layout can read, found by following the
// static types of its templates from PageData. It over-approximates: every
// branch is taken, every element of a list is read.
type Reach struct {
	// Accesses are sorted and unique.
	Accesses []Access
	// Files are the layout files the layout executes (itself, baseof.html,
	// the partials it calls), sorted.
	Files []string
	// Digest identifies the text of Files and the folders they came from:
	// it changes when an edit changes what the layout renders.
	Digest uint64
	// missing is set when the templates name a field that the type of
	// the value they read it from does not have.
	missing bool
}

// Unknown is the first segment of a path the analysis could not follow.
const Unknown = "?"

// derived marks a value computed by a function from what it was given: it
// reads no more of the data.
const derived = "-"

// aval is an abstract value: a static type (nil when unknown) and the path
// from PageData it was read at.
type aval struct {
	t    reflect.Type
	path string
}

type reachWalker struct {
	set   *template.Template
	funcs map[string]reflect.Type
	acc   map[Access]bool
	files map[string]bool
	// vars holds the values of each declared variable, keyed by its
	// declaration, across passes, so a later assignment reaches earlier uses.
	vars map[*parse.VariableNode]*[]aval
	// calls guards against walking a template twice with the same dot in
	// one pass, and against recursion.
	calls map[string]bool
	grew  bool
	// missing is set when a template names a field its value's struct
	// type does not have.
	missing bool
}

type scope struct {
	names []string
	vals  []*[]aval
}

func (s *scope) lookup(name string) *[]aval {
	for i := len(s.names) - 1; i >= 0; i-- {
		if s.names[i] == name {
			return s.vals[i]
		}
	}
	return nil
}

var pageDataType = reflect.TypeOf(PageData{})

// analyze follows the layout's templates from its entry with PageData as
// dot, repeating until no pass finds anything new.
func analyze(set *template.Template, entry string, funcs template.FuncMap) Reach {
	return analyzeFrom(set, entry, funcs, pageDataType)
}

// analyzeFrom is analyze with a value of type root as dot.
func analyzeFrom(set *template.Template, entry string, funcs template.FuncMap, root reflect.Type) Reach {
	w := &reachWalker{
		set: set, funcs: map[string]reflect.Type{},
		acc: map[Access]bool{}, files: map[string]bool{},
		vars: map[*parse.VariableNode]*[]aval{},
	}
	for name, fn := range funcs {
		w.funcs[name] = reflect.TypeOf(fn)
	}
	dot := []aval{{t: root, path: ""}}
	for pass := 0; pass < 8; pass++ {
		w.grew = false
		w.calls = map[string]bool{}
		w.template(entry, dot)
		if !w.grew {
			break
		}
	}
	r := Reach{missing: w.missing}
	for a := range w.acc {
		r.Accesses = append(r.Accesses, a)
	}
	sort.Slice(r.Accesses, func(i, j int) bool {
		a, b := r.Accesses[i], r.Accesses[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Deep != b.Deep {
			return !a.Deep
		}
		return a.Func < b.Func
	})
	for f := range w.files {
		r.Files = append(r.Files, f)
	}
	sort.Strings(r.Files)
	return r
}

func (w *reachWalker) record(a Access) {
	if a.Path == derived || strings.HasPrefix(a.Path, derived+".") {
		return
	}
	if !w.acc[a] {
		w.acc[a] = true
		w.grew = true
	}
}

func (w *reachWalker) template(name string, dot []aval) {
	key := name + "\x00" + signature(dot)
	if w.calls[key] {
		return
	}
	w.calls[key] = true
	t := w.set.Lookup(name)
	if t == nil || t.Tree == nil {
		return
	}
	w.files[t.Tree.ParseName] = true
	sc := &scope{names: []string{"$"}, vals: []*[]aval{&dot}}
	w.list(t.Tree.Root, dot, sc)
}

func signature(vals []aval) string {
	parts := make([]string, len(vals))
	for i, v := range vals {
		ts := "nil"
		if v.t != nil {
			ts = v.t.String()
		}
		parts[i] = ts + " " + v.path
	}
	sort.Strings(parts)
	return strings.Join(parts, "|")
}

func (w *reachWalker) list(l *parse.ListNode, dot []aval, sc *scope) {
	if l == nil {
		return
	}
	for _, n := range l.Nodes {
		w.node(n, dot, sc)
	}
}

func (w *reachWalker) node(n parse.Node, dot []aval, sc *scope) {
	switch n := n.(type) {
	case *parse.ActionNode:
		vals := w.pipe(n.Pipe, dot, sc)
		if len(n.Pipe.Decl) == 0 {
			w.deep(vals, "print")
		}
	case *parse.IfNode:
		mark := len(sc.names)
		w.pipe(n.Pipe, dot, sc)
		w.list(n.List, dot, sc)
		w.list(n.ElseList, dot, sc)
		sc.truncate(mark)
	case *parse.WithNode:
		mark := len(sc.names)
		vals := w.pipe(n.Pipe, dot, sc)
		w.list(n.List, vals, sc)
		w.list(n.ElseList, dot, sc)
		sc.truncate(mark)
	case *parse.RangeNode:
		w.rangeNode(n, dot, sc)
	case *parse.TemplateNode:
		var vals []aval
		if n.Pipe != nil {
			vals = w.pipe(n.Pipe, dot, sc)
		}
		w.template(n.Name, vals)
	case *parse.ListNode:
		w.list(n, dot, sc)
	}
}

func (s *scope) truncate(n int) {
	s.names, s.vals = s.names[:n], s.vals[:n]
}

func (w *reachWalker) rangeNode(n *parse.RangeNode, dot []aval, sc *scope) {
	mark := len(sc.names)
	// The pipeline's own declarations are the loop variables, bound below.
	decl := n.Pipe.Decl
	vals := w.eval(n.Pipe, dot, sc)
	var elems, keys []aval
	for _, v := range vals {
		w.record(Access{Path: v.path})
		elems = append(elems, elem(v))
		keys = append(keys, aval{t: keyType(v.t), path: derived})
	}
	switch len(decl) {
	case 1:
		w.bind(sc, decl[0], elems, false)
	case 2:
		w.bind(sc, decl[0], keys, false)
		w.bind(sc, decl[1], elems, false)
	}
	w.list(n.List, elems, sc)
	sc.truncate(mark)
	w.list(n.ElseList, dot, sc)
}

func elem(v aval) aval {
	p := join(v.path, "[]")
	t := deref(v.t)
	if t == nil {
		return aval{path: p}
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map, reflect.Chan:
		return aval{t: t.Elem(), path: p}
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Uint, reflect.Uint64:
		return aval{t: t, path: derived}
	}
	return aval{path: p}
}

func keyType(t reflect.Type) reflect.Type {
	t = deref(t)
	if t != nil && t.Kind() == reflect.Map {
		return t.Key()
	}
	return reflect.TypeOf(0)
}

// bind declares (or, for an assignment, adds to) a variable.
func (w *reachWalker) bind(sc *scope, v *parse.VariableNode, vals []aval, assign bool) {
	name := v.Ident[0]
	var set *[]aval
	if assign {
		set = sc.lookup(name)
	}
	if set == nil {
		set = w.vars[v]
		if set == nil {
			set = new([]aval)
			w.vars[v] = set
		}
		if !assign {
			sc.names = append(sc.names, name)
			sc.vals = append(sc.vals, set)
		}
	}
	for _, x := range vals {
		if !containsVal(*set, x) {
			*set = append(*set, x)
			w.grew = true
		}
	}
}

func containsVal(vals []aval, v aval) bool {
	for _, x := range vals {
		if x == v {
			return true
		}
	}
	return false
}

// pipe evaluates a pipeline and binds the variables it declares.
func (w *reachWalker) pipe(p *parse.PipeNode, dot []aval, sc *scope) []aval {
	final := w.eval(p, dot, sc)
	if p != nil {
		for _, v := range p.Decl {
			w.bind(sc, v, final, p.IsAssign)
		}
	}
	return final
}

// eval evaluates a pipeline's commands.
func (w *reachWalker) eval(p *parse.PipeNode, dot []aval, sc *scope) []aval {
	if p == nil {
		return nil
	}
	var final []aval
	for i, c := range p.Cmds {
		var piped []aval
		if i > 0 {
			piped = final
		}
		final = w.command(c, dot, sc, piped, i > 0)
	}
	return final
}

// command evaluates one command of a pipeline; piped is the previous
// command's value, passed as the last argument.
func (w *reachWalker) command(c *parse.CommandNode, dot []aval, sc *scope, piped []aval, hasPiped bool) []aval {
	if len(c.Args) == 0 {
		return nil
	}
	args := c.Args[1:]
	isCall := len(args) > 0 || hasPiped
	switch n := c.Args[0].(type) {
	case *parse.IdentifierNode:
		return w.call(n.Ident, args, dot, sc, piped, hasPiped)
	case *parse.FieldNode:
		return w.steps(dot, n.Ident, isCall, args, dot, sc, piped)
	case *parse.VariableNode:
		base := w.variable(n.Ident[0], sc)
		if len(n.Ident) == 1 {
			return base
		}
		return w.steps(base, n.Ident[1:], isCall, args, dot, sc, piped)
	case *parse.ChainNode:
		base := w.arg(n.Node, dot, sc)
		return w.steps(base, n.Field, isCall, args, dot, sc, piped)
	case *parse.PipeNode:
		mark := len(sc.names)
		vals := w.pipe(n, dot, sc)
		sc.truncate(mark)
		return vals
	case *parse.DotNode:
		return dot
	}
	return []aval{{path: derived}}
}

func (w *reachWalker) variable(name string, sc *scope) []aval {
	if set := sc.lookup(name); set != nil {
		return *set
	}
	return []aval{{path: Unknown}}
}

// arg evaluates a node used as an argument.
func (w *reachWalker) arg(n parse.Node, dot []aval, sc *scope) []aval {
	switch n := n.(type) {
	case *parse.FieldNode:
		return w.steps(dot, n.Ident, false, nil, dot, sc, nil)
	case *parse.VariableNode:
		base := w.variable(n.Ident[0], sc)
		if len(n.Ident) == 1 {
			return base
		}
		return w.steps(base, n.Ident[1:], false, nil, dot, sc, nil)
	case *parse.ChainNode:
		return w.steps(w.arg(n.Node, dot, sc), n.Field, false, nil, dot, sc, nil)
	case *parse.PipeNode:
		mark := len(sc.names)
		vals := w.pipe(n, dot, sc)
		sc.truncate(mark)
		return vals
	case *parse.DotNode:
		return dot
	case *parse.IdentifierNode:
		return w.call(n.Ident, nil, dot, sc, nil, false)
	}
	return []aval{{path: derived}}
}

// steps follows field and method names from each base value. When call is
// set, the last name is a method given args (and the piped value).
func (w *reachWalker) steps(bases []aval, names []string, call bool, args []parse.Node, dot []aval, sc *scope, piped []aval) []aval {
	if call {
		for _, a := range args {
			w.deep(w.arg(a, dot, sc), names[len(names)-1])
		}
		w.deep(piped, names[len(names)-1])
	}
	var out []aval
	for _, b := range bases {
		v := b
		for _, name := range names {
			v = w.step(v, name)
		}
		out = append(out, v)
	}
	return out
}

// step reads one field, method or map key of v.
func (w *reachWalker) step(v aval, name string) aval {
	if v.path == derived {
		return aval{t: resultType(v.t, name), path: derived}
	}
	if v.t == nil {
		p := join(v.path, name)
		w.record(Access{Path: p})
		return aval{path: p}
	}
	if m, ok := method(v.t, name); ok {
		p := join(v.path, name+"()")
		w.record(Access{Path: p, Deep: true})
		if m.Type.NumOut() == 0 {
			return aval{path: derived}
		}
		return aval{t: m.Type.Out(0), path: p}
	}
	t := deref(v.t)
	switch t.Kind() {
	case reflect.Struct:
		f, ok := t.FieldByName(name)
		if !ok || !f.IsExported() {
			w.missing = true
			return aval{path: derived}
		}
		p := join(v.path, name)
		w.record(Access{Path: p})
		return aval{t: f.Type, path: p}
	case reflect.Map:
		p := join(v.path, "[]")
		w.record(Access{Path: p})
		return aval{t: t.Elem(), path: p}
	}
	p := join(v.path, name)
	w.record(Access{Path: p})
	return aval{path: p}
}

func method(t reflect.Type, name string) (reflect.Method, bool) {
	if m, ok := t.MethodByName(name); ok {
		return m, true
	}
	if t.Kind() != reflect.Pointer && t.Kind() != reflect.Interface {
		return reflect.PointerTo(t).MethodByName(name)
	}
	return reflect.Method{}, false
}

func resultType(t reflect.Type, name string) reflect.Type {
	if t == nil {
		return nil
	}
	if m, ok := method(t, name); ok && m.Type.NumOut() > 0 {
		return m.Type.Out(0)
	}
	if d := deref(t); d.Kind() == reflect.Struct {
		if f, ok := d.FieldByName(name); ok {
			return f.Type
		}
	}
	return nil
}

func deref(t reflect.Type) reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	if name == "[]" {
		return path + name
	}
	return path + "." + name
}

// deep records that each value is read whole by fn.
func (w *reachWalker) deep(vals []aval, fn string) {
	for _, v := range vals {
		w.record(Access{Path: v.path, Deep: true, Func: fn})
	}
}

// call evaluates a function: the builtins by what they do, the theme's
// functions by their signature.
func (w *reachWalker) call(fn string, args []parse.Node, dot []aval, sc *scope, piped []aval, hasPiped bool) []aval {
	var vals [][]aval
	for _, a := range args {
		vals = append(vals, w.arg(a, dot, sc))
	}
	if hasPiped {
		vals = append(vals, piped)
	}
	switch fn {
	case "and", "or":
		var out []aval
		for _, v := range vals {
			out = append(out, v...)
		}
		return out
	case "not":
		return []aval{{t: reflect.TypeOf(true), path: derived}}
	case "len":
		return []aval{{t: reflect.TypeOf(0), path: derived}}
	case "index":
		if len(vals) == 0 {
			return nil
		}
		for _, k := range vals[1:] {
			w.deep(k, fn)
		}
		var out []aval
		for _, v := range vals[0] {
			e := elem(v)
			w.record(Access{Path: e.path})
			out = append(out, e)
		}
		return out
	case "slice":
		if len(vals) == 0 {
			return nil
		}
		for _, k := range vals[1:] {
			w.deep(k, fn)
		}
		return vals[0]
	case "first":
		// first n list: a prefix of its last argument.
		if len(vals) == 2 {
			w.deep(vals[0], fn)
			return vals[1]
		}
	}
	for _, v := range vals {
		w.deep(v, fn)
	}
	ft, ok := w.funcs[fn]
	if !ok || ft.Kind() != reflect.Func || ft.NumOut() == 0 {
		return []aval{{t: reflect.TypeOf(""), path: derived}}
	}
	out := ft.Out(0)
	if plain(out) {
		return []aval{{t: out, path: derived}}
	}
	return []aval{{t: out, path: Unknown}}
}

var (
	timeType = reflect.TypeOf(time.Time{})
	htmlType = reflect.TypeOf(template.HTML(""))
)

// plain reports whether values of t hold no references into the site.
func plain(t reflect.Type) bool {
	if t == timeType || t == htmlType {
		return true
	}
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64, reflect.String:
		return true
	}
	return false
}
