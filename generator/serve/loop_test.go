package serve

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/dangwu-org/dangwu/generator"
)

// fakeSource stands for the file system watcher in tests.
type fakeSource struct {
	changes chan string
	lost    chan struct{}
}

func newFakeSource() *fakeSource {
	return &fakeSource{changes: make(chan string), lost: make(chan struct{}, 1)}
}

func (f *fakeSource) Changes() <-chan string { return f.changes }
func (f *fakeSource) Lost() <-chan struct{}  { return f.lost }
func (f *fakeSource) Close() error           { return nil }

// clockSite writes a small site whose dates are around the start of a
// synctest bubble's clock (2000-01-01 00:00 UTC) and returns a server for
// it with the clock of the bubble.
func clockSite(t *testing.T, files map[string]string) (*Server, string) {
	t.Helper()
	tmp := t.TempDir()
	src := filepath.Join(tmp, "site")
	copyDir(t, filepath.Join("..", "..", "themes"), filepath.Join(tmp, "themes"))
	files["site.yaml"] = "title: 时钟测试\nbaseURL: http://127.0.0.1:1313/\ntimeZone: UTC\n"
	files["content/news/_index.md"] = "---\ntitle: 要闻\n---\n"
	for name, body := range files {
		p := filepath.Join(src, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	g := generator.New(generator.Options{Source: src, Dest: filepath.Join(tmp, "public"), ThemesDir: filepath.Join(tmp, "themes"), Workers: 2})
	return New(Options{Generator: g}), src
}

// events drains the events a subscriber got so far.
func events(ch chan message) []message {
	var out []message
	for {
		select {
		case m := <-ch:
			out = append(out, m)
		default:
			return out
		}
	}
}

// reloaded reports whether one of the events reloads the URL path.
func reloaded(ms []message, url string) bool {
	for _, m := range ms {
		var d reloadData
		if m.event == eventReload && json.Unmarshal([]byte(m.data), &d) == nil && (d.All || slices.Contains(d.Paths, url)) {
			return true
		}
	}
	return false
}

func (s *Server) updateCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.updates
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// TestDebounce checks that one saved page is updated as soon as its file
// is quiet, that a burst of changes to several files makes one update once
// the files are quiet, and that a long burst is not held back for ever
// (issue 3, item 1).
func TestDebounce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s, src := clockSite(t, map[string]string{
			"content/news/a.md": "---\ntitle: 甲\ndate: 1999-12-01\n---\n\n正文。\n",
			"content/news/b.md": "---\ntitle: 乙\ndate: 1999-12-02\n---\n\n正文。\n",
		})
		ctx, cancel := context.WithCancel(t.Context())
		s.update(ctx, nil)
		sub, _ := s.hub.subscribe()
		src1 := newFakeSource()
		done := make(chan struct{})
		go func() { s.loop(ctx, src1); close(done) }()
		page := filepath.Join(src, "content", "news", "a.md")
		other := filepath.Join(src, "content", "news", "b.md")
		// One page saved: its events (write, close) come together.
		before := s.updateCount()
		os.WriteFile(page, []byte("---\ntitle: 甲\ndate: 1999-12-01\n---\n\n新的正文。\n"), 0o644)
		src1.changes <- page
		src1.changes <- page
		time.Sleep(s.opts.Settle)
		synctest.Wait()
		if n := s.updateCount() - before; n != 1 {
			t.Errorf("%d updates once the saved page is quiet, want 1", n)
		}
		if ms := events(sub); !reloaded(ms, "/news/a/") {
			t.Errorf("no reload of /news/a/ in %v", ms)
		}
		// Several files, 20 ms apart: one update, when they are quiet.
		before = s.updateCount()
		for i := 0; i < 5; i++ {
			for _, p := range []string{page, other} {
				os.WriteFile(p, []byte("---\ntitle: 甲\ndate: 1999-12-01\n---\n\n正文"+strings.Repeat("。", i+1)+"\n"), 0o644)
				src1.changes <- p
			}
			time.Sleep(20 * time.Millisecond)
		}
		synctest.Wait()
		if n := s.updateCount() - before; n != 0 {
			t.Errorf("%d updates during the burst, want none", n)
		}
		time.Sleep(s.opts.Debounce)
		synctest.Wait()
		if n := s.updateCount() - before; n != 1 {
			t.Errorf("%d updates for the burst, want 1", n)
		}
		// Changes every 50 ms for three seconds: updates come at most
		// MaxWait apart.
		before = s.updateCount()
		for i := 0; i < 60; i++ {
			src1.changes <- page
			time.Sleep(50 * time.Millisecond)
		}
		synctest.Wait()
		if n := s.updateCount() - before; n < 2 {
			t.Errorf("%d updates during three seconds of changes, want at least 2", n)
		}
		cancel()
		<-done
	})
}

// TestPublishByClock checks that a page appears when its publishDate
// arrives and disappears when its expiryDate passes, with no edit (issue 3,
// item 4). The bubble's clock starts at 2000-01-01 00:00 UTC.
func TestPublishByClock(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s, _ := clockSite(t, map[string]string{
			"content/news/old.md":    "---\ntitle: 旧闻\ndate: 1999-12-01\n---\n\n正文。\n",
			"content/news/soon.md":   "---\ntitle: 一小时后发布\ndate: 1999-12-02\npublishDate: 2000-01-01T01:00:00Z\n---\n\n正文。\n",
			"content/news/ending.md": "---\ntitle: 两小时后过期\ndate: 1999-12-03\nexpiryDate: 2000-01-01T02:00:00Z\n---\n\n正文。\n",
		})
		ctx, cancel := context.WithCancel(t.Context())
		s.update(ctx, nil)
		sub, _ := s.hub.subscribe()
		done := make(chan struct{})
		go func() { s.loop(ctx, newFakeSource()); close(done) }()
		soon := filepath.Join(s.dest, "news", "soon", "index.html")
		ending := filepath.Join(s.dest, "news", "ending", "index.html")
		if exists(soon) || !exists(ending) {
			t.Fatalf("at the start: soon published %v, ending published %v", exists(soon), exists(ending))
		}
		time.Sleep(time.Hour - time.Second)
		synctest.Wait()
		if exists(soon) {
			t.Error("the page is published a second before its publishDate")
		}
		time.Sleep(time.Second)
		synctest.Wait()
		if !exists(soon) {
			t.Error("the page is not published at its publishDate")
		}
		if ms := events(sub); !reloaded(ms, "/news/soon/") || !reloaded(ms, "/news/") {
			t.Errorf("browsers were not told: %v", ms)
		}
		time.Sleep(time.Hour)
		synctest.Wait()
		if exists(ending) {
			t.Error("the page is still published after its expiryDate")
		}
		if ms := events(sub); !reloaded(ms, "/news/ending/") {
			t.Errorf("browsers were not told of the expired page: %v", ms)
		}
		cancel()
		<-done
	})
}

// TestBrokenEditKeepsSite checks that a broken edit keeps the last good
// output, tells every browser what is wrong with file and line, and that
// fixing it clears the problems (issue 3, item 3).
func TestBrokenEditKeepsSite(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s, src := clockSite(t, map[string]string{"content/news/a.md": "---\ntitle: 甲\ndate: 1999-12-01\n---\n\n正文。\n"})
		var stderr strings.Builder
		s.opts.Stderr = &stderr
		ctx, cancel := context.WithCancel(t.Context())
		s.update(ctx, nil)
		sub, _ := s.hub.subscribe()
		src1 := newFakeSource()
		done := make(chan struct{})
		go func() { s.loop(ctx, src1); close(done) }()
		page := filepath.Join(src, "content", "news", "a.md")
		out := filepath.Join(s.dest, "news", "a", "index.html")
		good, _ := os.ReadFile(out)

		os.WriteFile(page, []byte("---\ntitle: 甲\ndate: 1999-13-45\n---\n\n[断链](nope.md)\n"), 0o644)
		src1.changes <- page
		time.Sleep(time.Second)
		synctest.Wait()
		ms := events(sub)
		if len(ms) != 1 || ms[0].event != eventProblems || !strings.Contains(ms[0].data, "content/news/a.md:3: date:") {
			t.Errorf("events %v, want the problems with file and line", ms)
		}
		if !strings.Contains(stderr.String(), "content/news/a.md:3: date:") {
			t.Errorf("terminal shows %q", stderr.String())
		}
		if now, _ := os.ReadFile(out); string(now) != string(good) {
			t.Error("the broken edit changed the output")
		}
		if _, again := s.hub.subscribe(); len(again) != 1 || again[0].event != eventProblems {
			t.Errorf("a browser opened now gets %v, want the problems", again)
		}

		os.WriteFile(page, []byte("---\ntitle: 甲（改）\ndate: 1999-12-01\n---\n\n正文。\n"), 0o644)
		src1.changes <- page
		time.Sleep(time.Second)
		synctest.Wait()
		ms = events(sub)
		if len(ms) == 0 || ms[0].event != eventOK || !reloaded(ms, "/news/a/") {
			t.Errorf("events %v, want ok then a reload", ms)
		}
		cancel()
		<-done
	})
}
