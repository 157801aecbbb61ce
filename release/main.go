// Command release builds dangwu for the editors' machines: windows/amd64,
// linux/amd64 and linux/arm64, each with SQLite built in (cgo, through the
// targets' C cross compilers), and packs each binary with the example site
// and a README for editors into a zip (Windows) or tar.gz (Linux), with a
// SHA256SUMS list. Run it from the repository root:
//
//	go run ./release [-o dist] [-version 1.0.0] [-targets windows/amd64,linux/arm64] [-check]
//
// The builds are reproducible: -trimpath, no build ID, no VCS stamping, no
// PE timestamp, fixed C flags, and archive entries dated from the commit
// (or SOURCE_DATE_EPOCH). With -check every binary is built a second time
// in a fresh build cache and both must be byte-identical.
//
// It shells out to go build and git; it imports nothing of dangwu.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "release:", err)
		}
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("release", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("o", "dist", "输出`目录`（先清空）")
	ver := fs.String("version", "", "版本号（默认为 git describe 的结果）")
	targets := fs.String("targets", "", "以逗号分隔的目标平台（默认全部："+strings.Join(targetNames(allTargets), ",")+"）")
	check := fs.Bool("check", false, "每个目标在全新的构建缓存中再构建一次，两次必须逐字节相同")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "用法：go run ./release [-o 目录] [-version 版本] [-targets 平台,…] [-check]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	sel, err := selectTargets(*targets)
	if err != nil {
		return err
	}
	st, err := readStamp(ctx, *ver)
	if err != nil {
		return err
	}
	site, err := exampleSite(ctx)
	if err != nil {
		return err
	}
	if err := os.RemoveAll(*out); err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "dangwu %s（提交 %s），%d 个目标平台\n", st.Version, st.Commit, len(sel))
	var sums []sum
	for _, t := range sel {
		s, err := release(ctx, t, st, site, *out, *check, stdout)
		if err != nil {
			return fmt.Errorf("%s: %w", t.Name(), err)
		}
		sums = append(sums, s...)
	}
	if err := writeSums(*out, sums); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已写出 %s/SHA256SUMS\n", *out)
	return nil
}
