package serve

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/dangwu-org/dangwu/generator"
)

// Options configure a Server.
type Options struct {
	// Generator builds the site into its Dest folder, which is served.
	Generator *generator.Generator
	// Addr is the address to listen on, 127.0.0.1:1313 when empty.
	// Listener, when set, is used instead.
	Addr     string
	Listener net.Listener
	// API, when set, serves the collector on the same origin at
	// <base path>api/, <base path>admin/ and <base path>healthz. It sees request paths without
	// the base path: /api/tasks/…, as with a site at the root.
	API http.Handler
	// Debounce is how long the files must stay quiet after changes to
	// several files before the site is updated: 100 ms when zero. A burst
	// of changes (an editor saving several files, git checkout) makes one
	// update, which comes at the latest MaxWait (1 s when zero) after the
	// burst began. While only one file changed, as when an editor saves a
	// page, Settle (15 ms when zero) of quiet is enough.
	Debounce, Settle, MaxWait time.Duration
	// Stdout receives progress and Stderr problems; nil discards them.
	Stdout, Stderr io.Writer
}

// Server is a running development server. It owns its event hub and its
// generator.Live.
type Server struct {
	opts Options
	live *generator.Live
	hub  *hub
	dest string

	mu       sync.Mutex
	base     string   // the site's base path, from the last good build
	built    bool     // whether a build succeeded
	problems []string // of the last update, when it failed
	updates  int      // updates run
}

// New returns a server for the options. Nothing runs before Run.
func New(o Options) *Server {
	if o.Addr == "" {
		o.Addr = "127.0.0.1:1313"
	}
	if o.Debounce <= 0 {
		o.Debounce = 100 * time.Millisecond
	}
	if o.Settle <= 0 {
		o.Settle = min(15*time.Millisecond, o.Debounce)
	}
	if o.MaxWait <= 0 {
		o.MaxWait = time.Second
	}
	if o.Stdout == nil {
		o.Stdout = io.Discard
	}
	if o.Stderr == nil {
		o.Stderr = io.Discard
	}
	return &Server{
		opts: o, live: o.Generator.NewLive(), hub: newHub(),
		dest: o.Generator.Options().Dest, base: "/",
	}
}

// Live is the server's generator.Live, through which the collector feeds
// statuses back (Render) while the server runs.
func (s *Server) Live() *generator.Live { return s.live }

// Handler serves the site with live reload, and the API when set.
func (s *Server) Handler() http.Handler { return handler{s} }

// Run builds the site, serves it and keeps it up to date until ctx is
// done; then it stops watching, closes every browser's stream, shuts the
// HTTP server down and returns, leaving no goroutine behind. A site that
// does not build at first is served as a page of its problems until it
// does.
func (s *Server) Run(ctx context.Context) error {
	o := s.opts.Generator.Options()
	site, err := filepath.Abs(o.Source)
	if err != nil {
		return err
	}
	themes, err := filepath.Abs(o.ThemesDir)
	if err != nil {
		return err
	}
	inputs := []string{"content", "static", "layouts", "themes"}
	deep := []string{themes}
	for _, name := range inputs[:3] {
		deep = append(deep, filepath.Join(site, name))
	}
	w, err := watchSite(site, append(inputs, "site.yaml"), deep, func(err error) { s.logf("watch: %v", err) })
	if err != nil {
		return fmt.Errorf("watch %s: %w", site, err)
	}
	return s.run(ctx, w)
}

// run is Run with changes from src, which it closes.
func (s *Server) run(ctx context.Context, src source) error {
	defer src.Close()
	s.update(ctx, nil)
	ln := s.opts.Listener
	if ln == nil {
		var err error
		if ln, err = Listen(s.opts.Addr); err != nil {
			return err
		}
	}
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(slog.NewTextHandler(s.opts.Stderr, nil), slog.LevelWarn),
	}
	fmt.Fprintf(s.opts.Stdout, "网站已启动：http://%s%s  （按 Ctrl+C 停止）\n", ln.Addr(), s.basePath())
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	served := make(chan error, 1)
	go func() {
		served <- srv.Serve(ln)
		cancel()
	}()
	s.loop(ctx, src)
	s.hub.close()
	shutdown, stop := context.WithTimeout(context.Background(), 5*time.Second)
	defer stop()
	err := srv.Shutdown(shutdown)
	if serr := <-served; !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	return err
}

// loop updates the site after each burst of changes and at each instant
// the clock changes it, until ctx is done.
func (s *Server) loop(ctx context.Context, src source) {
	quiet := time.NewTimer(time.Hour)
	quiet.Stop()
	defer quiet.Stop()
	clock := time.NewTimer(time.Hour)
	defer clock.Stop()
	s.schedule(clock)
	pending := map[string]bool{}
	var first time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case p := <-src.Changes():
			if len(pending) == 0 {
				first = time.Now()
			}
			pending[p] = true
			wait := s.opts.Debounce
			if len(pending) == 1 {
				wait = s.opts.Settle
			}
			quiet.Reset(max(0, min(wait, s.opts.MaxWait-time.Since(first))))
		case <-src.Lost():
			s.live.Forget()
			pending[""] = true
			quiet.Reset(s.opts.Debounce)
		case <-quiet.C:
			paths := make([]string, 0, len(pending))
			for p := range pending {
				if p != "" {
					paths = append(paths, p)
				}
			}
			clear(pending)
			sort.Strings(paths)
			if len(paths) == 0 {
				paths = nil
			}
			s.update(ctx, paths)
			s.schedule(clock)
		case <-clock.C:
			s.update(ctx, nil)
			s.schedule(clock)
		}
	}
}

// schedule sets the clock for the next instant the site changes by itself.
func (s *Server) schedule(clock *time.Timer) {
	next := s.live.NextChange()
	if next.IsZero() {
		clock.Stop()
		return
	}
	clock.Reset(max(0, time.Until(next)))
}

// update brings the site up to date, tells the browsers and the terminal.
func (s *Server) update(ctx context.Context, paths []string) {
	s.mu.Lock()
	s.updates++
	s.mu.Unlock()
	notified := map[string]bool{}
	// good clears the problems of a failed update, before any reload, so
	// that a reloading browser does not get them again.
	good := func(ch generator.Change) {
		s.setBuilt(ch.Site.Config.BasePath())
		if s.recovered() {
			fmt.Fprintln(s.opts.Stdout, "问题已解决，网站已更新。")
			s.publish(eventOK, struct{}{})
		}
	}
	notify := func(ch generator.Change) {
		good(ch)
		if urls := s.urls(ch.Written, ch.Removed, notified); len(urls) > 0 {
			s.publish(eventReload, reloadData{Paths: urls})
		}
	}
	ch, err := s.live.Update(ctx, notify, paths...)
	if err != nil {
		if ctx.Err() != nil {
			return
		}
		s.fail(err)
		return
	}
	good(ch)
	if ch.Full {
		s.publish(eventReload, reloadData{All: true})
	} else if urls := s.urls(ch.Written, ch.Removed, notified); len(urls) > 0 {
		s.publish(eventReload, reloadData{Paths: urls})
	}
	s.report(ch)
}

// reloadData is the data of a reload event: the URL paths that changed,
// or all of them.
type reloadData struct {
	All   bool     `json:"all,omitempty"`
	Paths []string `json:"paths,omitempty"`
}

// urls turns output files into the URL paths browsers show them at,
// leaving out those already announced.
func (s *Server) urls(written, removed []string, announced map[string]bool) []string {
	base := s.basePath()
	var out []string
	add := func(u string) {
		if !announced[u] {
			announced[u] = true
			out = append(out, u)
		}
	}
	for _, list := range [][]string{written, removed} {
		for _, rel := range list {
			switch {
			case rel == "index.html":
				add(base)
			case strings.HasSuffix(rel, "/index.html"):
				add(base + strings.TrimSuffix(rel, "index.html"))
			default:
				add(base + rel)
			}
			if rel == "search/index.json" {
				add(base + "search/") // the search page reads the index
			}
		}
	}
	return out
}

func (s *Server) publish(event string, data any) {
	b, err := json.Marshal(data)
	if err != nil {
		s.logf("%v", err)
		return
	}
	s.hub.publish(message{event: event, data: string(b)})
}

// fail reports a failed update's problems, one per line, in the terminal
// and in every browser.
func (s *Server) fail(err error) {
	lines := strings.Split(err.Error(), "\n")
	s.mu.Lock()
	s.problems = lines
	built := s.built
	s.mu.Unlock()
	for _, l := range lines {
		fmt.Fprintln(s.opts.Stderr, l)
	}
	if built {
		fmt.Fprintf(s.opts.Stderr, "生成失败：发现 %d 个问题，浏览器中仍是上次成功的版本，改正后自动更新。\n", len(lines))
	} else {
		fmt.Fprintf(s.opts.Stderr, "生成失败：发现 %d 个问题，改正后自动生成。\n", len(lines))
	}
	s.publish(eventProblems, struct {
		Problems []string `json:"problems"`
	}{lines})
}

// recovered reports, once, that an update succeeded after one failed.
func (s *Server) recovered() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	had := s.problems != nil
	s.problems = nil
	return had
}

func (s *Server) setBuilt(base string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.built, s.base = true, base
}

// state is the problems of the last update and whether the site was ever
// built.
func (s *Server) state() ([]string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.problems, s.built
}

func (s *Server) basePath() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.base
}

// report prints what an update did.
func (s *Server) report(ch generator.Change) {
	d := ch.Duration.Round(time.Millisecond)
	if ch.Full {
		fmt.Fprintf(s.opts.Stdout, "已生成 %d 个文件，用时 %s\n", len(ch.Written), d)
		return
	}
	n := len(ch.Written) + len(ch.Removed)
	if n == 0 {
		return
	}
	var some []string
	for _, rel := range append(append([]string(nil), ch.Written...), ch.Removed...) {
		if len(some) == 3 {
			some = append(some, "…")
			break
		}
		some = append(some, rel)
	}
	fmt.Fprintf(s.opts.Stdout, "已更新 %d 个文件（%s），用时 %s\n", n, strings.Join(some, "、"), d)
}

func (s *Server) logf(format string, args ...any) {
	fmt.Fprintf(s.opts.Stderr, format+"\n", args...)
}
