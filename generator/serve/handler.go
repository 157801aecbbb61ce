package serve

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"os"
	"path"
	"strings"
	"time"
)

//go:embed livereload.js
var liveReloadJS []byte

// The server's own URLs, under the site's base path.
const (
	scriptPath = "__dangwu/livereload.js"
	eventsPath = "__dangwu/events"
)

// handler serves the output folder the way a static web server would,
// with the live-reload script added to every HTML page it sends.
type handler struct {
	s *Server
}

func (h handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	base := h.s.basePath()
	p := r.URL.Path
	if !strings.HasPrefix(p, base) {
		if p == "/" || p+"/" == base {
			http.Redirect(w, r, base, http.StatusFound)
			return
		}
		h.notFound(w, r)
		return
	}
	rel := strings.TrimPrefix(p, base)
	switch {
	case rel == scriptPath:
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		w.Write(liveReloadJS)
		return
	case rel == eventsPath:
		h.s.hub.ServeHTTP(w, r)
		return
	case (rel == "api" || rel == "healthz" || strings.HasPrefix(rel, "api/") || strings.HasPrefix(rel, "admin/")) && h.s.opts.API != nil:
		http.StripPrefix(strings.TrimSuffix(base, "/"), h.s.opts.API).ServeHTTP(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if problems, built := h.s.state(); !built {
		h.unbuilt(w, problems)
		return
	}
	h.files().serve(w, r, rel)
}

func (h handler) files() files {
	return files{dir: h.s.dest, script: h.s.basePath() + scriptPath, log: h.s.logf}
}

func (h handler) notFound(w http.ResponseWriter, r *http.Request) {
	h.files().notFound(w, r)
}

// Static serves a built site from dir the way a plain web server would: a
// folder's index.html, a redirect for a folder named without its trailing
// slash, the site's 404.html with status 404. It adds nothing to the
// pages.
func Static(dir string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		files{dir: dir}.serve(w, r, strings.TrimPrefix(r.URL.Path, "/"))
	})
}

// files serves an output folder; with script set, every HTML page gets a
// script tag for that URL.
type files struct {
	dir    string
	script string
	log    func(format string, args ...any)
}

// serve sends rel, a path inside the folder.
func (f files) serve(w http.ResponseWriter, r *http.Request, rel string) {
	name := strings.TrimPrefix(path.Clean("/"+rel), "/")
	if name == "" {
		name = "."
	}
	fsys := os.DirFS(f.dir)
	fi, err := fs.Stat(fsys, name)
	if err == nil && fi.IsDir() {
		if !strings.HasSuffix(r.URL.Path, "/") {
			target := r.URL.Path + "/"
			if r.URL.RawQuery != "" {
				target += "?" + r.URL.RawQuery
			}
			http.Redirect(w, r, target, http.StatusMovedPermanently)
			return
		}
		name = path.Join(name, "index.html")
		fi, err = fs.Stat(fsys, name)
	}
	if err != nil || !fi.Mode().IsRegular() {
		f.notFound(w, r)
		return
	}
	// Pages are re-rendered in place, often twice within a second (a
	// submission, then its review): Last-Modified alone, with its
	// one-second precision, would let a browser keep an old page. Every
	// answer is revalidated against an ETag of the size and the full
	// modification time.
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("ETag", fmt.Sprintf(`"%x-%x"`, fi.Size(), fi.ModTime().UnixNano()))
	if path.Ext(name) != ".html" || f.script == "" {
		http.ServeFileFS(w, r, fsys, name)
		return
	}
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		f.notFound(w, r)
		return
	}
	f.html(w, r, http.StatusOK, b, fi.ModTime())
}

// html sends a page, with the script when there is one.
func (f files) html(w http.ResponseWriter, r *http.Request, status int, page []byte, mod time.Time) {
	if f.script != "" {
		page = inject(page, f.script)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if status == http.StatusOK {
		http.ServeContent(w, r, "", mod, bytes.NewReader(page))
		return
	}
	w.WriteHeader(status)
	w.Write(page)
}

// notFound sends the site's 404.html with status 404.
func (f files) notFound(w http.ResponseWriter, r *http.Request) {
	b, err := fs.ReadFile(os.DirFS(f.dir), "404.html")
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) && f.log != nil {
			f.log("%v", err)
		}
		http.NotFound(w, r)
		return
	}
	f.html(w, r, http.StatusNotFound, b, time.Time{})
}

var unbuiltPage = template.Must(template.New("unbuilt").Parse(`<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>网站尚未生成</title>
</head>
<body style="font:15px/1.7 sans-serif;margin:2em">
<h1>网站尚未生成</h1>
<p>生成时发现下列问题。改正后本页会自动刷新。</p>
<pre style="white-space:pre-wrap">{{range .}}{{.}}
{{end}}</pre>
</body>
</html>
`))

// unbuilt answers while no update has succeeded yet: there is no site to
// show, only what is wrong.
func (h handler) unbuilt(w http.ResponseWriter, problems []string) {
	var buf bytes.Buffer
	unbuiltPage.Execute(&buf, problems)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusServiceUnavailable)
	w.Write(inject(buf.Bytes(), h.s.basePath()+scriptPath))
}

// inject puts the script right after the page's <head> tag (or, in a page
// without one, at its start).
func inject(page []byte, src string) []byte {
	tag := []byte(`<script src="` + template.HTMLEscapeString(src) + `"></script>`)
	at := headEnd(page)
	out := make([]byte, 0, len(page)+len(tag))
	out = append(out, page[:at]...)
	out = append(out, tag...)
	return append(out, page[at:]...)
}

// headEnd is the offset just after the first <head> or <head ...> tag, or
// 0 when there is none.
func headEnd(page []byte) int {
	lower := bytes.ToLower(page)
	for off := 0; ; {
		i := bytes.Index(lower[off:], []byte("<head"))
		if i < 0 {
			return 0
		}
		i += off
		rest := lower[i+len("<head"):]
		if len(rest) > 0 && (rest[0] == '>' || rest[0] == ' ' || rest[0] == '\t' || rest[0] == '\n' || rest[0] == '\r') {
			if j := bytes.IndexByte(rest, '>'); j >= 0 {
				return i + len("<head") + j + 1
			}
			return 0
		}
		off = i + len("<head")
	}
}
