package serve

import (
	"context"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dangwu-org/dangwu/generator"
)

// testNow is the clock of tests that build the generator's test site.
var testNow = time.Date(2026, 11, 28, 12, 0, 0, 0, time.FixedZone("CST", 8*3600))

// copyDir copies a folder tree, so that a test can change it.
func copyDir(t testing.TB, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
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

// testSite copies the generator's test site (base path /dangwu/) and the
// themes into a temporary folder and returns a server for it, not running.
func testSite(t testing.TB, o Options) (*Server, string) {
	t.Helper()
	tmp := t.TempDir()
	src := filepath.Join(tmp, "site")
	copyDir(t, filepath.Join("..", "testdata", "site"), src)
	copyDir(t, filepath.Join("..", "..", "themes"), filepath.Join(tmp, "themes"))
	o.Generator = generator.New(generator.Options{
		Source: src, Dest: filepath.Join(tmp, "public"), ThemesDir: filepath.Join(tmp, "themes"),
		Now: func() time.Time { return testNow },
	})
	return New(o), src
}

// TestHandler checks what the development server answers, as a browser
// sees it.
func TestHandler(t *testing.T) {
	var apiPath string
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		apiPath = r.URL.Path
		w.WriteHeader(http.StatusCreated)
	})
	s, _ := testSite(t, Options{API: api})
	s.update(context.Background(), nil)
	if _, built := s.state(); !built {
		t.Fatal("the test site did not build")
	}
	script := `<head><script src="/dangwu/__dangwu/livereload.js"></script>`
	tests := []struct {
		method, url string
		status      int
		header      string // "Name: value" that must be set
		contains    []string
		absent      []string
	}{
		{"GET", "/dangwu/", 200, "Content-Type: text/html; charset=utf-8", []string{script, "测试党委"}, nil},
		{"GET", "/dangwu/news/a/", 200, "", []string{script, "召开党员大会"}, nil},
		{"GET", "/dangwu/news/a/index.html", 200, "", []string{script}, nil},
		{"GET", "/dangwu/news", 301, "Location: /dangwu/news/", nil, nil},
		{"GET", "/dangwu/news?page=2", 301, "Location: /dangwu/news/?page=2", nil, nil},
		{"GET", "/dangwu/nope/", 404, "", []string{script, "页面不存在"}, nil},
		{"GET", "/dangwu/..%2f..%2fetc/passwd", 404, "", nil, []string{"root:"}},
		{"GET", "/", 302, "Location: /dangwu/", nil, nil},
		{"GET", "/elsewhere/", 404, "", nil, nil},
		{"GET", "/dangwu/humans.txt", 200, "", []string{"User-agent"}, []string{"livereload"}},
		{"GET", "/dangwu/index.xml", 200, "", []string{"<rss"}, []string{"livereload"}},
		{"GET", "/dangwu/__dangwu/livereload.js", 200, "Content-Type: text/javascript; charset=utf-8", []string{"EventSource"}, nil},
		{"POST", "/dangwu/news/", 405, "", nil, nil},
		{"POST", "/dangwu/api/tasks/zongjie/submissions", 201, "", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.url, func(t *testing.T) {
			w := httptest.NewRecorder()
			s.Handler().ServeHTTP(w, httptest.NewRequest(tt.method, tt.url, nil))
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d", w.Code, tt.status)
			}
			if tt.header != "" {
				name, value, _ := strings.Cut(tt.header, ": ")
				if got := w.Header().Get(name); got != value {
					t.Errorf("%s: %q, want %q", name, got, value)
				}
			}
			body := w.Body.String()
			for _, c := range tt.contains {
				if !strings.Contains(body, c) {
					t.Errorf("body does not contain %q", c)
				}
			}
			for _, a := range tt.absent {
				if strings.Contains(body, a) {
					t.Errorf("body contains %q", a)
				}
			}
		})
	}
	if apiPath != "/api/tasks/zongjie/submissions" {
		t.Errorf("the API saw %q, want /api/tasks/zongjie/submissions", apiPath)
	}
	// The collector's health check is the collector's, as under collect.
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/dangwu/healthz", nil))
	if w.Code != http.StatusCreated || apiPath != "/healthz" {
		t.Errorf("GET /dangwu/healthz: %d, the API saw %q; want it served by the API as /healthz", w.Code, apiPath)
	}
	// The script is added when pages are served, never to the built files.
	filepath.WalkDir(s.dest, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if b, _ := os.ReadFile(p); strings.Contains(string(b), "livereload") {
				t.Errorf("%s contains the live-reload script", p)
			}
		}
		return nil
	})
}

// TestHandlerBeforeFirstBuild checks a site that never built shows its
// problems, and reloads.
func TestHandlerBeforeFirstBuild(t *testing.T) {
	s, src := testSite(t, Options{})
	os.WriteFile(filepath.Join(src, "content", "news", "a.md"), []byte("---\ndate: 明天\n---\n"), 0o644)
	s.update(context.Background(), nil)
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	body, _ := io.ReadAll(w.Result().Body)
	if w.Code != http.StatusServiceUnavailable {
		t.Errorf("status %d, want 503", w.Code)
	}
	for _, want := range []string{"content/news/a.md:2: date:", "__dangwu/livereload.js"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("page does not contain %q:\n%s", want, body)
		}
	}
}

func TestInject(t *testing.T) {
	tests := []struct{ page, want string }{
		{"<html><head><title>x</title>", "<html><head>S<title>x</title>"},
		{"<HTML><HEAD lang=zh>x", "<HTML><HEAD lang=zh>Sx"},
		{"<header>no head</header>", "S<header>no head</header>"},
		{"<header></header><head>\n<meta>", "<header></header><head>S\n<meta>"},
		{"plain", "Splain"},
	}
	for _, tt := range tests {
		got := strings.Replace(string(inject([]byte(tt.page), "/x.js")), `<script src="/x.js"></script>`, "S", 1)
		if got != tt.want {
			t.Errorf("inject(%q) = %q, want %q", tt.page, got, tt.want)
		}
	}
}

// TestStatic checks the handler `dangwu collect` serves a built site with.
func TestStatic(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "news"), 0o755)
	os.WriteFile(filepath.Join(dir, "index.html"), []byte("<head>home"), 0o644)
	os.WriteFile(filepath.Join(dir, "news", "index.html"), []byte("<head>news"), 0o644)
	os.WriteFile(filepath.Join(dir, "404.html"), []byte("<head>gone"), 0o644)
	h := Static(dir)
	for _, tt := range []struct {
		url    string
		status int
		body   string
	}{
		{"/", 200, "<head>home"}, {"/news/", 200, "<head>news"}, {"/news", 301, ""}, {"/x", 404, "<head>gone"},
	} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", tt.url, nil))
		if w.Code != tt.status || !strings.Contains(w.Body.String(), tt.body) {
			t.Errorf("%s: %d %q, want %d %q", tt.url, w.Code, w.Body.String(), tt.status, tt.body)
		}
	}
}
