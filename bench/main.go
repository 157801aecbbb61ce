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
	fs.SetOutput(io.Discard) // the flag package's own messages are English: see flagError
	fs.Usage = func() {
		fmt.Fprintln(stderr, "用法：go run ./bench [选项]\n在确定的中文语料上测量 dangwu（构建、开发服务器、收集器），与 Hugo、goldmark 下限、SQLite 和最小持久收集器在同一次运行中对比。\n\n选项：")
		printFlags(stderr, fs)
	}
	var o options
	pages := fs.String("pages", "10000,30000", "要生成的语料`页数`，逗号分隔")
	fs.IntVar(&o.runs, "runs", 3, "每个生成器、每种页数、每个目录的构建次数（用时取中位数，RSS 取最大值）")
	fs.StringVar(&o.shm, "shm", defaultSHM(), "构建到内存盘上的`目录`（空：不测）")
	fs.StringVar(&o.disk, "disk", os.TempDir(), "存放语料和磁盘构建的`目录`")
	fs.BoolVar(&o.skipHugo, "skip-hugo", false, "即使 PATH 上有 Hugo 也不运行它")
	fs.BoolVar(&o.skipServe, "skip-serve", false, "不运行开发服务器（serve）的基准")
	fs.BoolVar(&o.skipCollector, "skip-collector", false, "不运行收集器的 go test 基准（BenchmarkSubmit 等）")
	fs.BoolVar(&o.skipStores, "skip-stores", false, "不用 wrk 比较 collect 在 SQLite 与 PostgreSQL 上的吞吐")
	fs.IntVar(&o.storeSeconds, "store-seconds", 10, "每个存储每轮 wrk 的`秒数`")
	fs.IntVar(&o.storeRounds, "store-rounds", 3, "每个存储轮流运行 wrk 的`轮数`（报告中位数）")
	fs.StringVar(&o.storeAddr, "store-addr", "127.0.0.1:0", "存储对比时 collect 监听的`地址`（端口 0：任选空闲端口）")
	fs.BoolVar(&o.skipWrk, "skip-wrk", false, "不用 wrk 对比收集器与最小持久收集器（下限）")
	fs.StringVar(&o.wrk.floorDir, "floor", filepath.Join("..", "shared", "bench", "collector-floor"), "最小持久收集器（下限）源码的`目录`（在其中 go build）")
	fs.IntVar(&o.wrk.rounds, "wrk-rounds", 5, "示例网站上下限与 dangwu 交替运行 wrk 的轮数")
	fs.DurationVar(&o.wrk.duration, "wrk-duration", 10*time.Second, "一轮 wrk 的时长")
	fs.IntVar(&o.wrk.port, "wrk-port", 18711, "wrk 对比时下限监听的`端口`，dangwu 用下一个")
	fs.BoolVar(&o.wrk.corpus, "wrk-corpus", true, "另在 10,000 页语料上测负载下的回写")
	fs.BoolVar(&o.wrk.tree, "wrk-tree", true, "另在三级组织、5,000 个支部上测负载下的回写")
	fs.BoolVar(&o.keep, "keep", false, "保留临时目录并打印其位置")
	fs.BoolVar(&o.skipDisk, "skip-disk", false, "只构建到内存盘上的目录")
	fs.StringVar(&o.hugoPath, "hugo", "", "用来对比的 Hugo `程序`（默认：PATH 上的 hugo）")
	fs.StringVar(&o.corpusScript, "corpus", "", "用语料`脚本`（python3 脚本 输出目录 页数，如 ../shared/bench/gencorpus.py）代替 corpus 包生成语料")
	fs.StringVar(&o.hugoSite, "hugo-site", "", "与 -corpus 同用：构建该语料的 Hugo 站点`目录`（如 ../shared/bench/hugo-site）")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return o, err
		}
		fs.Usage()
		return o, flagError(err)
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("多余的参数 %q", fs.Arg(0))
	}
	var err error
	if o.pages, err = parseSizes(*pages); err != nil {
		return o, err
	}
	if (o.corpusScript == "") != (o.hugoSite == "") && !o.skipHugo {
		return o, fmt.Errorf("-corpus 与 -hugo-site 要一起给出")
	}
	if o.runs < 1 {
		return o, fmt.Errorf("-runs %d：至少要 1 次", o.runs)
	}
	return o, nil
}

// parseSizes reads "1000,10000".
func parseSizes(s string) ([]int, error) {
	var sizes []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("-pages %q：%q 不是正整数", s, f)
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

// printFlags lists the options with their Chinese descriptions and
// defaults (flag's own PrintDefaults writes "(default …)").
func printFlags(w io.Writer, fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		name, desc := flag.UnquoteUsage(f)
		switch name {
		case "value", "int":
			name = "数"
		case "string":
			name = "文字"
		case "duration":
			name = "时长"
		}
		line := "  -" + f.Name
		if name != "" {
			line += " " + name
		}
		line += "\n      " + desc
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
			line += "（默认 " + f.DefValue + "）"
		}
		fmt.Fprintln(w, line)
	})
}

// flagError says a flag package error in Chinese.
func flagError(err error) error {
	msg := err.Error()
	for _, m := range []struct{ prefix, zh string }{
		{"flag provided but not defined: ", "没有这个选项：%s"},
		{"flag needs an argument: ", "选项缺少值：%s"},
		{"invalid value ", "选项的值不对：%s"},
		{"invalid boolean value ", "选项的值不对：%s"},
	} {
		if rest, ok := strings.CutPrefix(msg, m.prefix); ok {
			return fmt.Errorf(m.zh, rest)
		}
	}
	return err
}
