package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/collector/sqlite"
	"github.com/dangwu-org/dangwu/generator"
	"github.com/dangwu-org/dangwu/generator/site"
)

func cmdCollect(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("dangwu collect", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f storeFlags
	f.register(fs)
	dest := fs.String("d", "", "output `folder` the collector re-renders (default: public/ inside the site folder)")
	addr := fs.String("addr", ":8080", "`address` to listen on")
	if err := fs.Parse(args); err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	g := generator.New(generator.Options{Source: f.source, Dest: *dest, Warn: func(m string) { logger.Warn(m) }})
	s, err := g.Load(ctx)
	if err != nil {
		return report(stderr, err)
	}
	db, files, err := f.openStore()
	if err != nil {
		return err
	}
	defer db.Close()
	var cur atomic.Pointer[site.Site]
	cur.Store(s)
	rebuild := newRebuilder(ctx, g, &cur, db, logger)
	if err := rebuild.now(ctx); err != nil {
		return report(stderr, err)
	}
	api, err := collectorHandler(&cur, db, files, logger, func(string) { rebuild.request() })
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("/api/", api)
	mux.Handle("/admin/", api)
	mux.Handle("/healthz", api)
	mux.Handle("/", staticHandler(g.Options().Dest))
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "收集器已启动：http://%s/ ，数据库 %s，网站输出 %s（按 Ctrl+C 停止）\n", ln.Addr(), db.Path(), g.Options().Dest)
	return serveUntilDone(ctx, ln, mux, logger)
}

// serveUntilDone serves until ctx ends, then shuts down gracefully: it stops
// accepting, lets requests in flight (and so their commits) finish.
func serveUntilDone(ctx context.Context, ln net.Listener, h http.Handler, logger *slog.Logger) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       10 * time.Minute,
		WriteTimeout:      10 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// rebuilder re-renders the site with fresh statuses after changes, one
// build at a time, coalescing requests that arrive during a build.
type rebuilder struct {
	g      *generator.Generator
	cur    *atomic.Pointer[site.Site]
	db     *sqlite.DB
	log    *slog.Logger
	wanted chan struct{}
}

func newRebuilder(ctx context.Context, g *generator.Generator, cur *atomic.Pointer[site.Site], db *sqlite.DB, log *slog.Logger) *rebuilder {
	r := &rebuilder{g: g, cur: cur, db: db, log: log, wanted: make(chan struct{}, 1)}
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-r.wanted:
				if err := r.now(ctx); err != nil {
					r.log.Error("re-render", "err", err)
				}
			}
		}
	}()
	return r
}

func (r *rebuilder) request() {
	select {
	case r.wanted <- struct{}{}:
	default:
	}
}

func (r *rebuilder) now(ctx context.Context) error {
	s := r.cur.Load()
	snap, err := snapshot(ctx, s, r.db, time.Now())
	if err != nil {
		return err
	}
	_, err = r.g.Build(ctx, s, snap)
	return err
}

// snapshot computes every status from the store at now.
func snapshot(ctx context.Context, s *site.Site, db *sqlite.DB, now time.Time) (site.Snapshot, error) {
	sums, err := db.Summaries(ctx)
	if err != nil {
		return site.Snapshot{}, err
	}
	ops, err := db.Opinions(ctx, collector.OpinionPublished)
	if err != nil {
		return site.Snapshot{}, err
	}
	snap := collector.Statuses(s, sums, now)
	snap.Opinions = collector.PublishedOpinions(ops)
	return snap, nil
}

// dbExists reports whether a database file is there to read statuses from.
func dbExists(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Size() > 0 && filepath.Ext(path) != ""
}
