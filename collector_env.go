package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/netip"
	"os"
	"path/filepath"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/collector/files"
	"github.com/dangwu-org/dangwu/collector/ledger"
	"github.com/dangwu-org/dangwu/collector/publish"
	"github.com/dangwu-org/dangwu/collector/store"
	"github.com/dangwu-org/dangwu/collector/throttle"
	"github.com/dangwu-org/dangwu/collector/web"
	"github.com/dangwu-org/dangwu/generator"
	"github.com/dangwu-org/dangwu/generator/site"
)

// storeFlags are the flags of every command that opens the database.
type storeFlags struct {
	source  string
	db      string
	key     string
	uploads string
}

func (f *storeFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.source, "s", ".", "站点`目录`（含 site.yaml 和 content/）")
	fs.StringVar(&f.db, "db", "", "收集器数据库：SQLite `文件`（默认为站点目录下的 data/dangwu.db），或 postgres://… 网址")
	fs.StringVar(&f.key, "ledger-key", "", "账本签名密钥`文件`（默认为数据库旁边的 ledger.key；PostgreSQL 时为站点目录下的 data/ledger.key）")
	fs.StringVar(&f.uploads, "uploads", "", "上传文件`目录`（默认为数据库旁边的 uploads/；PostgreSQL 时为站点目录下的 data/uploads/，多个收集器须共用同一个）")
}

func (f *storeFlags) dbPath() string {
	if f.db != "" {
		return f.db
	}
	return filepath.Join(f.source, "data", "dangwu.db")
}

// dataDir is where the key and the uploads live by default: beside an
// SQLite file, or the site's data/ for a PostgreSQL URL.
func (f *storeFlags) dataDir() string {
	if store.IsURL(f.dbPath()) {
		return filepath.Join(f.source, "data")
	}
	return filepath.Dir(f.dbPath())
}

// openStore opens the database and the uploads folder beside it, creating
// them when needed.
func (f *storeFlags) openStore() (collector.Store, *files.Store, error) {
	return f.open(false)
}

// openExisting opens an existing database only: a mistyped --db is an error,
// not a new empty database (backup, verify, export).
func (f *storeFlags) openExisting() (collector.Store, *files.Store, error) {
	return f.open(true)
}

// openDB opens the store alone (no uploads folder).
func (f *storeFlags) openDB(mustExist bool) (collector.Store, error) {
	key := f.key
	if key == "" {
		key = filepath.Join(f.dataDir(), "ledger.key")
	}
	return store.Open(context.Background(), f.dbPath(), store.Options{KeyFile: key, MustExist: mustExist})
}

func (f *storeFlags) open(mustExist bool) (collector.Store, *files.Store, error) {
	db, err := f.openDB(mustExist)
	if err != nil {
		return nil, nil, err
	}
	uploads := f.uploads
	if uploads == "" {
		uploads = filepath.Join(f.dataDir(), "uploads")
	}
	fs, err := files.Open(uploads)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return db, fs, nil
}

// publishLedger writes the store's newest signed head, its public key and
// the /ledger/ page into the output folder dest.
func publishLedger(ctx context.Context, dest string, s *site.Site, db collector.Store) error {
	head, err := db.LedgerHead(ctx)
	if err != nil {
		return err
	}
	h, err := ledger.ParseHead(head)
	if err != nil {
		return err
	}
	return generator.WriteLedger(dest, s, generator.Ledger{Head: head, Key: db.LedgerKey().Public, Size: h.Size, Time: h.Time})
}

// newPublisher wires the status feedback of collect and serve: the Live
// renders, the store is read, the ledger's head is published after every
// render, and with clock the site is brought up to date at deadlines.
func newPublisher(live *generator.Live, dest string, db collector.Store, logger *slog.Logger, clock bool, rendered func(publish.Report)) *publish.Publisher {
	o := publish.Options{
		Renderer: live, Store: db, Logger: logger, Rendered: rendered,
		After: func(ctx context.Context, s *site.Site) error { return publishLedger(ctx, dest, s, db) },
	}
	if clock {
		o.Tick = func(ctx context.Context) error {
			_, err := live.Update(ctx, nil)
			return err
		}
	}
	return publish.New(o)
}

// checkKeptHead refuses to go on when the head the output folder holds
// from an earlier run is not extended by the database.
func checkKeptHead(ctx context.Context, dest string, db collector.Store) error {
	file := filepath.Join(dest, "ledger", "head.txt")
	kept, err := os.ReadFile(file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := db.CheckHead(ctx, kept); err != nil {
		return fmt.Errorf("输出目录保存的树头 %s 与数据库 %s 不符：%w。数据库可能被换成了旧备份或被截断；请运行 dangwu verify --head %s 查明。若确是有意从备份恢复，核对后把该文件移走再启动", file, db.Name(), err, file)
	}
	return nil
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
// site's own origin and site.yaml's collector.allowedOrigins, and
// X-Forwarded-For from collector.trustedProxies, as they are when the
// handler starts.
func collectorHandler(current func() *site.Site, db collector.Store, fs *files.Store, logger *slog.Logger, onChange func(collector.Change)) (*web.Handler, error) {
	var origins []string
	var proxies []netip.Prefix
	if s := current(); s != nil {
		if o := s.Config.Origin(); o != "" {
			origins = append(origins, o)
		}
		origins = append(origins, s.Config.Collector.AllowedOrigins...)
		proxies = s.Config.Collector.Proxies()
	}
	// A store that keeps the limiter's state (PostgreSQL) makes a limit
	// hold across every collector on it; otherwise each limits in memory.
	var limiter web.Limiter
	if ts, ok := db.(throttle.Store); ok {
		limiter = throttle.NewShared(throttle.DefaultPolicy(), nil, ts)
	}
	h, err := web.New(web.Options{
		Site: current, Store: db, Admin: db, Opinions: db, Ledger: db, Refusals: db, Files: fs, Logger: logger,
		TrustedOrigins: origins, TrustedProxies: proxies, OnChange: onChange, Limiter: limiter,
	})
	if err != nil {
		return nil, fmt.Errorf("collector: %w", err)
	}
	return h, nil
}
