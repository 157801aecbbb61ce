// Command dangwu is an organization's e-party-affairs portal (电子党务): a
// static site generator for the committee's Markdown and a collector for the
// branches' submissions. See README.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) && !errors.Is(err, errReported) {
			fmt.Fprintln(os.Stderr, "dangwu:", err)
		}
		os.Exit(1)
	}
}

// errReported is returned when the problems were already printed.
var errReported = errors.New("problems reported")

const usage = `dangwu —— 电子党务网站生成与材料收集

用法：
  dangwu build [-s 目录] [-d 目录] [--drafts] [--future] [--baseURL 地址]   生成静态网站
  dangwu serve [-s 目录] [--addr 127.0.0.1:1313]                           本地预览（写作时使用）
  dangwu new 路径                                                          新建页面，如 news/2026-hui-yi.md

运行 dangwu 命令 -h 查看该命令的全部选项。
`

// run dispatches a subcommand; it is main without the process.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return flag.ErrHelp
	}
	switch args[0] {
	case "build":
		return cmdBuild(ctx, args[1:], stdout, stderr)
	case "serve", "server":
		return cmdServe(ctx, args[1:], stdout, stderr)
	case "new":
		return cmdNew(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}
