package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/dangwu-org/dangwu/collector/ledger"
	"github.com/dangwu-org/dangwu/collector/store"
	"github.com/dangwu-org/dangwu/generator"
	"github.com/dangwu-org/dangwu/generator/site"

	"github.com/dangwu-org/dangwu/collector/publish"
)

// siteFlags are the flags build and serve share.
type siteFlags struct {
	source, dest   string
	drafts, future bool
	baseURL        string
}

func (f *siteFlags) register(fs *flag.FlagSet, withDest bool) {
	fs.StringVar(&f.source, "s", ".", "站点`目录`（含 site.yaml 和 content/）")
	if withDest {
		fs.StringVar(&f.dest, "d", "", "输出`目录`（默认为站点目录下的 public/）")
	}
	fs.BoolVar(&f.drafts, "drafts", false, "包含草稿")
	fs.BoolVar(&f.future, "future", false, "包含发布时间在将来的页面")
	fs.StringVar(&f.baseURL, "baseURL", "", "代替 site.yaml 中 baseURL 的`网址`，如 http://intranet/dangwu/")
}

func (f *siteFlags) options(stderr io.Writer) generator.Options {
	return generator.Options{
		Source: f.source, Dest: f.dest, Drafts: f.drafts, Future: f.future, BaseURL: f.baseURL,
		Warn: func(msg string) { fmt.Fprintln(stderr, msg) },
	}
}

func cmdBuild(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newCommand("build", "用法：dangwu build [-s 目录] [-d 目录] [--drafts] [--future] [--baseURL 网址] [--db 文件或网址]\n把站点生成为静态网站。", stderr)
	var f siteFlags
	f.register(fs.FlagSet, true)
	fs.String("db", "", "读取报送状态的收集器数据库：`文件`（默认为站点目录下的 data/dangwu.db，存在时才读）或 postgres://… 网址")
	cpuProfile := fs.String("cpuprofile", "", "把这次生成的 CPU 剖析写入`文件`（go tool pprof 读取）")
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
	dbFile := fs.Lookup("db").Value.String()
	o := f.options(stderr)
	start := time.Now()
	// Load's pace (generator.PaceGC); Build's peak is LimitHeap's.
	o.Pacer = generator.PaceGC()
	g := generator.New(o)
	s, err := g.Load(ctx)
	o.Pacer.Stop()
	if err != nil {
		return report(stderr, err)
	}
	snap, led, err := buildSnapshot(ctx, s, f.source, dbFile)
	if err != nil {
		return err
	}
	// The build's peak memory (generator.LimitHeap); put back after, as
	// run() may go on (tests).
	_, restore := generator.LimitHeap()
	st, err := g.Build(ctx, s, snap)
	restore()
	if err != nil {
		return report(stderr, err)
	}
	if led != nil {
		if err := generator.WriteLedger(g.Options().Dest, s, *led); err != nil {
			return err
		}
	}
	st.Duration = time.Since(start)
	printStats(stdout, g.Options().Dest, st)
	return nil
}

// report prints each problem of a joined error on its own line.
func report(stderr io.Writer, err error) error {
	for _, line := range strings.Split(err.Error(), "\n") {
		fmt.Fprintln(stderr, line)
	}
	n := strings.Count(err.Error(), "\n") + 1
	fmt.Fprintf(stderr, "生成失败：发现 %d 个问题，原有网站未作改动。\n", n)
	return errReported
}

func printStats(w io.Writer, dest string, st generator.Stats) {
	total := 0
	for _, c := range st.Pages {
		total += c.Pages
	}
	fmt.Fprintf(w, "已生成 %s：%d 个页面，%d 个文件，用时 %s\n", filepath.Clean(dest), total, st.Files, st.Duration.Round(time.Millisecond))
	for _, c := range st.Pages {
		fmt.Fprintf(w, "  %-10s %s %4d\n", c.Column, padWidth(c.Title, 12), c.Pages)
	}
}

// padWidth pads s with spaces to a terminal width, counting a Chinese
// character as two columns, so the summary's numbers line up.
func padWidth(s string, width int) string {
	w := 0
	for _, r := range s {
		if r >= 0x1100 && (r <= 0x115f || r >= 0x2e80) {
			w += 2
		} else {
			w++
		}
	}
	if w >= width {
		return s
	}
	return s + strings.Repeat(" ", width-w)
}

// buildSnapshot reads the statuses and the ledger's newest head from the
// collector database when there is one: the named file (which must exist),
// or data/dangwu.db of the site.
func buildSnapshot(ctx context.Context, s *site.Site, source, dbFile string) (site.Snapshot, *generator.Ledger, error) {
	f := storeFlags{source: source, db: dbFile}
	if dbFile == "" {
		dbFile = filepath.Join(source, "data", "dangwu.db")
		if !dbExists(dbFile) {
			return site.Snapshot{Now: s.Now}, nil, nil
		}
	} else if !store.IsURL(dbFile) && !dbExists(dbFile) {
		return site.Snapshot{}, nil, fmt.Errorf("--db %s：数据库不存在", dbFile)
	}
	db, err := f.openDB(true)
	if err != nil {
		return site.Snapshot{}, nil, err
	}
	defer db.Close()
	snap, err := publish.Snapshot(ctx, s, db, s.Now)
	if err != nil {
		return snap, nil, err
	}
	head, err := db.LedgerHead(ctx)
	if err != nil {
		return snap, nil, err
	}
	h, err := ledger.ParseHead(head)
	if err != nil {
		return snap, nil, err
	}
	return snap, &generator.Ledger{Head: head, Key: db.LedgerKey().Public, Size: h.Size, Time: h.Time}, nil
}
