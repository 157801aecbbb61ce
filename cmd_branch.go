package main

import (
	"context"
	"fmt"
	"io"

	"github.com/dangwu-org/dangwu/collector"
)

func cmdBranch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newCommand("branch code", "用法：dangwu branch code [-s 目录] [--db 文件或网址] 支部编号\n生成或更换支部提交码，只显示一次。", stderr)
	var f storeFlags
	f.register(fs.FlagSet)
	pos, err := fs.parse(args)
	if err != nil {
		return err
	}
	if len(pos) == 0 || pos[0] != "code" {
		return fs.fail("branch 只有一个子命令 code")
	}
	if len(pos) != 2 {
		return fs.fail("请给出一个支部编号")
	}
	id := pos[1]
	s, err := loadSite(ctx, f.source, stderr)
	if err != nil {
		return err
	}
	b := s.Branch(id)
	if b == nil {
		return fmt.Errorf("branch code：%q 不是支部（没有 content/branches/%s/_index.md）", id, id)
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
