package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/dangwu-org/dangwu/collector"
)

func cmdBranch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("dangwu branch code", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f storeFlags
	f.register(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "用法：dangwu branch code [-s 目录] [--db 文件] 支部编号")
		fs.PrintDefaults()
	}
	if len(args) == 0 || args[0] != "code" {
		fs.Usage()
		return errors.New("branch: the only subcommand is code")
	}
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("branch code: give one branch id")
	}
	id := fs.Arg(0)
	s, err := loadSite(ctx, f.source, stderr)
	if err != nil {
		return err
	}
	b := s.Branch(id)
	if b == nil {
		return fmt.Errorf("branch code: %q is not a branch (no content/branches/%s/_index.md)", id, id)
	}
	code := collector.NewCode()
	hash, err := collector.HashSecret(code, 0)
	if err != nil {
		return err
	}
	db, _, err := f.openStore()
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.SetBranchCode(ctx, id, hash); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s（%s）的新提交码：\n\n    %s\n\n请立即转交支部书记。系统只保存它的摘要，无法再次查看；旧提交码已失效。\n", b.Title, id, code)
	return nil
}
