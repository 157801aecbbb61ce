package content

import (
	"fmt"
	"math/rand/v2"
	"path"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dangwu-org/dangwu/generator/site"
)

// TestCacheRandomEdits makes random sequences of changes to a content tree
// (pages, sections, columns, branches and tasks added, removed, edited and
// renamed; dates, weights, titles and tags changed; pages broken and
// fixed) and checks after each that a load through the cache, which
// assembles the site again from the pages it holds, gives the site, the
// problems and the warnings a fresh load of the same files gives (issue
// 14 item 4: a new page without assembling the site from scratch).
func TestCacheRandomEdits(t *testing.T) {
	cfg := site.DefaultConfig()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	for seed := uint64(1); seed <= 6; seed++ {
		r := rand.New(rand.NewPCG(seed, 14))
		e := &treeEditor{r: r, fsys: fstest.MapFS{}}
		e.put("news/_index.md", "---\ntitle: 要闻\nweight: 1\n---\n")
		e.put("rules/_index.md", "---\ntitle: 制度\nrequire: [文号]\n---\n")
		e.put("branches/_index.md", "---\ntitle: 支部\n---\n")
		e.put("branches/yi/_index.md", "---\ntitle: 第一支部\n---\n")
		e.put("tasks/_index.md", "---\ntitle: 任务\n---\n")
		e.put("news/2025/_index.md", "---\ntitle: 2025\n---\n")
		for range 12 {
			e.addPage()
		}
		cache := NewCache()
		for step := 0; step < 120; step++ {
			what := "first load"
			var forget []string
			if step > 0 {
				what, forget = e.change()
			}
			cache.Forget(forget...)
			var wantWarn, gotWarn []string
			opts := Options{Now: now, Prefix: "content", Warn: func(m string) { wantWarn = append(wantWarn, m) }}
			want, wantErr := Load(e.fsys, cfg, opts)
			opts.Cache = cache
			opts.Warn = func(m string) { gotWarn = append(gotWarn, m) }
			got, gotErr := Load(e.fsys, cfg, opts)
			if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
				t.Fatalf("seed %d step %d (%s): error\n%v\nwant\n%v", seed, step, what, gotErr, wantErr)
			}
			if !slices.Equal(gotWarn, wantWarn) {
				t.Fatalf("seed %d step %d (%s): warnings\n%q\nwant\n%q", seed, step, what, gotWarn, wantWarn)
			}
			if got != nil {
				for _, p := range got.All {
					p.Digest = 0 // a load without a cache has none
				}
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("seed %d step %d (%s): the cached load differs from a fresh one:\n%s", seed, step, what, siteDiff(got, want))
			}
		}
	}
}

// siteDiff names what differs between two sites, for a failure message.
func siteDiff(a, b *site.Site) string {
	if a == nil || b == nil {
		return fmt.Sprintf("%v / %v", a, b)
	}
	var out []string
	av, bv := reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem()
	for i := 0; i < av.NumField(); i++ {
		if !reflect.DeepEqual(av.Field(i).Interface(), bv.Field(i).Interface()) {
			out = append(out, av.Type().Field(i).Name)
		}
	}
	var pages []string
	for _, p := range a.Pages {
		pages = append(pages, p.Source)
	}
	var want []string
	for _, p := range b.Pages {
		want = append(want, p.Source)
	}
	return "fields " + strings.Join(out, ", ") + "\npages " + strings.Join(pages, " ") + "\nwant  " + strings.Join(want, " ")
}

// treeEditor changes a content tree at random.
type treeEditor struct {
	r    *rand.Rand
	fsys fstest.MapFS
	n    int
}

func (e *treeEditor) put(name, text string) { e.fsys[name] = &fstest.MapFile{Data: []byte(text)} }

func (e *treeEditor) pick(match func(string) bool) string {
	var names []string
	for name := range e.fsys {
		if match(name) {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return ""
	}
	slices.Sort(names)
	return names[e.r.IntN(len(names))]
}

func isPage(name string) bool {
	return path.Base(name) != "_index.md" && !strings.HasPrefix(name, "tasks/")
}

func (e *treeEditor) word() string {
	words := []string{"党费", "支部", "考核", "学习", "整改", "三会一课", "主题党日"}
	return words[e.r.IntN(len(words))]
}

// frontMatter is a random page's front matter.
func (e *treeEditor) frontMatter(dir string) string {
	var sb strings.Builder
	sb.WriteString("---\ntitle: " + e.word() + fmt.Sprint(e.r.IntN(4)) + "\n")
	if e.r.IntN(5) > 0 {
		fmt.Fprintf(&sb, "date: 2026-%02d-%02d\n", 1+e.r.IntN(12), 1+e.r.IntN(28))
	}
	if e.r.IntN(4) == 0 {
		fmt.Fprintf(&sb, "weight: %d\n", e.r.IntN(3))
	}
	if e.r.IntN(2) == 0 {
		sb.WriteString("tags: [" + e.word() + ", " + e.word() + "]\n")
	}
	if e.r.IntN(4) == 0 {
		sb.WriteString("categories: [" + e.word() + "]\n")
	}
	if e.r.IntN(10) == 0 {
		sb.WriteString("draft: true\n")
	}
	if e.r.IntN(12) == 0 {
		sb.WriteString("titel: 拼错的键\n")
	}
	if e.r.IntN(10) == 0 {
		sb.WriteString("menu: {main: {weight: " + fmt.Sprint(e.r.IntN(3)) + "}}\n")
	}
	if dir == "rules" && e.r.IntN(10) > 0 {
		sb.WriteString("文号: 〔2026〕" + fmt.Sprint(e.r.IntN(9)) + "号\n")
	}
	if e.r.IntN(40) == 0 {
		sb.WriteString("slug: same\n") // may take another page's URL
	}
	return sb.String() + "---\n"
}

func (e *treeEditor) pageText(dir string) string {
	if e.r.IntN(60) == 0 {
		return "---\ntitle: [坏的\n---\n"
	}
	return e.frontMatter(dir) + "\n" + e.word() + "的正文。\n"
}

func (e *treeEditor) addPage() []string {
	dirs := []string{"news", "news", "rules", "news/2025", "branches/yi", "branches", "guide"}
	if sec := e.pick(func(n string) bool { return strings.Count(n, "/") == 2 && path.Base(n) == "_index.md" }); sec != "" {
		dirs = append(dirs, path.Dir(sec))
	}
	dir := dirs[e.r.IntN(len(dirs))]
	e.n++
	name := fmt.Sprintf("%s/p%d.md", dir, e.n)
	e.put(name, e.pageText(strings.Split(dir, "/")[0]))
	return []string{name}
}

// change makes one random change and returns what it was and the paths it
// touched.
func (e *treeEditor) change() (string, []string) {
	switch e.r.IntN(14) {
	case 0, 1:
		return "add a page", e.addPage()
	case 2:
		if p := e.pick(isPage); p != "" {
			delete(e.fsys, p)
			return "remove a page", []string{p}
		}
	case 3, 4:
		if p := e.pick(isPage); p != "" {
			e.put(p, e.pageText(strings.Split(p, "/")[0]))
			return "edit a page", []string{p}
		}
	case 5:
		if p := e.pick(isPage); p != "" {
			data := e.fsys[p].Data
			e.put(p, string(data)+"\n又一段。\n")
			return "edit a body", []string{p}
		}
	case 6:
		if p := e.pick(isPage); p != "" {
			e.n++
			to := path.Join(path.Dir(p), fmt.Sprintf("r%d.md", e.n))
			e.fsys[to] = e.fsys[p]
			delete(e.fsys, p)
			return "rename a page", []string{p, to}
		}
	case 7:
		e.n++
		name := fmt.Sprintf("news/s%d/_index.md", e.n)
		e.put(name, fmt.Sprintf("---\ntitle: 专题%d\nweight: %d\n---\n", e.n, e.r.IntN(3)))
		return "add a section", []string{path.Dir(name)}
	case 8:
		if s := e.pick(func(n string) bool { return strings.HasPrefix(n, "news/s") && path.Base(n) == "_index.md" }); s != "" {
			dir := path.Dir(s)
			for name := range e.fsys {
				if strings.HasPrefix(name, dir+"/") {
					delete(e.fsys, name)
				}
			}
			return "remove a section", []string{dir}
		}
	case 9:
		e.n++
		name := fmt.Sprintf("tasks/t%d.md", e.n)
		e.put(name, task(fmt.Sprintf("date: 2026-0%d-01", 1+e.r.IntN(9))))
		return "add a task", []string{name}
	case 10:
		if p := e.pick(func(n string) bool { return strings.HasPrefix(n, "tasks/t") }); p != "" {
			delete(e.fsys, p)
			return "remove a task", []string{p}
		}
	case 11:
		c := []string{"news/_index.md", "rules/_index.md", "branches/yi/_index.md"}[e.r.IntN(3)]
		text := fmt.Sprintf("---\ntitle: %s\nweight: %d\n", e.word(), e.r.IntN(3))
		if c == "rules/_index.md" && e.r.IntN(2) == 0 {
			text += "require: [文号]\n"
		}
		e.put(c, text+"---\n")
		return "edit a column", []string{c}
	case 12:
		e.n++
		name := fmt.Sprintf("branches/b%d/_index.md", e.n)
		e.put(name, branch(fmt.Sprintf("第%d支部", e.n)))
		return "add a branch", []string{path.Dir(name)}
	case 13:
		e.n++
		name := fmt.Sprintf("p%d.md", e.n)
		e.put(name, e.pageText(""))
		return "add a root page", []string{name}
	}
	return "nothing", nil
}
