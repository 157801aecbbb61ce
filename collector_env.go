package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"

	"github.com/dangwu-org/dangwu/collector/files"
	"github.com/dangwu-org/dangwu/collector/sqlite"
	"github.com/dangwu-org/dangwu/collector/web"
	"github.com/dangwu-org/dangwu/generator"
	"github.com/dangwu-org/dangwu/generator/site"
)

// storeFlags are the flags of every command that opens the database.
type storeFlags struct {
	source string
	db     string
}

func (f *storeFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.source, "s", ".", "站点`目录`（含 site.yaml 和 content/）")
	fs.StringVar(&f.db, "db", "", "收集器数据库`文件`（默认为站点目录下的 data/dangwu.db）")
}

func (f *storeFlags) dbPath() string {
	if f.db != "" {
		return f.db
	}
	return filepath.Join(f.source, "data", "dangwu.db")
}

// openStore opens the database and the uploads folder beside it.
func (f *storeFlags) openStore() (*sqlite.DB, *files.Store, error) {
	db, err := sqlite.Open(f.dbPath(), sqlite.Options{})
	if err != nil {
		return nil, nil, err
	}
	fs, err := files.Open(filepath.Join(filepath.Dir(f.dbPath()), "uploads"))
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return db, fs, nil
}

// loadSite reads the site for commands that need its tasks and branches.
func loadSite(ctx context.Context, source string, stderr io.Writer) (*site.Site, error) {
	g := generator.New(generator.Options{Source: source, Warn: func(string) {}})
	s, err := g.Load(ctx)
	if err != nil {
		return nil, report(stderr, err)
	}
	return s, nil
}

// collectorHandler builds the collector's HTTP handler over the site that
// current returns, which may change at any time (serve rebuilds it on every
// edit) and is nil until the site first builds. Posts are trusted from the
// site's own origin and site.yaml's collector.allowedOrigins, as they are
// when the handler starts.
func collectorHandler(current func() *site.Site, db *sqlite.DB, fs *files.Store, logger *slog.Logger, onChange func(string)) (*web.Handler, error) {
	var origins []string
	if s := current(); s != nil {
		if o := s.Config.Origin(); o != "" {
			origins = append(origins, o)
		}
		origins = append(origins, s.Config.Collector.AllowedOrigins...)
	}
	h, err := web.New(web.Options{
		Site: current, Store: db, Admin: db, Opinions: db, Files: fs, Logger: logger,
		TrustedOrigins: origins, OnChange: onChange,
	})
	if err != nil {
		return nil, fmt.Errorf("collector: %w", err)
	}
	return h, nil
}
