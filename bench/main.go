// Command bench measures dangwu against Hugo, a bare goldmark floor and raw
// SQLite on the deterministic Chinese corpus, and prints one table with the
// targets of issue 6. Run it from the repository root:
//
//	go run ./bench [-pages 1000,10000] [-runs 3] [-shm /dev/shm] [-disk DIR]
//
// Every generator runs as a child process, so its peak memory is its own
// RSS; the serve and collector figures come from the packages' own
// benchmarks, run through `go test`. The command installs nothing: without
// `hugo` on the PATH it says so and leaves the Hugo column empty. It needs
// a Unix system for the children's resource usage.
//
// It is package main and may import anything in the module; nothing
// imports it.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if err != flag.ErrHelp {
			fmt.Fprintln(os.Stderr, "bench:", err)
		}
		os.Exit(1)
	}
}

// options are the command's flags.
type options struct {
	pages         []int
	runs          int
	shm, disk     string
	skipHugo      bool
	skipServe     bool
	skipCollector bool
	skipStores    bool
	storeSeconds  int
	storeAddr     string
	storeRounds   int
	skipDisk      bool
	keep          bool
	// hugoPath is the Hugo to run (empty: hugo on the PATH).
	hugoPath string
	// corpusScript, when set, writes the corpus instead of package corpus
	// (python3 SCRIPT OUT N, as ../shared/bench/gencorpus.py does), and
	// hugoSite is the Hugo site that builds it (--contentDir OUT/content).
	corpusScript, hugoSite string
	skipWrk                bool
	wrk                    wrkOptions
}

// run is main without the process. The hidden first argument "floor" runs
// the goldmark floor in this process (see cmdFloor).
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == floorCommand {
		return cmdFloor(args[1:])
	}
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	return bench(ctx, o, stdout, stderr)
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	pages := fs.String("pages", "10000,30000", "corpus `sizes` to build, comma-separated")
	fs.IntVar(&o.runs, "runs", 3, "builds per generator, corpus size and folder (median time, max RSS)")
	fs.StringVar(&o.shm, "shm", defaultSHM(), "memory-backed `folder` to build into (empty: skip)")
	fs.StringVar(&o.disk, "disk", os.TempDir(), "`folder` on disk for the corpus and the disk builds")
	fs.BoolVar(&o.skipHugo, "skip-hugo", false, "do not run Hugo even when it is on the PATH")
	fs.BoolVar(&o.skipServe, "skip-serve", false, "do not run the serve benchmarks")
	fs.BoolVar(&o.skipCollector, "skip-collector", false, "do not run the collector benchmarks")
	fs.BoolVar(&o.skipStores, "skip-stores", false, "do not measure collect with wrk on SQLite and PostgreSQL")
	fs.IntVar(&o.storeSeconds, "store-seconds", 10, "`seconds` of each wrk run on each store")
	fs.IntVar(&o.storeRounds, "store-rounds", 3, "wrk `runs` on each store, alternating (the median is reported)")
	fs.StringVar(&o.storeAddr, "store-addr", "127.0.0.1:0", "`address` collect listens on for the wrk runs")
	fs.BoolVar(&o.skipWrk, "skip-wrk", false, "do not run the collector under wrk against the collector floor")
	fs.StringVar(&o.wrk.floorDir, "floor", filepath.Join("..", "shared", "bench", "collector-floor"), "`folder` of the minimal durable collector (go build there)")
	fs.IntVar(&o.wrk.rounds, "wrk-rounds", 3, "alternating wrk rounds of the floor and dangwu on the example site")
	fs.DurationVar(&o.wrk.duration, "wrk-duration", 10*time.Second, "length of one wrk run")
	fs.IntVar(&o.wrk.port, "wrk-port", 18711, "`port` of the floor under wrk; dangwu listens on the next one")
	fs.BoolVar(&o.wrk.corpus, "wrk-corpus", true, "also measure feedback under wrk on the 10,000-page corpus")
	fs.BoolVar(&o.wrk.tree, "wrk-tree", true, "also measure feedback under wrk on an organization of 5,000 branches in three levels")
	fs.BoolVar(&o.keep, "keep", false, "keep the temporary folders and print where they are")
	fs.BoolVar(&o.skipDisk, "skip-disk", false, "build only into the memory-backed folder")
	fs.StringVar(&o.hugoPath, "hugo", "", "the Hugo `binary` to compare with (default: hugo on the PATH)")
	fs.StringVar(&o.corpusScript, "corpus", "", "a corpus `script` run as python3 SCRIPT OUT N (e.g. ../shared/bench/gencorpus.py) instead of package corpus")
	fs.StringVar(&o.hugoSite, "hugo-site", "", "with -corpus: the Hugo site `folder` that builds it (e.g. ../shared/bench/hugo-site)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	var err error
	if o.pages, err = parseSizes(*pages); err != nil {
		return o, err
	}
	if (o.corpusScript == "") != (o.hugoSite == "") && !o.skipHugo {
		return o, fmt.Errorf("-corpus and -hugo-site go together")
	}
	if o.runs < 1 {
		return o, fmt.Errorf("-runs %d: need at least one", o.runs)
	}
	return o, nil
}

// parseSizes reads "1000,10000".
func parseSizes(s string) ([]int, error) {
	var sizes []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("-pages %q: %q is not a positive number", s, f)
		}
		sizes = append(sizes, n)
	}
	return sizes, nil
}

// defaultSHM is /dev/shm when this machine has it.
func defaultSHM() string {
	if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
		return "/dev/shm"
	}
	return ""
}
