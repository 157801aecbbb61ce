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
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/dangwu-org/dangwu/generator"
	"github.com/dangwu-org/dangwu/generator/site"
)

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("dangwu serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f siteFlags
	f.register(fs, false)
	addr := fs.String("addr", "127.0.0.1:1313", "`address` to listen on")
	if err := fs.Parse(args); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "dangwu-serve-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	opts := f.options(stderr)
	opts.Dest = filepath.Join(dir, "public")
	g := generator.New(opts)
	st, err := g.Run(ctx, site.Snapshot{})
	if err != nil {
		return report(stderr, err)
	}
	printStats(stdout, opts.Dest, st)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           staticHandler(opts.Dest),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(slog.NewTextHandler(stderr, nil), slog.LevelWarn),
	}
	fmt.Fprintf(stdout, "网站已启动：http://%s/  （按 Ctrl+C 停止）\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// staticHandler serves a built site: index.html for folders, 404.html with
// status 404 for anything missing.
func staticHandler(root string) http.Handler {
	files := http.FileServer(http.Dir(root))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := path.Clean("/" + r.URL.Path)
		fi, err := os.Stat(filepath.Join(root, filepath.FromSlash(name)))
		if err == nil && fi.IsDir() && !strings.HasSuffix(r.URL.Path, "/") {
			http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
			return
		}
		if err == nil && fi.IsDir() {
			_, err = os.Stat(filepath.Join(root, filepath.FromSlash(name), "index.html"))
		}
		if err != nil {
			b, rerr := os.ReadFile(filepath.Join(root, "404.html"))
			if rerr != nil {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			w.Write(b)
			return
		}
		files.ServeHTTP(w, r)
	})
}
