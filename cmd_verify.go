package main

import (
	"context"
	"fmt"
	"io"
	"os"
)

func cmdVerify(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newCommand("verify", "用法：dangwu verify [-s 目录] [--db 文件]\n重新计算提交日志的哈希链和每个上传文件的摘要，发现任何改动即报错。", stderr)
	var f storeFlags
	f.register(fs.FlagSet)
	pos, err := fs.parse(args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fs.fail("多余的参数 %q", pos[0])
	}
	if _, err := os.Stat(f.dbPath()); err != nil {
		return fmt.Errorf("verify：数据库 %s 不存在", f.dbPath())
	}
	db, files, err := f.openStore()
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
	fs := newCommand("backup", "用法：dangwu backup [-s 目录] [--db 文件] 备份文件\n收集器运行时在线备份数据库。", stderr)
	var f storeFlags
	f.register(fs.FlagSet)
	pos, err := fs.parse(args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fs.fail("请给出备份文件")
	}
	dest := pos[0]
	if _, err := os.Stat(dest); err == nil {
		return fmt.Errorf("backup：%s 已存在", dest)
	}
	db, files, err := f.openStore()
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
