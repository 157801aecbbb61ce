package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/collector/files"
	"github.com/dangwu-org/dangwu/collector/web"
	"github.com/dangwu-org/dangwu/generator"
	"github.com/dangwu-org/dangwu/generator/site"
)

func cmdCollect(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newCommand("collect", "用法：dangwu collect [-s 目录] [-d 目录] [--addr :8080] [--db 文件或网址]\n运行材料收集服务（/api/、/admin/），每次提交或审核后重新生成受影响的页面。", stderr)
	var f storeFlags
	f.register(fs.FlagSet)
	dest := fs.String("d", "", "收集器重新生成页面的输出`目录`（默认为站点目录下的 public/）")
	addr := fs.String("addr", ":8080", "监听的`地址`")
	pos, err := fs.parse(args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fs.fail("多余的参数 %q", pos[0])
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	g := generator.New(generator.Options{Source: f.source, Dest: *dest, Warn: func(m string) { logger.Warn(m) }})
	db, uploads, err := f.openStore()
	if err != nil {
		return err
	}
	defer db.Close()
	// The output folder's head.txt is the head this collector last
	// published: the database must still extend it (a witness outside
	// the database against rollback and truncation).
	if err := checkKeptHead(ctx, g.Options().Dest, db); err != nil {
		return err
	}
	live := g.NewLive()
	if _, err := live.Update(ctx, nil); err != nil {
		return report(stderr, err)
	}
	feed := newFeedback(live, g.Options().Dest, db, logger, true)
	if err := feed.render(ctx); err != nil {
		return err
	}
	go feed.loop(ctx)
	// Another collector (or a command) on the same database changes what
	// the pages show too: re-render after every commit, whoever made it.
	go db.Watch(ctx, func() { feed.request("") })
	api, err := collectorHandler(live.Site, db, uploads, logger, feed.request)
	if err != nil {
		return err
	}
	defer api.Close()
	go (&files.Sweeper{Files: uploads, Referenced: db.FileHashes, Logger: logger}).Run(ctx)
	mux := http.NewServeMux()
	mux.Handle("/api/", api)
	mux.Handle("/admin/", api)
	mux.Handle("/healthz", api)
	mux.Handle("/", staticHandler(g.Options().Dest))
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "收集器已启动：http://%s/ ，数据库 %s，网站输出 %s（按 Ctrl+C 停止）\n", ln.Addr(), db.Name(), g.Options().Dest)
	return serveUntilDone(ctx, ln, mux, logger)
}

// serveUntilDone serves until ctx ends, then shuts down gracefully: it stops
// accepting, lets requests in flight (and so their commits) finish.
func serveUntilDone(ctx context.Context, ln net.Listener, h http.Handler, logger *slog.Logger) error {
	srv := web.NewServer(h, slog.NewLogLogger(logger.Handler(), slog.LevelWarn))
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

// feedback keeps an output folder showing the statuses: after every
// committed change it re-renders only the outputs that show statuses
// (generator.Live), one render at a time, coalescing requests that arrive
// during a render. With clock set it also updates the site when a deadline,
// an opening or a publish date passes (serve does that itself).
type feedback struct {
	live   *generator.Live
	dest   string
	db     collector.Store
	log    *slog.Logger
	clock  bool
	wanted chan struct{}
	// rendered is signalled after each render, for tests and benchmarks.
	rendered chan time.Duration
}

func newFeedback(live *generator.Live, dest string, db collector.Store, log *slog.Logger, clock bool) *feedback {
	return &feedback{live: live, dest: dest, db: db, log: log, clock: clock,
		wanted: make(chan struct{}, 1), rendered: make(chan time.Duration, 1)}
}

// request asks for a re-render; it never blocks.
func (f *feedback) request(string) {
	select {
	case f.wanted <- struct{}{}:
	default:
	}
}

func (f *feedback) loop(ctx context.Context) {
	for ctx.Err() == nil {
		if !f.wait(ctx) {
			continue
		}
		start := time.Now()
		if err := f.render(ctx); err != nil {
			f.log.Error("re-render", "err", err)
			continue
		}
		select {
		case f.rendered <- time.Since(start):
		default:
		}
	}
}

// wait blocks until a render is wanted or the clock changes the site; it
// reports whether to render.
func (f *feedback) wait(ctx context.Context) bool {
	var timer <-chan time.Time
	if next := f.live.NextChange(); f.clock && !next.IsZero() {
		t := time.NewTimer(time.Until(next))
		defer t.Stop()
		timer = t.C
	}
	select {
	case <-ctx.Done():
		return false
	case <-f.wanted:
		return true
	case <-timer:
		if _, err := f.live.Update(ctx, nil); err != nil {
			f.log.Error("update at a deadline", "err", err)
			return false
		}
		return true
	}
}

// render reads the statuses and hands them to the Live, then publishes the
// ledger's newest head. The snapshot's time
// is left zero: the site's own clock (advanced by every Update) decides what
// is pending and what is missing, so a render changes only the outputs
// whose statuses changed.
func (f *feedback) render(ctx context.Context) error {
	s := f.live.Site()
	if s == nil {
		return errors.New("the site has not been built yet")
	}
	snap, err := snapshot(ctx, s, f.db, time.Time{})
	if err != nil {
		return err
	}
	if err := f.live.Render(ctx, snap); err != nil {
		return err
	}
	return publishLedger(ctx, f.dest, s, f.db)
}

// snapshot computes every status from the store at now.
func snapshot(ctx context.Context, s *site.Site, db collector.Store, now time.Time) (site.Snapshot, error) {
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
	return err == nil && fi.Mode().IsRegular() && fi.Size() > 0
}
