package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/dangwu-org/dangwu/collector/sqlite"
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
	// The manifest is read from the backup itself: exactly the files it needs.
	need, err := sqlite.BackupFiles(ctx, dest)
	if err != nil {
		return err
	}
	sums := make([]string, len(need))
	for i, f := range need {
		sums[i] = f.SHA256
	}
	manifest := dest + ".manifest"
	missing, err := files.WriteManifest(manifest, sums)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已备份数据库到 %s，上传文件清单（%d 个文件）写入 %s。\n", dest, len(sums), manifest)
	fmt.Fprintf(stdout, "请接着复制上传文件目录 %s（可跳过其中的 tmp/），然后在副本的 uploads 目录里运行 sha256sum -c %s 核对。\n", files.Dir(), manifest)
	if len(missing) > 0 {
		return fmt.Errorf("备份引用的 %d 个上传文件在 %s 中不存在（如 %s）：请运行 dangwu verify 检查", len(missing), files.Dir(), missing[0])
	}
	return nil
}
