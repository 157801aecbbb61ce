package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"

	"github.com/dangwu-org/dangwu/collector/files"
	"github.com/dangwu-org/dangwu/generator"
	"github.com/dangwu-org/dangwu/generator/serve"
	"github.com/dangwu-org/dangwu/generator/site"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/collector/publish"
)

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newCommand("serve", "用法：dangwu serve [-s 目录] [--addr 127.0.0.1:1313] [--db 文件或网址]\n写作时的预览服务器：生成、监视文件、自动刷新浏览器。", stderr)
	var f siteFlags
	f.register(fs.FlagSet, false)
	addr := fs.String("addr", "127.0.0.1:1313", "监听的`地址`")
	dbFile := fs.String("db", "", "收集器数据库`文件`（默认为站点目录下的 data/dangwu.db，首次使用时创建）")
	pos, err := fs.parse(args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fs.fail("多余的参数 %q", pos[0])
	}
	dir, err := os.MkdirTemp("", "dangwu-serve-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	opts := f.options(stderr)
	opts.Dest = filepath.Join(dir, "public")
	opts.ServedAt = *addr // feeds and calendars link to this preview
	store := storeFlags{source: f.source, db: *dbFile}
	db, uploads, err := store.openStore()
	if err != nil {
		return err
	}
	defer db.Close()
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	// The collector is embedded on the same origin under /api/ and /admin/;
	// it sees the site the server last built, and its changes are fed back
	// through the server's Live.
	var pub *publish.Publisher
	var live *generator.Live
	current := func() *site.Site {
		if live == nil {
			return nil
		}
		return live.Site()
	}
	api, err := collectorHandler(current, db, uploads, logger, func(c collector.Change) { pub.Changed(c) })
	if err != nil {
		return err
	}
	defer api.Close()
	go (&files.Sweeper{Files: uploads, Referenced: db.FileHashes, Logger: logger}).Run(ctx)
	srv := serve.New(serve.Options{
		Generator: generator.New(opts),
		Addr:      *addr,
		API:       api,
		Stdout:    stdout,
		Stderr:    stderr,
	})
	live = srv.Live()
	// The server brings the site up to date at clock transitions itself.
	pub = newPublisher(live, opts.Dest, db, logger, false, nil)
	go pub.Run(ctx)
	return srv.Run(ctx)
}

// staticHandler serves a built site: index.html for folders, 404.html with
// status 404 for anything missing.
func staticHandler(root string) http.Handler {
	return serve.Static(root)
}
