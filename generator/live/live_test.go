package live

import (
	"context"
	"errors"
	"hash/maphash"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/dangwu-org/dangwu/generator/output"
)

// site is a made-up site for the engine: each output's Data is the text it
// renders to, its key the text's hash unless keys says otherwise.
type site struct {
	mu       sync.Mutex
	seed     maphash.Seed
	rendered []string          // rels, in the order rendered
	fail     map[string]bool   // rels whose render fails
	clock    map[string]uint64 // rels' clock parts
	same     map[string]bool   // rels the keyer calls unchanged
	keyed    []string
}

func (s *site) Key(o *Output) Key {
	s.mu.Lock()
	s.keyed = append(s.keyed, o.Rel)
	s.mu.Unlock()
	text, _ := o.Data.(string)
	return Key{Content: maphash.String(s.seed, o.Rel+"\x00"+text), Clock: s.clock[o.Rel]}
}

func (s *site) Unchanged(o *Output) bool { return s.same[o.Rel] }

func (s *site) Render(o *Output) ([]byte, error) {
	s.mu.Lock()
	s.rendered = append(s.rendered, o.Rel)
	s.mu.Unlock()
	if s.fail[o.Rel] {
		return nil, errors.New("模板出错")
	}
	text, _ := o.Data.(string)
	return []byte(text), nil
}

// folder records the writes of an update, in order, on a real folder.
type folder struct {
	*output.Folder
	log []string
}

func (f *folder) WriteFile(rel string, b []byte) error {
	f.log = append(f.log, "write "+rel)
	return f.Folder.WriteFile(rel, b)
}

func (f *folder) Remove(rel string) error {
	f.log = append(f.log, "remove "+rel)
	return f.Folder.Remove(rel)
}

func openFolder(t *testing.T, dir string) *folder {
	t.Helper()
	d, err := output.OpenFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return &folder{Folder: d}
}

func readDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	got := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		got[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// update keys outs and updates dir with them, as generator.Live does.
func update(t *testing.T, e *Engine, s *site, dir *folder, outs []Output, partial bool, notify func(Result)) (Result, error) {
	t.Helper()
	s.rendered, s.keyed, dir.log = nil, nil, nil
	return e.Update(context.Background(), outs, e.Keys(outs, s), s, dir, partial, notify)
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	sort.Strings(s)
	return s
}

func TestUpdate(t *testing.T) {
	dir := t.TempDir()
	s := &site{seed: maphash.MakeSeed(), fail: map[string]bool{}, clock: map[string]uint64{}, same: map[string]bool{}}
	e := New(s.seed, 2)
	d := openFolder(t, dir)
	static := fstest.MapFS{"logo.png": {Data: []byte("PNG")}}
	outs := []Output{
		{Rel: "index.html", Kind: View, Layout: "home", Data: "首页"},
		{Rel: "a/index.html", Kind: Page, Layout: "page", Data: "甲"},
		{Rel: "b/index.html", Kind: Page, Layout: "page", Data: "乙"},
		{Rel: "index.xml", Kind: Data, Layout: "rss", Data: "订阅"},
		{Rel: "logo.png", Kind: File, Source: &Source{FS: static, Name: "logo.png"}},
	}
	res, err := update(t, e, s, d, outs, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"index.html": "首页", "a/index.html": "甲", "b/index.html": "乙", "index.xml": "订阅", "logo.png": "PNG"}
	if got := readDir(t, dir); !mapsEqual(got, want) {
		t.Fatalf("first update: folder holds %v, want %v", got, want)
	}
	if res.Rendered != 5 || len(res.Written) != 5 || !slices.IsSorted(res.Written) {
		t.Fatalf("first update: %+v", res)
	}

	t.Run("nothing changed", func(t *testing.T) {
		res, err := update(t, e, s, d, outs, false, nil)
		if err != nil || res.Rendered != 0 || len(res.Written) != 0 || len(s.rendered) != 0 {
			t.Fatalf("got %+v, rendered %v, err %v; want nothing done", res, s.rendered, err)
		}
	})

	t.Run("same bytes are not written again", func(t *testing.T) {
		s.clock["index.html"] = 1 // the clock moved; the page shows the same
		res, err := update(t, e, s, d, outs, false, nil)
		if err != nil || res.Rendered != 1 || len(res.Written) != 0 {
			t.Fatalf("got %+v, err %v; want one render, no write", res, err)
		}
	})

	t.Run("unchanged outputs are not keyed", func(t *testing.T) {
		s.same["b/index.html"] = true
		defer delete(s.same, "b/index.html")
		edited := slices.Clone(outs)
		edited[2].Data = "乙（改）" // the keyer says it is unchanged: kept
		edited[1].Data = "甲（改）"
		res, err := update(t, e, s, d, edited, false, nil)
		if err != nil || !slices.Equal(res.Written, []string{"a/index.html"}) || slices.Contains(s.keyed, "b/index.html") {
			t.Fatalf("got %+v, keyed %v, err %v; want only a/ keyed again and written", res, s.keyed, err)
		}
		if _, err := update(t, e, s, d, outs, false, nil); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("order: new page, then views, then notify, then data", func(t *testing.T) {
		next := append(slices.Clone(outs), Output{Rel: "c/index.html", Kind: Page, Layout: "page", Data: "丙"})
		next[0].Data = "首页（新）"
		next[3].Data = "订阅（新）"
		var notified []string
		res, err := update(t, e, s, d, next, false, func(r Result) {
			notified = append(notified, "notify")
			if !slices.Equal(r.Written, []string{"c/index.html", "index.html"}) {
				t.Errorf("notified with %v, want the new page and the home page", r.Written)
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		log := append(d.log[:2:2], append(notified, d.log[2:]...)...)
		want := []string{"write c/index.html", "write index.html", "notify", "write index.xml"}
		if !slices.Equal(log, want) {
			t.Fatalf("order %v, want %v", log, want)
		}
		if !slices.Equal(res.Written, []string{"c/index.html", "index.html", "index.xml"}) {
			t.Fatalf("written %v", res.Written)
		}
		outs = next
	})

	t.Run("a failed view leaves the folder as it was", func(t *testing.T) {
		before := readDir(t, dir)
		next := append(slices.Clone(outs), Output{Rel: "d/index.html", Kind: Page, Layout: "page", Data: "丁"})
		next[0].Data = "首页（坏）"
		s.fail["index.html"] = true
		defer delete(s.fail, "index.html")
		_, err := update(t, e, s, d, next, false, nil)
		if err == nil || !strings.Contains(err.Error(), "index.html: 模板出错") {
			t.Fatalf("err %v, want the view's error with its path", err)
		}
		if !slices.Contains(d.log, "write d/index.html") {
			t.Fatalf("the new page was not written first: %v", d.log)
		}
		if got := readDir(t, dir); !mapsEqual(got, before) {
			t.Fatalf("after a failed update the folder holds %v, want %v", got, before)
		}
		if _, held := e.outs["d/index.html"]; held {
			t.Fatal("the engine still holds the removed page")
		}
	})

	t.Run("gone outputs are removed, but not by a partial update", func(t *testing.T) {
		less := slices.DeleteFunc(slices.Clone(outs), func(o Output) bool { return o.Rel == "b/index.html" })
		if res, err := update(t, e, s, d, less[:1], true, nil); err != nil || len(res.Removed) != 0 {
			t.Fatalf("partial: %+v, %v; want nothing removed", res, err)
		}
		res, err := update(t, e, s, d, less, false, nil)
		if err != nil || !slices.Equal(res.Removed, []string{"b/index.html"}) {
			t.Fatalf("got %+v, %v; want b/ removed", res, err)
		}
		_, held := e.outs["b/index.html"]
		if _, ok := readDir(t, dir)["b/index.html"]; ok || held {
			t.Fatal("b/index.html is still there")
		}
	})
}

// TestReplace records a full build: the next update renders nothing.
func TestReplace(t *testing.T) {
	s := &site{seed: maphash.MakeSeed()}
	e := New(s.seed, 1)
	outs := []Output{{Rel: "index.html", Kind: View, Data: "首页"}}
	keys := e.Keys(outs, s)
	e.Replace(outs, keys, []uint64{e.Sum([]byte("首页"))})
	d := openFolder(t, t.TempDir())
	res, err := update(t, e, s, d, outs, false, nil)
	if err != nil || res.Rendered != 0 {
		t.Fatalf("got %+v, %v; want nothing rendered after Replace", res, err)
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}
