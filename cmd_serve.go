package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"

	"github.com/dangwu-org/dangwu/generator"
	"github.com/dangwu-org/dangwu/generator/serve"
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
	if fs.NArg() > 0 {
		return fmt.Errorf("serve: unexpected argument %q", fs.Arg(0))
	}
	dir, err := os.MkdirTemp("", "dangwu-serve-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	opts := f.options(stderr)
	opts.Dest = filepath.Join(dir, "public")
	srv := serve.New(serve.Options{
		Generator: generator.New(opts),
		Addr:      *addr,
		Stdout:    stdout,
		Stderr:    stderr,
		// API: the collector, mounted under <base path>api/ when wired in.
	})
	return srv.Run(ctx)
}

// staticHandler serves a built site: index.html for folders, 404.html with
// status 404 for anything missing.
func staticHandler(root string) http.Handler {
	return serve.Static(root)
}
