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
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"time"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/collector/files"
	"github.com/dangwu-org/dangwu/collector/web"
	"github.com/dangwu-org/dangwu/generator"
	"github.com/dangwu-org/dangwu/generator/serve"
)

func cmdCollect(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newCommand("collect", "用法：dangwu collect [-s 目录] [-d 目录] [--addr :8080] [--db 文件或网址]\n运行材料收集服务（/api/、/admin/），每次提交或审核后重新生成受影响的页面。", stderr)
	var f storeFlags
	f.register(fs.FlagSet)
	dest := fs.String("d", "", "收集器重新生成页面的输出`目录`（默认为站点目录下的 public/）")
	addr := fs.String("addr", ":8080", "监听的`地址`")
	cpuProfile := fs.String("cpuprofile", "", "把 CPU 剖析写入`文件`，直到收集器停止（go tool pprof 读取）")
	pos, err := fs.parse(args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fs.fail("多余的参数 %q", pos[0])
	}
	if *cpuProfile != "" {
		stop, err := startCPUProfile(*cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
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
	pub := newPublisher(live, g.Options().Dest, db, logger, true, nil)
	if err := pub.Render(ctx); err != nil {
		return err
	}
	setCollectorGC()
	go pub.Run(ctx)
	// Another collector (or a command) on the same database changes what
	// the pages show too: re-render what shows statuses after its commits.
	go db.Watch(ctx, func() { pub.Changed(collector.Change{All: true}) })
	api, err := collectorHandler(live.Site, db, uploads, logger, pub.Changed)
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
	ln, err := serve.Listen(*addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "收集器已启动：http://%s/ ，数据库 %s，网站输出 %s（按 Ctrl+C 停止）\n", ln.Addr(), db.Name(), g.Options().Dest)
	return serveUntilDone(ctx, ln, mux, logger)
}

// gcHeadroom is how much the collector's heap may grow between two
// collections at least. Its live heap is small on most sites (the site and
// its caches: about 5 MB for the example site) and a post allocates some
// 20 kB, so at Go's default GOGC=100 it collected several times a second
// under load, with assists slowing the writer: under wrk on the example
// site GOGC=2000 gave 1.2 to 1.5 times the submissions a second of 100 in
// the same run (README, issue 11). A large site keeps GOGC=100: its heap
// is room enough. The cost is at most this much more memory.
const gcHeadroom = 128 << 20

// setCollectorGC sets GOGC from the live heap once the site is loaded, so
// that the heap may grow by gcHeadroom (GOGC between 100 and 2000), unless
// the environment sets GOGC.
func setCollectorGC() {
	if os.Getenv("GOGC") != "" {
		return
	}
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	pct := 2000
	if m.HeapAlloc > 0 {
		pct = max(100, min(2000, int(gcHeadroom*100/m.HeapAlloc)))
	}
	debug.SetGCPercent(pct)
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

// startCPUProfile writes a CPU profile to file until the returned stop is
// called (the README's profile of the collector under wrk).
func startCPUProfile(file string) (stop func(), err error) {
	f, err := os.Create(file)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("无法开始 CPU 剖析（%s）：%w", file, err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

// dbExists reports whether a database file is there to read statuses from.
func dbExists(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Size() > 0
}
