package generator

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/dangwu-org/dangwu/corpus"
	"github.com/dangwu-org/dangwu/generator/live"
	"github.com/dangwu-org/dangwu/generator/site"
)

// TestLiveMatchesFullBuild is the proof of issue 3's incremental rebuilds:
// it applies a deterministic random sequence of edits, creations, renames,
// deletions, theme and configuration changes, broken files and clock jumps
// to a site, updates a Live after each step with the paths a watcher would
// report, and compares every output file with a fresh full build of the
// same files at the same time.
func TestLiveMatchesFullBuild(t *testing.T) {
	tests := []struct {
		name     string
		setup    func(t *testing.T, dir string)
		steps    int
		seed     uint64
		relative bool
	}{
		{"corpus", func(t *testing.T, dir string) {
			if err := corpus.Write(dir, 60, 7); err != nil {
				t.Fatal(err)
			}
		}, 40, 1, false},
		{"testdata/site", func(t *testing.T, dir string) { copyInto(t, "testdata/site", dir) }, 40, 2, true},
		// An organization tree (issue 17): the unit pages of tasks and
		// boards follow every edit too.
		{"tree", func(t *testing.T, dir string) {
			if err := corpus.WriteTree(dir, 60, 7, 120); err != nil {
				t.Fatal(err)
			}
		}, 20, 3, false},
	}
	for _, tt := range tests {
		if testing.Short() {
			tt.steps = 15
		}
		tt.steps = min(tt.steps, raceSteps)
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tmp := t.TempDir()
			src := filepath.Join(tmp, "site")
			tt.setup(t, src)
			themes := filepath.Join(tmp, "themes")
			copyInto(t, filepath.Join("..", "themes"), themes)
			e := &editor{t: t, src: src, themes: themes, r: rand.New(rand.NewPCG(tt.seed, 2026)), now: fixedNow}
			// The watcher reports absolute paths; the site may be given
			// by a relative one, as `dangwu serve` does by default.
			optSrc, optThemes := src, themes
			if tt.relative {
				optSrc, optThemes = relPath(t, src), relPath(t, themes)
			}
			opts := func(dest string) Options {
				return Options{Source: optSrc, Dest: dest, ThemesDir: optThemes, Now: func() time.Time { return e.now }, Workers: 2}
			}
			live := New(opts(filepath.Join(tmp, "live", "public"))).NewLive()
			live.verifyEdits = true
			ctx := context.Background()
			if _, err := live.Update(ctx, nil); err != nil {
				t.Fatalf("first build: %v", err)
			}
			var lastGood map[string][]byte
			for step := 0; step < tt.steps; step++ {
				what, paths := e.step()
				ch, err := live.Update(ctx, nil, paths...)
				want, freshErr := buildInMemory(ctx, New(opts("")), site.Snapshot{})
				got := readTree(t, filepath.Join(tmp, "live", "public"))
				if freshErr != nil {
					if err == nil {
						t.Fatalf("step %d (%s): the live update succeeded, a full build fails: %v", step, what, freshErr)
					}
					if lastGood != nil {
						compareTrees(t, fmt.Sprintf("step %d (%s), failed", step, what), got, lastGood)
					}
					t.Logf("step %2d %-40s fails as it should: %.80s", step, what, strings.ReplaceAll(freshErr.Error(), "\n", "; "))
					e.undoNext = true
					continue
				}
				if err != nil {
					t.Fatalf("step %d (%s): %v", step, what, err)
				}
				compareTrees(t, fmt.Sprintf("step %d (%s)", step, what), got, want)
				if n := countSearchFiles(want); n < 3 {
					t.Fatalf("step %d: the full build has %d files of the search index, not a sharded index to compare", step, n)
				}
				if t.Failed() {
					t.FailNow()
				}
				t.Logf("step %2d %-40s rendered %4d of %4d, wrote %3d, removed %d", step, what, ch.Rendered, ch.Outputs, len(ch.Written), len(ch.Removed))
				lastGood = want
			}
		})
	}
}

// countSearchFiles counts the shards, chunks and manifest of the search index
// among files.
func countSearchFiles(files map[string][]byte) int {
	n := 0
	for rel := range files {
		if strings.HasPrefix(rel, "search/s/") || strings.HasPrefix(rel, "search/d/") || rel == "search/index.json" {
			n++
		}
	}
	return n
}

// buildInMemory is a fresh full build that keeps the files in memory: Build
// without the staging folder, which TestBuild covers.
func buildInMemory(ctx context.Context, g *Generator, snap site.Snapshot) (map[string][]byte, error) {
	s, err := g.Load(ctx)
	if err != nil {
		return nil, err
	}
	r, err := g.newRenderer(s, snap)
	if err != nil {
		return nil, err
	}
	outs, err := r.outputs()
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	for i := range outs {
		o := &outs[i]
		var b []byte
		if o.Kind == live.File {
			b, err = fs.ReadFile(o.Source.FS, o.Source.Name)
		} else {
			b, err = r.Render(o)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", o.Rel, err)
		}
		files[o.Rel] = b
	}
	return files, nil
}

// TestLiveRender feeds statuses and opinions to a built site, as the
// collector does, and checks the output equals a full build with them.
func TestLiveRender(t *testing.T) {
	tmp := t.TempDir()
	o := testOptions(t, "testdata/site", filepath.Join(tmp, "public"))
	live := New(o).NewLive()
	ctx := context.Background()
	if err := live.Render(ctx, site.Snapshot{}); err == nil {
		t.Error("Render before the first build succeeded")
	}
	if _, err := live.Update(ctx, nil); err != nil {
		t.Fatal(err)
	}
	snaps := []site.Snapshot{
		{Now: fixedNow, Entries: map[string]map[string]site.Entry{"zongjie": {"yi": {Status: site.StatusSubmitted, Versions: 1, Latest: fixedNow.Add(-time.Hour)}}}},
		{Now: fixedNow.Add(time.Minute), Entries: map[string]map[string]site.Entry{"zongjie": {"yi": {Status: site.StatusReturned, Versions: 1, Comment: "请补充"}}},
			Opinions: []site.Opinion{{ID: 1, Name: "匿名", Content: "建议", Reply: "已采纳", Created: fixedNow}}},
		{},
	}
	for i, snap := range snaps {
		if err := live.Render(ctx, snap); err != nil {
			t.Fatal(err)
		}
		want, err := buildInMemory(ctx, New(o), snap)
		if err != nil {
			t.Fatal(err)
		}
		compareTrees(t, fmt.Sprintf("snapshot %d", i), readTree(t, filepath.Join(tmp, "public")), want)
	}
}

func compareTrees(t *testing.T, what string, got, want map[string][]byte) {
	t.Helper()
	var names []string
	for name := range want {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		g, ok := got[name]
		if !ok {
			t.Errorf("%s: %s missing from the live output", what, name)
			continue
		}
		if !bytes.Equal(g, want[name]) {
			t.Errorf("%s: %s differs from a full build:\n%s", what, name, firstDiff(g, want[name]))
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("%s: %s is in the live output, not in a full build", what, name)
		}
	}
}

// editor makes random changes to a site folder and reports the paths it
// touched, as a watcher would.
type editor struct {
	t      *testing.T
	src    string
	themes string
	r      *rand.Rand
	now    time.Time
	// saved holds what the last step changed, by absolute path (nil for a
	// file that did not exist), so that a step that broke the site can be
	// undone by the next, as an editor would.
	saved    map[string][]byte
	undoNext bool
	n        int
	order    []int
	statics  int
}

var editWords = strings.Fields(`党支部 主题党日 三会一课 理论学习 志愿服务 党风廉政 春运保障 为民办实事 组织生活 学习强国`)

func (e *editor) step() (string, []string) {
	e.n++
	if e.undoNext {
		e.undoNext = false
		var paths []string
		for p, b := range e.saved {
			if b == nil {
				os.RemoveAll(p)
			} else {
				os.MkdirAll(filepath.Dir(p), 0o755)
				if err := os.WriteFile(p, b, 0o644); err != nil {
					e.t.Fatal(err)
				}
			}
			paths = append(paths, p)
		}
		sort.Strings(paths)
		e.saved = nil
		return "undo the last step", paths
	}
	e.saved = map[string][]byte{}
	ops := []struct {
		name   string
		weight int
		do     func() []string
	}{
		{"edit a body", 10, e.editBody},
		{"edit a title", 4, func() []string { return e.setKey(e.page(), "title", e.word()+"工作第"+fmt.Sprint(e.n)+"期") }},
		{"change a date", 4, func() []string { return e.setKey(e.page(), "date", e.date()) }},
		{"toggle draft", 2, func() []string { return e.setKey(e.page(), "draft", fmt.Sprint(e.r.IntN(2) == 0)) }},
		{"set tags", 3, func() []string { return e.setKey(e.page(), "tags", "["+e.word()+", "+e.word()+"]") }},
		{"set categories", 2, func() []string { return e.setKey(e.page(), "categories", "["+e.word()+"]") }},
		{"set a weight", 2, func() []string { return e.setKey(e.page(), "weight", fmt.Sprint(e.r.IntN(5))) }},
		{"set a slug", 1, func() []string { return e.setKey(e.page(), "slug", fmt.Sprintf("s%d", e.n)) }},
		{"add an alias", 1, func() []string { return e.setKey(e.page(), "aliases", fmt.Sprintf("[/old/a%d/]", e.n)) }},
		{"publish later", 2, func() []string { return e.setKey(e.page(), "publishDate", e.date()) }},
		{"expire", 1, func() []string { return e.setKey(e.page(), "expiryDate", e.date()) }},
		{"link to a page", 3, e.addLink},
		{"create a page", 5, e.createPage},
		{"create a bundle", 2, e.createBundle},
		{"rename a page", 3, e.renamePage},
		{"delete a page", 3, e.deletePage},
		{"retitle a column", 2, func() []string { return e.setKey(e.pick(e.glob("content/*/_index.md")), "title", e.word()) }},
		{"reweight a column", 1, func() []string {
			return e.setKey(e.pick(e.glob("content/*/_index.md")), "weight", fmt.Sprint(e.r.IntN(90)))
		}},
		{"create a column", 1, e.createColumn},
		{"create a section", 2, e.createSection},
		{"retitle a section", 1, func() []string { return e.setKey(e.pick(e.glob("content/*/*/_index.md")), "title", e.word()) }},
		{"edit a root page", 1, e.editRootPage},
		{"delete a column", 1, e.deleteColumn},
		{"edit site.yaml", 2, e.editConfig},
		{"edit a partial", 2, e.editLayout},
		{"edit a shortcode", 1, e.editShortcode},
		{"add a shortcode", 2, e.addShortcode},
		{"override a layout", 1, e.overrideLayout},
		{"edit a static file", 2, e.editStatic},
		{"break a page", 2, e.breakPage},
		{"advance the clock", 3, e.advance},
	}
	// The first steps try every kind of change once, in a random order;
	// then they come by weight.
	if e.order == nil {
		e.order = e.r.Perm(len(ops))
	}
	if e.n-1 < len(e.order) {
		op := ops[e.order[e.n-1]]
		return op.name, op.do()
	}
	total := 0
	for _, op := range ops {
		total += op.weight
	}
	x := e.r.IntN(total)
	for _, op := range ops {
		if x < op.weight {
			return op.name, op.do()
		}
		x -= op.weight
	}
	panic("unreachable")
}

func (e *editor) word() string { return editWords[e.r.IntN(len(editWords))] }

func (e *editor) date() string {
	d := fixedNow.AddDate(0, 0, e.r.IntN(120)-60)
	return d.Format("2006-01-02")
}

func (e *editor) abs(rel string) string { return filepath.Join(e.src, filepath.FromSlash(rel)) }

func (e *editor) glob(pattern string) []string {
	var out []string
	for _, pat := range []string{pattern, strings.Replace(pattern, "*/", "*/*/", 1)} {
		m, _ := filepath.Glob(e.abs(pat))
		for _, p := range m {
			rel, _ := filepath.Rel(e.src, p)
			out = append(out, filepath.ToSlash(rel))
		}
	}
	sort.Strings(out)
	return out
}

func (e *editor) pick(list []string) string {
	if len(list) == 0 {
		return ""
	}
	return list[e.r.IntN(len(list))]
}

// page picks a regular page (not an _index.md).
func (e *editor) page() string {
	var pages []string
	for _, p := range e.glob("content/*/*.md") {
		if !strings.HasSuffix(p, "_index.md") {
			pages = append(pages, p)
		}
	}
	return e.pick(pages)
}

// save remembers a file's content before the step changes it, or every
// file under a folder.
func (e *editor) save(p string) {
	filepath.WalkDir(p, func(f string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if _, ok := e.saved[f]; !ok {
				b, _ := os.ReadFile(f)
				e.saved[f] = b
			}
		}
		return nil
	})
	if _, ok := e.saved[p]; !ok {
		if _, err := os.Stat(p); err != nil {
			e.saved[p] = nil
		}
	}
}

func (e *editor) read(rel string) []byte {
	b, err := os.ReadFile(e.abs(rel))
	if err != nil {
		e.t.Fatal(err)
	}
	return b
}

func (e *editor) write(rel string, b []byte) {
	p := e.abs(rel)
	e.save(p)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		e.t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		e.t.Fatal(err)
	}
}

// setKey sets a front-matter key, in YAML or TOML as the file uses.
func (e *editor) setKey(rel, key, value string) []string {
	if rel == "" {
		return nil
	}
	b := string(e.read(rel))
	switch {
	case strings.HasPrefix(b, "+++\n"):
		v := value
		if strings.HasPrefix(v, "[") {
			v = `["` + strings.Join(strings.Split(strings.Trim(v, "[]"), ", "), `", "`) + `"]`
		} else if key != "date" && key != "publishDate" && key != "expiryDate" && key != "weight" && key != "draft" {
			v = `"` + v + `"`
		}
		re := regexp.MustCompile(`(?m)^` + key + ` = .*\n`)
		b = re.ReplaceAllString(b, "")
		b = "+++\n" + key + " = " + v + "\n" + strings.TrimPrefix(b, "+++\n")
	case strings.HasPrefix(b, "---\n"):
		end := strings.Index(b[4:], "\n---") + 4
		front, body := b[4:end], b[end:]
		re := regexp.MustCompile(`(?m)^` + key + `:.*\n`)
		front = re.ReplaceAllString(front+"\n", "")
		b = "---\n" + key + ": " + value + "\n" + strings.TrimSuffix(front, "\n") + body
	default:
		b = "---\n" + key + ": " + value + "\n---\n\n" + b
	}
	e.write(rel, []byte(b))
	return []string{e.abs(rel)}
}

func (e *editor) editBody() []string {
	rel := e.page()
	b := e.read(rel)
	b = append(b, []byte("\n\n"+e.word()+"，"+e.word()+"，持续深化"+e.word()+"。\n")...)
	e.write(rel, b)
	return []string{e.abs(rel)}
}

// addLink links one page to another, by a relative .md path.
func (e *editor) addLink() []string {
	from, to := e.page(), e.page()
	if from == "" || to == "" {
		return nil
	}
	dest, _ := filepath.Rel(filepath.Dir(e.abs(from)), e.abs(to))
	b := append(e.read(from), []byte("\n\n参见[相关文章]("+filepath.ToSlash(dest)+")。\n")...)
	e.write(from, b)
	return []string{e.abs(from)}
}

func (e *editor) columns() []string {
	var cols []string
	for _, p := range e.glob("content/*/_index.md") {
		if c := strings.Split(p, "/"); len(c) == 3 && c[1] != "branches" && c[1] != "tasks" {
			cols = append(cols, c[1])
		}
	}
	return cols
}

func (e *editor) createPage() []string {
	col := e.pick(e.columns())
	rel := fmt.Sprintf("content/%s/new-%d.md", col, e.n)
	e.write(rel, []byte(fmt.Sprintf("---\ntitle: 新增%s第%d篇\ndate: %s\ntags: [%s]\n---\n\n%s，%s。\n\n## 小标题\n\n正文。\n",
		e.word(), e.n, e.date(), e.word(), e.word(), e.word())))
	return []string{e.abs(rel)}
}

func (e *editor) createBundle() []string {
	col := e.pick(e.columns())
	dir := fmt.Sprintf("content/%s/bundle-%d", col, e.n)
	e.write(dir+"/index.md", []byte(fmt.Sprintf("---\ntitle: 图文%d\ndate: %s\nattachments: [doc.txt]\n---\n\n见附件。\n", e.n, e.date())))
	e.write(dir+"/doc.txt", bytes.Repeat([]byte("附件"), 1+e.r.IntN(50)))
	return []string{e.abs(dir)}
}

func (e *editor) renamePage() []string {
	rel := e.page()
	if rel == "" {
		return nil
	}
	to := fmt.Sprintf("content/%s/moved-%d.md", e.pick(e.columns()), e.n)
	e.save(e.abs(rel))
	e.save(e.abs(to))
	if err := os.Rename(e.abs(rel), e.abs(to)); err != nil {
		e.t.Fatal(err)
	}
	return []string{e.abs(rel), e.abs(to)}
}

func (e *editor) deletePage() []string {
	rel := e.page()
	if rel == "" {
		return nil
	}
	e.save(e.abs(rel))
	if err := os.Remove(e.abs(rel)); err != nil {
		e.t.Fatal(err)
	}
	return []string{e.abs(rel)}
}

func (e *editor) createColumn() []string {
	dir := fmt.Sprintf("content/col%d", e.n)
	e.write(dir+"/_index.md", []byte(fmt.Sprintf("---\ntitle: 新栏目%d\nweight: %d\n---\n", e.n, 5+e.r.IntN(80))))
	e.write(dir+"/first.md", []byte("---\ntitle: 新栏目的第一篇\ndate: "+e.date()+"\n---\n\n正文。\n"))
	return []string{e.abs(dir)}
}

// createSection adds a section (子栏目) with a page to a column, or to a
// section of one.
func (e *editor) createSection() []string {
	parent := "content/" + e.pick(e.columns())
	if subs := e.glob("content/*/*/_index.md"); len(subs) > 0 && e.r.IntN(2) == 0 {
		parent = filepath.ToSlash(filepath.Dir(e.pick(subs)))
	}
	dir := fmt.Sprintf("%s/sec%d", parent, e.n)
	e.write(dir+"/_index.md", []byte(fmt.Sprintf("---\ntitle: 子栏目%d\nweight: %d\n---\n", e.n, e.r.IntN(3))))
	e.write(dir+"/p.md", []byte("---\ntitle: 子栏目的一篇\ndate: "+e.date()+"\n---\n\n正文。\n"))
	return []string{e.abs(dir)}
}

// editRootPage retitles content/about.md, a page at the content root,
// creating it (in the main menu) first when there is none.
func (e *editor) editRootPage() []string {
	rel := "content/about.md"
	if _, err := os.Stat(e.abs(rel)); err != nil {
		e.write(rel, []byte("---\ntitle: 关于\nmenu: main\n---\n\n简介。\n"))
		return []string{e.abs(rel)}
	}
	return e.setKey(rel, "title", e.word()+fmt.Sprint(e.n))
}

func (e *editor) deleteColumn() []string {
	cols := e.columns()
	if len(cols) < 3 {
		return nil
	}
	dir := "content/" + e.pick(cols)
	e.save(e.abs(dir))
	if err := os.RemoveAll(e.abs(dir)); err != nil {
		e.t.Fatal(err)
	}
	return []string{e.abs(dir)}
}

func (e *editor) editConfig() []string {
	b := string(e.read("site.yaml"))
	re := regexp.MustCompile(`(?m)^paginate:.*\n`)
	b = re.ReplaceAllString(b, "") + fmt.Sprintf("paginate: %d\n", 2+e.r.IntN(5))
	e.write("site.yaml", []byte(b))
	return []string{e.abs("site.yaml")}
}

func (e *editor) editLayout() []string {
	partials, _ := filepath.Glob(filepath.Join(e.themes, "default", "layouts", "_partials", "*.html"))
	return e.appendLayout(e.pick(partials))
}

// appendLayout adds a comment to a layout of the theme.
func (e *editor) appendLayout(p string) []string {
	e.save(p)
	b, err := os.ReadFile(p)
	if err != nil {
		e.t.Fatal(err)
	}
	b = append(b, []byte(fmt.Sprintf("<!-- 第%d次修改 -->\n", e.n))...)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		e.t.Fatal(err)
	}
	return []string{p}
}

// editShortcode changes a shortcode template of the theme, or adds one of
// the site's own: the pages using it change, their sources do not.
func (e *editor) editShortcode() []string {
	if e.r.IntN(2) == 0 {
		rel := "layouts/_shortcodes/stamp.html"
		e.write(rel, []byte(fmt.Sprintf(`<span class="stamp">{{.Get 0}}（第%d版）</span>`+"\n", e.n)))
		return []string{e.abs(rel)}
	}
	return e.appendLayout(filepath.Join(e.themes, "default", "layouts", "_shortcodes", "notice.html"))
}

// addShortcode appends a shortcode to a body: a notice with a ref to
// another page, or the site's own stamp.
func (e *editor) addShortcode() []string {
	rel, to := e.page(), e.page()
	if rel == "" || to == "" {
		return nil
	}
	code := fmt.Sprintf("{{%% notice tip %%}}\n见{{< ref \"/%s\" >}}。\n{{%% /notice %%}}", strings.TrimPrefix(to, "content/"))
	if e.r.IntN(2) == 0 {
		code = "{{< stamp 第" + fmt.Sprint(e.n) + "期 >}}"
	}
	b := append(e.read(rel), []byte("\n\n"+code+"\n")...)
	e.write(rel, b)
	return []string{e.abs(rel)}
}

func (e *editor) overrideLayout() []string {
	rel := "layouts/_partials/print-url.html"
	e.write(rel, []byte(fmt.Sprintf(`<p class="print-only">本页（第%d版）：{{absURL .Path}}</p>`+"\n", e.n)))
	return []string{e.abs(rel)}
}

func (e *editor) editStatic() []string {
	e.statics++
	if e.statics%2 == 1 {
		// A file of the theme's static folder, such as its style sheet.
		css := filepath.Join(e.themes, "default", "static", "css", "style.css")
		e.save(css)
		b, err := os.ReadFile(css)
		if err != nil {
			e.t.Fatal(err)
		}
		if err := os.WriteFile(css, append(b, fmt.Sprintf("/* 第%d次 */\n", e.n)...), 0o644); err != nil {
			e.t.Fatal(err)
		}
		return []string{css}
	}
	rel := fmt.Sprintf("static/note-%d.txt", e.r.IntN(3))
	e.write(rel, []byte(fmt.Sprintf("第%d次\n", e.n)))
	return []string{e.abs(rel)}
}

func (e *editor) breakPage() []string {
	rel := e.page()
	if rel == "" {
		return nil
	}
	e.write(rel, []byte("---\ntitle: 坏页面\ndate: 2026-13-45\n---\n\n正文。\n"))
	return []string{e.abs(rel)}
}

func (e *editor) advance() []string {
	e.now = e.now.Add(time.Duration(1+e.r.IntN(30*24)) * time.Hour)
	return nil
}

// relPath is p relative to the working folder.
func relPath(t *testing.T, p string) string {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	rel, err := filepath.Rel(wd, p)
	if err != nil {
		t.Fatal(err)
	}
	return rel
}

// copyInto copies a folder tree.
func copyInto(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestLiveBodyEdit saves new bodies of a page, as an editor does, and
// checks that the update takes the quick way (no load of the site, only
// the outputs that read the page keyed again) and still equals a full
// build, and that an edit of the front matter or a broken body does not
// (issue 14 item 4).
func TestLiveBodyEdit(t *testing.T) {
	tmp := t.TempDir()
	src := filepath.Join(tmp, "site")
	copyInto(t, "testdata/site", src)
	o := testOptions(t, src, filepath.Join(tmp, "public"))
	live := New(o).NewLive()
	live.verifyEdits = true
	ctx := context.Background()
	if _, err := live.Update(ctx, nil); err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(src, "content", "news", "a.md")
	orig, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, body  string
		quick, fail bool
	}{
		{"append a paragraph", string(orig) + "\n\n新增的一段话。\n", true, false},
		{"append another", string(orig) + "\n\n新增的一段话。\n\n又一段。\n", true, false},
		{"a new heading", string(orig) + "\n\n## 新的小标题\n", false, false},
		{"a broken link", string(orig) + "\n\n[断链](nowhere.md)\n", false, true},
		{"back", string(orig), false, false},
		{"the body again", string(orig) + "\n\n第三次修改。\n", true, false},
		{"a new title", strings.Replace(string(orig), "title:", "title: 新", 1), false, false},
	}
	for _, tt := range tests {
		before := live.quickUpdates
		if err := os.WriteFile(page, []byte(tt.body), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := live.Update(ctx, nil, page)
		if (err != nil) != tt.fail {
			t.Fatalf("%s: error %v", tt.name, err)
		}
		if quick := live.quickUpdates > before; quick != tt.quick {
			t.Errorf("%s: quick %v, want %v", tt.name, quick, tt.quick)
		}
		if tt.fail {
			continue
		}
		want, err := buildInMemory(ctx, New(o), site.Snapshot{})
		if err != nil {
			t.Fatal(err)
		}
		compareTrees(t, tt.name, readTree(t, filepath.Join(tmp, "public")), want)
	}
}

// TestLiveNewPageUndone checks that a new page, which an update writes
// before the lists it joins, is removed again when one of those lists fails
// to render: a failed update leaves the destination as it was.
func TestLiveNewPageUndone(t *testing.T) {
	tmp := t.TempDir()
	src := filepath.Join(tmp, "site")
	copyInto(t, "testdata/site", src)
	home, err := os.ReadFile("../themes/default/layouts/home.html")
	if err != nil {
		t.Fatal(err)
	}
	// The home page fails when the news column holds a page titled 坏.
	home = append(home, `{{define "boom"}}{{range (.Site.Column "news").Pages}}{{if eq .Title "坏"}}{{.Title.x}}{{end}}{{end}}{{end}}`...)
	home = []byte(strings.Replace(string(home), `{{define "main"}}`, `{{define "main"}}{{template "boom" .}}`, 1))
	if err := os.WriteFile(filepath.Join(src, "layouts", "home.html"), home, 0o644); err != nil {
		t.Fatal(err)
	}
	pub := filepath.Join(tmp, "public")
	live := New(testOptions(t, src, pub)).NewLive()
	ctx := context.Background()
	if _, err := live.Update(ctx, nil); err != nil {
		t.Fatal(err)
	}
	before := readTree(t, pub)
	page := filepath.Join(src, "content", "news", "boom.md")
	body := "+++\ntitle = \"坏\"\ndate = 2025-06-01\n+++\n\n正文。\n"
	if err := os.WriteFile(page, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := live.Update(ctx, nil, page); err == nil {
		t.Fatal("the update succeeded although the home page cannot render")
	} else if !strings.Contains(err.Error(), "index.html") {
		t.Errorf("error %q does not name the output that failed", err)
	}
	compareTrees(t, "after the failed update", readTree(t, pub), before)

	// Under another title the page is written, and so is the rest.
	if err := os.WriteFile(page, []byte(strings.Replace(body, "坏", "新的一篇", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := live.Update(ctx, nil, page); err != nil {
		t.Fatal(err)
	}
	want, err := buildInMemory(ctx, New(testOptions(t, src, pub)), site.Snapshot{})
	if err != nil {
		t.Fatal(err)
	}
	compareTrees(t, "after the fixed update", readTree(t, pub), want)
}

// TestStatusRenderKeepsTheLastTheme: a status render draws with the theme
// the last build read, as it does with the content that build loaded; a
// theme file changed since shows at the next Update, which reads every
// file again, not at the next status render.
func TestStatusRenderKeepsTheLastTheme(t *testing.T) {
	ctx := context.Background()
	src, tmp, live, snap, before := themeEditSite(t, 1)
	footer, err := os.ReadFile(filepath.Join("..", "themes", "default", "layouts", "_partials", "footer.html"))
	if err != nil {
		t.Fatal(err)
	}
	overrideFooter(t, src, append([]byte("<b class=\"probe\">新页脚</b>"), footer...))
	if err := live.Render(ctx, snap); err != nil {
		t.Fatal(err)
	}
	compareTrees(t, "status render after a theme edit", readTree(t, filepath.Join(tmp, "public")), before)
	if _, err := live.Update(ctx, nil); err != nil {
		t.Fatal(err)
	}
	after, err := buildInMemory(ctx, New(testOptions(t, src, t.TempDir())), snap)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(after["index.html"], []byte("<b class=\"probe\">新页脚</b>")) {
		t.Fatal("the override of the footer is not used: the test shows nothing")
	}
	compareTrees(t, "update after the theme edit", readTree(t, filepath.Join(tmp, "public")), after)
}

// TestStatusRendersKeepTheOutputList: status renders reuse the list of
// outputs of the site they render, a partial one (some paths) included,
// and a later full one still renders every output that shows statuses as
// a full build does; a snapshot in another year lists the outputs again
// (its board years differ).
func TestStatusRendersKeepTheOutputList(t *testing.T) {
	tmp := t.TempDir()
	o := testOptions(t, "testdata/site", filepath.Join(tmp, "public"))
	live := New(o).NewLive()
	ctx := context.Background()
	if _, err := live.Update(ctx, nil); err != nil {
		t.Fatal(err)
	}
	entry := func(v int) map[string]map[string]site.Entry {
		return map[string]map[string]site.Entry{"zongjie": {"yi": {Status: site.StatusSubmitted, Versions: v, Latest: fixedNow.Add(-time.Hour)}}}
	}
	steps := []struct {
		snap  site.Snapshot
		paths []string
	}{
		{site.Snapshot{Now: fixedNow, Entries: entry(1)}, []string{"tasks/zongjie/"}},
		{site.Snapshot{Now: fixedNow.Add(time.Minute), Entries: entry(2)}, []string{"tasks/zongjie/", "status/"}},
		{site.Snapshot{Now: fixedNow.Add(2 * time.Minute), Entries: entry(3)}, nil},
		{site.Snapshot{Now: fixedNow.AddDate(1, 0, 0), Entries: entry(4)}, nil},
	}
	for i, st := range steps {
		if err := live.Render(ctx, st.snap, st.paths...); err != nil {
			t.Fatal(err)
		}
		if st.paths != nil {
			continue
		}
		want, err := buildInMemory(ctx, New(o), st.snap)
		if err != nil {
			t.Fatal(err)
		}
		if i == len(steps)-1 {
			// A new year's other outputs (the footer's year) are the
			// clock's Update's to bring; the boards are the status
			// render's, and last year's board is a new output.
			if _, ok := want["status/2026/index.html"]; !ok {
				t.Fatal("the full build of next year has no board of 2026: the test shows nothing")
			}
			for name := range want {
				if !strings.HasPrefix(name, "status/") {
					delete(want, name)
				}
			}
			got := readTree(t, filepath.Join(tmp, "public"))
			for name := range got {
				if !strings.HasPrefix(name, "status/") {
					delete(got, name)
				}
			}
			compareTrees(t, "status render in the next year", got, want)
			continue
		}
		compareTrees(t, fmt.Sprintf("full status render %d", i), readTree(t, filepath.Join(tmp, "public")), want)
	}
}

// TestStatusRenderAfterAFailedUpdate: an Update that parsed a new theme
// and then failed to render with it changes nothing, and the status
// renders after it still draw with the theme of the build that succeeded.
func TestStatusRenderAfterAFailedUpdate(t *testing.T) {
	ctx := context.Background()
	src, tmp, live, snap, want := themeEditSite(t, 2)
	overrideFooter(t, src, []byte(`<footer>{{.NoSuchField.Title}}</footer>`))
	if _, err := live.Update(ctx, nil); err == nil {
		t.Fatal("an Update with a footer that cannot render succeeded: the test shows nothing")
	}
	if err := live.Render(ctx, snap); err != nil {
		t.Fatalf("status render after the failed update: %v", err)
	}
	compareTrees(t, "status render after a failed update", readTree(t, filepath.Join(tmp, "public")), want)
}

// themeEditSite is a copy of the test site built by a Live into tmp/public,
// a snapshot in which branch yi submitted versions, and what a full build
// of the site as copied shows with it.
func themeEditSite(t *testing.T, versions int) (src, tmp string, live *Live, snap site.Snapshot, want map[string][]byte) {
	t.Helper()
	src, tmp = copyTree(t, "testdata/site"), t.TempDir()
	live = New(testOptions(t, src, filepath.Join(tmp, "public"))).NewLive()
	ctx := context.Background()
	if _, err := live.Update(ctx, nil); err != nil {
		t.Fatal(err)
	}
	snap = site.Snapshot{Now: fixedNow, Entries: map[string]map[string]site.Entry{"zongjie": {"yi": {Status: site.StatusSubmitted, Versions: versions, Latest: fixedNow.Add(-time.Hour)}}}}
	want, err := buildInMemory(ctx, New(testOptions(t, copyTree(t, src), t.TempDir())), snap)
	if err != nil {
		t.Fatal(err)
	}
	return src, tmp, live, snap, want
}

// overrideFooter gives the site in src a footer layout of its own.
func overrideFooter(t *testing.T, src string, body []byte) {
	t.Helper()
	override := filepath.Join(src, "layouts", "_partials", "footer.html")
	if err := os.MkdirAll(filepath.Dir(override), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(override, body, 0o644); err != nil {
		t.Fatal(err)
	}
}
