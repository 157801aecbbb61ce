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

	// Windows has no time zone database of its own: without this a
	// release binary there cannot load site.yaml's Asia/Shanghai.
	_ "time/tzdata"
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
  dangwu collect [-s 目录] [-d 目录] [--addr :8080] [--db 文件或网址]             运行材料收集服务
  dangwu branch code 支部编号                                              生成或更换支部提交码
  dangwu admin passwd 用户名                                               创建管理员或重设密码
  dangwu verify [--head 文件或网址]... [--receipt 文件]...                  核验账本、文件，以及与保存的树头和回执是否一致
  dangwu backup 文件                                                       在线备份数据库
  dangwu export 任务编号 [--format csv|json]                               导出任务的全部提交
  dangwu import hugo|hexo 目录、dangwu import docx 文件… --column 栏目     导入 Hugo、Hexo 网站或 Word 文档
  dangwu version                                                           显示版本、提交、Go 与 SQLite 版本

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
	case "collect":
		return cmdCollect(ctx, args[1:], stdout, stderr)
	case "branch":
		return cmdBranch(ctx, args[1:], stdout, stderr)
	case "admin":
		return cmdAdmin(ctx, args[1:], stdout, stderr)
	case "verify":
		return cmdVerify(ctx, args[1:], stdout, stderr)
	case "backup":
		return cmdBackup(ctx, args[1:], stdout, stderr)
	case "export":
		return cmdExport(ctx, args[1:], stdout, stderr)
	case "import":
		return cmdImport(ctx, args[1:], stdout, stderr)
	case "version", "--version":
		return cmdVersion(stdout)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("没有这个命令：%q（运行 dangwu help 查看全部命令）", args[0])
}
