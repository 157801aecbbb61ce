package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
)

func cmdVerify(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("dangwu verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f storeFlags
	f.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, files, err := f.openExisting()
	if err != nil {
		return err
	}
	defer db.Close()
	rep, err := db.Verify(ctx, files)
	if err != nil {
		fmt.Fprintf(stderr, "校验失败：%v\n", err)
		return errReported
	}
	fmt.Fprintf(stdout, "校验通过：%d 条日志记录、%d 份提交、%d 条审核、%d 个文件均与日志一致。\n", rep.Entries, rep.Submissions, rep.Reviews, rep.Files)
	return nil
}

func cmdBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("dangwu backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f storeFlags
	f.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "用法：dangwu backup [-s 目录] [--db 文件] 备份文件")
		return fmt.Errorf("backup: give the backup file")
	}
	dest := fs.Arg(0)
	if _, err := os.Stat(dest); err == nil {
		return fmt.Errorf("backup: %s already exists", dest)
	}
	db, files, err := f.openExisting()
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, dest); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已备份数据库到 %s。上传的文件在 %s，按内容摘要命名、只增不改，请一并复制。\n", dest, files.Dir())
	return nil
}
